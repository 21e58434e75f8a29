// The scheduler's queue of unschedulable pods, kept beside the objects (as owner-index.ts keeps its
// indexes) so that a retry of every Pending pod (kube-scheduler's AssignedPodDelete requeue) need not
// read them: pods are grouped by a scheduling signature (a hash of every field a filter reads), each
// group holding its members in queue order (priority, then creation) with what a retry needs to know
// without the pod: its last failure message and its FailedScheduling series' bookkeeping.
//
// Stored as the sharded record `@pending` (state.objects['@pending'], not an API kind):
//   `g:<sig>` → Group, `u:<uid>` → [sig or '', queue ordinal], `groups` → every group's sig.
import type { KObj } from './types.js';
import type { StoreState } from '../store/state.js';
import { fnv1a } from './fnv.js';

/** The index's version in counters.pendingIndex (a store without it is indexed anew on first use). */
export const PENDING_VERSION = 1;
export const PENDING_RECORD = '@pending';

/**
 * One queued pod: uid, `ns/name`, priority, creation (ms), ordinal (creation order), its condition's
 * message (an index into the group's msgs; -1: none a retry may assume), the group round its event
 * series was last brought up to date at, and that series' last observation when it already is a
 * series (count ≥ 2; 0 otherwise).
 */
export type Member = [string, string, number, number, number, number, number, number];
export const M = { uid: 0, key: 1, prio: 2, created: 3, ord: 4, msg: 5, synced: 6, last: 7 } as const;

export interface Group {
  /** 1: each member is evaluated alone (pod affinity, volume claims: a placement may change its outcome) */
  solo: 0 | 1;
  /** retries of the group so far */
  r: number;
  /** [round, simulated ms] of the rounds some member has not been brought up to date with */
  t: [number, number][];
  msgs: string[];
  m: Member[];
}

type Rec = Record<string, unknown>;

export function pendingRecord(state: StoreState): Rec {
  return (state.objects[PENDING_RECORD] ??= {}) as unknown as Rec;
}

export function pendingBuilt(state: StoreState): boolean {
  return state.counters.pendingIndex === PENDING_VERSION;
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

/** Queue order: higher priority first, then older, then created first. */
export function queueCompare(a: Member, b: Member): number {
  return b[M.prio] - a[M.prio] || a[M.created] - b[M.created] || a[M.ord] - b[M.ord];
}

export function groupOf(state: StoreState, sig: string): Group | undefined {
  return pendingRecord(state)[`g:${sig}`] as Group | undefined;
}

export function allGroups(state: StoreState): [string, Group][] {
  const rec = pendingRecord(state);
  const sigs = (rec.groups as string[] | undefined) ?? [];
  return sigs.map((s) => [s, rec[`g:${s}`] as Group]);
}

/** [sig ('' when not queued), ordinal] of a pod known to the queue. */
export function rowOf(state: StoreState, uid: string): [string, number] | undefined {
  return pendingRecord(state)[`u:${uid}`] as [string, number] | undefined;
}

export function setRow(state: StoreState, uid: string, row: [string, number] | undefined): void {
  const rec = pendingRecord(state);
  if (row) rec[`u:${uid}`] = row;
  else delete rec[`u:${uid}`];
}

export function nextOrdinal(state: StoreState): number {
  return (state.counters.pendingOrd = (state.counters.pendingOrd ?? 0) + 1);
}

/** Marks a group's entry changed (its shard is saved again) and returns it. */
export function touchGroup(state: StoreState, sig: string, g: Group): void {
  pendingRecord(state)[`g:${sig}`] = g;
}

export function addGroup(state: StoreState, sig: string, solo: 0 | 1): Group {
  const rec = pendingRecord(state);
  const g: Group = { solo, r: 0, t: [], msgs: [], m: [] };
  rec[`g:${sig}`] = g;
  rec.groups = [...((rec.groups as string[] | undefined) ?? []), sig];
  return g;
}

export function dropGroup(state: StoreState, sig: string): void {
  const rec = pendingRecord(state);
  delete rec[`g:${sig}`];
  rec.groups = ((rec.groups as string[] | undefined) ?? []).filter((s) => s !== sig);
}

/** The index of a message in the group's table (added when new; unused ones are dropped by compact). */
export function messageIndex(g: Group, msg: string | undefined): number {
  if (msg === undefined) return -1;
  let i = g.msgs.indexOf(msg);
  if (i < 0) i = g.msgs.push(msg) - 1;
  return i;
}

/** Inserts a member at its queue position. */
export function insertMember(g: Group, m: Member): void {
  let lo = 0;
  let hi = g.m.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (queueCompare(g.m[mid], m) <= 0) lo = mid + 1;
    else hi = mid;
  }
  g.m.splice(lo, 0, m);
}

export function findMember(g: Group, uid: string): number {
  return g.m.findIndex((m) => m[M.uid] === uid);
}

/** Forgets rounds every member is up to date with, and messages no member holds. */
export function compact(g: Group): void {
  let min = g.r;
  for (const m of g.m) if (m[M.synced] < min) min = m[M.synced];
  g.t = g.t.filter(([r]) => r > min);
  if (g.msgs.length > 1) {
    const used = new Set(g.m.map((m) => m[M.msg]));
    if (used.size < g.msgs.length) {
      const keep = g.msgs.map((_, i) => used.has(i));
      const to = new Map<number, number>();
      const msgs: string[] = [];
      g.msgs.forEach((s, i) => {
        if (keep[i]) to.set(i, msgs.push(s) - 1);
      });
      for (const m of g.m) m[M.msg] = m[M.msg] < 0 ? -1 : to.get(m[M.msg])!;
      g.msgs = msgs;
    }
  }
}
