// A program that ends in an endless loop (`while true; do echo tick $(date); sleep 1; done`), looked at
// after a long idle: instead of running every iteration of the skipped time through the shell, two
// iterations are run for real; when they leave the program where they found it (same position,
// variables, files) and the second one's output is the first one's with the times moved on (the
// `date` renderings in it re-rendered at the later time), the iterations in between are written to
// the log from that template, as running them would have written them. Only the newest
// MAX_LOG_LINES lines are kept (the store's stand-in for the kubelet's log rotation), so only those
// are rendered. A loop that does not repeat this way is not fast-forwarded (the caller falls back).
import { step, type StepHost } from './program.js';
import { MAX_CATCHUP_MS, MAX_LOG_LINES, type ContainerRt, type FileMap, type LogLine, type Proc } from './state.js';

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

interface Piece {
  /** text, or the index of a format rendered at the line's time */
  parts: (string | number)[];
  dt: number;
  s: 'o' | 'e';
}

/** A line as text and the times rendered in it (at `t`). */
function templateOf(line: LogLine, t: number): (string | number)[] {
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

function render(parts: (string | number)[], t: number): string {
  return parts.map((p) => (typeof p === 'string' ? p : renderDate(FORMATS[p], t))).join('');
}

interface Turn {
  start: number;
  end: number;
  lines: LogLine[];
  state: string;
}

/**
 * Fast-forwards a steady program to `until` when its loop repeats; false (nothing skipped, the
 * iterations run so far kept) when it does not.
 */
/** Whether looked-at loops are fast-forwarded (tests turn it off to step through the same time). */
export const fastForwardLoops = { on: true };

export async function fastForward(proc: Proc, ct: ContainerRt, until: number, host: StepHost, extra: () => Promise<unknown>): Promise<boolean> {
  if (!fastForwardLoops.on) return false;
  const ops = proc.ops ?? [];
  let back = -1;
  ops.forEach((o, i) => {
    if (o.op === 'jump' && o.loop === 'back') back = i;
  });
  if (back < 0 || proc.wakeAt === undefined) return false;
  const head = (ops[back] as { to: number }).to;
  // extra() writes the shell's files back (the writable layer, volumes) and says what else the loop may change
  const snapshot = async () => { const more = await extra(); return JSON.stringify([proc.pc ?? 0, proc.env, proc.arrays, proc.loops, proc.status, proc.loopStatus, proc.cwd, proc.waitFor, ct.upper as FileMap, ct.term, ct.procs.length, more]); };
  const live = () => proc.wakeAt !== undefined && proc.wakeAt <= until && !ct.exited && !proc.daemon && proc.waitFor === undefined;
  // to the top of the loop
  for (let n = 0; (proc.pc ?? 0) !== head; n++) {
    if (n > ops.length * 4 || !live()) return false;
    await step(proc, until, host, 1);
  }
  const turns: Turn[] = [];
  let before = await snapshot();
  for (let k = 0; k < 4; k++) {
    if (ct.log[ct.log.length - 1]?.p) return false;
    const start = proc.wakeAt!;
    // the iteration's lines, apart from the log before them
    const kept = ct.log;
    let lines: LogLine[] = [];
    ct.log = lines;
    try {
      for (let n = 0; n === 0 || (proc.pc ?? 0) !== head; n++) {
        if (n > 2000 || !live()) return false;
        await step(proc, until, host, 1);
      }
    } finally {
      lines = ct.log;
      ct.log = kept.concat(lines);
      if (ct.log.length > MAX_LOG_LINES) ct.log.splice(0, ct.log.length - MAX_LOG_LINES);
    }
    const state = await snapshot();
    const turn: Turn = { start, end: proc.wakeAt!, lines, state };
    if (state !== before || turn.end <= start || turn.lines.some((l) => l.p)) {
      before = state;
      turns.length = 0;
      continue;
    }
    turns.push(turn);
    if (turns.length === 2) break;
  }
  if (turns.length < 2) return false;
  const [a, b] = turns;
  const period = a.end - a.start;
  if (b.end - b.start !== period || a.lines.length !== b.lines.length) return false;
  const pieces: Piece[] = a.lines.map((l) => ({ parts: templateOf(l, l.t), dt: l.t - a.start, s: l.s }));
  // a time printed in a form not known here would stay as text and be wrong the next day: its year gives it away
  if (pieces.some((p) => p.parts.some((x) => typeof x === 'string' && x.includes(renderDate('%Y', p.dt + a.start))))) return false;
  const same = b.lines.every((l, i) => l.s === pieces[i].s && l.t - b.start === pieces[i].dt && render(pieces[i].parts, l.t) === l.l);
  if (!same) return false;
  const n = Math.floor((until - b.end) / period);
  if (n <= 0) return true;
  // only the newest lines are kept: render the iterations that reach into them
  const per = pieces.length;
  const first = per ? Math.max(0, n - Math.ceil(MAX_LOG_LINES / per)) : n;
  for (let j = first; j < n; j++) {
    const start = b.end + j * period;
    for (const p of pieces) ct.log.push({ t: start + p.dt, s: p.s, l: render(p.parts, start + p.dt) });
  }
  if (ct.log.length > MAX_LOG_LINES) ct.log.splice(0, ct.log.length - MAX_LOG_LINES);
  proc.wakeAt = b.end + n * period;
  return true;
}

/**
 * A steady program looked at (logs, exec, a probe): fast-forwarded when its loop repeats; otherwise
 * only its last MAX_CATCHUP_MS are run (older iterations are not replayed).
 */
export async function advanceSteady(proc: Proc, ct: ContainerRt, until: number, host: StepHost, extra: () => Promise<unknown>): Promise<void> {
  if (proc.wakeAt === undefined || proc.wakeAt > until) return;
  if (await fastForward(proc, ct, until, host, extra)) return;
  if (proc.wakeAt !== undefined && proc.wakeAt < until - MAX_CATCHUP_MS) proc.wakeAt = until - MAX_CATCHUP_MS;
}
