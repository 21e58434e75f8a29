// A steady loop that also appends to files (`while true; do date >> /tmp/out; echo tick; sleep 1; done`),
// looked at after a long idle. Its files grow each iteration, so it is not fast-forwarded over the
// whole idle time (steady-loop.ts fastForward); like any loop that does not repeat exactly, only its
// last MAX_CATCHUP_MS are run. Those iterations are not run through the shell one by one either: the
// window is entered as stepping enters it (to the top of the loop, then iterations run for real), and
// once two iterations in a row took the same time and steps and left the program as they found it but
// for lines appended to the container's files and its log (each line the one before's with the `date`
// renderings in it moved on), the iterations up to the target are written from that template, log
// lines and file lines, as running them would have written them. Steps are counted as stepping
// spends them; a window that would run out of steps is stepped.
import { step, type StepHost } from './program.js';
import { render, templateOf, yearLeft } from './date-template.js';
import { MAX_LOG_LINES, type ContainerRt, type LogLine, type Proc } from './state.js';

/** Whether repeated window iterations are written from their template (tests turn it off to step them), and how many were. */
export const windowTemplates = { on: true, written: 0 };

export interface WindowOpts {
  /** steps the program may take in this catch-up (stepping stops there) */
  cap: number;
  /** appends text to a file of the container's own filesystem (through its shell), or writes it anew */
  write(path: string, text: string, append: boolean): Promise<void>;
}

interface Iteration {
  start: number;
  end: number;
  steps: number;
  lines: LogLine[];
  /** the text appended to each file that grew */
  grew: Record<string, string>;
  /** the text of each file written anew */
  set: Record<string, string>;
  /** when its statements ran (ms after its start) */
  times: number[];
}

/** A line (log or file) as a template: its text parts and the moment (ms after the iteration's start) its times render. */
interface Piece {
  parts: (string | number)[];
  dt: number;
}

/** Lines with their ends, so a file's text is the lines joined. */
const linesOf = (text: string) => text.split(/(?<=\n)/);

/**
 * What the iteration did to the files: the text appended to each that grew, the whole text of each
 * that was written anew; undefined when a file came, went or is not plain text (base64 is not appended to).
 */
function changes(before: Record<string, string | null>, after: Record<string, string | null>): { grew: Record<string, string>; set: Record<string, string> } | undefined {
  const grew: Record<string, string> = {};
  const set: Record<string, string> = {};
  const keys = Object.keys(after);
  if (keys.length !== Object.keys(before).length) return undefined;
  for (const k of keys) {
    const a = before[k];
    const b = after[k];
    if (a === b) continue;
    if (typeof a !== 'string' || typeof b !== 'string' || a.startsWith('\0') || b.startsWith('\0')) return undefined;
    if (b.length > a.length && b.startsWith(a)) grew[k] = b.slice(a.length);
    else set[k] = b;
  }
  return { grew, set };
}

/** The template of a line of `a` that renders the matching line of `b`, with its times at one of `a`'s moments. */
function pieceOf(la: string, lb: string, a: Iteration, b: Iteration, moments: number[]): Piece | undefined {
  for (const dt of moments) {
    const parts = templateOf({ t: a.start + dt, s: 'o', l: la }, a.start + dt);
    if (yearLeft(parts, a.start + dt)) continue;
    if (render(parts, b.start + dt) === lb) return { parts, dt };
  }
  return undefined;
}

/** The iterations' template (log lines and file lines), when `b` repeats `a`. */
function templateFrom(a: Iteration, b: Iteration): { log: (Piece & { s: 'o' | 'e' })[]; files: [string, Piece[]][]; written: [string, Piece[]][] } | undefined {
  // an iteration that takes no time (a busy loop) is stepped: its budget of steps ends it
  if (a.end <= a.start || a.end - a.start !== b.end - b.start || a.steps !== b.steps || a.lines.length !== b.lines.length) return undefined;
  if (a.lines.some((l) => l.p) || b.lines.some((l) => l.p)) return undefined;
  const log: (Piece & { s: 'o' | 'e' })[] = [];
  for (let i = 0; i < a.lines.length; i++) {
    const la = a.lines[i];
    const lb = b.lines[i];
    const dt = la.t - a.start;
    if (la.s !== lb.s || lb.t - b.start !== dt) return undefined;
    const p = pieceOf(la.l, lb.l, a, b, [dt]);
    if (!p) return undefined;
    log.push({ ...p, s: la.s });
  }
  const moments = [...new Set(a.times)];
  /** each file's lines (appended, or its whole text) as templates */
  const templated = (ta: Record<string, string>, tb: Record<string, string>): [string, Piece[]][] | undefined => {
    const paths = Object.keys(ta);
    if (paths.length !== Object.keys(tb).length) return undefined;
    const out: [string, Piece[]][] = [];
    for (const path of paths) {
      if (tb[path] === undefined) return undefined;
      const la = linesOf(ta[path]);
      const lb = linesOf(tb[path]);
      if (la.length !== lb.length) return undefined;
      const pieces: Piece[] = [];
      for (let i = 0; i < la.length; i++) {
        const p = pieceOf(la[i], lb[i], a, b, moments);
        if (!p) return undefined;
        pieces.push(p);
      }
      out.push([path, pieces]);
    }
    return out;
  };
  const files = templated(a.grew, b.grew);
  const written = templated(a.set, b.set);
  if (!files || !written) return undefined;
  return { log, files, written };
}

/**
 * Runs a steady program's window up to `until` as stepping would, writing repeated iterations from
 * their template; returns the steps taken (run and written), the caller steps what is left.
 */
export async function windowForward(proc: Proc, ct: ContainerRt, until: number, host: StepHost, extra: () => Promise<unknown>, opts: WindowOpts): Promise<number> {
  const ops = proc.ops ?? [];
  let back = -1;
  ops.forEach((o, i) => {
    if (o.op === 'jump' && o.loop === 'back') back = i;
  });
  if (back < 0 || proc.wakeAt === undefined || !windowTemplates.on) return 0;
  const head = (ops[back] as { to: number }).to;
  let taken = 0;
  const live = () => proc.wakeAt !== undefined && proc.wakeAt <= until && !ct.exited && !proc.daemon && proc.waitFor === undefined && taken < opts.cap;
  // to the top of the loop
  for (let n = 0; (proc.pc ?? 0) !== head; n++) {
    if (n > ops.length * 4 || !live()) return taken;
    taken += await step(proc, until, host, 1);
  }
  const snapshot = async () => [JSON.stringify([proc.pc ?? 0, proc.env, proc.arrays, proc.loops, proc.status, proc.loopStatus, proc.cwd, proc.waitFor, ct.term, ct.procs.length, await extra()]), { ...ct.upper }] as const;
  let [state, files] = await snapshot();
  let prev: Iteration | undefined;
  for (let k = 0; k < 4; k++) {
    // an open last line would be continued by the iteration's first output: stepped
    if (ct.log[ct.log.length - 1]?.p) return taken;
    const start = proc.wakeAt!;
    const times: number[] = [];
    const timed: StepHost = { ...host, run: (p, text, t) => (times.push(t - start), host.run(p, text, t)) };
    const kept = ct.log;
    ct.log = [];
    const from = taken;
    let lines: LogLine[] = [];
    try {
      for (let n = 0; n === 0 || (proc.pc ?? 0) !== head; n++) {
        if (n > 2000 || !live()) return taken;
        taken += await step(proc, until, timed, 1);
      }
    } finally {
      // the iteration's lines stay in the log whatever happens next
      lines = ct.log;
      ct.log = kept.concat(lines);
      if (ct.log.length > MAX_LOG_LINES) ct.log.splice(0, ct.log.length - MAX_LOG_LINES);
    }
    const [after, afterFiles] = await snapshot();
    const changed = after === state ? changes(files, afterFiles) : undefined;
    state = after;
    files = afterFiles;
    const it: Iteration | undefined = changed && { start, end: proc.wakeAt!, steps: taken - from, lines, ...changed, times };
    const t = prev && it && templateFrom(prev, it);
    prev = it;
    if (!t || !it) continue;
    const period = it.end - it.start;
    const n = Math.floor((until - it.end) / period);
    // stepping would run out of steps in the window: it is stepped
    if (!(n > 0) || taken + (n + 1) * it.steps >= opts.cap) return taken;
    const per = t.log.length;
    const first = per ? Math.max(0, n - Math.ceil(MAX_LOG_LINES / per)) : n;
    for (let j = first; j < n; j++) {
      const s = it.end + j * period;
      for (const p of t.log) ct.log.push({ t: s + p.dt, s: p.s, l: render(p.parts, s + p.dt) });
    }
    if (ct.log.length > MAX_LOG_LINES) ct.log.splice(0, ct.log.length - MAX_LOG_LINES);
    for (const [path, pieces] of t.files) {
      let text = '';
      for (let j = 0; j < n; j++) {
        const s = it.end + j * period;
        for (const p of pieces) text += render(p.parts, s + p.dt);
      }
      await opts.write(path, text, true);
    }
    // a file written anew each iteration holds what the last one wrote
    const last = it.end + (n - 1) * period;
    for (const [path, pieces] of t.written) await opts.write(path, pieces.map((p) => render(p.parts, last + p.dt)).join(''), false);
    proc.wakeAt = it.end + n * period;
    windowTemplates.written += n;
    return taken + n * it.steps;
  }
  return taken;
}
