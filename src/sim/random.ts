// Deterministic randomness kept in the store, so every invocation replays the same names and ids.
import type { StoreState } from '../store/state.js';

/** mulberry32 step over state.rand; returns [0, 1). */
export function nextRandom(state: StoreState): number {
  state.rand = (state.rand + 0x6d2b79f5) | 0;
  let t = state.rand;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const HEX = '0123456789abcdef';
/** Kubernetes' rand.String alphabet (no vowels, no confusable digits). */
export const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function randomString(state: StoreState, n: number, alphabet = NAME_ALPHABET): string {
  // nextRandom's draws, on a local copy of the state's counter (a container ID takes 64)
  let rand = state.rand;
  let s = '';
  for (let i = 0; i < n; i++) {
    rand = (rand + 0x6d2b79f5) | 0;
    let t = rand;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    s += alphabet[Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * alphabet.length)];
  }
  state.rand = rand;
  return s;
}

export function randomUid(state: StoreState): string {
  const h = randomString(state, 32, HEX).split('');
  h[12] = '4';
  h[16] = HEX[(HEX.indexOf(h[16]) & 0x3) | 0x8];
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

export function randomHex(state: StoreState, n: number): string {
  return randomString(state, n, HEX);
}
