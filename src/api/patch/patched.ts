// The API server's decoding of a patch's result into the kind's Go type: a value of the wrong type
// fails the request as `The request is invalid: patch: Invalid value: …` (json and merge patches show
// the patched object, strategic ones the patch as Go prints a map); nulls decode to zero values.
import { StatusError } from '../errors.js';
import type { KObj } from '../types.js';
import { decodeFailure, pruneUnknownFields } from '../validation/schema.js';

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
 * object already had (a zero metav1.Time encodes as null) stay. Iterative: patches may nest deeply.
 */
function dropNulls(v: unknown, was: unknown): unknown {
  const copy = (x: unknown): unknown => (Array.isArray(x) ? [...x] : x && typeof x === 'object' ? { ...x } : x);
  const root = copy(v);
  const stack: [unknown, unknown][] = root && typeof root === 'object' ? [[root, was]] : [];
  while (stack.length) {
    const [cur, old] = stack.pop()!;
    if (Array.isArray(cur)) {
      cur.forEach((x, i) => {
        cur[i] = copy(x);
        if (cur[i] && typeof cur[i] === 'object') stack.push([cur[i], Array.isArray(old) ? old[i] : undefined]);
      });
      continue;
    }
    const prev = old && typeof old === 'object' ? (old as KObj) : {};
    const obj = cur as KObj;
    for (const k of Object.keys(obj)) {
      if (obj[k] === null && prev[k] !== null) {
        delete obj[k];
        continue;
      }
      obj[k] = copy(obj[k]);
      if (obj[k] && typeof obj[k] === 'object') stack.push([obj[k], prev[k]]);
    }
  }
  return root;
}

/** The patched object as the server decodes it; throws the server's Invalid error when it does not decode. */
export function decodePatched(obj: KObj, current: KObj, type: PatchType, patch: unknown, warnings: string[] = []): KObj {
  const fail = decodeFailure(obj);
  if (fail) {
    const value = type === 'strategic' ? goValue(patch) : JSON.stringify(sorted(obj));
    const message = `Invalid value: ${JSON.stringify(value)}: ${type === 'strategic' ? fail.converter : fail.json}`;
    throw new StatusError('Invalid', `The request is invalid: patch: ${message}`, { causes: [{ field: 'patch', message }] });
  }
  // the server decodes with fieldValidation=Warn (kubectl patch sends none): unknown fields are dropped
  // with a warning each
  const decoded = dropNulls(obj, current) as KObj;
  for (const f of pruneUnknownFields(decoded)) warnings.push(`unknown field "${f}"`);
  return decoded;
}
