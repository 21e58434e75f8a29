import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { customColumns, CustomColumnsError } from './customcolumns.js';

interface Case {
  spec?: string;
  file?: string;
  noHeaders?: boolean;
  stdout: string;
  stderr: string;
  code: number;
}
// Captured from kubectl 1.32 (`kubectl get pod -o custom-columns=...`) against a fake API server.
const data = JSON.parse(readFileSync(new URL('./testdata/customcolumns-cases.json', import.meta.url), 'utf8')) as { list: { items: unknown[] }; cases: Case[] };

function run(c: Case): { stdout: string; stderr: string; code: number } {
  try {
    const out = c.file !== undefined ? customColumns(c.file, data.list.items, { file: true }) : customColumns(c.spec!, data.list.items, { noHeaders: c.noHeaders });
    return { stdout: out, stderr: '', code: 0 };
  } catch (e) {
    const partial = e instanceof CustomColumnsError ? e.partialOutput : '';
    return { stdout: partial, stderr: `error: ${(e as Error).message}\n`, code: 1 };
  }
}

describe('custom columns against captured kubectl output', () => {
  it.each(data.cases.map((c) => [`${c.spec ?? 'file'}${c.noHeaders ? ' --no-headers' : ''}`, c] as const))('%s', (_n, c) => {
    expect(run(c)).toEqual({ stdout: c.stdout, stderr: c.stderr, code: c.code });
  });
  it('prints the header even without objects', () => {
    expect(customColumns('NAME:.metadata.name', [])).toBe('NAME\n');
  });
});
