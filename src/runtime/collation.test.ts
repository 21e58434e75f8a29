import { describe, expect, it } from 'vitest';
import { fastLocaleCompare } from './collation.js';

describe('fastLocaleCompare', () => {
  it('orders as the collator does, for plain strings and for the rest', () => {
    const collator = new Intl.Collator();
    fastLocaleCompare();
    const chars = 'abcdefghijklmnopqrstuvwxyz0123456789-./';
    const other = 'ABZ_:~ é';
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const word = (set: string) => Array.from({ length: rnd(7) }, () => set[rnd(set.length)]).join('');
    for (let i = 0; i < 20000; i++) {
      const set = i % 4 === 0 ? chars + other : chars;
      const a = word(set);
      const b = word(set);
      expect(Math.sign(a.localeCompare(b)), `${a} vs ${b}`).toBe(Math.sign(collator.compare(a, b)));
    }
    for (const [a, b] of [['hashall', 'interactive-comments'], ['/etc/hosts', '/etc/hostname'], ['a', 'B'], ['Zeta', 'alpha'], ['x_y', 'x-y']]) {
      expect(Math.sign(a.localeCompare(b))).toBe(Math.sign(collator.compare(a, b)));
    }
    expect('a'.localeCompare('b', 'en', { sensitivity: 'base' })).toBe(-1);
  });
});
