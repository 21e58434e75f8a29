// The pod-template-hash of a Deployment's ReplicaSets (controller.ComputeHash): fnv-1a (32 bit) over
// the pod template, then the collision count as 8 little-endian bytes, the sum's decimal digits
// mapped through rand.SafeEncodeString's alphabet. The real controller hashes go-spew's dump of the
// Go struct; kubesim hashes the template's canonical JSON (keys sorted), so a template always gives
// the same hash and a rollback finds its old ReplicaSet, but the hash differs from a cluster's.
import { canonicalJson } from '../../api/equal.js';
import { HASH_LABEL } from '../../api/pod-template.js';
import type { KObj } from '../../api/types.js';
import { NAME_ALPHABET } from '../random.js';
import { fnv1aBytes } from '../../api/fnv.js';

const fnv32a = fnv1aBytes;

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
