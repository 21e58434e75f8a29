// The scheduler's queue of unschedulable pods, kept beside the objects (as owner-index.ts keeps its
// indexes) so that a retry of every Pending pod (kube-scheduler's AssignedPodDelete requeue) need not
// read them: pods are grouped by a scheduling signature (a hash of every field a filter reads), each
// group holding its members in queue order (creation, then creation order; the priority is the
// group's) with what a retry needs to know without the pod: its last failure message and its
// FailedScheduling series' bookkeeping. A group's members are kept in chunks, each summarised in the
// group's entry, so that a retry reads only the chunks where something is to be done.
//
// Stored in sharded records (state.objects[…], not API kinds), so that what a retry reads and writes
// (the groups' entries, a chunk, a node's usage) is not in the shards of the rows of thousands of pods:
//   `@pending`: `u:<uid>` → [sig or '', ordinal, creation (ms)] for every unbound pod;
//   `@psched`: `groups` → every group's sig, `g:<sig>` → Group (and node-usage.ts's `n:<node>`);
//   `@pchunks`: `c:<sig>:<id>` → a chunk's members.
// Version 2 kept them all in `@pending`; its groups and chunks are moved on first use.
import type { KObj } from './types.js';
import type { StoreState } from '../store/state.js';
import { fnv1a } from './fnv.js';

/** The index's version in counters.pendingIndex (a store without it is indexed anew on first use). */
export const PENDING_VERSION = 3;
export const PENDING_RECORD = '@pending';
export const SCHED_RECORD = '@psched';
const CHUNKS_RECORD = '@pchunks';
/** Members per chunk, about (a chunk is split when it holds twice as many); tests make it small. */
export const pendingOptions = { chunk: 256 };

/**
 * One queued pod: uid, name, creation (ms), ordinal (creation order), its condition's message (an
 * index into the group's msgs; -1: none a retry may assume), the group round its event series was
 * last brought up to date at, and that series' last observation when it already is a series
 * (count ≥ 2; 0 otherwise).
 */
export type Member = [string, string, number, number, number, number, number];
export const M = { uid: 0, name: 1, created: 2, ord: 3, msg: 4, synced: 5, last: 6 } as const;

/**
 * A chunk's summary: id, members, first and last key (creation, ordinal), the message all its members
 * show (-1: not one), how many are not a series yet, the least round they are up to date with, and
 * the earliest last observation among the series.
 */
export type Chunk = [number, number, number, number, number, number, number, number, number, number];
export const C = { id: 0, n: 1, fc: 2, fo: 3, lc: 4, lo: 5, msg: 6, unsettled: 7, synced: 8, last: 9 } as const;

export interface Group {
  /** 1: each member is evaluated alone (pod affinity, volume claims: a placement may change its outcome) */
  solo: 0 | 1;
  prio: number;
  ns: string;
  /** retries of the group so far */
  r: number;
  /** [round, simulated ms] of the rounds some member has not been brought up to date with */
  t: [number, number][];
  msgs: string[];
  ch: Chunk[];
  /** the next chunk id */
  next: number;
}

type Rec = Record<string, unknown>;

function record(state: StoreState, name: string): Rec {
  return (state.objects[name] ??= {}) as unknown as Rec;
}

/** The pods' rows (`u:`). */
export function pendingRecord(state: StoreState): Rec {
  return record(state, PENDING_RECORD);
}

/** The groups' entries and node-usage.ts's (`groups`, `g:`, `n:`). */
export function schedRecord(state: StoreState): Rec {
  return record(state, SCHED_RECORD);
}

function chunksRecord(state: StoreState): Rec {
  return record(state, CHUNKS_RECORD);
}

/** Whether the index is there (one of version 2 is moved into version 3's records first). */
export function pendingBuilt(state: StoreState): boolean {
  if (state.counters.pendingIndex === 2) moveFromV2(state);
  return state.counters.pendingIndex === PENDING_VERSION;
}

/** Version 2's groups and chunks, kept in `@pending` beside the rows, moved into their own records. */
function moveFromV2(state: StoreState): void {
  const old = pendingRecord(state);
  const sched = schedRecord(state);
  const chunks = chunksRecord(state);
  const sigs = (old.groups as string[] | undefined) ?? [];
  for (const sig of sigs) {
    const g = old[`g:${sig}`] as Group | undefined;
    if (!g) continue;
    for (const ch of g.ch) {
      const key = `c:${sig}:${ch[C.id]}`;
      if (old[key] !== undefined) chunks[key] = old[key];
      delete old[key];
    }
    sched[`g:${sig}`] = g;
    delete old[`g:${sig}`];
  }
  if (sigs.length) sched.groups = sigs;
  delete old.groups;
  state.counters.pendingIndex = PENDING_VERSION;
}

/** Empties the index's records (all but node-usage.ts's entries) before it is built anew. */
export function clearPending(state: StoreState): void {
  for (const rec of [pendingRecord(state), schedRecord(state), chunksRecord(state)]) for (const k of Object.keys(rec)) if (!k.startsWith('n:')) delete rec[k];
}

/** What retryPending retries: unbound, not being deleted, marked Unschedulable. */
export function isQueued(pod: KObj | undefined): boolean {
  return Boolean(pod && !pod.spec?.nodeName && !pod.metadata?.deletionTimestamp && (pod.status?.conditions ?? []).some((x: KObj) => x.reason === 'Unschedulable'));
}

/** The PodScheduled=False/Unschedulable message a retry that fails alike leaves unwritten (undefined: none). */
export function retryMessage(pod: KObj): string | undefined {
  const cond = (pod.status?.conditions ?? []).find((x: KObj) => x.type === 'PodScheduled');
  return cond?.status === 'False' && cond.reason === 'Unschedulable' && cond.lastProbeTime === null && typeof cond.message === 'string' ? cond.message : undefined;
}

function usesClaims(pod: KObj): boolean {
  return (pod.spec?.volumes ?? []).some((v: KObj) => v.persistentVolumeClaim || v.ephemeral);
}

function resources(list: KObj[] | undefined): unknown[] {
  return (list ?? []).map((c) => [c.resources?.requests ?? null, c.resources?.limits ?? null, (c.ports ?? []).filter((p: KObj) => p.hostPort).map((p: KObj) => [p.hostPort, p.protocol ?? 'TCP', p.hostIP ?? ''])]);
}

/**
 * The scheduling signature: pods with the same one get the same outcome from every filter on the same
 * cluster (namespace and labels too: other pods' anti-affinity and claims are matched against them).
 */
export function signatureOf(pod: KObj): { sig: string; solo: 0 | 1 } {
  const s = pod.spec ?? {};
  const aff = s.affinity ?? {};
  if (aff.podAffinity || aff.podAntiAffinity || usesClaims(pod)) return { sig: `!${pod.metadata.uid}`, solo: 1 };
  const parts = [
    pod.metadata.namespace ?? '',
    pod.metadata.labels ?? null,
    s.schedulerName ?? '',
    s.priority ?? 0,
    s.preemptionPolicy ?? '',
    s.nodeSelector ?? null,
    aff.nodeAffinity ?? null,
    s.tolerations ?? null,
    resources(s.containers),
    resources(s.initContainers),
    s.overhead ?? null,
    s.topologySpreadConstraints ?? null,
    s.schedulingGates ?? null,
    s.resourceClaims ?? null,
    s.runtimeClassName ?? '',
    s.hostNetwork ?? false,
  ];
  const text = JSON.stringify(parts);
  return { sig: `${fnv1a(text).toString(36)}${text.length.toString(36)}`, solo: 0 };
}

/** Queue order within a group: older first, then created first. */
export function keyCompare(c1: number, o1: number, c2: number, o2: number): number {
  return c1 - c2 || o1 - o2;
}

export function groupOf(state: StoreState, sig: string): Group | undefined {
  return schedRecord(state)[`g:${sig}`] as Group | undefined;
}

export function allGroups(state: StoreState): [string, Group][] {
  const rec = schedRecord(state);
  const sigs = (rec.groups as string[] | undefined) ?? [];
  return sigs.map((s) => [s, rec[`g:${s}`] as Group]);
}

/** [sig ('' when not queued), ordinal, creation] of an unbound pod. */
export function rowOf(state: StoreState, uid: string): [string, number, number] | undefined {
  return pendingRecord(state)[`u:${uid}`] as [string, number, number] | undefined;
}

export function setRow(state: StoreState, uid: string, row: [string, number, number] | undefined): void {
  const rec = pendingRecord(state);
  if (row) rec[`u:${uid}`] = row;
  else delete rec[`u:${uid}`];
}

export function nextOrdinal(state: StoreState): number {
  return (state.counters.pendingOrd = (state.counters.pendingOrd ?? 0) + 1);
}

export function addGroup(state: StoreState, sig: string, solo: 0 | 1, pod: KObj): Group {
  const rec = schedRecord(state);
  const g: Group = { solo, prio: Number(pod.spec?.priority ?? 0), ns: pod.metadata.namespace, r: 0, t: [], msgs: [], ch: [], next: 0 };
  rec[`g:${sig}`] = g;
  rec.groups = [...((rec.groups as string[] | undefined) ?? []), sig];
  return g;
}

function dropGroup(state: StoreState, sig: string): void {
  const rec = schedRecord(state);
  delete rec[`g:${sig}`];
  rec.groups = ((rec.groups as string[] | undefined) ?? []).filter((s) => s !== sig);
}

/** Marks the group's entry changed (its shard is saved again). */
export function touchGroup(state: StoreState, sig: string, g: Group): void {
  schedRecord(state)[`g:${sig}`] = g;
}

/** The index of a message in the group's table (added when new). */
export function messageIndex(g: Group, msg: string | undefined): number {
  if (msg === undefined) return -1;
  let i = g.msgs.indexOf(msg);
  if (i < 0) i = g.msgs.push(msg) - 1;
  return i;
}

export function chunkMembers(state: StoreState, sig: string, ch: Chunk): Member[] {
  return (chunksRecord(state)[`c:${sig}:${ch[C.id]}`] as Member[] | undefined) ?? [];
}

/** Sums a chunk up again after its members changed, and marks both changed. */
export function chunkChanged(state: StoreState, sig: string, g: Group, ci: number, ms: Member[]): void {
  const ch = g.ch[ci];
  const rec = chunksRecord(state);
  if (!ms.length) {
    delete rec[`c:${sig}:${ch[C.id]}`];
    g.ch.splice(ci, 1);
    if (!g.ch.length) return dropGroup(state, sig);
    return touchGroup(state, sig, g);
  }
  let msg = ms[0][M.msg];
  let unsettled = 0;
  let synced = Infinity;
  let last = 0;
  for (const m of ms) {
    if (m[M.msg] !== msg) msg = -1;
    if (m[M.last] === 0) unsettled++;
    else if (!last || m[M.last] < last) last = m[M.last];
    if (m[M.synced] < synced) synced = m[M.synced];
  }
  const a = ms[0];
  const z = ms[ms.length - 1];
  g.ch[ci] = [ch[C.id], ms.length, a[M.created], a[M.ord], z[M.created], z[M.ord], msg, unsettled, synced, last];
  rec[`c:${sig}:${ch[C.id]}`] = ms;
  touchGroup(state, sig, g);
}

/** The first chunk whose last key is at or after the key (the last chunk when none is). */
export function chunkFor(g: Group, created: number, ord: number): number {
  let lo = 0;
  let hi = g.ch.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keyCompare(g.ch[mid][C.lc], g.ch[mid][C.lo], created, ord) < 0) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, g.ch.length - 1);
}

/** The position of the first member at or after the key. */
export function memberFor(ms: Member[], created: number, ord: number): number {
  let lo = 0;
  let hi = ms.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keyCompare(ms[mid][M.created], ms[mid][M.ord], created, ord) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Inserts a member at its queue position. */
export function insertMember(state: StoreState, sig: string, g: Group, m: Member): void {
  if (!g.ch.length) g.ch.push([g.next++, 0, 0, 0, 0, 0, -1, 0, 0, 0]);
  const ci = chunkFor(g, m[M.created], m[M.ord]);
  const ms = chunkMembers(state, sig, g.ch[ci]);
  ms.splice(memberFor(ms, m[M.created], m[M.ord]), 0, m);
  if (ms.length >= 2 * pendingOptions.chunk) {
    const rest = ms.splice(pendingOptions.chunk);
    g.ch.splice(ci + 1, 0, [g.next++, 0, 0, 0, 0, 0, -1, 0, 0, 0]);
    chunkChanged(state, sig, g, ci + 1, rest);
  }
  chunkChanged(state, sig, g, ci, ms);
}

/** Where a member is: [chunk, position], or undefined. */
export function findMember(state: StoreState, sig: string, g: Group, uid: string, created: number, ord: number): [number, Member[], number] | undefined {
  if (!g.ch.length) return undefined;
  const ci = chunkFor(g, created, ord);
  const ms = chunkMembers(state, sig, g.ch[ci]);
  const mi = memberFor(ms, created, ord);
  return ms[mi]?.[M.uid] === uid ? [ci, ms, mi] : undefined;
}

/** Forgets rounds every member is up to date with. */
export function compact(g: Group): void {
  let min = g.r;
  for (const ch of g.ch) if (ch[C.synced] < min) min = ch[C.synced];
  if (g.t.length && g.t[0][0] <= min) g.t = g.t.filter(([r]) => r > min);
}
