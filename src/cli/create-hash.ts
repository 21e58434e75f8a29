// create configmap|secret --append-hash (kubectl's pkg/util/hash): the name gets a suffix of ten
// characters from the SHA-256 of the object's kind, name, data (and a secret's type, a config map's
// binary data) as Go's json.Marshal writes that map (kubectl starts from empty maps), with 0 1 3 a e spelled g h k m t.
import { createHash } from 'node:crypto';
import type { KObj } from '../api/types.js';
import { goJson } from '../printers/wire-json.js';

/** Go's json.Marshal of a map[string]interface{}: keys sorted (the values here are flat). */
function marshalMap(m: Record<string, unknown>): string {
  return goJson(Object.fromEntries(Object.keys(m).sort().map((k) => [k, m[k]])));
}

export function nameHash(obj: KObj): string {
  const m: Record<string, unknown> = obj.kind === 'Secret'
    ? { kind: 'Secret', type: obj.type ?? '', name: obj.metadata.name, data: obj.data ?? {} }
    : { kind: 'ConfigMap', name: obj.metadata.name, data: obj.data ?? {} };
  if (obj.immutable !== undefined) m.immutable = obj.immutable;
  if (obj.kind !== 'Secret' && obj.binaryData && Object.keys(obj.binaryData).length) m.binaryData = obj.binaryData;
  const hex = createHash('sha256').update(marshalMap(m)).digest('hex');
  const swap: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...hex.slice(0, 10)].map((ch) => swap[ch] ?? ch).join('');
}
