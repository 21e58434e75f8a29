// FNV-1a, 32 bits: the one hash kubesim's deterministic picks, names and revision hashes use. Over a
// string's UTF-16 code units (fnv1a: store shards, jitter, stable picks), or over bytes (fnv1aBytes:
// Go's hash/fnv over a text's UTF-8, as controller.ComputeHash feeds it).

export const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over the code units of `s`, starting from `h` (the offset basis unless a seed varies it). */
export function fnv1a(s: string, h = FNV_OFFSET): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/** FNV-1a over bytes, continuing from `h` (Go's hash/fnv New32a, Write). */
export function fnv1aBytes(bytes: Uint8Array, h = FNV_OFFSET): number {
  for (const b of bytes) h = Math.imul(h ^ b, FNV_PRIME);
  return h >>> 0;
}
