// kube-scheduler's retry of its unschedulable pods (the AssignedPodDelete requeue, a node change…),
// walked from the pending index (api/pending-index.ts) instead of every pod. Pods are retried in queue
// order (priority, then creation), one by one while pods of their scheduling signature keep being
// placed. Once one fails, the next of its signature fails alike as long as nothing was placed in
// between (the cluster only fills up within a round); when that failure is the message the pod
// already shows, nothing is written for it (the scheduler's updatePod writes nothing for an unchanged
// condition), and its FailedScheduling repeat (a series in being: count and last observation only, in
// the broadcaster's cache) is counted for the group's round instead of for the pod. A pod's series is
// brought up to date with the rounds it was counted in (event-series.ts repeatSeries) before anything
// reads it: its next own attempt, its leaving the queue, its series' periodic flush, or the group's
// timer, due before any of those rounds would have written something.
import {
  addGroup,
  allGroups,
  compact,
  dropGroup,
  groupOf,
  insertMember,
  isQueued,
  M,
  messageIndex,
  nextOrdinal,
  PENDING_VERSION,
  pendingBuilt,
  pendingRecord,
  queueCompare,
  retryMessage,
  rowOf,
  setRow,
  signatureOf,
  touchGroup,
  type Group,
  type Member,
} from '../api/pending-index.js';
import type { KObj } from '../api/types.js';
import type { Cluster } from './engine.js';
import { finishedAt, onSeriesFlush, repeatSeries, seriesEntry } from './event-series.js';

const REASON = 'FailedScheduling';
const COMPONENT = 'default-scheduler';
const REFRESH_MS = 30 * 60_000;
export const GROUP_TIMER = 'pending-series';

/** Tests turn grouping off to compare with retrying every pod one by one (and count what was counted). */
export const queueOptions = { grouped: true, counted: 0 };

/** One attempt at a pod: its failure message, or undefined (placed, or nothing to do). */
export type Attempt = (c: Cluster, key: string) => string | undefined;

interface Round {
  /** uids already reached in the round that is running */
  reached: Set<string>;
}

function round(c: Cluster): Round | undefined {
  return c.memo.get('pending/round') as Round | undefined;
}

/** Changes that may change a filter's outcome (a placement, a node, a claim): counted per invocation. */
export function stateVersion(c: Cluster): number {
  return (c.memo.get('pending/ver') as number | undefined) ?? 0;
}

export function bumpVersion(c: Cluster): void {
  c.memo.set('pending/ver', stateVersion(c) + 1);
}

/** uid → member of a group, per invocation. */
function byUid(c: Cluster, sig: string, g: Group): Map<string, Member> {
  const memo = `pending/uids/${sig}`;
  let m = c.memo.get(memo) as Map<string, Member> | undefined;
  if (!m || c.memo.get(`${memo}/of`) !== g) {
    m = new Map(g.m.map((x) => [x[M.uid], x]));
    c.memo.set(memo, m);
    c.memo.set(`${memo}/of`, g);
  }
  return m;
}

function nsOf(m: Member): string {
  return m[M.key].slice(0, m[M.key].indexOf('/'));
}

/** The member's series' last observation before the round running now (or its last if none runs). */
function lastObserved(g: Group, m: Member, limit: number): number {
  let last = m[M.last];
  for (const [r, t] of g.t) if (r > m[M.synced] && r <= limit) last = t;
  return last;
}

/** Applies to the member's series the rounds it was counted in and not yet brought up to date with. */
function resolve(c: Cluster, g: Group, m: Member): void {
  const rd = round(c);
  const limit = rd && !rd.reached.has(m[M.uid]) ? g.r - 1 : g.r;
  if (m[M.synced] >= limit) return;
  const times = g.t.filter(([r]) => r > m[M.synced] && r <= limit).map(([, t]) => t);
  if (times.length) {
    repeatSeries(c, m[M.uid], nsOf(m), REASON, COMPONENT, times);
    m[M.last] = times[times.length - 1];
  }
  m[M.synced] = limit;
}

/** After an attempt that recorded the pod's FailedScheduling itself: where its series stands. */
function syncAfterAttempt(c: Cluster, m: Member): void {
  const e = seriesEntry(c, m[M.uid], REASON, COMPONENT);
  m[M.last] = e && e[0] >= 2 ? e[3] : 0;
}

function join(c: Cluster, pod: KObj): void {
  const uid = pod.metadata.uid;
  const row = rowOf(c.state, uid) ?? ['', nextOrdinal(c.state)];
  const { sig, solo } = signatureOf(pod);
  const msg = retryMessage(pod);
  if (row[0] === sig) {
    const g = groupOf(c.state, sig)!;
    const m = byUid(c, sig, g).get(uid);
    if (m) {
      const i = messageIndex(g, msg);
      if (m[M.msg] !== i) {
        m[M.msg] = i;
        touchGroup(c.state, sig, g);
      }
      return;
    }
  }
  if (row[0]) leaveGroup(c, row[0], uid);
  const g = groupOf(c.state, sig) ?? addGroup(c.state, sig, solo);
  const e = seriesEntry(c, uid, REASON, COMPONENT);
  const m: Member = [uid, `${pod.metadata.namespace}/${pod.metadata.name}`, Number(pod.spec?.priority ?? 0), Date.parse(pod.metadata.creationTimestamp) || 0, row[1], messageIndex(g, msg), g.r, e && e[0] >= 2 ? e[3] : 0];
  // a pod joining while a round runs is not part of it
  if (round(c)) round(c)!.reached.add(uid);
  insertMember(g, m);
  byUid(c, sig, g).set(uid, m);
  touchGroup(c.state, sig, g);
  setRow(c.state, uid, [sig, row[1]]);
}

function leaveGroup(c: Cluster, sig: string, uid: string): void {
  const g = groupOf(c.state, sig);
  if (!g) return;
  const uids = byUid(c, sig, g);
  const m = uids.get(uid);
  if (!m) return;
  resolve(c, g, m);
  g.m.splice(g.m.indexOf(m), 1);
  uids.delete(uid);
  if (!g.m.length) dropGroup(c.state, sig);
  else touchGroup(c.state, sig, g);
}

/** Leaves the queue; `forget`: the pod will never be queued again (bound, deleted). */
function leave(c: Cluster, uid: string, forget: boolean): void {
  const row = rowOf(c.state, uid);
  if (!row) return;
  if (row[0]) leaveGroup(c, row[0], uid);
  if (forget) setRow(c.state, uid, undefined);
  else if (row[0]) setRow(c.state, uid, ['', row[1]]);
}

/** Indexes every pod (a store written before the index, or rebuilt after a repair). */
function build(c: Cluster): void {
  const rec = pendingRecord(c.state);
  for (const k of Object.keys(rec)) if (k === 'groups' || k.startsWith('g:') || k.startsWith('u:')) delete rec[k];
  c.state.counters.pendingIndex = PENDING_VERSION;
  for (const p of c.listAll('pods')) {
    if (p.spec?.nodeName || p.metadata.deletionTimestamp) continue;
    setRow(c.state, p.metadata.uid, ['', nextOrdinal(c.state)]);
    if (isQueued(p)) join(c, p);
  }
}

function ensureBuilt(c: Cluster): void {
  if (!pendingBuilt(c.state)) build(c);
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
    setRow(c.state, uid, ['', nextOrdinal(c.state)]);
    if (isQueued(pod)) join(c, pod);
    return;
  }
  // bound before and after: never queued (only the scheduler binds, and a bound pod leaves the queue)
  if (bound && ev.old?.spec?.nodeName) return;
  if (isQueued(pod)) join(c, pod);
  else leave(c, uid, bound || Boolean(pod.metadata.deletionTimestamp));
}

/** One attempt outside a round (a pod's own timer): its series first brought up to date. */
export function attemptOne(c: Cluster, key: string, pod: KObj | undefined, attempt: Attempt): string | undefined {
  const row = pod && pendingBuilt(c.state) ? rowOf(c.state, pod.metadata.uid) : undefined;
  const g = row?.[0] ? groupOf(c.state, row[0]) : undefined;
  const m = g ? byUid(c, row![0], g).get(pod!.metadata.uid) : undefined;
  if (g && m) {
    resolve(c, g, m);
    touchGroup(c.state, row![0], g);
  }
  const failed = attempt(c, key);
  // still queued (failed again): where its series now stands
  if (g && m && byUid(c, row![0], g).get(m[M.uid]) === m) syncAfterAttempt(c, m);
  return failed;
}

/**
 * Retries every queued pod in queue order. `eager`: each one attempted (the reference behaviour,
 * and what a group of pods that must be evaluated alone gets).
 */
export function retryQueued(c: Cluster, attempt: Attempt): void {
  ensureBuilt(c);
  const now = c.now();
  const groups = allGroups(c.state);
  const queue: [string, Group, Member][] = [];
  for (const [sig, g] of groups) {
    g.r++;
    g.t.push([g.r, now]);
    touchGroup(c.state, sig, g);
    for (const m of g.m) queue.push([sig, g, m]);
  }
  if (groups.length > 1) queue.sort((a, b) => queueCompare(a[2], b[2]));
  const rd: Round = { reached: new Set() };
  c.memo.set('pending/round', rd);
  const failed = new Map<string, { msg: string; ver: number }>();
  const counted = new Set<string>();
  const members = new Map(groups.map(([sig, g]) => [sig, byUid(c, sig, g)]));
  try {
    for (const [sig, g, m] of queue) {
      const uid = m[M.uid];
      // it left the queue meanwhile (a group left empty is dropped with its members)
      if (members.get(sig)!.get(uid) !== m) continue;
      const f = failed.get(sig);
      if (
        queueOptions.grouped &&
        !g.solo &&
        f &&
        f.ver === stateVersion(c) &&
        m[M.msg] >= 0 &&
        g.msgs[m[M.msg]] === f.msg &&
        m[M.last] > 0 &&
        finishedAt(lastObserved(g, m, g.r - 1)) > now
      ) {
        // fails alike, shows that message already, and its series is in being: counted for the round
        rd.reached.add(uid);
        counted.add(sig);
        queueOptions.counted++;
        continue;
      }
      resolve(c, g, m);
      m[M.synced] = g.r;
      rd.reached.add(uid);
      const msg = attempt(c, `pods/${m[M.key]}`);
      if (members.get(sig)!.get(uid) === m) syncAfterAttempt(c, m);
      if (msg !== undefined) failed.set(sig, { msg, ver: stateVersion(c) });
      else failed.delete(sig);
    }
  } finally {
    c.memo.delete('pending/round');
  }
  for (const [sig, g] of groups) {
    if (groupOf(c.state, sig) !== g) continue;
    compact(g);
    if (counted.has(sig)) armGroupTimer(c, sig, g);
  }
}

/**
 * The group's timer: before any round a member was counted in would have written something (the
 * broadcaster's 30-minute refresh after it, or the end of the member's series as it stood), every
 * member is brought up to date (repeatSeries schedules their own flushes as recordSeriesEvent does).
 */
function armGroupTimer(c: Cluster, sig: string, g: Group): void {
  let due = Infinity;
  for (const m of g.m) {
    if (m[M.synced] >= g.r) continue;
    const first = g.t.find(([r]) => r > m[M.synced]);
    if (!first) continue;
    due = Math.min(due, (Math.floor(first[1] / REFRESH_MS) + 1) * REFRESH_MS, finishedAt(m[M.last]));
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
  for (const m of g.m) resolve(c, g, m);
  compact(g);
  touchGroup(c.state, sig, g);
}

// a pod's series read by its periodic flush is first brought up to date
onSeriesFlush((c, uid, reason) => {
  if (reason !== REASON || !pendingBuilt(c.state)) return;
  const row = rowOf(c.state, uid);
  const g = row?.[0] ? groupOf(c.state, row[0]) : undefined;
  const m = g && byUid(c, row![0], g).get(uid);
  if (!g || !m || m[M.synced] >= g.r) return;
  resolve(c, g, m);
  touchGroup(c.state, row![0], g);
});
