// Jumping the simulation's random source ahead, for catch-ups that account for work instead of doing it.
import type { Cluster } from './engine.js';

/** The random source as `draws` more draws would leave it (mulberry32 moves by a constant each draw). */
export function skipDraws(c: Cluster, draws: number): void {
  const k = draws % 4294967296;
  // (rand + k * 0x6d2b79f5) mod 2^32, with k split so the product stays exact
  const hi = Math.floor(k / 65536);
  const lo = k % 65536;
  c.state.rand = (c.state.rand + Math.imul(hi, 0x6d2b79f5 * 65536 | 0) + Math.imul(lo, 0x6d2b79f5)) | 0;
}
