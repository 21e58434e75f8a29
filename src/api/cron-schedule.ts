// Cron schedules as the CronJob API and controller read them (robfig/cron v3's ParseStandard: five
// fields, names for months and weekdays, ranges, steps, lists, the @yearly…@hourly descriptors and
// @every): the parser's error texts, and Next() evaluated in a time zone.

export interface Schedule {
  /** the first activation strictly after `ms` (epoch ms), or undefined when there is none within 5 years */
  next(ms: number): number | undefined;
}

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = { min: 1, max: 12, names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 } };
const DOW: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

/** bit set of allowed values plus whether the field was `*` / `?` (robfig's starBit) */
interface Field {
  bits: Set<number>;
  star: boolean;
}

export class CronError extends Error {}

function atoi(expr: string): number {
  if (!/^[+-]?\d+$/.test(expr)) throw new CronError(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`);
  const n = Number(expr);
  if (n < 0) throw new CronError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function intOrName(expr: string, r: Bounds): number {
  const named = r.names?.[expr.toLowerCase()];
  return named ?? atoi(expr);
}

function range(expr: string, r: Bounds, f: Field): void {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  const single = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = r.min;
    end = r.max;
    star = true;
  } else {
    start = intOrName(lowAndHigh[0], r);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = intOrName(lowAndHigh[1], r);
    else throw new CronError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = atoi(rangeAndStep[1]);
    if (single) end = r.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) throw new CronError(`too many slashes: ${expr}`);
  if (start < r.min) throw new CronError(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) throw new CronError(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new CronError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronError(`step of range should be a positive number: ${expr}`);
  for (let v = start; v <= end; v += step) f.bits.add(v);
  if (star) f.star = true;
}

function field(expr: string, r: Bounds): Field {
  const f: Field = { bits: new Set(), star: false };
  for (const part of expr.split(',')) range(part, r, f);
  return f;
}

function all(r: Bounds): Field {
  const f: Field = { bits: new Set(), star: true };
  for (let v = r.min; v <= r.max; v++) f.bits.add(v);
  return f;
}

const one = (v: number): Field => ({ bits: new Set([v]), star: false });

/** Go's time.ParseDuration for @every (h, m, s, ms, us, ns; decimals). */
function goDurationMs(s: string): number | undefined {
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|ms|s|m|h)/y;
  let total = 0;
  let i = 0;
  const body = s.replace(/^[+]/, '');
  if (!body) return undefined;
  while (i < body.length) {
    re.lastIndex = i;
    const m = re.exec(body);
    if (!m) return undefined;
    const mult = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2]]!;
    total += Number(m[1]) * mult;
    i = re.lastIndex;
  }
  return total;
}

/** Offset (ms) of a zone at an instant: wall time as if UTC minus the instant. */
function offsetAt(zone: string, ms: number): number {
  if (zone === 'UTC' || zone === '') return 0;
  const f = zoneFormat(zone);
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second);
  return wall - Math.floor(ms / 1000) * 1000;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function zoneFormat(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(zone, f);
  }
  return f;
}

/** Whether Go's time.LoadLocation knows the zone (the IANA database). */
export function knownZone(zone: string): boolean {
  if (zone === '' || zone === 'UTC' || zone === 'Local') return true;
  try {
    zoneFormat(zone);
    return true;
  } catch {
    return false;
  }
}

/** The instant whose wall time in `zone` is `wall` (wall fields encoded as a UTC ms). */
function fromWall(zone: string, wall: number): number {
  let t = wall - offsetAt(zone, wall);
  t = wall - offsetAt(zone, t);
  return t;
}

class SpecSchedule implements Schedule {
  constructor(
    private readonly minute: Field,
    private readonly hour: Field,
    private readonly dom: Field,
    private readonly month: Field,
    private readonly dow: Field,
    private readonly zone: string,
  ) {}

  private dayMatches(d: Date): boolean {
    const domMatch = this.dom.bits.has(d.getUTCDate());
    const dowMatch = this.dow.bits.has(d.getUTCDay());
    if (this.dom.star || this.dow.star) return domMatch && dowMatch;
    return domMatch || dowMatch;
  }

  next(ms: number): number | undefined {
    // work on the zone's wall clock, encoded as UTC fields
    const wall0 = Math.floor(ms / 1000) * 1000 + 1000 + offsetAt(this.zone, ms);
    let d = new Date(wall0);
    let added = false;
    const yearLimit = d.getUTCFullYear() + 5;
    const set = (y: number, mo: number, day: number, h: number, mi: number) => new Date(Date.UTC(y, mo, day, h, mi, 0));
    wrap: for (;;) {
      if (d.getUTCFullYear() > yearLimit) return undefined;
      while (!this.month.bits.has(d.getUTCMonth() + 1)) {
        if (!added) {
          added = true;
          d = set(d.getUTCFullYear(), d.getUTCMonth(), 1, 0, 0);
        }
        d = set(d.getUTCFullYear(), d.getUTCMonth() + 1, 1, 0, 0);
        if (d.getUTCMonth() === 0) continue wrap;
      }
      while (!this.dayMatches(d)) {
        if (!added) {
          added = true;
          d = set(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 0, 0);
        }
        d = set(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1, 0, 0);
        if (d.getUTCDate() === 1) continue wrap;
      }
      while (!this.hour.bits.has(d.getUTCHours())) {
        if (!added) {
          added = true;
          d = set(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), 0);
        }
        d = new Date(d.getTime() + 3_600_000);
        if (d.getUTCHours() === 0) continue wrap;
      }
      while (!this.minute.bits.has(d.getUTCMinutes())) {
        if (!added) {
          added = true;
          d = new Date(Math.floor(d.getTime() / 60_000) * 60_000);
        }
        d = new Date(d.getTime() + 60_000);
        if (d.getUTCMinutes() === 0) continue wrap;
      }
      // seconds: only 0
      if (d.getUTCSeconds() !== 0) {
        d = new Date(Math.floor(d.getTime() / 60_000) * 60_000 + 60_000);
        added = true;
        continue wrap;
      }
      break;
    }
    return fromWall(this.zone, d.getTime());
  }
}

class EverySchedule implements Schedule {
  constructor(private readonly delayMs: number) {}
  next(ms: number): number {
    return ms - (ms % 1000) + this.delayMs;
  }
}

/** robfig/cron's ParseStandard; throws CronError with the library's message. `zone` is where it is evaluated. */
export function parseSchedule(spec: string, zone = 'UTC'): Schedule {
  if (spec.length === 0) throw new CronError('empty spec string');
  let loc = zone;
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const i = spec.indexOf(' ');
    const eq = spec.indexOf('=');
    const name = spec.slice(eq + 1, i < 0 ? undefined : i);
    if (!knownZone(name)) throw new CronError(`provided bad location ${name}: unknown time zone ${name}`);
    loc = name === 'Local' ? 'UTC' : name;
    spec = spec.slice(i < 0 ? spec.length : i).trim();
  }
  if (spec.startsWith('@')) {
    const mk = (mi: Field, h: Field, dom: Field, mo: Field, dow: Field) => new SpecSchedule(mi, h, dom, mo, dow, loc);
    switch (spec) {
      case '@yearly':
      case '@annually':
        return mk(one(0), one(0), one(1), one(1), all(DOW));
      case '@monthly':
        return mk(one(0), one(0), one(1), all(MONTHS), all(DOW));
      case '@weekly':
        return mk(one(0), one(0), all(DOM), all(MONTHS), one(0));
      case '@daily':
      case '@midnight':
        return mk(one(0), one(0), all(DOM), all(MONTHS), all(DOW));
      case '@hourly':
        return mk(one(0), all(HOURS), all(DOM), all(MONTHS), all(DOW));
    }
    const every = '@every ';
    if (spec.startsWith(every)) {
      const text = spec.slice(every.length);
      const d = goDurationMs(text);
      if (d === undefined) throw new CronError(`failed to parse duration ${spec}: time: invalid duration ${JSON.stringify(text)}`);
      return new EverySchedule(Math.max(1000, Math.floor(d / 1000) * 1000));
    }
    throw new CronError(`unrecognized descriptor: ${spec}`);
  }
  const fields = spec.split(/[ \t\n\v\f\r]+/).filter(Boolean);
  if (fields.length !== 5) throw new CronError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const minute = field(fields[0], MINUTES);
  const hour = field(fields[1], HOURS);
  const dom = field(fields[2], DOM);
  const month = field(fields[3], MONTHS);
  const dow = field(fields[4], DOW);
  return new SpecSchedule(minute, hour, dom, month, dow, loc);
}

/** The parser's error for a schedule, or undefined when it parses. */
export function scheduleError(spec: string): string | undefined {
  try {
    parseSchedule(spec);
    return undefined;
  } catch (e) {
    if (e instanceof CronError) return e.message;
    throw e;
  }
}
