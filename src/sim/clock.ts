// The simulation clock: follows wall time (plus an offset) or stays frozen; `advance` moves it.
import type { ClockState } from '../store/state.js';

export function simNow(clock: ClockState, wallNow: number): number {
  return clock.mode === 'frozen' ? clock.frozenAt : wallNow + clock.offsetMs;
}

export function freeze(clock: ClockState, wallNow: number): void {
  clock.frozenAt = simNow(clock, wallNow);
  clock.mode = 'frozen';
}

export function resume(clock: ClockState, wallNow: number): void {
  if (clock.mode === 'frozen') clock.offsetMs = clock.frozenAt - wallNow;
  clock.mode = 'wall';
}

export function advance(clock: ClockState, ms: number): void {
  if (clock.mode === 'frozen') clock.frozenAt += ms;
  else clock.offsetMs += ms;
}

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a Go duration (`30s`, `5m`, `1h30m`, `1.5h`, `500ms`) to milliseconds; undefined when invalid. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) return undefined;
    total += Number.parseFloat(m[1]) * UNITS[m[2]];
    pos = re.lastIndex;
  }
  // Go's durations are int64 nanoseconds: longer ones do not parse
  if (pos === 0 || total > MAX_DURATION_MS) return undefined;
  return Math.round(total);
}

const MAX_DURATION_MS = 9_223_372_036_854.775;

/** Texts of recent isoTime seconds (a catch-up formats the same few seconds thousands of times). */
const ISO_SECONDS = new Map<number, string>();

/** RFC 3339 with second precision, as Kubernetes stores metav1.Time. */
export function isoTime(ms: number): string {
  const sec = Math.floor(ms / 1000);
  let text = ISO_SECONDS.get(sec);
  if (text === undefined) {
    text = new Date(sec * 1000).toISOString().replace('.000Z', 'Z');
    if (ISO_SECONDS.size >= 4096) ISO_SECONDS.clear();
    ISO_SECONDS.set(sec, text);
  }
  return text;
}

/** RFC 3339 with microseconds, as metav1.MicroTime (event times). */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
