// Go's fmt for the values a go-template sees: kubectl decodes objects with encoding/json into
// interface{}, so every number from an object is a float64 (`1e+06`); integer literals in the
// template are Go ints (bigint here). `undefined` is an invalid reflect.Value, `null` a nil.
import { goFormatFloat, goQuote } from './gofmt.js';

export function goType(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** %v (and fmt.Sprint of one operand). */
export function goV(v: unknown, verb = 'v'): string {
  if (v === null || v === undefined) return verb === 'v' ? '<nil>' : `%!${verb}(<nil>)`;
  if (Array.isArray(v)) return `[${v.map((x) => fmtOne(verb, x, {})).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o)
      .sort(byKey)
      .map((k) => `${fmtOne(verb, k, {})}:${fmtOne(verb, o[k], {})}`)
      .join(' ')}]`;
  }
  if (typeof v === 'number') return goFormatFloat(v);
  return String(v);
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function goSprint(args: unknown[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += goV(a);
  });
  return out;
}

export const goSprintln = (args: unknown[]): string => `${args.map((a) => goV(a)).join(' ')}\n`;

interface Spec {
  minus?: boolean;
  plus?: boolean;
  zero?: boolean;
  space?: boolean;
  sharp?: boolean;
  width?: number;
  prec?: number;
}

function pad(s: string, f: Spec, numeric = false): string {
  if (f.width === undefined || s.length >= f.width) return s;
  if (f.minus) return s + ' '.repeat(f.width - s.length);
  if (f.zero && numeric) {
    const sign = /^[+\- ]/.test(s) ? s[0] : '';
    return sign + '0'.repeat(f.width - s.length) + s.slice(sign.length);
  }
  return ' '.repeat(f.width - s.length) + s;
}

const bad = (verb: string, v: unknown) => `%!${verb}(${goType(v)}=${goV(v)})`;

function signed(s: string, f: Spec): string {
  if (s.startsWith('-')) return s;
  return f.plus ? `+${s}` : f.space ? ` ${s}` : s;
}

function expo(n: number, prec: number): string {
  const [m, e] = n.toExponential(prec).split('e');
  const x = Number(e);
  return `${m}e${x < 0 ? '-' : '+'}${String(Math.abs(x)).padStart(2, '0')}`;
}

function fmtOne(verb: string, v: unknown, f: Spec): string {
  if (verb === 'v') {
    if (typeof v === 'string' && f.sharp) return pad(goQuote(v), f);
    return pad(typeof v === 'number' || typeof v === 'bigint' ? signed(goV(v), f) : goV(v), f, typeof v !== 'string');
  }
  if ((Array.isArray(v) || (v && typeof v === 'object')) && verb !== 'T') return pad(goV(v, verb), f);
  switch (verb) {
    case 's':
      if (typeof v === 'string') return pad(f.prec !== undefined ? [...v].slice(0, f.prec).join('') : v, f);
      return bad(verb, v);
    case 'q':
      if (typeof v === 'string') return pad(goQuote(v), f);
      if (typeof v === 'bigint') return pad(`'${String.fromCodePoint(Number(v))}'`, f);
      return bad(verb, v);
    case 'd':
      if (typeof v === 'bigint') return pad(signed(v.toString(), f), f, true);
      return bad(verb, v);
    case 'x':
    case 'X': {
      let s: string;
      if (typeof v === 'bigint') s = (v < 0n ? '-' : '') + (v < 0n ? -v : v).toString(16);
      else if (typeof v === 'string') s = Buffer.from(v, 'utf8').toString('hex');
      else return bad(verb, v);
      if (verb === 'X') s = s.toUpperCase();
      return pad(s, f, true);
    }
    case 'o':
    case 'b':
      if (typeof v === 'bigint') return pad(v.toString(verb === 'o' ? 8 : 2), f, true);
      return bad(verb, v);
    case 'c':
      if (typeof v === 'bigint') return pad(String.fromCodePoint(Number(v)), f);
      return bad(verb, v);
    case 't':
      if (typeof v === 'boolean') return pad(String(v), f);
      return bad(verb, v);
    case 'f':
    case 'F':
    case 'e':
    case 'E':
    case 'g':
    case 'G': {
      if (typeof v !== 'number') return bad(verb, v);
      let s: string;
      const lower = verb.toLowerCase();
      if (lower === 'f') s = v.toFixed(f.prec ?? 6);
      else if (lower === 'e') s = expo(v, f.prec ?? 6);
      else if (f.prec === undefined) s = goFormatFloat(v);
      else {
        const p = Math.max(f.prec, 1);
        const exp = Math.floor(Math.log10(Math.abs(v) || 1));
        s = exp < -4 || exp >= p ? expo(Number(v.toPrecision(p)), p - 1).replace(/\.?0+e/, 'e') : String(Number(v.toPrecision(p)));
      }
      if (verb === 'E' || verb === 'G') s = s.toUpperCase();
      return pad(signed(s, f), f, true);
    }
    case 'T':
      return pad(goType(v), f);
    default:
      return `%!${verb}(${goType(v)}=${goV(v)})`;
  }
}

/** fmt.Sprintf with the verbs and flags templates use. */
export function goSprintf(format: string, args: unknown[]): string {
  let out = '';
  let ai = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    const f: Spec = {};
    i++;
    for (; i < format.length; i++) {
      const fl = format[i];
      if (fl === '-') f.minus = true;
      else if (fl === '+') f.plus = true;
      else if (fl === '0') f.zero = !f.minus;
      else if (fl === ' ') f.space = true;
      else if (fl === '#') f.sharp = true;
      else break;
    }
    const num = () => {
      let n = '';
      while (/[0-9]/.test(format[i] ?? '')) n += format[i++];
      return n;
    };
    const w = num();
    if (w) f.width = Number(w);
    if (format[i] === '.') {
      i++;
      f.prec = Number(num() || '0');
    }
    const verb = format[i];
    if (verb === undefined) {
      out += '%!(NOVERB)';
      break;
    }
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (ai >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += fmtOne(verb, args[ai++], f);
  }
  if (ai < args.length) out += `%!(EXTRA ${args.slice(ai).map((a) => (a === null || a === undefined ? '<nil>' : `${goType(a)}=${goV(a)}`)).join(', ')})`;
  return out;
}
