// A crash loop in closed form from its first repeated run: when a container's run after a back-off
// looks exactly like the one before it (the same events at the same moments after the restart, the
// same run time and exit), every later turn is known — the back-off doubles to its 5-minute cap, the
// pod worker's 1-minute resyncs repeat BackOff while it waits, the restart's events and the crash
// follow — so the turns up to the catch-up's target are accounted for at once, their events through
// the recorder's arithmetic (events.ts replayTurns), instead of waiting for two equal turns at the cap.
import type { KObj } from '../api/types.js';
import type { Cluster } from './engine.js';
import { observationsAfter, replayTurns, type Observation } from './events.js';
import { shiftBy, type Shift } from './skip.js';

export interface CrashLoopSkip {
  /** turns accounted for */
  turns: number;
  /** when the last of them ended (its crash) */
  end: number;
  /** the back-off that follows it */
  delay: number;
  /** the last turn's length */
  len: number;
  shift: Shift;
}

/**
 * Called when the container crashed (now) and waits `delay` before its restart. `restartAt`: when
 * this run's restart began (the previous back-off's end). Undefined when the turn cannot be predicted.
 */
export function predictCrashLoop(
  c: Cluster,
  pod: KObj,
  name: string,
  fieldPath: string,
  restartAt: number,
  delay: number,
  terminated: KObj | undefined,
  shapes: Record<string, unknown>,
  limits: { base: number; max: number; resync: number },
): CrashLoopSkip | undefined {
  const now = c.now();
  const run = observationsAfter(c, pod.metadata.uid, restartAt - 1, fieldPath);
  const { containerID: _id, startedAt: _s, finishedAt: _f, ...exit } = terminated ?? {};
  const sig = run && JSON.stringify([now - restartAt, exit, run.map((o) => [o.at - restartAt, o.type, o.reason, o.message, o.source.component, o.source.host])]);
  const same = sig !== undefined && shapes[name] === sig;
  shapes[name] = sig;
  const ran = now - restartAt;
  if (!same || !run!.length || c.target <= now || ran >= 2 * limits.max) return undefined;
  const backoff = run![run!.length - 1]; // the crash's BackOff, which each resync repeats
  const turnAt = (T: number, d: number): Observation[] => {
    const obs: Observation[] = [];
    for (let m = limits.resync; m < d; m += limits.resync) obs.push({ ...backoff, at: T + m });
    for (const o of run!) obs.push({ ...o, at: o.at - restartAt + T + d });
    return obs;
  };
  let T = now;
  let d = delay;
  let turns = 0;
  let len = 0;
  // the back-off's growth, turn by turn
  while (d < limits.max && T + d + ran <= c.target) {
    replayTurns(c, turnAt(T, d), 1, 0);
    len = d + ran;
    T += len;
    turns++;
    d = Math.min(d * 2, limits.max);
  }
  // at the cap: every turn alike
  const steadyLen = d + ran;
  const rest = d === limits.max ? Math.floor((c.target - T) / steadyLen) : 0;
  if (rest > 0) {
    const first = turnAt(T, d);
    replayTurns(c, first, 1, 0);
    if (rest > 1) replayTurns(c, first, rest - 1, steadyLen);
    T += rest * steadyLen;
    turns += rest;
    len = steadyLen;
  }
  if (!turns) return undefined;
  return { turns, end: T, delay: d, len, shift: shiftBy(T - now, [now, ...run!.map((o) => o.at)]) };
}
