// Go's fmt for the values a go-template sees: kubectl hands the template the unstructured object,
// so integral numbers are int64 and others float64; integer literals in the template are Go ints
// (bigint here), float literals GoFloat. `undefined` is an invalid reflect.Value, `null` a nil.
import { GoFloat, goFormatFloat, goNumber, goQuote } from './gofmt.js';

/** The value as a Go integer, if it is one (int literal or int64 from the object). */
export const asInt = (v: unknown): bigint | undefined =>
  typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : undefined;
/** The value as a Go float64, if it is one. */
export const asFloat = (v: unknown): number | undefined =>
  v instanceof GoFloat ? v.v : typeof v === 'number' && !Number.isInteger(v) ? v : undefined;

export function goType(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int';
  if (v instanceof GoFloat) return 'float64';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** %v (and fmt.Sprint of one operand). */
export function goV(v: unknown, verb = 'v'): string {
  if (v === null || v === undefined) return verb === 'v' ? '<nil>' : `%!${verb}(<nil>)`;
  if (v instanceof GoFloat) return goFormatFloat(v.v);
  if (Array.isArray(v)) return `[${v.map((x) => fmtOne(verb, x, {})).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o)
      .sort(byKey)
      .map((k) => `${fmtOne(verb, k, {})}:${fmtOne(verb, o[k], {})}`)
      .join(' ')}]`;
  }
  if (typeof v === 'number') return goNumber(v);
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

const bad = (verb: string, v: unknown) => (v === null || v === undefined ? `%!${verb}(<nil>)` : `%!${verb}(${goType(v)}=${goV(v)})`);

/** strconv's %.Nf: the exact binary value rounded half to even (JS toFixed rounds ties up). */
function toFixedGo(x: number, prec: number): string {
  const exact = x.toFixed(Math.min(100, prec + 30));
  const s = x.toFixed(prec);
  const rest = exact.slice(exact.length - (Math.min(100, prec + 30) - prec));
  if (!/^50*$/.test(rest)) return s;
  // a tie: keep the even digit
  const down = exact.slice(0, exact.length - rest.length).replace(/\.$/, '');
  const last = Number(down[down.length - 1]);
  return last % 2 === 0 ? down : s;
}

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
    const num = asInt(v) !== undefined || asFloat(v) !== undefined;
    return pad(num ? signed(goV(v), f) : goV(v), f, num);
  }
  if ((Array.isArray(v) || (v && typeof v === 'object' && !(v instanceof GoFloat))) && verb !== 'T') return pad(goV(v, verb), f);
  const i = asInt(v);
  const fl = asFloat(v);
  switch (verb) {
    case 's':
      if (typeof v === 'string') return pad(f.prec !== undefined ? [...v].slice(0, f.prec).join('') : v, f);
      return bad(verb, v);
    case 'q':
      if (typeof v === 'string') return pad(goQuote(v), f);
      if (i !== undefined) return pad(`'${String.fromCodePoint(Number(i))}'`, f);
      return bad(verb, v);
    case 'd':
      if (i !== undefined) return pad(signed(i.toString(), f), f, true);
      return bad(verb, v);
    case 'x':
    case 'X': {
      let s: string;
      if (i !== undefined) s = (i < 0n ? '-' : '') + (i < 0n ? -i : i).toString(16);
      else if (typeof v === 'string') s = Buffer.from(v, 'utf8').toString('hex');
      else return bad(verb, v);
      if (verb === 'X') s = s.toUpperCase();
      return pad(s, f, true);
    }
    case 'o':
    case 'b':
      if (i !== undefined) return pad(i.toString(verb === 'o' ? 8 : 2), f, true);
      return bad(verb, v);
    case 'c':
      if (i !== undefined) return pad(String.fromCodePoint(Number(i)), f);
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
      if (fl === undefined) return bad(verb, v);
      let s: string;
      const lower = verb.toLowerCase();
      if (lower === 'f') s = toFixedGo(fl, f.prec ?? 6);
      else if (lower === 'e') s = expo(fl, f.prec ?? 6);
      else if (f.prec === undefined) s = goFormatFloat(fl);
      else {
        const p = Math.max(f.prec, 1);
        const exp = Math.floor(Math.log10(Math.abs(fl) || 1));
        s = exp < -4 || exp >= p ? expo(Number(fl.toPrecision(p)), p - 1).replace(/\.?0+e/, 'e') : String(Number(fl.toPrecision(p)));
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
