// JSON output as kubectl prints it: Go encoding/json with 4-space indent, HTML-safe escaping
// (<, >, & as \u003c \u003e \u0026; U+2028/U+2029 escaped), map keys sorted (byte order) for
// objects read from the server (unstructured), trailing newline.

/** Go's map key order: byte-wise UTF-8 = code point order. */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

/** A deep copy with object keys sorted at every level (undefined values dropped). Note that JS
 * objects keep integer-like keys first; the serializers below sort at output time instead. */
export function sortKeysDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : sortKeysDeep(x)));
  if (v !== null && typeof v === 'object') {
    const src = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(src).sort(compareKeys)) if (src[k] !== undefined) out[k] = sortKeysDeep(src[k]);
    return out;
  }
  return v;
}

/** Go json.Marshal's escaping of what JSON.stringify leaves literal. */
export function goJsonEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const str = (s: string) => goJsonEscape(JSON.stringify(s));

/** Go-style JSON encoding with sorted keys (or insertion order), `indent` per level ('' = compact). */
function encode(v: unknown, sort: boolean, indent: string, prefix: string): string {
  if (v === null || v === undefined || typeof v === 'function') return 'null';
  if (typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') return encode((v as { toJSON: () => unknown }).toJSON(), sort, indent, prefix);
  if (typeof v === 'string') return str(v);
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  const inner = prefix + indent;
  const nl = indent ? `\n${inner}` : '';
  const end = indent ? `\n${prefix}` : '';
  if (Array.isArray(v)) {
    if (!v.length) return '[]';
    return `[${nl}${v.map((x) => encode(x, sort, indent, inner)).join(`,${nl}`)}${end}]`;
  }
  const o = v as Record<string, unknown>;
  let keys = Object.keys(o).filter((k) => o[k] !== undefined && typeof o[k] !== 'function');
  if (sort) keys = keys.sort(compareKeys);
  if (!keys.length) return '{}';
  const sep = indent ? ': ' : ':';
  return `{${nl}${keys.map((k) => `${str(k)}${sep}${encode(o[k], sort, indent, inner)}`).join(`,${nl}`)}${end}}`;
}

/** Compact JSON as Go prints it (jsonpath map/list values, annotations). */
export function toCompactJson(v: unknown, opts: { sort?: boolean } = {}): string {
  return encode(v, opts.sort !== false, '', '');
}

/**
 * `-o json`: 4-space indent + newline. Keys are sorted unless `sort: false` (typed objects built
 * client side keep their field order).
 */
export function toJson(obj: unknown, opts: { sort?: boolean } = {}): string {
  return `${encode(obj, opts.sort !== false, '    ', '')}\n`;
}

/** The List kubectl prints for anything but a single object. */
export function listWrap(items: unknown[]): { apiVersion: string; items: unknown[]; kind: string; metadata: { resourceVersion: string } } {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}
