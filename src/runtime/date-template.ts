// `date`'s renderings of a time as the container's date prints them, and log or file lines as
// templates: their text with the times rendered in them replaced by formats, rendered again at a
// later time (a steady loop's later iterations, steady-loop.ts and steady-window.ts).
import type { LogLine } from './state.js';

const DAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const p2 = (n: number) => String(n).padStart(2, '0');

/** `date`'s rendering of a time (UTC) for the directives the templates use, as the container's date prints them. */
export function renderDate(fmt: string, ms: number): string {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const h = d.getUTCHours();
  return fmt.replace(/%(.)/g, (_m, k: string) => {
    switch (k) {
      case 'a': return DAY[d.getUTCDay()];
      case 'A': return DAYS[d.getUTCDay()];
      case 'b': return MON[d.getUTCMonth()];
      case 'B': return MONTHS[d.getUTCMonth()];
      case 'd': return p2(d.getUTCDate());
      case 'e': return String(d.getUTCDate()).padStart(2, ' ');
      case '~': return String(d.getUTCDate()); // %e after the shell's word splitting (`echo $(date)`)
      case 'H': return p2(h);
      case 'M': return p2(d.getUTCMinutes());
      case 'S': return p2(d.getUTCSeconds());
      case 'Y': return String(d.getUTCFullYear());
      case 'm': return p2(d.getUTCMonth() + 1);
      case 's': return String(Math.floor(ms / 1000));
      case 'Z': return 'UTC';
      case 'z': return '+0000';
      case '%': return '%';
      default: return `%${k}`;
    }
  });
}

/** What `date` invocations commonly print, longest first (a shorter one may be part of a longer one). */
const FORMATS = ['%a %b %e %H:%M:%S %Z %Y', '%a %b %~ %H:%M:%S %Z %Y', '%a, %d %b %Y %H:%M:%S %z', '%Y-%m-%dT%H:%M:%S%z', '%Y-%m-%dT%H:%M:%SZ', '%Y-%m-%d %H:%M:%S', '%s', '%Y-%m-%d', '%H:%M:%S', '%H:%M'];

/** A line as text and the times rendered in it (at `t`). */
export function templateOf(line: LogLine, t: number): (string | number)[] {
  let parts: (string | number)[] = [line.l];
  FORMATS.forEach((f, i) => {
    const text = renderDate(f, t);
    parts = parts.flatMap((p) => {
      if (typeof p !== 'string' || !p.includes(text)) return [p];
      const out: (string | number)[] = [];
      p.split(text).forEach((seg, j) => {
        if (j > 0) out.push(i);
        if (seg) out.push(seg);
      });
      return out;
    });
  });
  return parts;
}

export function render(parts: (string | number)[], t: number): string {
  return parts.map((p) => (typeof p === 'string' ? p : renderDate(FORMATS[p], t))).join('');
}

/** A time printed in a form not known here would stay as text and be wrong later: its year gives it away. */
export function yearLeft(parts: (string | number)[], t: number): boolean {
  const year = renderDate('%Y', t);
  return parts.some((x) => typeof x === 'string' && x.includes(year));
}

