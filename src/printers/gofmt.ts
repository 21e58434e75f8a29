// Go fmt-style rendering of JSON-like values (numbers as Go prints int64/float64, %v, %q, %#v).

/** A float literal whose value happens to be integral (JSONPath `1.0`): prints and compares as float64. */
export class GoFloat {
  constructor(readonly v: number) {}
  toJSON(): number {
    return this.v;
  }
}

/** JSON numbers in unstructured objects are int64 when integral, else float64. */
export const isGoInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 2 ** 63;

/** strconv.FormatFloat(f, 'g', -1, 64) — also what fmt's %v prints for a float64. */
export function goFormatFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mant, expStr] = n.toExponential().split('e');
  const exp = Number(expStr);
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  // fixed notation with the shortest digits
  const digits = mant.replace('-', '').replace('.', '');
  const neg = n < 0 ? '-' : '';
  const dp = exp + 1; // digits before the decimal point
  if (dp <= 0) return `${neg}0.${'0'.repeat(-dp)}${digits}`;
  if (dp >= digits.length) return `${neg}${digits}${'0'.repeat(dp - digits.length)}`;
  return `${neg}${digits.slice(0, dp)}.${digits.slice(dp)}`;
}

/** A number as Go prints it from unstructured data (int64 decimal or float64 %v). */
export function goNumber(v: number | GoFloat): string {
  if (v instanceof GoFloat) return goFormatFloat(v.v);
  return isGoInt(v) ? BigInt(v).toString() : goFormatFloat(v);
}

const sortedKeys = (o: Record<string, unknown>) => Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** fmt.Sprint(v) / %v for values decoded from JSON: `map[a:1 b:[x y]]`, `<nil>`. */
export function goSprint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (v instanceof GoFloat || typeof v === 'number') return goNumber(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return `[${v.map(goSprint).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${sortedKeys(o)
      .map((k) => `${k}:${goSprint(o[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

/** strconv.Quote (as %q prints a string). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 11) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (/[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u.test(ch) || (/\p{Zs}/u.test(ch) && c !== 0x20)) {
      out += c > 0xffff ? `\\U${c.toString(16).padStart(8, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

/** %#v for values decoded from JSON into interface{} (map[string]interface {}{...}). */
export function goSharpV(v: unknown, top = true): string {
  if (v === null || v === undefined) return 'interface {}(nil)';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'boolean') return String(v);
  if (v instanceof GoFloat || typeof v === 'number') return goNumber(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map((x) => goSharpV(x, false)).join(', ')}}`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[string]interface {}{${sortedKeys(o)
      .map((k) => `${goQuote(k)}:${goSharpV(o[k], false)}`)
      .join(', ')}}`;
  }
  void top;
  return String(v);
}

/** The Go type name of a JSON-decoded value (for error messages). */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof GoFloat) return 'float64';
  if (typeof v === 'number') return isGoInt(v) ? 'int64' : 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}
