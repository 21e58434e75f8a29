// The PersistentVolume controller (pkg/controller/volume/persistentvolume) and the protection
// controllers: binds claims to matching volumes (or asks the class's provisioner for one), keeps both
// sides' phases (Available, Bound, Released), reclaims a released volume (Delete removes it, Retain
// keeps it Released), and holds a claim in use by a pod (`kubernetes.io/pvc-protection`) or a bound
// volume (`kubernetes.io/pv-protection`) until it is free.
import type { ChangeEvent } from '../../api/server.js';
import type { KObj } from '../../api/types.js';
import { storageClassOf } from '../../api/defaults/storage.js';
import { parseQuantity } from '../../api/quantity.js';
import { resourceForKind } from '../../api/registry.js';
import { isoTime } from '../clock.js';
import type { Cluster, Controller } from '../engine.js';
import { periodsBehind } from '../skip.js';
import { recordEvent } from '../events.js';
import { POD } from '../keys.js';
import { announceProvisioning, provisioningFailed, canProvision, deleteVolume, LOCAL_PATH_DELAY_MS, LOCAL_PATH_PROVISIONER, provision, SELECTED_NODE, storageClassFor } from './provisioner.js';
import { PV, PVC } from './storage-keys.js';

const SOURCE = { component: 'persistentvolume-controller' };
const CLAIM_SYNC = 'pv-claim-sync';
const VOLUME_SYNC = 'pv-volume-sync';
const PVC_PROTECTION = 'kubernetes.io/pvc-protection';
const PV_PROTECTION = 'kubernetes.io/pv-protection';
const LOCAL_PATH_PROVISION = 'local-path-provision';
const CLAIM_RESYNC = 'pv-claim-resync';
const RESYNC_MS = 15_000;

const bytes = (q: unknown): bigint => {
  const p = parseQuantity(q);
  return p ? p.nano : 0n;
};

function setPhase(c: Cluster, obj: KObj, phase: string): void {
  if (obj.status?.phase === phase) return;
  obj.status = { ...(obj.status ?? {}), phase };
  if (obj.kind === 'PersistentVolume') obj.status.lastPhaseTransitionTime = c.isoNow();
}

/** findMatchingVolume: the smallest Available volume of the claim's class, modes and size. */
function findVolume(c: Cluster, claim: KObj): KObj | undefined {
  const cls = storageClassOf(claim);
  const want = bytes(claim.spec?.resources?.requests?.storage);
  const modes: string[] = claim.spec?.accessModes ?? [];
  let best: KObj | undefined;
  for (const pv of c.api.list(PV)) {
    if (pv.metadata.deletionTimestamp) continue;
    const ref = pv.spec?.claimRef;
    if (ref && !(ref.name === claim.metadata.name && ref.namespace === claim.metadata.namespace && (!ref.uid || ref.uid === claim.metadata.uid))) continue;
    if (!ref && pv.status?.phase !== 'Available') continue;
    if (storageClassOf(pv) !== cls) continue;
    if (claim.spec?.selector && !selectorMatches(claim.spec.selector, pv.metadata.labels ?? {})) continue;
    if ((pv.spec?.volumeMode ?? 'Filesystem') !== (claim.spec?.volumeMode ?? 'Filesystem')) continue;
    const have: string[] = pv.spec?.accessModes ?? [];
    if (!modes.every((m) => have.includes(m))) continue;
    const size = bytes(pv.spec?.capacity?.storage);
    if (size < want) continue;
    if (ref) return pv; // pre-bound to this claim
    if (!best || size < bytes(best.spec?.capacity?.storage)) best = pv;
  }
  return best;
}

/** A claim's label selector against a volume's labels (matchLabels and matchExpressions). */
function selectorMatches(sel: KObj, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  return ((sel.matchExpressions ?? []) as KObj[]).every((e) => {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const vals: string[] = (e.values ?? []).map(String);
    if (e.operator === 'In') return has && vals.includes(labels[e.key]);
    if (e.operator === 'NotIn') return !has || !vals.includes(labels[e.key]);
    if (e.operator === 'Exists') return has;
    if (e.operator === 'DoesNotExist') return !has;
    return false;
  });
}

function bind(c: Cluster, claim: KObj, found: KObj): void {
  const pv = structuredClone(found);
  if (!pv.spec.claimRef?.uid) {
    pv.spec.claimRef = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: claim.metadata.name, namespace: claim.metadata.namespace, resourceVersion: claim.metadata.resourceVersion, uid: claim.metadata.uid };
    pv.metadata.annotations = { ...(pv.metadata.annotations ?? {}), 'pv.kubernetes.io/bound-by-controller': 'yes' };
  }
  setPhase(c, pv, 'Bound');
  c.api.write(PV, pv);
  const cl = structuredClone(claim);
  cl.spec.volumeName = pv.metadata.name;
  cl.metadata.annotations = { ...(cl.metadata.annotations ?? {}), 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' };
  cl.status = { accessModes: pv.spec.accessModes, capacity: pv.spec.capacity, phase: 'Bound' };
  c.api.write(PVC, cl);
}

function annotateProvisioner(c: Cluster, claim: KObj, provisioner: string): KObj {
  const a = claim.metadata.annotations ?? {};
  if (a['volume.kubernetes.io/storage-provisioner'] === provisioner) return claim;
  const cl = structuredClone(claim);
  cl.metadata.annotations = { ...a, 'volume.beta.kubernetes.io/storage-provisioner': provisioner, 'volume.kubernetes.io/storage-provisioner': provisioner };
  return c.api.write(PVC, cl);
}

const MEMO_PENDING = 'pv-controller/pending';

/** Queues a claim's sync once however many changes ask for it at the same moment. */
function requestClaimSync(c: Cluster, key: string): void {
  const pending = (c.memo.get(MEMO_PENDING) as Set<string> | undefined) ?? new Set<string>();
  c.memo.set(MEMO_PENDING, pending);
  if (pending.has(key)) return;
  pending.add(key);
  // one queued by an earlier command (this command's memo does not know it)
  if (c.hasTimer(key, CLAIM_SYNC)) return;
  c.schedule(0, CLAIM_SYNC, key);
}

/** syncUnboundClaim and syncBoundClaim. */
function syncClaim(c: Cluster, key: string): void {
  (c.memo.get(MEMO_PENDING) as Set<string> | undefined)?.delete(key);
  const [, ns, name] = key.split('/');
  let claim = c.api.peek(PVC, ns, name);
  if (!claim) return;
  if (claim.metadata.deletionTimestamp) return releaseIfUnused(c, claim);
  if (claim.spec?.volumeName) {
    const pv = c.api.peek(PV, undefined, claim.spec.volumeName);
    if (pv && claim.status?.phase !== 'Bound' && (!pv.spec?.claimRef || pv.spec.claimRef.uid === claim.metadata.uid)) bind(c, claim, pv);
    else if (!pv && claim.status?.phase === 'Bound') {
      const cl = structuredClone(claim);
      setPhase(c, cl, 'Lost');
      c.api.write(PVC, cl);
      recordEvent(c, claim, 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!', SOURCE);
    }
    return;
  }
  const clsName = storageClassOf(claim);
  const sc = storageClassFor(c, clsName);
  const delayed = sc?.volumeBindingMode === 'WaitForFirstConsumer' && !claim.metadata.annotations?.[SELECTED_NODE];
  if (delayed) {
    recordEvent(c, claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding', SOURCE);
    return resyncLater(c, key, claim, 'WaitForFirstConsumer');
  }
  const pv = findVolume(c, claim);
  if (pv) return bind(c, claim, pv);
  if (sc) {
    if (c.hasTimer(key, LOCAL_PATH_PROVISION)) return; // the helper pod is making the directory
    claim = annotateProvisioner(c, claim, sc.provisioner);
    recordEvent(
      c,
      claim,
      'Normal',
      'ExternalProvisioning',
      `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
      SOURCE,
    );
    if (!canProvision(sc.provisioner)) return resyncLater(c, key, claim, 'ExternalProvisioning');
    if (claim.spec?.selector) {
      if (announceProvisioning(c, claim, sc)) provisioningFailed(c, claim, sc, 'claim Selector is not supported');
      return resyncLater(c, key, claim, ['ExternalProvisioning', 'Provisioning', 'ProvisioningFailed']);
    }
    if (sc.provisioner === LOCAL_PATH_PROVISIONER) {
      if (announceProvisioning(c, claim, sc)) c.schedule(LOCAL_PATH_DELAY_MS, LOCAL_PATH_PROVISION, key);
      return;
    }
    const made = provision(c, claim, sc);
    const fresh = c.api.peek(PVC, ns, name);
    if (made && fresh) bind(c, fresh, made);
    return;
  }
  if (clsName) recordEvent(c, claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${clsName}" not found`, SOURCE);
  else recordEvent(c, claim, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set', SOURCE);
  resyncLater(c, key, claim, clsName ? 'ProvisioningFailed' : 'FailedBinding');
}

/**
 * The controller resyncs its claims every 15 s: a claim still waiting says so again (the event's
 * count grows). Far behind a catch-up's target the periods up to the replayed window are counted.
 */
function resyncLater(c: Cluster, key: string, claim: KObj, reason: string | string[]): void {
  const reasons = Array.isArray(reason) ? reason : [reason];
  if (c.hasTimer(key, CLAIM_RESYNC)) return;
  const turns = periodsBehind(c, RESYNC_MS);
  if (turns) {
    const def = resourceForKind('v1', 'Event')!;
    for (const e of c.api.eventsNamed(claim.metadata.namespace, claim.metadata.name)) {
      if (e.involvedObject?.uid !== claim.metadata.uid || !reasons.includes(e.reason)) continue;
      const updated = structuredClone(e);
      updated.count = (updated.count ?? 1) + turns;
      updated.lastTimestamp = isoTime(Date.parse(updated.lastTimestamp) + turns * RESYNC_MS);
      c.api.write(def, updated);
    }
  }
  c.schedule(RESYNC_MS * (1 + turns), CLAIM_RESYNC, key);
}

/** local-path's helper pod is done: the volume is created and bound. */
function localPathDone(c: Cluster, key: string): void {
  const [, ns, name] = key.split('/');
  const claim = c.api.peek(PVC, ns, name);
  if (!claim || claim.spec?.volumeName || claim.metadata.deletionTimestamp) return;
  const sc = storageClassFor(c, storageClassOf(claim));
  if (!sc) return;
  const made = provision(c, claim, sc, false);
  const fresh = c.api.peek(PVC, ns, name);
  if (made && fresh) bind(c, fresh, made);
}

/** A claim's sync run now (the scheduler's PreBind after it picked a node for a delayed claim). */
export function syncClaimNow(c: Cluster, namespace: string, name: string): void {
  syncClaim(c, `persistentvolumeclaims/${namespace}/${name}`);
}

/** syncVolume: a new volume becomes Available (or binds to the claim it names). */
function syncVolume(c: Cluster, name: string): void {
  const pv = c.api.peek(PV, undefined, name);
  if (!pv) return;
  if (pv.metadata.deletionTimestamp) {
    if (pv.status?.phase !== 'Bound' && pv.metadata.finalizers?.includes(PV_PROTECTION)) {
      const next = structuredClone(pv);
      next.metadata.finalizers = next.metadata.finalizers.filter((f: string) => f !== PV_PROTECTION);
      c.api.write(PV, next);
    }
    return;
  }
  const ref = pv.spec?.claimRef;
  if (!ref) {
    if (pv.status?.phase !== 'Available') {
      const next = structuredClone(pv);
      setPhase(c, next, 'Available');
      c.api.write(PV, next);
      // unbound claims may match it now
      for (const claim of c.api.list(PVC)) if (!claim.spec?.volumeName && !claim.metadata.deletionTimestamp) requestClaimSync(c, `persistentvolumeclaims/${claim.metadata.namespace}/${claim.metadata.name}`);
    }
    return;
  }
  const claim = c.api.peek(PVC, ref.namespace, ref.name);
  if (claim && (!ref.uid || ref.uid === claim.metadata.uid)) {
    if (!claim.spec?.volumeName && pv.status?.phase !== 'Bound') requestClaimSync(c, `persistentvolumeclaims/${ref.namespace}/${ref.name}`);
    return;
  }
  if (ref.uid && pv.status?.phase === 'Bound') reclaim(c, pv);
  else if (!ref.uid && pv.status?.phase === 'Pending') {
    const next = structuredClone(pv);
    setPhase(c, next, 'Available');
    c.api.write(PV, next);
  }
}

/** The claim is gone: the volume is Released and reclaimed by its policy. */
function reclaim(c: Cluster, found: KObj): void {
  const pv = structuredClone(found);
  setPhase(c, pv, 'Released');
  c.api.write(PV, pv);
  if (pv.spec.persistentVolumeReclaimPolicy === 'Delete') deleteVolume(c, pv);
}

function claimInUse(c: Cluster, claim: KObj): boolean {
  return c.api.list(POD, claim.metadata.namespace).some(
    (p) =>
      p.status?.phase !== 'Succeeded' &&
      p.status?.phase !== 'Failed' &&
      (p.spec?.volumes ?? []).some((v: KObj) => v.persistentVolumeClaim?.claimName === claim.metadata.name || (v.ephemeral && `${p.metadata.name}-${v.name}` === claim.metadata.name)),
  );
}

function releaseIfUnused(c: Cluster, claim: KObj): void {
  if (!claim.metadata.finalizers?.includes(PVC_PROTECTION) || claimInUse(c, claim)) return;
  const next = structuredClone(claim);
  next.metadata.finalizers = next.metadata.finalizers.filter((f: string) => f !== PVC_PROTECTION);
  c.api.write(PVC, next);
}

const claimKey = (o: KObj) => `persistentvolumeclaims/${o.metadata.namespace}/${o.metadata.name}`;

export const persistentVolumeController: Controller = {
  name: 'persistentvolume',
  onChange(c: Cluster, ev: ChangeEvent) {
    const kind = ev.def.kind;
    if (kind === 'PersistentVolumeClaim') {
      if (ev.type === 'DELETED') {
        const pvName = ev.obj.spec?.volumeName;
        if (pvName) c.schedule(0, VOLUME_SYNC, `persistentvolumes/${pvName}`);
        return;
      }
      const o = ev.old;
      if (ev.type === 'ADDED' || (o && (o.metadata.deletionTimestamp !== ev.obj.metadata.deletionTimestamp || o.metadata.annotations?.[SELECTED_NODE] !== ev.obj.metadata.annotations?.[SELECTED_NODE]))) {
        requestClaimSync(c, claimKey(ev.obj));
      }
      return;
    }
    if (kind === 'PersistentVolume') {
      const o = ev.old;
      const refChanged = o && JSON.stringify(o.spec?.claimRef ?? null) !== JSON.stringify(ev.obj.spec?.claimRef ?? null);
      if (ev.type === 'ADDED' || refChanged || (o && (o.metadata.deletionTimestamp !== ev.obj.metadata.deletionTimestamp || o.status?.phase !== ev.obj.status?.phase))) {
        c.schedule(0, VOLUME_SYNC, `persistentvolumes/${ev.obj.metadata.name}`);
      }
      return;
    }
    if (kind === 'Pod') {
      // a pod that stops using claims may free one that is being deleted
      const gone = ev.type === 'DELETED' || (ev.type === 'MODIFIED' && ['Succeeded', 'Failed'].includes(ev.obj.status?.phase) && ev.old?.status?.phase !== ev.obj.status?.phase);
      if (!gone) return;
      for (const v of ev.obj.spec?.volumes ?? []) {
        const name = v.persistentVolumeClaim?.claimName ?? (v.ephemeral ? `${ev.obj.metadata.name}-${v.name}` : undefined);
        if (!name) continue;
        const claim = c.api.peek(PVC, ev.obj.metadata.namespace, name);
        if (claim?.metadata.deletionTimestamp) requestClaimSync(c, claimKey(claim));
      }
    }
  },
  timers: {
    [CLAIM_SYNC]: (c: Cluster, t: { key: string }) => syncClaim(c, t.key),
    [CLAIM_RESYNC]: (c: Cluster, t: { key: string }) => syncClaim(c, t.key),
    [VOLUME_SYNC]: (c: Cluster, t: { key: string }) => syncVolume(c, t.key.slice('persistentvolumes/'.length)),
    [LOCAL_PATH_PROVISION]: (c: Cluster, t: { key: string }) => localPathDone(c, t.key),
  },
};
