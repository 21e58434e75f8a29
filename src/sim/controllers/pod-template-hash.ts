// The pod-template-hash of a Deployment's ReplicaSets (controller.ComputeHash): fnv-1a (32 bit) over
// the pod template, then the collision count as 8 little-endian bytes, the sum's decimal digits
// mapped through rand.SafeEncodeString's alphabet. The real controller hashes go-spew's dump of the
// Go struct; kubesim hashes the template's canonical JSON (keys sorted), so a template always gives
// the same hash and a rollback finds its old ReplicaSet, but the hash differs from a cluster's.
import { canonicalJson } from '../../api/equal.js';
import type { KObj } from '../../api/types.js';
import { NAME_ALPHABET } from '../random.js';

export const HASH_LABEL = 'pod-template-hash';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export function fnv32a(bytes: Uint8Array, h = FNV_OFFSET): number {
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, FNV_PRIME) >>> 0;
  }
  return h >>> 0;
}

/** rand.SafeEncodeString: each byte picks a letter of the no-vowel alphabet. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const b of Buffer.from(s)) out += NAME_ALPHABET[b % NAME_ALPHABET.length];
  return out;
}

/** The template as hashed: without the hash label itself (the Deployment's template never has it). */
function hashInput(template: KObj | undefined): string {
  const t = structuredClone(template ?? {});
  if (t.metadata?.labels) delete t.metadata.labels[HASH_LABEL];
  return canonicalJson(t);
}

export function computeHash(template: KObj | undefined, collisionCount?: number): string {
  let h = fnv32a(Buffer.from(hashInput(template)));
  if (collisionCount !== undefined && collisionCount !== null) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(bytes, h);
  }
  return safeEncodeString(String(h));
}

/** Zero values and empty collections dropped, as apimachinery's semantic equality treats nil and empty alike. */
function normalize(x: unknown): unknown {
  if (Array.isArray(x)) return x.length ? x.map(normalize) : undefined;
  if (x && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(x).sort()) {
      const n = normalize((x as Record<string, unknown>)[k]);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return x === null ? undefined : x;
}

/** Comparable text of a template without its hash label (stored objects are replaced, never edited: cached by identity). */
const keys = new WeakMap<KObj, string>();

function templateKey(t: KObj | undefined): string {
  if (!t) return 'null';
  let k = keys.get(t);
  if (k === undefined) {
    const c = structuredClone(t);
    if (c.metadata?.labels) delete c.metadata.labels[HASH_LABEL];
    k = JSON.stringify(normalize(c) ?? null);
    keys.set(t, k);
  }
  return k;
}

/** EqualIgnoreHash: two pod templates are the same apart from the pod-template-hash label. */
export function equalIgnoreHash(a: KObj | undefined, b: KObj | undefined): boolean {
  return templateKey(a) === templateKey(b);
}
