// Human-readable durations and timestamps (apimachinery util/duration, Go time formats).
import { zoneOffsetMinutes } from './localtime.js';

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;

/** Go's int(x): truncation toward zero. */
const trunc = (x: number): number => Math.trunc(x);

/** apimachinery HumanDuration: ~2-3 significant figures (`5m`, `2m30s`, `3h5m`, `4d3h`, `2y5d`). */
export function humanDuration(ms: number): string {
  const seconds = trunc(ms / SEC);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = trunc(ms / MIN);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${trunc(hours / 24)}d` : `${trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = trunc(hours / 24) % 365;
    const y = trunc(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${trunc(hours / 24 / 365)}y`;
}

/** apimachinery ShortHumanDuration: one unit only (`45s`, `5m`, `3h`, `12d`, `2y`). */
export function shortHumanDuration(ms: number): string {
  const seconds = trunc(ms / SEC);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = trunc(ms / MIN);
  if (minutes < 60) return `${minutes}m`;
  const hours = trunc(ms / HOUR);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${trunc(hours / 24)}d`;
  return `${trunc(ms / HOUR / 24 / 365)}y`;
}

/**
 * Parses an RFC3339 timestamp (`2026-11-22T21:07:43Z`, fractional seconds and offsets allowed).
 * Returns epoch ms, or undefined when missing or unparsable.
 */
export function parseTime(ts: unknown): number | undefined {
  if (typeof ts !== 'string' || ts === '') return undefined;
  // the API server's own form (2026-12-02T00:32:24Z, years 1000-9999): V8's ISO parser, 3x faster
  if (ts.length === 20 && ts.charCodeAt(19) === 90 && ts.charCodeAt(10) === 84 && ts.charCodeAt(0) > 48 && ts.charCodeAt(0) <= 57) {
    const t = Date.parse(ts);
    if (!Number.isNaN(t)) return t;
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/.exec(ts);
  if (!m) {
    const v = Date.parse(ts);
    return Number.isNaN(v) ? undefined : v;
  }
  const frac = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  let t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) + Math.floor(frac);
  if (m[9]) {
    const off = (+m[10] * 60 + +m[11]) * MIN;
    t += m[9] === '+' ? -off : off;
  }
  return t;
}

/** Whether a timestamp is set (Go: !t.IsZero()). */
export function isSetTime(ts: unknown): boolean {
  const t = parseTime(ts);
  return t !== undefined && t !== Date.UTC(1, 0, 1);
}

/** AGE cell: HumanDuration(now - t), `<unknown>` when unset (printers.go translateTimestampSince). */
export function ageOf(timestamp: string | undefined | null, now: number): string {
  const t = parseTime(timestamp);
  if (t === undefined) return '<unknown>';
  return humanDuration(now - t);
}

/** Like ageOf but with ShortHumanDuration. */
export function shortAgeOf(timestamp: string | undefined | null, now: number): string {
  const t = parseTime(timestamp);
  if (t === undefined) return '<unknown>';
  return shortHumanDuration(now - t);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

/**
 * Go time.RFC1123Z in the local zone (localtime.ts, from TZ): `Sun, 22 Nov 2026 21:07:43 +0000`.
 * Empty string for an unparsable value.
 */
export function rfc1123z(timestamp: string | number | undefined): string {
  const t = typeof timestamp === 'number' ? timestamp : parseTime(timestamp);
  if (t === undefined) return '';
  const off = zoneOffsetMinutes(t);
  const d = new Date(t + off * 60_000);
  const year = String(d.getUTCFullYear()).padStart(4, '0');
  const abs = Math.abs(Math.trunc(off));
  const zone = `${off < 0 ? '-' : '+'}${p2(Math.floor(abs / 60))}${p2(abs % 60)}`;
  return `${DAYS[d.getUTCDay()]}, ${p2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${year} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${zone}`;
}

/** Go's default time.Time String() in UTC: `2026-11-22 21:07:43 +0000 UTC` (used by some describers). */
export function goTimeString(timestamp: string | undefined): string {
  const t = parseTime(timestamp);
  if (t === undefined) return '0001-01-01 00:00:00 +0000 UTC';
  const d = new Date(t);
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000 UTC`;
}
