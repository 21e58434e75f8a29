import { expect, it } from 'vitest';
import type { Cluster } from './engine.js';
import { nextRandom } from './random.js';
import { skipDraws } from './random-skip.js';

it('jumps the random source as far as that many draws take it', () => {
  for (const [seed, n] of [[1, 0], [42, 64], [-7, 18_432], [123456789, 5_000_000], [0x7fffffff, 4_294_967_296 + 70_000]]) {
    const stepped = { rand: seed } as Cluster['state'];
    if (n < 10_000_000) for (let i = 0; i < n; i++) nextRandom(stepped);
    else stepped.rand = seed; // too many to step: compare with the arithmetic below
    const jumped = { state: { rand: seed } } as unknown as Cluster;
    skipDraws(jumped, n);
    const expected = n < 10_000_000 ? stepped.rand : Number((BigInt(seed >>> 0) + BigInt(n) * 0x6d2b79f5n) % 4294967296n) | 0;
    expect(jumped.state.rand).toBe(expected);
  }
});
