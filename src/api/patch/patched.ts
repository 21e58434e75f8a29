// The API server's decoding of a patch's result into the kind's Go type: a value of the wrong type
// fails the request as `The request is invalid: patch: Invalid value: …` (json and merge patches show
// the patched object, strategic ones the patch as Go prints a map); nulls decode to zero values.
import { StatusError } from '../errors.js';
import type { KObj } from '../types.js';
import { decodeFailure } from '../validation/schema.js';

export type PatchType = 'json' | 'merge' | 'strategic';

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as KObj)[k])]));
  return v;
}

/** Go's `%+v` of an unstructured value: `map[a:1 b:[x y]]`. */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') {
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goValue((v as KObj)[k])}`)
      .join(' ')}]`;
  }
  if (typeof v === 'number' && !Number.isInteger(v)) return String(v);
  return String(v);
}

/**
 * Go drops JSON nulls when decoding into a struct (the field keeps its zero value); nulls the stored
 * object already had (a zero metav1.Time encodes as null) stay.
 */
function dropNulls(v: unknown, was: unknown): unknown {
  if (Array.isArray(v)) return v.map((x, i) => dropNulls(x, Array.isArray(was) ? was[i] : undefined));
  if (v && typeof v === 'object') {
    const old = was && typeof was === 'object' ? (was as KObj) : {};
    const out: KObj = {};
    for (const [k, x] of Object.entries(v)) if (x !== null || old[k] === null) out[k] = dropNulls(x, old[k]);
    return out;
  }
  return v;
}

/** The patched object as the server decodes it; throws the server's Invalid error when it does not decode. */
export function decodePatched(obj: KObj, current: KObj, type: PatchType, patch: unknown): KObj {
  const fail = decodeFailure(obj);
  if (fail) {
    const value = type === 'strategic' ? goValue(patch) : JSON.stringify(sorted(obj));
    const message = `Invalid value: ${JSON.stringify(value)}: ${type === 'strategic' ? fail.converter : fail.json}`;
    throw new StatusError('Invalid', `The request is invalid: patch: ${message}`, { causes: [{ field: 'patch', message }] });
  }
  return dropNulls(obj, current) as KObj;
}
