// layoutUniform is TabWriter's answer for tables whose lines have the same number of cells: the two
// must agree on every such table (widths from cells and minwidth, multi-code-unit characters, empty
// cells, the last column unpadded).
import { describe, expect, it } from 'vitest';
import { layoutUniform, TabWriter } from './tabwriter.js';

function viaTabWriter(lines: string[][]): string {
  const w = new TabWriter({ minwidth: 6, padding: 3, rememberWidths: true });
  for (const l of lines) w.writeRow(l);
  return w.flush();
}

describe('layoutUniform', () => {
  it('lays out what TabWriter lays out', () => {
    const words = ['', 'a', 'nginx', 'CrashLoopBackOff', '10.244.0.17', '\u00e9t\u00e9', '\ud83d\ude00x', 'a-very-long-pod-name-here', '<none>', '3 (2m ago)'];
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let t = 0; t < 300; t++) {
      const cols = 2 + rnd(6);
      const lines = Array.from({ length: 1 + rnd(12) }, () => Array.from({ length: cols }, () => words[rnd(words.length)]));
      expect(layoutUniform(lines, 6, 3)).toBe(viaTabWriter(lines));
    }
  });

  it('leaves other tables to TabWriter', () => {
    expect(layoutUniform([['a', 'b'], ['c']], 6, 3)).toBeUndefined();
    expect(layoutUniform([['a\tb', 'c']], 6, 3)).toBeUndefined();
    expect(layoutUniform([['only']], 6, 3)).toBeUndefined();
  });
});
