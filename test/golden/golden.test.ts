// kubesim's golden transcripts (test/golden/transcripts/*.md, outputs checked against real clusters)
// replayed with `kubesim replay --exact`: the replay's parser and runner, no tolerance. The clock
// starts frozen at T0 and moves only where a transcript moves it (--step 0s), so ages, names and
// times are the same every run. `npm run test:record` rewrites them with `kubesim replay --update`.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { maskVolatile } from '../../src/replay/exact.js';
import type { StepResult } from '../../src/replay/run.js';
import { Sandbox, T0 } from '../harness.js';

const dir = join(import.meta.dirname, 'transcripts');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.md'))
  .sort();

/** The arguments `npm run test:record` (package.json) gives `kubesim replay` too, with --update. */
const GOLDEN_ARGS = ['--exact', '--step', '0s', '--start', new Date(T0).toISOString()];

const sandbox = new Sandbox(dir);
afterAll(() => sandbox.dispose());

describe.each(files)('%s', (file) => {
  it('replays exactly', async () => {
    const r = await sandbox.run(['replay', '--json', ...GOLDEN_ARGS, file]);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as { files: { error?: string; steps: StepResult[] }[] };
    const { error, steps } = report.files[0];
    expect(error).toBeUndefined();
    expect(steps.length).toBeGreaterThan(0);
    for (const s of steps) {
      const where = `${file}:${s.line}: $ ${s.command}`;
      expect(s.status === 'skip' ? `skipped: ${s.reason}` : '', where).toBe('');
      expect(s.actual, where).toBe(maskVolatile(s.expected ?? ''));
      expect(s.status, where).toMatch(/^(pass|ran)$/);
    }
    expect(r.code).toBe(0);
  });
});
