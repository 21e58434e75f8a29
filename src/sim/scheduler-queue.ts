// kube-scheduler's retry of its unschedulable pods (the AssignedPodDelete requeue, a node change…),
// walked from the pending index (api/pending-index.ts) instead of every pod. Pods are retried in queue
// order (priority, then creation), one by one while pods of their scheduling signature keep being
// placed. Once one fails, the next of its signature fails alike as long as nothing was placed in
// between (the cluster only fills up within a round); when that failure is the message the pod
// already shows, nothing is written for it (the scheduler's updatePod writes nothing for an unchanged
// condition), and its FailedScheduling repeat (a series in being: count and last observation only, in
// the broadcaster's cache) is counted for the group's round instead of for the pod: whole chunks of
// such pods are passed over without being read. After a placement, what the next of the signature
// would fail with is told from the pod just attempted (the filters read only what the signature
// holds), so that one is passed over as after a failure instead of read. A pod's series is brought up
// to date with the rounds it was counted in (event-series.ts repeatSeries) before anything reads it:
// its next own attempt, its leaving the queue, its series' periodic flush, or the group's timer, due
// before any of those rounds would have written something.
import {
  addGroup,
  allGroups,
  C,
  chunkChanged,
  chunkFor,
  chunkMembers,
  clearPending,
  compact,
  findMember,
  groupOf,
  insertMember,
  isQueued,
  keyCompare,
  M,
  memberFor,
  messageIndex,
  nextOrdinal,
  PENDING_VERSION,
  pendingBuilt,
  retryMessage,
  rowOf,
  setRow,
  signatureOf,
  touchGroup,
  type Chunk,
  type Group,
  type Member,
} from '../api/pending-index.js';
import type { KObj } from '../api/types.js';
import type { Cluster } from './engine.js';
import { finishedAt, onSeriesFlush, repeatSeries, seriesEntry } from './event-series.js';
import { recordEvent } from './events.js';

const REASON = 'FailedScheduling';
const COMPONENT = 'default-scheduler';
const REFRESH_MS = 30 * 60_000;
export const GROUP_TIMER = 'pending-series';

/** Tests turn grouping off to compare with retrying every pod one by one (and count what was counted). */
export const queueOptions = { grouped: true, counted: 0, chunksPassed: 0, observed: 0, predicted: 0 };

/** One attempt at a pod: its failure message, or undefined (placed, or nothing to do). */
export type Attempt = (c: Cluster, key: string) => string | undefined;

/**
 * What an attempt at the pods of `key`'s signature would end in now, without writing (key: a pod
 * attempted in this round): the failure message, or undefined when they would be placed.
 */
export type Predict = (c: Cluster, key: string) => string | undefined;

/** A position in the queue: [priority, creation, ordinal]. */
type Key = [number, number, number];

function before(a: Key, b: Key): boolean {
  return a[0] !== b[0] ? a[0] > b[0] : keyCompare(a[1], a[2], b[1], b[2]) < 0;
}

function keyOf(g: Group, m: Member): Key {
  return [g.prio, m[M.created], m[M.ord]];
}

/** The round running now: how far it has come. */
function round(c: Cluster): { at: Key } | undefined {
  return c.memo.get('pending/round') as { at: Key } | undefined;
}

/** Changes that may change a filter's outcome (a placement, a node, a claim): counted per invocation. */
export function stateVersion(c: Cluster): number {
  return (c.memo.get('pending/ver') as number | undefined) ?? 0;
}

export function bumpVersion(c: Cluster): void {
  c.memo.set('pending/ver', stateVersion(c) + 1);
}

/** The member's series' last observation up to round `limit`. */
function lastObserved(g: Group, m: Member, limit: number): number {
  let last = m[M.last];
  for (const [r, t] of g.t) if (r > m[M.synced] && r <= limit) last = t;
  return last;
}

/** Applies to the member's series the rounds it was counted in and not yet brought up to date with. */
function resolve(c: Cluster, g: Group, m: Member): void {
  const rd = round(c);
  const limit = rd && !before(keyOf(g, m), rd.at) ? g.r - 1 : g.r;
  if (m[M.synced] >= limit) return;
  const times = g.t.filter(([r]) => r > m[M.synced] && r <= limit).map(([, t]) => t);
  if (times.length) {
    repeatSeries(c, m[M.uid], g.ns, REASON, COMPONENT, times);
    m[M.last] = times[times.length - 1];
  }
  m[M.synced] = limit;
}

/** After an attempt that recorded the pod's FailedScheduling itself: where its series stands. */
function lastOfSeries(c: Cluster, uid: string): number {
  const e = seriesEntry(c, uid, REASON, COMPONENT);
  return e && e[0] >= 2 ? e[3] : 0;
}

function join(c: Cluster, pod: KObj): void {
  const uid = pod.metadata.uid;
  const row = rowOf(c.state, uid) ?? ['', nextOrdinal(c.state), Date.parse(pod.metadata.creationTimestamp) || 0];
  const { sig, solo } = signatureOf(pod);
  const msg = retryMessage(pod);
  if (row[0] === sig) {
    const g = groupOf(c.state, sig);
    const at = g && findMember(c.state, sig, g, uid, row[2], row[1]);
    if (g && at) {
      const [ci, ms, mi] = at;
      const i = messageIndex(g, msg);
      if (ms[mi][M.msg] !== i) {
        ms[mi][M.msg] = i;
        chunkChanged(c.state, sig, g, ci, ms);
      }
      return;
    }
  }
  if (row[0]) leaveGroup(c, row[0], uid, row);
  const g = groupOf(c.state, sig) ?? addGroup(c.state, sig, solo, pod);
  // a pod joining while a round runs is not part of it (it is up to date with the round)
  const m: Member = [uid, pod.metadata.name, row[2], row[1], messageIndex(g, msg), g.r, lastOfSeries(c, uid)];
  insertMember(c.state, sig, g, m);
  setRow(c.state, uid, [sig, row[1], row[2]]);
}

function leaveGroup(c: Cluster, sig: string, uid: string, row: [string, number, number]): void {
  const g = groupOf(c.state, sig);
  const at = g && findMember(c.state, sig, g, uid, row[2], row[1]);
  if (!g || !at) return;
  const [ci, ms, mi] = at;
  resolve(c, g, ms[mi]);
  ms.splice(mi, 1);
  chunkChanged(c.state, sig, g, ci, ms);
}

/** Leaves the queue; `forget`: the pod will never be queued again (bound, deleted). */
function leave(c: Cluster, uid: string, forget: boolean): void {
  const row = rowOf(c.state, uid);
  if (!row) return;
  if (row[0]) leaveGroup(c, row[0], uid, row);
  if (forget) setRow(c.state, uid, undefined);
  else if (row[0]) setRow(c.state, uid, ['', row[1], row[2]]);
}

/** Indexes every pod (a store written before the index, or rebuilt after a repair). */
function build(c: Cluster): void {
  clearPending(c.state);
  c.state.counters.pendingIndex = PENDING_VERSION;
  for (const p of c.listAll('pods')) {
    if (p.spec?.nodeName || p.metadata.deletionTimestamp) continue;
    setRow(c.state, p.metadata.uid, ['', nextOrdinal(c.state), Date.parse(p.metadata.creationTimestamp) || 0]);
    if (isQueued(p)) join(c, p);
  }
}

/** Keeps the queue in step with a pod's change (the scheduler's onChange). */
export function podChanged(c: Cluster, ev: { type: string; obj: KObj; old?: KObj }): void {
  if (!pendingBuilt(c.state)) return build(c); // what it reads includes this change
  const pod = ev.obj;
  const uid = pod.metadata.uid;
  const bound = Boolean(pod.spec?.nodeName);
  if (ev.type === 'DELETED') {
    if (!bound) leave(c, uid, true);
    return;
  }
  if (ev.type === 'ADDED') {
    if (bound) return;
    setRow(c.state, uid, ['', nextOrdinal(c.state), Date.parse(pod.metadata.creationTimestamp) || 0]);
    if (isQueued(pod)) join(c, pod);
    return;
  }
  // bound before and after: never queued (only the scheduler binds, and a bound pod leaves the queue)
  if (bound && ev.old?.spec?.nodeName) return;
  if (isQueued(pod)) join(c, pod);
  else leave(c, uid, bound || Boolean(pod.metadata.deletionTimestamp));
}

/** Where a queued pod is, if it is. */
function locate(c: Cluster, uid: string): { sig: string; g: Group; ci: number; ms: Member[]; mi: number } | undefined {
  const row = pendingBuilt(c.state) ? rowOf(c.state, uid) : undefined;
  const g = row?.[0] ? groupOf(c.state, row[0]) : undefined;
  const at = g && findMember(c.state, row![0], g, uid, row![2], row![1]);
  return at ? { sig: row![0], g: g!, ci: at[0], ms: at[1], mi: at[2] } : undefined;
}

/** One attempt outside a round (a pod's own timer): its series first brought up to date. */
export function attemptOne(c: Cluster, key: string, pod: KObj | undefined, attempt: Attempt): string | undefined {
  const at = pod ? locate(c, pod.metadata.uid) : undefined;
  if (at) {
    resolve(c, at.g, at.ms[at.mi]);
    chunkChanged(c.state, at.sig, at.g, at.ci, at.ms);
  }
  const failed = attempt(c, key);
  const still = pod && failed !== undefined ? locate(c, pod.metadata.uid) : undefined;
  if (still) {
    still.ms[still.mi][M.last] = lastOfSeries(c, pod!.metadata.uid);
    chunkChanged(c.state, still.sig, still.g, still.ci, still.ms);
  }
  return failed;
}

/** A group's walk through a round. */
interface Walk {
  sig: string;
  g: Group;
  /** members up to here are done */
  pos?: Key;
  /** failed at this state version with this message: members that fail alike are passed over */
  skip?: { msg: number; ver: number };
  /** the next member to attempt, once found (null: none) */
  next?: Member | null;
  /** the pod last attempted (read), standing in for the rest of its group in a prediction */
  probe?: string;
}

function skippable(w: Walk, m: Member, now: number): boolean {
  return m[M.msg] === w.skip!.msg && m[M.last] > 0 && finishedAt(lastObserved(w.g, m, w.g.r - 1)) > now;
}

function chunkSkippable(w: Walk, ch: Chunk, now: number): boolean {
  return ch[C.msg] === w.skip!.msg && ch[C.unsettled] === 0 && ch[C.last] > 0 && finishedAt(ch[C.last]) > now && ch[C.synced] < w.g.r;
}

/** The next member of the group to attempt (passing over those that would fail alike), or null. */
function nextOf(c: Cluster, w: Walk, ver: number, now: number): Member | null {
  const g = w.g;
  const skipping = queueOptions.grouped && !g.solo && w.skip !== undefined && w.skip.ver === ver;
  let ci = w.pos ? chunkFor(g, w.pos[1], w.pos[2] + 1) : 0;
  if (w.pos && w.pos[0] !== g.prio) ci = w.pos[0] > g.prio ? 0 : g.ch.length;
  for (; ci >= 0 && ci < g.ch.length; ci++) {
    if (skipping && chunkSkippable(w, g.ch[ci], now)) {
      queueOptions.counted += g.ch[ci][C.n];
      queueOptions.chunksPassed++;
      continue;
    }
    const ms = chunkMembers(c.state, w.sig, g.ch[ci]);
    let mi = w.pos && w.pos[0] === g.prio ? memberFor(ms, w.pos[1], w.pos[2] + 1) : 0;
    for (; mi < ms.length; mi++) {
      const m = ms[mi];
      if (m[M.synced] >= g.r) continue; // joined during the round: not part of it
      if (skipping && skippable(w, m, now)) {
        queueOptions.counted++;
        continue;
      }
      return m;
    }
  }
  return null;
}

/** The walk's next members' failure at state version `ver` as its probe predicts it (undefined: they would be placed, or no member shows it). */
function predicted(c: Cluster, w: Walk, predict: Predict, ver: number): Walk['skip'] {
  const msg = predict(c, w.probe!);
  const i = msg === undefined ? -1 : w.g.msgs.indexOf(msg);
  if (i < 0) return undefined;
  queueOptions.predicted++;
  return { msg: i, ver };
}

/** Sums up again the chunks (by id) of a group whose members changed in place. */
function flush(c: Cluster, w: Walk, dirty: Set<number>): void {
  if (groupOf(c.state, w.sig) === w.g) {
    for (let ci = w.g.ch.length - 1; ci >= 0; ci--) {
      if (dirty.has(w.g.ch[ci][C.id])) chunkChanged(c.state, w.sig, w.g, ci, chunkMembers(c.state, w.sig, w.g.ch[ci]));
    }
  }
  dirty.clear();
}

/**
 * A pod that fails alike, with the message it shows, whose FailedScheduling is not a series yet: its
 * repeat recorded (the series written, count 2) without reading the pod, when its cached event is
 * still there to repeat (else the attempt makes a new one, which names the pod's version).
 */
function observeAgain(c: Cluster, g: Group, m: Member, now: number): boolean {
  const e = seriesEntry(c, m[M.uid], REASON, COMPONENT);
  if (!e || finishedAt(e[3]) <= now) return false;
  const pod: KObj = { kind: 'Pod', metadata: { uid: m[M.uid], namespace: g.ns, name: m[M.name] } };
  recordEvent(c, pod, 'Warning', REASON, g.msgs[m[M.msg]], { component: COMPONENT });
  queueOptions.observed++;
  return true;
}

/**
 * Retries every queued pod in queue order. With grouping off (tests), each one is attempted (what a
 * group of pods that must be evaluated alone always gets).
 */
export function retryQueued(c: Cluster, attempt: Attempt, predict?: Predict): void {
  if (!pendingBuilt(c.state)) build(c);
  const now = c.now();
  const walks: Walk[] = allGroups(c.state).map(([sig, g]) => {
    g.r++;
    g.t.push([g.r, now]);
    touchGroup(c.state, sig, g);
    return { sig, g };
  });
  const rd = { at: [Infinity, -Infinity, -Infinity] as Key };
  c.memo.set('pending/round', rd);
  const counted = new Set<string>();
  const dirty = new Set<number>();
  let lastWalk: Walk | undefined;
  try {
    for (;;) {
      const ver = stateVersion(c);
      let pick: Walk | undefined;
      let pickKey: Key | undefined;
      for (const w of walks) {
        if (w.next === undefined) {
          // after a placement, the rest of a group fail as the pod attempted before them would now:
          // what that failure is, told without reading the next one (passed over when it shows it already)
          if (predict && w.probe && queueOptions.grouped && !w.g.solo && w.skip?.ver !== ver) w.skip = predicted(c, w, predict, ver);
          const before0 = queueOptions.counted;
          w.next = groupOf(c.state, w.sig) === w.g ? nextOf(c, w, ver, now) : null;
          if (queueOptions.counted !== before0) counted.add(w.sig);
        }
        if (!w.next) continue;
        const k = keyOf(w.g, w.next);
        if (!pickKey || before(k, pickKey)) {
          pick = w;
          pickKey = k;
        }
      }
      if (!pick || !pickKey) break;
      const w = pick;
      if (dirty.size && w !== lastWalk) flush(c, lastWalk!, dirty);
      lastWalk = w;
      const at = findMember(c.state, w.sig, w.g, w.next![M.uid], w.next![M.created], w.next![M.ord]);
      w.next = undefined;
      if (!at) continue; // it left the queue meanwhile
      const [ci, ms, mi] = at;
      const m = ms[mi];
      const uid = m[M.uid];
      rd.at = pickKey;
      resolve(c, w.g, m);
      m[M.synced] = w.g.r;
      // summed up again once the round is over (the members ahead, which the summaries describe, are unchanged)
      dirty.add(w.g.ch[ci][C.id]);
      const alike = queueOptions.grouped && !w.g.solo && w.skip?.ver === ver && m[M.msg] === w.skip.msg;
      const key = `pods/${w.g.ns}/${m[M.name]}`;
      const observed = alike && observeAgain(c, w.g, m, now);
      const msg = observed ? w.g.msgs[m[M.msg]] : attempt(c, key);
      if (!observed) w.probe = key;
      w.pos = pickKey;
      // still queued (it failed again): where its series now stands
      const still = msg !== undefined && groupOf(c.state, w.sig) === w.g ? findMember(c.state, w.sig, w.g, uid, m[M.created], m[M.ord]) : undefined;
      if (still) {
        still[1][still[2]][M.last] = lastOfSeries(c, uid);
        dirty.add(w.g.ch[still[0]][C.id]);
      }
      w.skip = msg !== undefined ? { msg: messageIndex(w.g, msg), ver: stateVersion(c) } : undefined;
      if (stateVersion(c) !== ver) {
        // a placement: the groups passing over their members attempt the next one after this again
        for (const o of walks) {
          if (o === w || !o.skip) continue;
          if (!o.pos || before(o.pos, pickKey)) o.pos = pickKey;
          o.skip = undefined;
          o.next = undefined;
        }
      }
    }
  } finally {
    c.memo.delete('pending/round');
    if (dirty.size) flush(c, lastWalk!, dirty);
  }
  for (const w of walks) {
    if (groupOf(c.state, w.sig) !== w.g) continue;
    compact(w.g);
    if (counted.has(w.sig)) armGroupTimer(c, w.sig, w.g);
  }
}

/**
 * The group's timer: before any round a member was counted in would have written something (the
 * broadcaster's 30-minute refresh after it, or the end of the member's series as it stood), every
 * member is brought up to date (repeatSeries schedules their own flushes as recordSeriesEvent does).
 */
function armGroupTimer(c: Cluster, sig: string, g: Group): void {
  let due = Infinity;
  for (const ch of g.ch) {
    if (ch[C.synced] >= g.r) continue;
    const first = g.t.find(([r]) => r > ch[C.synced]);
    if (!first) continue;
    due = Math.min(due, (Math.floor(first[1] / REFRESH_MS) + 1) * REFRESH_MS);
    if (ch[C.last]) due = Math.min(due, finishedAt(ch[C.last]));
  }
  if (!Number.isFinite(due)) return;
  const key = `scheduler/pending/${sig}`;
  const cur = c.state.timers.find((t) => t.key === key && t.type === GROUP_TIMER);
  if (cur && cur.at <= due) return;
  if (cur) c.cancel(key, GROUP_TIMER);
  c.schedule(due - c.now(), GROUP_TIMER, key);
}

export function groupTimer(c: Cluster, t: { key: string }): void {
  const sig = t.key.slice('scheduler/pending/'.length);
  const g = groupOf(c.state, sig);
  if (!g) return;
  for (let ci = 0; ci < g.ch.length; ci++) {
    if (g.ch[ci][C.synced] >= g.r) continue;
    const ms = chunkMembers(c.state, sig, g.ch[ci]);
    for (const m of ms) resolve(c, g, m);
    chunkChanged(c.state, sig, g, ci, ms);
  }
  compact(g);
}

// a pod's series read by its periodic flush is first brought up to date
onSeriesFlush((c, uid, reason) => {
  if (reason !== REASON) return;
  const at = locate(c, uid);
  if (!at || at.ms[at.mi][M.synced] >= at.g.r) return;
  resolve(c, at.g, at.ms[at.mi]);
  chunkChanged(c.state, at.sig, at.g, at.ci, at.ms);
});
