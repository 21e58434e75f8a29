import { describe, expect, it } from 'vitest';
import { renderJson, renderReport, type FileReport } from './report.js';

const files: FileReport[] = [
  {
    file: 'page.md',
    steps: [
      { line: 3, command: 'kubectl run web --image=nginx', status: 'pass' },
      { line: 5, command: 'kubectl get pods', status: 'fail', diff: '--- expected\n+++ actual\n@@ -1 +1 @@\n-a\n+b\n' },
      { line: 9, command: 'minikube start', status: 'skip', reason: 'minikube manages a real cluster or cloud; kubesim is the cluster' },
      { line: 11, command: 'kubectl run x --generator=run-pod/v1', status: 'older', rules: ['kubectl 1.18 removed --generator (kubectl run creates a Pod)'] },
    ],
  },
  { file: 'gone.md', steps: [], error: 'cannot read gone.md: ENOENT' },
];

describe('report', () => {
  it('colours only when asked (a terminal without NO_COLOR)', () => {
    const plain = renderReport(files, false);
    expect(plain).not.toMatch(/\x1b\[/);
    expect(renderReport(files, true)).toMatch(/\x1b\[31mFAIL/);
    expect(plain).toContain('  FAIL  page.md:5  kubectl get pods\n      --- expected\n      +++ actual\n      @@ -1 +1 @@\n      -a\n      +b\n');
    expect(plain).toContain('  OLD   page.md:11  kubectl run x --generator=run-pod/v1\n      differs: older kubectl: kubectl 1.18 removed --generator (kubectl run creates a Pod)\n');
    expect(plain).toContain('  ERROR cannot read gone.md: ENOENT');
    expect(plain.trimEnd().split('\n').at(-1)).toBe('2 passed, 2 failed, 1 skipped');
  });

  it('gives totals per file and overall as JSON', () => {
    const json = JSON.parse(renderJson(files));
    expect([json.passed, json.failed, json.skipped]).toEqual([2, 2, 1]);
    expect(json.files.map((f: { file: string; passed: number; failed: number }) => [f.file, f.passed, f.failed])).toEqual([
      ['page.md', 2, 1],
      ['gone.md', 0, 1],
    ]);
  });
});
