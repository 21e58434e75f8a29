// The API server's decoding of a patch's result into the kind's Go type: a value of the wrong type
// fails the request as `The request is invalid: patch: Invalid value: …` (json and merge patches show
// the patched object, strategic ones the patch as Go prints a map); nulls decode to zero values.
import { StatusError } from '../errors.js';
import type { KObj } from '../types.js';
import { decodeFailure, pruneUnknownFields } from '../validation/schema.js';

export type PatchType = 'json' | 'merge' | 'strategic';

type Piece = { text: string } | { value: unknown };

/**
 * Prints a JSON value without recursion (patched objects may nest thousands deep): `open`, `close`,
 * `sep`, `key` and `scalar` shape the text (compact JSON with sorted keys, or Go's `%+v` of a map).
 */
function print(v: unknown, f: { open: (a: boolean) => string; close: (a: boolean) => string; sep: string; key: (k: string) => string; scalar: (x: unknown) => string }): string {
  let out = '';
  const stack: Piece[] = [{ value: v }];
  while (stack.length) {
    const p = stack.pop()!;
    if ('text' in p) {
      out += p.text;
      continue;
    }
    const x = p.value;
    if (x === null || typeof x !== 'object') {
      out += f.scalar(x);
      continue;
    }
    const isArr = Array.isArray(x);
    const entries: [string | undefined, unknown][] = isArr
      ? (x as unknown[]).map((e) => [undefined, e])
      : Object.keys(x)
          .sort()
          .filter((k) => (x as KObj)[k] !== undefined)
          .map((k) => [k, (x as KObj)[k]]);
    const pieces: Piece[] = [{ text: f.open(isArr) }];
    entries.forEach(([k, e], i) => {
      if (i) pieces.push({ text: f.sep });
      if (k !== undefined) pieces.push({ text: f.key(k) });
      pieces.push({ value: e });
    });
    pieces.push({ text: f.close(isArr) });
    for (let i = pieces.length - 1; i >= 0; i--) stack.push(pieces[i]);
  }
  return out;
}

/** Compact JSON with sorted keys, as Go marshals a patched map. */
function sortedJson(v: unknown): string {
  return print(v, { open: (a) => (a ? '[' : '{'), close: (a) => (a ? ']' : '}'), sep: ',', key: (k) => `${JSON.stringify(k)}:`, scalar: (x) => JSON.stringify(x ?? null) });
}

/** Go's `%+v` of an unstructured value: `map[a:1 b:[x y]]`. */
export function goValue(v: unknown): string {
  return print(v, { open: (a) => (a ? '[' : 'map['), close: () => ']', sep: ' ', key: (k) => `${k}:`, scalar: (x) => (x === null || x === undefined ? '<nil>' : String(x)) });
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
    const value = type === 'strategic' ? goValue(patch) : sortedJson(obj);
    const message = `Invalid value: ${JSON.stringify(value)}: ${type === 'strategic' ? fail.converter : fail.json}`;
    throw new StatusError('Invalid', `The request is invalid: patch: ${message}`, { causes: [{ field: 'patch', message }] });
  }
  // the server decodes with fieldValidation=Warn (kubectl patch sends none): unknown fields are dropped
  // with a warning each
  const decoded = dropNulls(obj, current) as KObj;
  for (const f of pruneUnknownFields(decoded)) warnings.push(`unknown field "${f}"`);
  return decoded;
}
