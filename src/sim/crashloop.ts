// A crash loop in closed form from its first repeated run: when a container's run after a back-off
// looks exactly like the one before it (the same events at the same moments after the restart, the
// same run time and exit), every later turn is known — the back-off doubles to its 5-minute cap, the
// pod worker's 1-minute resyncs repeat BackOff while it waits, the restart's events and the crash
// follow — so the turns up to the catch-up's target are accounted for at once, their events through
// the recorder's arithmetic (events.ts replayTurns). Once known, the loop is accounted for from its
// next restart on without running the container at all (skipAtRestart).
import { fnv1a } from '../api/fnv.js';
import type { KObj } from '../api/types.js';
import type { Timer } from '../store/state.js';
import { runtimeOf, type PodRt } from '../runtime/state.js';
import { isoTime } from './clock.js';
import type { Cluster } from './engine.js';
import { keyed, observationsAfter, replayTurns, type Observation } from './events.js';
import { POD } from './keys.js';
import { containerRef, peekPod } from './pod-status.js';
import { skipDraws } from './random-skip.js';
import { randomHex } from './random.js';
import { closedForm, shiftBy, type Shift } from './skip.js';

export interface Limits {
  max: number;
  resync: number;
}

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

/** A run as it repeats: its length, when it started after the restart, its observations (times after the restart). */
interface Shape {
  ran: number;
  startDt: number;
  run: [number, 'Normal' | 'Warning', string, string, string | undefined, string, string | undefined][];
}

const CONTAINER_ID_DRAWS = 64;

/** A timer type no controller handles: a cancelled timer runs as nothing. */
const CANCELLED = 'cancelled';

/**
 * Cancels one container's pending timer of a type due at `at`: the timer becomes one that does
 * nothing (no splice moving thousands of timers). It is found through an index (by key) of the timers pending
 * when the first cancel of the invocation came (pods created together share every timer's time, so a
 * search by time alone finds a thousand), else among those due then. Only timers due before the
 * catch-up's target are cancelled, so none is ever saved.
 */
function cancelAt(c: Cluster, key: string, type: string, name: string, at: number): void {
  let index = c.memo.get('crashloop/timers') as Map<string, Timer[]> | undefined;
  if (!index) {
    index = new Map();
    for (const t of c.state.timers) {
      if (t.data?.name === undefined) continue;
      const list = index.get(t.key);
      if (list) list.push(t);
      else index.set(t.key, [t]);
    }
    c.memo.set('crashloop/timers', index);
  }
  const list = index.get(key);
  const i = list ? list.findIndex((t) => t.type === type && t.at === at && t.data?.name === name) : -1;
  if (i >= 0) {
    const known = list!.splice(i, 1)[0];
    known.type = CANCELLED;
    delete known.data;
    return;
  }
  // scheduled after the index was made: among the timers due then (sorted by time)
  const timers = c.state.timers;
  let lo = 0;
  let hi = timers.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (timers[mid].at < at) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < timers.length && timers[i].at === at; i++) {
    const t = timers[i];
    if (t.key === key && t.type === type && t.data?.name === name) {
      t.type = CANCELLED;
      delete t.data;
    }
  }
}

/** A copy of JSON data (a pod's status): far cheaper than structuredClone for small objects. */
function copyJson<T>(v: T): T {
  if (Array.isArray(v)) return v.map(copyJson) as T;
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = copyJson((v as Record<string, unknown>)[k]);
  return out as T;
}

/** A pod to change: its status copied, the rest shared with the stored object (which the write replaces). */
function podToChange(pod: Readonly<KObj>): KObj {
  return { ...pod, metadata: { ...pod.metadata }, status: copyJson(pod.status) };
}

export function containerId(c: Cluster): string {
  return `containerd://${randomHex(c.state, CONTAINER_ID_DRAWS)}`;
}

type LoopRt = PodRt & { shapes?: Record<string, unknown>; loops?: Record<string, Shape>; backoff?: Record<string, { delay: number; at: number }> };

/**
 * The turns after a crash at `T` followed by a back-off `d`, up to the target: `first` (observations
 * already due before, in order) and theirs go through the recorder; returns how many, and the last.
 */
function accountTurns(c: Cluster, run: Observation[], backoff: Observation, T: number, d: number, ran: number, limits: Limits, first: Observation[] = [], resyncs = false): { turns: number; T: number; d: number; len: number; resynced: number } {
  const turnAt = (t: number, wait: number): Observation[] => {
    const obs: Observation[] = [];
    for (let m = limits.resync; m < wait; m += limits.resync) obs.push({ ...backoff, at: t + m });
    for (const o of run) obs.push({ ...o, at: o.at + t + wait });
    return obs;
  };
  let turns = 0;
  let len = 0;
  // the back-off's growth, turn by turn, and the first turn at the cap: their observations in order
  const grow: Observation[] = [...first];
  while (d < limits.max && T + d + ran <= c.target) {
    grow.push(...turnAt(T, d));
    len = d + ran;
    T += len;
    turns++;
    d = Math.min(d * 2, limits.max);
  }
  // at the cap: every turn alike
  const steadyLen = d + ran;
  const rest = d === limits.max ? Math.floor((c.target - T) / steadyLen) : 0;
  const cap = rest > 0 ? turnAt(T, d) : [];
  // `resyncs`: the back-off after the last turn repeats BackOff at its resyncs up to the target
  const end = T + rest * steadyLen;
  const after: Observation[] = [];
  if (resyncs) for (let m = limits.resync; m < d && end + m <= c.target; m += limits.resync) after.push({ ...backoff, at: end + m });
  // one pass through the recorder: the growth and the first capped turn once, the capped turn repeated, the resyncs after
  replayTurns(c, cap, Math.max(0, rest - 1), steadyLen, [...grow, ...cap], after);
  if (rest > 0) {
    T = end;
    turns += rest;
    len = steadyLen;
  }
  return { turns, T, d, len, resynced: after.length };
}

/**
 * Called when the container crashed (now) and waits `delay` before its restart. `restartAt`: when
 * this run's restart began (the previous back-off's end). Undefined when the turn cannot be predicted.
 */
export function predictCrashLoop(c: Cluster, pod: KObj, name: string, fieldPath: string, restartAt: number, delay: number, terminated: KObj | undefined, limits: Limits): CrashLoopSkip | undefined {
  const rt = runtimeOf(c.state)[pod.metadata.uid] as LoopRt | undefined;
  if (!rt) return undefined;
  const shapes = (rt.shapes ??= {});
  const now = c.now();
  const run = observationsAfter(c, pod.metadata.uid, restartAt - 1, fieldPath);
  const { containerID: _id, startedAt: _s, finishedAt: _f, ...exit } = terminated ?? {};
  const sig = run && JSON.stringify([now - restartAt, exit, run.map((o) => [o.at - restartAt, o.type, o.reason, o.message, o.source.component, o.source.host])]);
  // kept as its length and two hashes (the run's text is as long as its events' messages, in every pod's record)
  const digest = sig === undefined ? undefined : `${sig.length}:${fnv1a(sig).toString(36)}:${fnv1a(sig, 0x2545f491).toString(36)}`;
  const same = digest !== undefined && shapes[name] === digest;
  shapes[name] = digest;
  const ran = now - restartAt;
  const started = run?.find((o) => o.reason === 'Started');
  if (!same || !run!.length || !started || ran >= 2 * limits.max) {
    delete rt.loops?.[name];
    return undefined;
  }
  const rel = keyed(run!.map((o) => ({ ...o, at: o.at - restartAt })));
  (rt.loops ??= {})[name] = { ran, startDt: started.at - restartAt, run: rel.map((o) => [o.at, o.type, o.reason, o.message, o.fieldPath, o.source.component, o.source.host]) };
  if (c.target <= now || !closedForm.on) return undefined;
  const r = accountTurns(c, rel, rel[rel.length - 1], now, delay, ran, limits);
  if (!r.turns) return undefined;
  return { turns: r.turns, end: r.T, delay: r.d, len: r.len, shift: shiftBy(r.T - now, [now, ...run!.map((o) => o.at)]) };
}

/**
 * A back-off ended (now) for a container whose loop is known: when its run ends by the target, the
 * run and the turns after it up to the target are accounted for without starting it. False: the
 * restart goes on as usual.
 */
export function skipAtRestart(c: Cluster, key: string, name: string, limits: Limits, message: (delay: number) => string, resyncTimer: string): boolean {
  if (!closedForm.on) return false;
  // what decides is read from the stored pod: the copy to change is made only when the loop is accounted for
  const obj = peekPod(c, key);
  const rt = obj && (runtimeOf(c.state)[obj.metadata.uid] as LoopRt | undefined);
  const shape = rt?.loops?.[name];
  const bo = rt?.backoff?.[name];
  if (!obj || !shape || !bo || !bo.delay) return false;
  // called at the back-off's end, or at one of its resyncs (the rest of them then come first)
  const now = c.now();
  const R = bo.at + bo.delay;
  if (now > R || (now < R && (now - bo.at) % limits.resync !== 0) || c.target < R + shape.ran) return false;
  const stored = containerRef(obj, name)?.status;
  if (stored?.state?.waiting?.reason !== 'CrashLoopBackOff' || !stored.lastState?.terminated) return false;
  const pod = podToChange(obj);
  const st = containerRef(pod, name)!.status!;
  const rel: Observation[] = keyed(shape.run.map(([at, type, reason, msg, fieldPath, component, host]) => ({ at, obj, type, reason, message: msg, fieldPath, source: host === undefined ? { component } : { component, host } })));
  const backoff = rel[rel.length - 1];
  const first: Observation[] = [];
  for (let at = now; at < R; at += limits.resync) first.push({ ...backoff, at });
  first.push(...rel.map((o) => ({ ...o, at: o.at + R })));
  if (now < R) {
    // this back-off's remaining resyncs and its restart are accounted for here
    for (let at = now + limits.resync; at < R; at += limits.resync) cancelAt(c, key, resyncTimer, name, at);
    cancelAt(c, key, 'kubelet-restart', name, R);
  }
  const T0 = R + shape.ran;
  const r = accountTurns(c, rel, rel[rel.length - 1], T0, Math.min(bo.delay * 2, limits.max), shape.ran, limits, first, true);
  const turns = 1 + r.turns;
  const prevEnd = bo.at;
  const shift = shiftBy(r.T - prevEnd, [prevEnd, ...shape.run.map(([at]) => prevEnd - shape.ran + at)]);
  st.restartCount = (st.restartCount ?? 0) + turns;
  skipDraws(c, CONTAINER_ID_DRAWS * (turns - 1));
  st.containerID = containerId(c);
  const term = st.lastState.terminated;
  term.containerID = st.containerID;
  term.startedAt = isoTime(r.T - shape.ran + shape.startDt);
  term.finishedAt = isoTime(r.T);
  st.state.waiting.message = message(r.d);
  for (const cond of pod.status?.conditions ?? []) if (Date.parse(cond.lastTransitionTime ?? '') >= Math.floor((prevEnd - shape.ran) / 1000) * 1000) cond.lastTransitionTime = shift(cond.lastTransitionTime);
  const ct = rt!.containers[name];
  if (ct?.exited) ct.exited.at = r.T;
  for (const l of ct?.log ?? []) l.t += r.T - prevEnd;
  rt!.backoff![name] = { delay: r.d, at: r.T };
  c.api.write(POD, pod);
  c.schedule(r.T + r.d - now, 'kubelet-restart', key, { name });
  // the resyncs up to the target were accounted for with the turns: only those after it are pending
  for (let at = limits.resync * (r.resynced + 1); at < r.d; at += limits.resync) c.schedule(r.T + at - now, resyncTimer, key, { name, cid: st.containerID });
  return true;
}
