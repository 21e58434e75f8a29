// The garbage collector (kube-controller-manager's garbagecollector): objects whose
// metadata.ownerReferences name a deleted owner are deleted after it (background propagation), or
// before it while it waits with the `foregroundDeletion` finalizer, or released from it when it is
// deleted with the `orphan` finalizer.
import { objectKey, POLICY_FINALIZER } from '../../api/server.js';
import { allResources, resourceKey } from '../../api/registry.js';
import type { KObj, ResourceDef } from '../../api/types.js';
import type { Cluster, Controller } from '../engine.js';

interface Ref {
  def: ResourceDef;
  namespace: string | undefined;
  name: string;
}

interface Index {
  /** owner uid → dependents (checked again on use) */
  dependents: Map<string, Ref[]>;
  /** uid → where the object is stored */
  byUid: Map<string, Ref>;
}

const MEMO = 'gc-index';

function refOf(def: ResourceDef, o: KObj): Ref {
  return { def, namespace: def.namespaced ? o.metadata.namespace : undefined, name: o.metadata.name };
}

function addToIndex(idx: Index, def: ResourceDef, o: KObj): void {
  const uid = o.metadata?.uid;
  if (uid) idx.byUid.set(uid, refOf(def, o));
  for (const r of o.metadata?.ownerReferences ?? []) {
    if (!r?.uid) continue;
    const list = idx.dependents.get(r.uid);
    if (list) list.push(refOf(def, o));
    else idx.dependents.set(r.uid, [refOf(def, o)]);
  }
}

/** Built once per invocation from the store, then kept up to date by change notifications. */
function index(c: Cluster): Index {
  let idx = c.memo.get(MEMO) as Index | undefined;
  if (idx) return idx;
  idx = { dependents: new Map(), byUid: new Map() };
  for (const def of allResources()) {
    if (def.kind === 'Event') continue;
    for (const o of Object.values(c.state.objects[resourceKey(def)] ?? {})) addToIndex(idx, def, o);
  }
  c.memo.set(MEMO, idx);
  return idx;
}

function lookup(c: Cluster, ref: Ref): KObj | undefined {
  return c.state.objects[resourceKey(ref.def)]?.[objectKey(ref.def, ref.namespace, ref.name)];
}

function byUid(c: Cluster, uid: string): { ref: Ref; obj: KObj } | undefined {
  const ref = index(c).byUid.get(uid);
  const obj = ref && lookup(c, ref);
  return obj && obj.metadata.uid === uid ? { ref: ref!, obj } : undefined;
}

/** The live dependents of an owner (each once). */
export function dependentsOf(c: Cluster, ownerUid: string): { ref: Ref; obj: KObj }[] {
  const seen = new Set<string>();
  const out: { ref: Ref; obj: KObj }[] = [];
  for (const ref of index(c).dependents.get(ownerUid) ?? []) {
    const obj = lookup(c, ref);
    const id = obj?.metadata.uid;
    if (!obj || seen.has(id) || !(obj.metadata.ownerReferences ?? []).some((r: KObj) => r?.uid === ownerUid)) continue;
    seen.add(id);
    out.push({ ref, obj });
  }
  return out;
}

function withoutOwner(obj: KObj, uid: string): KObj {
  const refs = (obj.metadata.ownerReferences ?? []).filter((r: KObj) => r?.uid !== uid);
  const meta = { ...obj.metadata, ownerReferences: refs };
  if (!refs.length) delete meta.ownerReferences;
  return { ...obj, metadata: meta };
}

function deleteDependent(c: Cluster, ref: Ref, obj: KObj, ownerUid: string, policy: 'Background' | 'Foreground'): void {
  // another owner still alive keeps the object; it only loses the reference to this one
  const others = (obj.metadata.ownerReferences ?? []).filter((r: KObj) => r?.uid && r.uid !== ownerUid && byUid(c, r.uid) && !byUid(c, r.uid)!.obj.metadata.deletionTimestamp);
  if (others.length) {
    c.api.write(ref.def, withoutOwner(obj, ownerUid));
    return;
  }
  if (obj.metadata.deletionTimestamp) return;
  c.api.delete(ref.def, ref.namespace, ref.name, { propagationPolicy: policy });
}

/** An owner is gone (background deletion): its dependents follow. */
function collectOrphans(c: Cluster, uid: string): void {
  if (byUid(c, uid)) return;
  for (const { ref, obj } of dependentsOf(c, uid)) deleteDependent(c, ref, obj, uid, 'Background');
}

function withoutFinalizer(obj: KObj, f: string): KObj {
  const finalizers = (obj.metadata.finalizers ?? []).filter((x: string) => x !== f);
  const meta = { ...obj.metadata, finalizers };
  if (!finalizers.length) delete meta.finalizers;
  return { ...obj, metadata: meta };
}

/** Foreground deletion: dependents go first (blocking ones awaited), then the owner's finalizer. */
function foreground(c: Cluster, uid: string): void {
  const found = byUid(c, uid);
  if (!found || !found.obj.metadata.finalizers?.includes(POLICY_FINALIZER.Foreground)) return;
  const deps = dependentsOf(c, uid);
  for (const { ref, obj } of deps) deleteDependent(c, ref, obj, uid, 'Foreground');
  const blocking = dependentsOf(c, uid).filter(({ obj }) =>
    (obj.metadata.ownerReferences ?? []).some((r: KObj) => r?.uid === uid && r.blockOwnerDeletion),
  );
  if (!blocking.length) c.api.write(found.ref.def, withoutFinalizer(found.obj, POLICY_FINALIZER.Foreground));
}

/** Orphan deletion: dependents lose their reference to the owner, then the owner goes. */
function orphan(c: Cluster, uid: string): void {
  const found = byUid(c, uid);
  if (!found || !found.obj.metadata.finalizers?.includes(POLICY_FINALIZER.Orphan)) return;
  for (const { ref, obj } of dependentsOf(c, uid)) c.api.write(ref.def, withoutOwner(obj, uid));
  const now = byUid(c, uid);
  if (now) c.api.write(now.ref.def, withoutFinalizer(now.obj, POLICY_FINALIZER.Orphan));
}

export const garbageCollector: Controller = {
  name: 'garbage-collector',
  onChange(c, ev) {
    if (ev.def.kind === 'Event') return;
    const idx = c.memo.get(MEMO) as Index | undefined;
    if (idx && ev.type !== 'DELETED') addToIndex(idx, ev.def, ev.obj);
    const meta = ev.obj.metadata ?? {};
    if (ev.type === 'DELETED') {
      if (meta.uid) c.schedule(0, 'gc-orphans', `gc/${meta.uid}`, { uid: meta.uid });
      // an owner waiting in foreground deletion may now be free to go
      for (const r of meta.ownerReferences ?? []) if (r?.uid && r.blockOwnerDeletion) c.schedule(0, 'gc-foreground', `gc/${r.uid}`, { uid: r.uid });
      return;
    }
    if (!meta.deletionTimestamp || ev.old?.metadata?.deletionTimestamp) return;
    if (meta.finalizers?.includes(POLICY_FINALIZER.Foreground)) c.schedule(0, 'gc-foreground', `gc/${meta.uid}`, { uid: meta.uid });
    if (meta.finalizers?.includes(POLICY_FINALIZER.Orphan)) c.schedule(0, 'gc-orphan', `gc/${meta.uid}`, { uid: meta.uid });
  },
  timers: {
    'gc-orphans': (c, t) => collectOrphans(c, String(t.data?.uid)),
    'gc-foreground': (c, t) => foreground(c, String(t.data?.uid)),
    'gc-orphan': (c, t) => orphan(c, String(t.data?.uid)),
  },
};
