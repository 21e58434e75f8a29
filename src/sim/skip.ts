// Catch-up far behind its target: a loop that repeats the same cycle (a crash-looping container, an
// image that never pulls, a config error retried, a volume sync) is accounted for in closed form
// instead of replayed run by run: the turns up to the window before the target are skipped at once,
// the recorder counts their events as stepping would (events.ts replayTurns), restart counts, state
// times and the random source move on. Only the last window before the target is simulated in detail.
// So `clock advance 999999h` stays cheap and gives what stepping through it gives.
import type { KObj } from '../api/types.js';
import { runtimeOf } from '../runtime/state.js';
import { isoTime } from './clock.js';
import type { Cluster } from './engine.js';
import { observationsAfter, replayTurns, type Observation } from './events.js';
export { skipDraws } from './random-skip.js';

/** Whether catch-ups take loops in closed form (tests turn it off to step through the same time). */
export const closedForm = { on: true };

/** How much of a catch-up, before its target, is always replayed step by step. */
export const CATCHUP_WINDOW_MS = 10 * 60_000;

/** Whole periods of `periodMs` that lie between now and the window before the catch-up's target. */
export function periodsBehind(c: Cluster, periodMs: number): number {
  const behind = c.target - CATCHUP_WINDOW_MS - c.now();
  return behind > 0 && periodMs > 0 ? Math.floor(behind / periodMs) : 0;
}

export interface Cycle {
  at: number;
  len: number;
}

function cyclesOf(c: Cluster, pod: KObj): Record<string, Cycle> {
  const rt = runtimeOf(c.state)[pod.metadata.uid] as { cycles?: Record<string, Cycle> } | undefined;
  if (!rt) return {};
  return (rt.cycles ??= {});
}

const shifted = (iso: unknown, ms: number) => (typeof iso === 'string' && iso ? isoTime(Date.parse(iso) + ms) : iso);

/**
 * Moves a stored time (whole seconds) `ms` later as the turn that set it would have: from the exact
 * moment something happened in the turn (one of its observations) that the stored time rounds down
 * from, so the result rounds as a stepped turn's would.
 */
export type Shift = (iso: unknown) => unknown;

export function shiftBy(ms: number, exact: number[]): Shift {
  return (iso) => {
    if (typeof iso !== 'string' || !iso) return iso;
    const at = exact.find((t) => isoTime(t) === iso);
    return at === undefined ? shifted(iso, ms) : isoTime(at + ms);
  };
}

/**
 * Called once per turn of a pod's loop `tag` (after the turn's events are recorded). Once two turns in
 * a row took the same time, all of the turn's events were seen in this invocation and the catch-up is
 * far behind, the turns up to the window are skipped: their events are counted as the recorder would
 * have counted them, the pod's condition times move on, and the returned shift (ms) is how much later
 * the caller schedules the next turn (0 = nothing skipped).
 */
export function skipTurns(c: Cluster, pod: KObj, tag: string, fieldPath?: string | ((o: Observation) => boolean), held?: Record<string, Cycle>): { turns: number; shiftMs: number; shift: Shift } {
  // a pod without a sandbox has no runtime record: its loop keeps the record in its timer's data (`held`)
  const cycles = held ?? cyclesOf(c, pod);
  const now = c.now();
  const prev = cycles[tag];
  const len = prev ? now - prev.at : 0;
  const steady = prev !== undefined && len > 0 && len === prev.len;
  // the replay is exact: straight to the last turn that ends by the target, nothing left to step
  let turns = steady && closedForm.on && c.target > now ? Math.floor((c.target - now) / len) : 0;
  const turn = turns ? observationsAfter(c, pod.metadata.uid, prev!.at, fieldPath) : undefined;
  if (!turn) turns = 0;
  const shiftMs = turns * len;
  cycles[tag] = { at: now + shiftMs, len };
  if (!turns) return { turns: 0, shiftMs: 0, shift: (iso) => iso };
  replayTurns(c, turn!, turns, len);
  const since = prev!.at;
  // the turn's own moments (all of the pod's observations in it, and its end)
  const exact = [now, ...(observationsAfter(c, pod.metadata.uid, since) ?? []).map((o) => o.at)];
  const shift = shiftBy(shiftMs, exact);
  for (const cond of pod.status?.conditions ?? []) {
    if (Date.parse(cond.lastTransitionTime ?? '') > Math.floor(since / 1000) * 1000) cond.lastTransitionTime = shift(cond.lastTransitionTime);
  }
  return { turns, shiftMs, shift };
}

/** Forgets a loop's last turn (it did not repeat the one before: the next turn starts the count anew). */
export function breakTurns(c: Cluster, pod: KObj, tag: string): void {
  delete cyclesOf(c, pod)[tag];
}

/** Moves a container state's times (`terminated.startedAt`…) as a skip moves them. */
export function shiftState(state: KObj | undefined, shift: Shift): void {
  for (const s of Object.values(state ?? {}) as KObj[]) {
    for (const f of ['startedAt', 'finishedAt']) if (s && s[f]) s[f] = shift(s[f]);
  }
}
