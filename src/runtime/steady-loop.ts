// A program that ends in an endless loop (`while true; do echo tick $(date); sleep 1; done`), looked at
// after a long idle: instead of running every iteration of the skipped time through the shell, two
// iterations are run for real; when they leave the program where they found it (same position,
// variables, files) and the second one's output is the first one's with the times moved on (the
// `date` renderings in it re-rendered at the later time), the iterations in between are written to
// the log from that template, as running them would have written them. Only the newest
// MAX_LOG_LINES lines are kept (the store's stand-in for the kubelet's log rotation), so only those
// are rendered. A loop that does not repeat this way is not fast-forwarded (the caller falls back).
import { step, type StepHost } from './program.js';
import { windowForward, type WindowOpts } from './steady-window.js';
import { render, renderDate, templateOf } from './date-template.js';
import { MAX_CATCHUP_MS, MAX_LOG_LINES, type ContainerRt, type FileMap, type LogLine, type Proc } from './state.js';
export { renderDate } from './date-template.js';

interface Piece {
  /** text, or the index of a format rendered at the line's time */
  parts: (string | number)[];
  dt: number;
  s: 'o' | 'e';
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
 * only its last MAX_CATCHUP_MS are run (older iterations are not replayed), repeated iterations that
 * only append to files written from their template (steady-window.ts). Returns the steps that took
 * (the caller steps what is left, within what is left of `opts.cap`).
 */
export async function advanceSteady(proc: Proc, ct: ContainerRt, until: number, host: StepHost, extra: () => Promise<unknown>, opts?: WindowOpts): Promise<number> {
  if (proc.wakeAt === undefined || proc.wakeAt > until) return 0;
  if (await fastForward(proc, ct, until, host, extra)) return 0;
  if (proc.wakeAt !== undefined && proc.wakeAt < until - MAX_CATCHUP_MS) proc.wakeAt = until - MAX_CATCHUP_MS;
  return opts && fastForwardLoops.on ? windowForward(proc, ct, until, host, extra, opts) : 0;
}
