// Indexes the Deployment and ReplicaSet controllers share (built once per invocation from the store,
// then kept up to date from change notifications): pods and ReplicaSets by their controller's uid,
// the orphans of a namespace (candidates for adoption), and a dedup of queued syncs.
import { resourceForKind } from '../../api/registry.js';
import type { ChangeEvent } from '../../api/server.js';
import type { KObj, ResourceDef } from '../../api/types.js';
import type { Cluster } from '../engine.js';

export const DEPLOYMENT: ResourceDef = resourceForKind('apps/v1', 'Deployment')!;
export const REPLICASET: ResourceDef = resourceForKind('apps/v1', 'ReplicaSet')!;

interface OwnerIndex {
  /** controller uid → `ns/name` of the objects it controls */
  byOwner: Map<string, Set<string>>;
  /** namespace → names of objects without a controller */
  orphans: Map<string, Set<string>>;
}

export function controllerRef(o: KObj | undefined): KObj | undefined {
  return ((o?.metadata?.ownerReferences ?? []) as KObj[]).find((r) => r?.controller === true);
}

function add(idx: OwnerIndex, o: KObj): void {
  const ns = o.metadata.namespace ?? '';
  const ref = controllerRef(o);
  if (ref?.uid) {
    let s = idx.byOwner.get(ref.uid);
    if (!s) idx.byOwner.set(ref.uid, (s = new Set()));
    s.add(`${ns}/${o.metadata.name}`);
  } else {
    let s = idx.orphans.get(ns);
    if (!s) idx.orphans.set(ns, (s = new Set()));
    s.add(o.metadata.name);
  }
}

function drop(idx: OwnerIndex, o: KObj): void {
  const ns = o.metadata.namespace ?? '';
  const ref = controllerRef(o);
  if (ref?.uid) idx.byOwner.get(ref.uid)?.delete(`${ns}/${o.metadata.name}`);
  else idx.orphans.get(ns)?.delete(o.metadata.name);
}

function ownerIndex(c: Cluster, resource: string): OwnerIndex {
  const key = `workloads/owners/${resource}`;
  let idx = c.memo.get(key) as OwnerIndex | undefined;
  if (!idx) {
    idx = { byOwner: new Map(), orphans: new Map() };
    for (const o of Object.values(c.state.objects[resource] ?? {})) add(idx, o);
    c.memo.set(key, idx);
  }
  return idx;
}

const RESOURCE_OF: Record<string, string> = { Pod: 'pods', ReplicaSet: 'replicasets.apps' };

/** Keeps the indexes in step with a change (called first by the controllers' onChange). */
export function trackChange(c: Cluster, ev: ChangeEvent): void {
  const resource = RESOURCE_OF[ev.def.kind];
  if (!resource || !c.memo.has(`workloads/owners/${resource}`)) return;
  const idx = ownerIndex(c, resource);
  if (ev.old) drop(idx, ev.old);
  if (ev.type === 'DELETED') drop(idx, ev.obj);
  else add(idx, ev.obj);
}

function resolve(c: Cluster, def: ResourceDef, keys: Iterable<string>): KObj[] {
  const bucket = c.state.objects[def.group ? `${def.plural}.${def.group}` : def.plural] ?? {};
  const out: KObj[] = [];
  for (const k of keys) {
    const o = bucket[k];
    if (o) out.push(o);
  }
  return out;
}

/** Objects (stored, not copies) whose controller has this uid. */
export function controlledBy(c: Cluster, def: ResourceDef, uid: string): KObj[] {
  const resource = def.group ? `${def.plural}.${def.group}` : def.plural;
  return resolve(c, def, ownerIndex(c, resource).byOwner.get(uid) ?? []).filter((o) => controllerRef(o)?.uid === uid);
}

/** Objects of a namespace without a controller. */
export function orphansIn(c: Cluster, def: ResourceDef, ns: string): KObj[] {
  const resource = def.group ? `${def.plural}.${def.group}` : def.plural;
  const names = ownerIndex(c, resource).orphans.get(ns) ?? new Set<string>();
  return resolve(c, def, [...names].map((n) => `${ns}/${n}`)).filter((o) => !controllerRef(o));
}

function pendingSet(c: Cluster, type: string): Set<string> {
  const memoKey = `workloads/pending/${type}`;
  let pending = c.memo.get(memoKey) as Set<string> | undefined;
  if (!pending) {
    pending = new Set(c.state.timers.filter((t) => t.type === type).map((t) => t.key));
    c.memo.set(memoKey, pending);
  }
  return pending;
}

/** Schedules a timer unless one of that type is already pending for the key. */
export function scheduleOnce(c: Cluster, delayMs: number, type: string, key: string, data?: Record<string, unknown>): void {
  const pending = pendingSet(c, type);
  if (pending.has(key)) return;
  pending.add(key);
  c.schedule(delayMs, type, key, data);
}

/** Queues a controller sync now, once: a sync already waiting covers later changes. */
export function enqueue(c: Cluster, type: string, key: string): void {
  scheduleOnce(c, 0, type, key);
}

/** The queued sync runs: later changes queue a new one. */
export function dequeued(c: Cluster, type: string, key: string): void {
  (c.memo.get(`workloads/pending/${type}`) as Set<string> | undefined)?.delete(key);
}

export function isPodReady(pod: KObj): boolean {
  return ((pod.status?.conditions ?? []) as KObj[]).some((x) => x.type === 'Ready' && x.status === 'True');
}

export function podReadySince(pod: KObj): number | undefined {
  const cond = ((pod.status?.conditions ?? []) as KObj[]).find((x) => x.type === 'Ready' && x.status === 'True');
  return cond?.lastTransitionTime ? Date.parse(cond.lastTransitionTime) : undefined;
}

/** podutil.IsPodAvailable: ready, and for longer than minReadySeconds. */
export function isPodAvailable(pod: KObj, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const since = podReadySince(pod);
  return since !== undefined && since + minReadySeconds * 1000 < now;
}

/** controller.IsPodActive: not finished and not being deleted. */
export function isPodActive(pod: KObj): boolean {
  return pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

export function newControllerRef(owner: KObj): KObj {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true };
}

export function creationTime(o: KObj): number {
  return Date.parse(o.metadata?.creationTimestamp ?? '') || 0;
}

/** controller.ReplicaSetsByCreationTimestamp: oldest first, then by name. */
export function byCreation(a: KObj, b: KObj): number {
  const d = creationTime(a) - creationTime(b);
  if (d) return d;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}
