// kubectl's client-side checks of a decoded manifest document: the schema validator's kind checks
// (`apiVersion isn't string type`, `invalid object to validate` for v1 List items) when validating,
// and the unstructured decoder's errors (`Object 'Kind' is missing`, Go unmarshal type errors).
import { CliError } from './errors.js';
import type { KObj } from './types.js';

const isMap = (v: unknown): v is KObj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go's JSON value kind, as encoding/json names it in an UnmarshalTypeError. */
export function goJsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  return 'object';
}

export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** getObjectKind of kubectl's schema validation: what is wrong with apiVersion and kind. */
function kindErrors(v: unknown): string[] {
  if (!isMap(v)) return ['invalid object to validate'];
  const out: string[] = [];
  for (const f of ['apiVersion', 'kind']) {
    const x = v[f];
    // kubesim has always treated an empty string as missing (the server would reject it anyway)
    if (x === undefined || x === null || x === '') out.push(`${f} not set`);
    else if (typeof x !== 'string') out.push(`${f} isn't string type`);
  }
  return out;
}

/** Errors of the validating check of one document (a v1 List checks each of its items). */
export function validationErrors(v: KObj): string[] {
  const own = kindErrors(v);
  if (own.length || v.apiVersion !== 'v1' || v.kind !== 'List') return own;
  if (!Array.isArray(v.items)) return ['invalid object to validate'];
  return v.items.flatMap(kindErrors);
}

export function validationError(source: string, errs: string[]): CliError {
  const what = errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
  return new CliError(`error validating "${source}": error validating data: ${what}; if you choose to ignore these errors, turn validation off with --validate=false`);
}

/** The unstructured decoder's error for a document (after validation), or undefined. */
export function decodeError(v: KObj, decodeMeta: (m: KObj) => string | undefined): string | undefined {
  if (typeof v.kind !== 'string' || !v.kind) return `Object 'Kind' is missing in '${JSON.stringify(sortKeys(v))}'`;
  if (v.apiVersion !== undefined && v.apiVersion !== null && typeof v.apiVersion !== 'string') {
    return `json: cannot unmarshal ${goJsonKind(v.apiVersion)} into Go struct field metadataOnlyObject.apiVersion of type string`;
  }
  if (v.metadata !== undefined && v.metadata !== null) {
    if (!isMap(v.metadata)) return `json: cannot unmarshal ${goJsonKind(v.metadata)} into Go struct field metadataOnlyObject.metadata of type v1.ObjectMeta`;
    const e = decodeMeta(v.metadata);
    if (e) return e;
  }
  if (!v.apiVersion) return `Object 'apiVersion' is missing in '${JSON.stringify(sortKeys(v))}'`;
  return undefined;
}

/** A List's items as the decoder sees them: an error for the whole document, or the items. */
export function listItems(v: KObj): { error?: string; items?: unknown[] } {
  if (!Array.isArray(v.items)) return { error: `json: cannot unmarshal ${goJsonKind(v.items)} into Go struct field decodeList.items of type []json.RawMessage` };
  const bad = v.items.find((i) => i !== null && !isMap(i));
  if (bad !== undefined) return { error: `json: cannot unmarshal ${goJsonKind(bad)} into Go value of type map[string]interface {}` };
  return { items: v.items };
}

/** The error of a List item the decoder left without a kind (a null item, or no kind in a `List`). */
export const ITEM_WITHOUT_KIND = `unable to get type info from the object "*unstructured.Unstructured": Object 'Kind' is missing in 'object has no kind field '`;
