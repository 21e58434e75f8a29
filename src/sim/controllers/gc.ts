// The garbage collector (kube-controller-manager's garbagecollector): objects whose
// metadata.ownerReferences name a deleted owner are deleted after it (background propagation), or
// before it while it waits with the `foregroundDeletion` finalizer, or released from it when it is
// deleted with the `orphan` finalizer.
import { dependentsByUid, findByUid } from '../../api/owner-index.js';
import { POLICY_FINALIZER } from '../../api/server.js';
import type { KObj, ResourceDef } from '../../api/types.js';
import type { Cluster, Controller } from '../engine.js';

interface Ref {
  def: ResourceDef;
  namespace: string | undefined;
  name: string;
}

function refOf(def: ResourceDef, o: KObj): Ref {
  return { def, namespace: def.namespaced ? o.metadata.namespace : undefined, name: o.metadata.name };
}

function byUid(c: Cluster, uid: string): { ref: Ref; obj: KObj } | undefined {
  const found = findByUid(c.state, uid);
  return found && { ref: refOf(found.def, found.obj), obj: found.obj };
}

/** The live dependents of an owner (each once), from the API server's owner index. */
export function dependentsOf(c: Cluster, ownerUid: string): { ref: Ref; obj: KObj }[] {
  return dependentsByUid(c.state, ownerUid).map(({ def, obj }) => ({ ref: refOf(def, obj), obj }));
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
