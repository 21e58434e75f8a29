import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileJsonPath, executeJsonPath, jsonPath, jsonPathValues, relaxedJsonPath } from './jsonpath.js';

interface Case {
  template: string;
  target: 'single' | 'list';
  strict?: boolean;
  asJson?: boolean;
  stdout: string;
  stderr: string;
  code: number;
}
// Captured from kubectl 1.32 (`kubectl get pod [p1] -o jsonpath=...`) against a fake API server.
const data = JSON.parse(readFileSync(new URL('./testdata/jsonpath-cases.json', import.meta.url), 'utf8')) as { single: unknown; list: unknown; cases: Case[] };

/** What kubectl prints: stdout, or `error: <message>` on stderr. */
function run(c: Case): { stdout: string; stderr: string; code: number } {
  try {
    return { stdout: jsonPath(c.template, c.target === 'single' ? data.single : data.list, { allowMissingKeys: !c.strict, asJson: c.asJson }), stderr: '', code: 0 };
  } catch (e) {
    const m = (e as Error).message;
    return { stdout: '', stderr: `error: ${m}${m.endsWith('\n') ? '' : '\n'}`, code: 1 };
  }
}

describe('jsonpath against captured kubectl output', () => {
  it.each(data.cases.map((c) => [`${c.template} (${c.target}${c.strict ? ', strict' : ''}${c.asJson ? ', as-json' : ''})`, c] as const))('%s', (_name, c) => {
    expect(run(c)).toEqual({ stdout: c.stdout, stderr: c.stderr, code: c.code });
  });
});

describe('jsonpath semantics', () => {
  const obj = {
    kind: 'List',
    items: [
      { metadata: { name: 'a', labels: { 'app.kubernetes.io/name': 'x' } }, n: 1 },
      { metadata: { name: 'b' }, n: 5 },
    ],
  };
  it('joins results with single spaces and prints maps as JSON', () => {
    expect(executeJsonPath(compileJsonPath('{.items[*].metadata.name}'), obj)).toBe('a b');
    expect(executeJsonPath(compileJsonPath('{.items[0].metadata.labels}'), obj)).toBe('{"app.kubernetes.io/name":"x"}');
  });
  it('supports range/end, escapes and filters', () => {
    expect(executeJsonPath(compileJsonPath('{range .items[*]}{.metadata.name}{"\\t"}{.n}{"\\n"}{end}'), obj)).toBe('a\t1\nb\t5\n');
    expect(executeJsonPath(compileJsonPath('{.items[?(@.n>2)].metadata.name}'), obj)).toBe('b');
    expect(executeJsonPath(compileJsonPath("{.items[0].metadata.labels.app\\.kubernetes\\.io/name}"), obj)).toBe('x');
    expect(executeJsonPath(compileJsonPath('{.items[-1:].metadata.name}'), obj)).toBe('b');
  });
  it('reports parse errors like kubectl', () => {
    expect(() => compileJsonPath('{.a')).toThrow('error parsing jsonpath {.a, unclosed action');
    expect(() => compileJsonPath('{.a[}')).toThrow('error parsing jsonpath {.a[}, unterminated array');
    expect(() => compileJsonPath('{#}')).toThrow("error parsing jsonpath {#}, unrecognized character in action: U+0023 '#'");
  });
  it('treats text without braces as literal text', () => {
    expect(executeJsonPath(compileJsonPath('.items[*].x'), obj)).toBe('.items[*].x');
  });
  it('relaxes custom-columns / sort-by expressions', () => {
    expect(relaxedJsonPath('.metadata.name')).toBe('{.metadata.name}');
    expect(relaxedJsonPath('metadata.name')).toBe('{.metadata.name}');
    expect(relaxedJsonPath('{.metadata.name}')).toBe('{.metadata.name}');
    expect(relaxedJsonPath('{metadata.name}')).toBe('{.metadata.name}');
    expect(() => relaxedJsonPath('{{.a}}')).toThrow("unexpected path string, expected a 'name1.name2'");
    expect(jsonPathValues(obj.items[1], '.metadata.name')).toEqual(['b']);
    expect(jsonPathValues(obj.items[1], '.metadata.nope')).toEqual([]);
  });
});

describe('templates that nest deeply', () => {
  const data = { kind: 'List', items: [{ metadata: { name: 'p' } }], data: { a: 'b' } };

  it('evaluates unbalanced nested ranges in polynomial time, as client-go prints them', () => {
    const started = Date.now();
    expect(jsonPath('{range .data}'.repeat(40) + '{.a}', data)).toBe('b'.repeat(40));
    expect(jsonPath('{range .items[*]}'.repeat(40), data)).toBe('');
    expect(jsonPath(`${'{range .items[*]}'.repeat(40)}{.metadata.name}${'{end}'.repeat(40)}`, data)).toBe('');
    expect(jsonPath('{range .items[*]}{range .metadata}{.name}{end}{end}', data)).toBe('p');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('parses and runs thousands of actions without running out of stack', () => {
    expect(jsonPath('{.data.a}'.repeat(5000), data)).toBe('b'.repeat(5000));
    expect(jsonPath(`${'{range .items[*]}'.repeat(300)}x`, data)).toMatch(/^x+$/);
  });
});
