// The Deployment controller's sync.go: finding (or creating) the new ReplicaSet and the old ones with
// their revisions, scaling ReplicaSets (proportionally in the middle of a rolling update), cleaning
// up old revisions past revisionHistoryLimit, the status it computes, the paused condition.
import { StatusError } from '../../api/errors.js';
import type { KObj } from '../../api/types.js';
import type { Cluster } from '../engine.js';
import { recordEvent } from '../events.js';
import {
  REVISION,
  deploymentComplete,
  getCondition,
  hasProgressDeadline,
  isRollingUpdate,
  maxRevision,
  maxSurge,
  maxUnavailable,
  newCondition,
  newRSNewReplicas,
  replicaSetProportion,
  replicasAnnotationsNeedUpdate,
  replicasOf,
  revisionOf,
  setCondition,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  sumSpec,
  sumStatus,
  desiredReplicasAnnotation,
  isSaturated,
} from './deployment-util.js';
import { equalIgnoreHash, HASH_LABEL } from '../../api/pod-template.js';
import { computeHash } from './pod-template-hash.js';
import { DEPLOYMENT, REPLICASET, byCreation, controllerRef, creationTime, newControllerRef } from './workload-index.js';

export const SOURCE = { component: 'deployment-controller' };

/** UpdateStatus: the Deployment's status and metadata annotations (the status endpoint keeps spec and labels). */
export function writeStatus(c: Cluster, d: KObj): void {
  const stored = c.api.peek(DEPLOYMENT, d.metadata.namespace, d.metadata.name);
  if (!stored || stored.metadata.uid !== d.metadata.uid) return;
  const updated = structuredClone(stored);
  updated.status = orderStatus(d.status ?? {});
  if (d.metadata.annotations) updated.metadata.annotations = structuredClone(d.metadata.annotations);
  const written = c.api.write(DEPLOYMENT, updated);
  d.metadata.resourceVersion = written.metadata.resourceVersion;
}

function orderStatus(s: KObj): KObj {
  const out: KObj = {};
  const keys = ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'conditions', 'collisionCount'];
  for (const k of keys) if (s[k] !== undefined) out[k] = s[k];
  return out;
}

/** FilterActiveReplicaSets */
export const active = (rss: (KObj | undefined)[]): KObj[] => rss.filter((rs): rs is KObj => !!rs && replicasOf(rs) > 0);

/** FindNewReplicaSet: the oldest ReplicaSet whose template equals the Deployment's (the hash label aside). */
export function findNewReplicaSet(d: KObj, rsList: KObj[]): KObj | undefined {
  return [...rsList].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** SetDeploymentRevision */
function setDeploymentRevision(d: KObj, revision: string): boolean {
  const a = (d.metadata.annotations ??= {});
  if (a[REVISION] === revision) return false;
  a[REVISION] = revision;
  return true;
}

export interface RSState {
  newRS: KObj | undefined;
  oldRSs: KObj[];
}

/** getAllReplicaSetsAndSyncRevision */
export function getAllReplicaSets(c: Cluster, d: KObj, rsList: KObj[], create: boolean): RSState | undefined {
  const existing = findNewReplicaSet(d, rsList);
  const oldRSs = rsList.filter((rs) => rs !== existing);
  const newRS = getNewReplicaSet(c, d, rsList, oldRSs, existing, create);
  if (newRS === null) return undefined;
  return { newRS, oldRSs };
}

/** getNewReplicaSet: null when creating it failed (the sync is retried). */
function getNewReplicaSet(c: Cluster, d: KObj, rsList: KObj[], oldRSs: KObj[], existing: KObj | undefined, create: boolean): KObj | undefined | null {
  const newRevision = maxRevision(oldRSs) + 1;
  if (existing) {
    const rsCopy = structuredClone(existing);
    const changed = setNewReplicaSetAnnotations(d, rsCopy, newRevision, true);
    const minReady = d.spec?.minReadySeconds ?? 0;
    if (changed || (rsCopy.spec.minReadySeconds ?? 0) !== minReady) {
      if (minReady) rsCopy.spec.minReadySeconds = minReady;
      else delete rsCopy.spec.minReadySeconds;
      return c.api.update(REPLICASET, rsCopy);
    }
    let needsUpdate = setDeploymentRevision(d, rsCopy.metadata.annotations?.[REVISION] ?? '');
    if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing')) {
      setCondition((d.status ??= {}), newCondition(c.isoNow(), 'Progressing', 'True', 'FoundNewReplicaSet', `Found new replica set "${rsCopy.metadata.name}"`));
      needsUpdate = true;
    }
    if (needsUpdate) writeStatus(c, d);
    return existing;
  }
  if (!create) return undefined;
  const hash = computeHash(d.spec.template, d.status?.collisionCount);
  const template = structuredClone(d.spec.template);
  template.metadata ??= {};
  template.metadata.labels = { ...(template.metadata.labels ?? {}), [HASH_LABEL]: hash };
  const selector = structuredClone(d.spec.selector);
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [HASH_LABEL]: hash };
  const name = `${d.metadata.name}-${hash}`;
  const spec: KObj = { replicas: 0, selector, template };
  if (d.spec.minReadySeconds) spec.minReadySeconds = d.spec.minReadySeconds;
  const rs: KObj = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: d.metadata.namespace, labels: { ...template.metadata.labels }, ownerReferences: [newControllerRef(d)] },
    spec,
  };
  const count = newRSNewReplicas(d, [...oldRSs, rs], rs);
  rs.spec.replicas = count;
  setNewReplicaSetAnnotations(d, rs, newRevision, false);
  let created: KObj;
  let alreadyExists = false;
  try {
    created = c.api.create(REPLICASET, rs);
  } catch (e) {
    if (e instanceof StatusError && e.reason === 'AlreadyExists') {
      const found = c.api.peek(REPLICASET, d.metadata.namespace, name);
      if (found && controllerRef(found)?.uid === d.metadata.uid && equalIgnoreHash(found.spec?.template, d.spec.template)) {
        created = found;
        alreadyExists = true;
      } else {
        // a hash collision: the next sync hashes with a bumped collisionCount
        d.status = { ...(d.status ?? {}), collisionCount: Number(d.status?.collisionCount ?? 0) + 1 };
        writeStatus(c, d);
        return null;
      }
    } else {
      const msg = `Failed to create new replica set "${name}": ${e instanceof Error ? e.message : String(e)}`;
      setCondition((d.status ??= {}), newCondition(c.isoNow(), 'Progressing', 'False', 'ReplicaSetCreateError', msg));
      writeStatus(c, d);
      recordEvent(c, d, 'Warning', 'ReplicaSetCreateError', msg, SOURCE);
      return null;
    }
  }
  if (!alreadyExists && count > 0) recordEvent(c, d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${count}`, SOURCE);
  let needsUpdate = setDeploymentRevision(d, String(newRevision));
  if (!alreadyExists && hasProgressDeadline(d)) {
    setCondition((d.status ??= {}), newCondition(c.isoNow(), 'Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${created.metadata.name}"`));
    needsUpdate = true;
  }
  if (needsUpdate) writeStatus(c, d);
  void rsList;
  return created;
}

/** scaleReplicaSet: the new size and the replicas annotations; ScalingReplicaSet when the size changed. */
export function scaleReplicaSet(c: Cluster, d: KObj, rs: KObj, newScale: number, op: string): [boolean, KObj] {
  const sizeNeedsUpdate = replicasOf(rs) !== newScale;
  const desired = replicasOf(d);
  const max = desired + maxSurge(d);
  if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return [false, rs];
  const from = replicasOf(rs);
  const copy = structuredClone(rs);
  copy.spec.replicas = newScale;
  setReplicasAnnotations(copy, desired, max);
  const updated = c.api.update(REPLICASET, copy);
  if (sizeNeedsUpdate) recordEvent(c, d, 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${rs.metadata.name} from ${from} to ${newScale}`, SOURCE);
  return [sizeNeedsUpdate, updated];
}

/** scaleReplicaSetAndRecordEvent */
export function scaleAndRecord(c: Cluster, d: KObj, rs: KObj, newScale: number): [boolean, KObj] {
  if (replicasOf(rs) === newScale) return [false, rs];
  return scaleReplicaSet(c, d, rs, newScale, replicasOf(rs) < newScale ? 'up' : 'down');
}

/** FindActiveOrLatest */
function activeOrLatest(newRS: KObj | undefined, oldRSs: KObj[]): KObj | undefined {
  if (!newRS && !oldRSs.length) return undefined;
  const olds = [...oldRSs].sort(byCreation).reverse();
  const all = active([...olds, newRS]);
  if (all.length === 0) return newRS ?? olds[0];
  if (all.length === 1) return all[0];
  return undefined;
}

const bySizeThen = (newerFirst: boolean) => (a: KObj, b: KObj) => {
  if (replicasOf(a) !== replicasOf(b)) return replicasOf(b) - replicasOf(a);
  const t = creationTime(a) - creationTime(b);
  const order = t || (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0);
  return newerFirst ? -order : order;
};

/** scale: a scaling event (or a paused Deployment) resizes ReplicaSets without rolling anything out. */
export function scale(c: Cluster, d: KObj, newRS: KObj | undefined, oldRSs: KObj[]): void {
  const target = activeOrLatest(newRS, oldRSs);
  if (target) {
    if (replicasOf(target) !== replicasOf(d)) scaleAndRecord(c, d, target, replicasOf(d));
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const old of active(oldRSs)) scaleAndRecord(c, d, old, 0);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const all = active([...oldRSs, newRS]);
  const allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
  const toAdd = allowed - sumSpec(all);
  let op = '';
  if (toAdd > 0) {
    all.sort(bySizeThen(true));
    op = 'up';
  } else if (toAdd < 0) {
    all.sort(bySizeThen(false));
    op = 'down';
  }
  let added = 0;
  const sizes = new Map<string, number>();
  for (const rs of all) {
    if (toAdd !== 0) {
      const p = replicaSetProportion(rs, d, toAdd, added);
      sizes.set(rs.metadata.name, replicasOf(rs) + p);
      added += p;
    } else sizes.set(rs.metadata.name, replicasOf(rs));
  }
  all.forEach((rs, i) => {
    if (i === 0 && toAdd !== 0) sizes.set(rs.metadata.name, Math.max(0, sizes.get(rs.metadata.name)! + toAdd - added));
    scaleReplicaSet(c, d, rs, sizes.get(rs.metadata.name)!, op);
  });
}

/** cleanupDeployment: old ReplicaSets past revisionHistoryLimit, oldest revision first, when fully scaled down. */
export function cleanup(c: Cluster, d: KObj, oldRSs: KObj[]): void {
  const limit = d.spec?.revisionHistoryLimit;
  if (typeof limit !== 'number') return;
  const alive = oldRSs.filter((rs) => rs && !rs.metadata.deletionTimestamp);
  const diff = alive.length - limit;
  if (diff <= 0) return;
  alive.sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
  for (const rs of alive.slice(0, diff)) {
    const st = rs.status ?? {};
    if ((st.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata.generation ?? 0) > (st.observedGeneration ?? 0) || rs.metadata.deletionTimestamp) continue;
    c.api.delete(REPLICASET, rs.metadata.namespace, rs.metadata.name);
  }
}

/** calculateStatus */
export function calculateStatus(c: Cluster, allRSs: (KObj | undefined)[], newRS: KObj | undefined, d: KObj): KObj {
  const available = sumStatus(allRSs, 'availableReplicas');
  const total = sumSpec(allRSs);
  const status: KObj = {
    observedGeneration: d.metadata.generation,
    replicas: sumStatus(allRSs, 'replicas'),
    updatedReplicas: sumStatus([newRS], 'replicas'),
    readyReplicas: sumStatus(allRSs, 'readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
  };
  for (const k of Object.keys(status)) if (!status[k]) delete status[k];
  if (d.status?.conditions) status.conditions = structuredClone(d.status.conditions);
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (available >= replicasOf(d) - maxUnavailable(d)) {
    setCondition(status, newCondition(c.isoNow(), 'Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'));
  } else {
    setCondition(status, newCondition(c.isoNow(), 'Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'));
  }
  return status;
}

export function statusEqual(a: KObj | undefined, b: KObj | undefined): boolean {
  return JSON.stringify(orderStatus(a ?? {})) === JSON.stringify(orderStatus(b ?? {}));
}

/** syncDeploymentStatus */
export function syncStatus(c: Cluster, allRSs: (KObj | undefined)[], newRS: KObj | undefined, d: KObj): void {
  const status = calculateStatus(c, allRSs, newRS, d);
  if (statusEqual(status, d.status)) return;
  d.status = status;
  writeStatus(c, d);
}

/** sync: scaling (and a paused Deployment) without a rollout. */
export function syncScaling(c: Cluster, d: KObj, rsList: KObj[]): void {
  const st = getAllReplicaSets(c, d, rsList, false);
  if (!st) return;
  scale(c, d, st.newRS, st.oldRSs);
  if (d.spec?.paused) cleanup(c, d, st.oldRSs);
  syncStatus(c, [...st.oldRSs, st.newRS], st.newRS, d);
}

/** isScalingEvent: an active ReplicaSet was sized for another replica count. */
export function isScalingEvent(c: Cluster, d: KObj, rsList: KObj[]): boolean {
  const st = getAllReplicaSets(c, d, rsList, false);
  if (!st?.newRS) return false;
  for (const rs of active([...st.oldRSs, st.newRS])) {
    const desired = desiredReplicasAnnotation(rs);
    if (desired === undefined) continue;
    if (desired !== replicasOf(d)) return true;
  }
  return false;
}

/** checkPausedConditions: Progressing Unknown while paused (unless the deadline already passed). */
export function checkPausedConditions(c: Cluster, d: KObj): void {
  if (!hasProgressDeadline(d)) return;
  const cond = getCondition(d.status, 'Progressing');
  if (cond?.reason === 'ProgressDeadlineExceeded') return;
  const pausedCond = cond?.reason === 'DeploymentPaused';
  let next: KObj | undefined;
  if (d.spec?.paused && !pausedCond) next = newCondition(c.isoNow(), 'Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused');
  else if (!d.spec?.paused && pausedCond) next = newCondition(c.isoNow(), 'Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed');
  if (!next) return;
  setCondition((d.status ??= {}), next);
  writeStatus(c, d);
}

export { deploymentComplete };
