// Catch-up far behind its target: a loop that repeats the same cycle (a crash-looping container, an
// image that never pulls, a config error retried, a volume sync) is accounted for instead of replayed
// run by run (event counts, restart counts and times move on), as probes already skip ahead; only the
// last window before the target is simulated in detail. So `clock advance 999999h` stays cheap.
import { resourceForKind } from '../api/registry.js';
import type { KObj } from '../api/types.js';
import { runtimeOf } from '../runtime/state.js';
import { isoTime } from './clock.js';
import type { Cluster } from './engine.js';

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
 * Called once per turn of a pod's loop `tag` (after the turn's events are recorded). Once two turns in
 * a row took the same time and the catch-up is far behind, the turns up to the window are skipped:
 * the events of the last turn count them, the pod's condition times move on, and the returned shift
 * (ms) is how much later the caller schedules the next turn (0 = nothing skipped).
 */
export function skipTurns(c: Cluster, pod: KObj, tag: string, fieldPath?: string, held?: Record<string, Cycle>): { turns: number; shiftMs: number } {
  // a pod without a sandbox has no runtime record: its loop keeps the record in its timer's data (`held`)
  const cycles = held ?? cyclesOf(c, pod);
  const now = c.now();
  const prev = cycles[tag];
  const len = prev ? now - prev.at : 0;
  const steady = prev !== undefined && len > 0 && Math.abs(len - prev.len) <= 1000;
  const turns = steady ? periodsBehind(c, len) : 0;
  const shiftMs = turns * len;
  cycles[tag] = { at: now + shiftMs, len };
  if (!turns) return { turns: 0, shiftMs: 0 };
  const since = prev!.at;
  const eventDef = resourceForKind('v1', 'Event')!;
  for (const e of c.api.list(eventDef, pod.metadata.namespace)) {
    const io = e.involvedObject ?? {};
    if (io.uid !== pod.metadata.uid || (fieldPath !== undefined && io.fieldPath !== fieldPath)) continue;
    if (Date.parse(e.lastTimestamp ?? '') < Math.floor(since / 1000) * 1000) continue;
    const updated = structuredClone(e);
    updated.count = (updated.count ?? 1) + turns;
    updated.lastTimestamp = shifted(updated.lastTimestamp, shiftMs);
    c.api.write(eventDef, updated);
  }
  for (const cond of pod.status?.conditions ?? []) {
    if (Date.parse(cond.lastTransitionTime ?? '') >= Math.floor(since / 1000) * 1000) cond.lastTransitionTime = shifted(cond.lastTransitionTime, shiftMs);
  }
  return { turns, shiftMs };
}

/** Moves a container state's times (`terminated.startedAt`…) `ms` later. */
export function shiftState(state: KObj | undefined, ms: number): void {
  for (const s of Object.values(state ?? {}) as KObj[]) {
    for (const f of ['startedAt', 'finishedAt']) if (s && s[f]) s[f] = shifted(s[f], ms);
  }
}
