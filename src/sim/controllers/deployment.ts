// The Deployment controller (pkg/controller/deployment): claims the ReplicaSets its selector matches,
// then scales (paused, or a replica count change) or rolls out (RollingUpdate, Recreate), keeping
// the revision annotations, status and conditions. Syncs are queued on changes to the Deployment,
// its ReplicaSets and (for Recreate) its pods.
import { StatusError } from '../../api/errors.js';
import type { ChangeEvent } from '../../api/server.js';
import { selectorFromLabelSelector } from '../../api/selectors.js';
import type { KObj } from '../../api/types.js';
import type { Cluster, Controller } from '../engine.js';
import { recordEvent } from '../events.js';
import { splitKey } from '../keys.js';
import { DEADLINE, rolloutRecreate, rolloutRolling } from './deployment-rollout.js';
import { SOURCE, calculateStatus, checkPausedConditions, getAllReplicaSets, isScalingEvent, statusEqual, syncScaling, writeStatus } from './deployment-sync.js';
import { DEPLOYMENT, REPLICASET, controlledBy, controllerRef, dequeued, enqueue, newControllerRef, orphansIn, trackChange } from './workload-index.js';

const SYNC = 'deployment-sync';
/** the work queue's first rate-limited retry */
const RETRY_MS = 5;

export function deploymentKey(ns: string, name: string): string {
  return `deployments/${ns}/${name}`;
}

function matches(d: KObj, o: KObj): boolean {
  const sel = d.spec?.selector;
  if (!sel) return false;
  return selectorFromLabelSelector(sel).matches(o.metadata.labels ?? {});
}

function emptySelector(d: KObj): boolean {
  const sel = d.spec?.selector;
  return !!sel && !Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length;
}

function setOwnerRefs(c: Cluster, rs: KObj, refs: KObj[]): KObj {
  const updated = structuredClone(rs);
  if (refs.length) updated.metadata.ownerReferences = refs;
  else delete updated.metadata.ownerReferences;
  return c.api.write(REPLICASET, updated);
}

/** getReplicaSetsForDeployment: ClaimReplicaSets (adopt matching orphans, release what stopped matching). */
function claimReplicaSets(c: Cluster, d: KObj): KObj[] {
  const uid = d.metadata.uid;
  const deleting = !!d.metadata.deletionTimestamp;
  const out: KObj[] = [];
  for (const rs of controlledBy(c, REPLICASET, uid)) {
    if (matches(d, rs)) out.push(rs);
    else if (!deleting) setOwnerRefs(c, rs, (rs.metadata.ownerReferences ?? []).filter((r: KObj) => r.uid !== uid));
  }
  if (deleting) return out;
  for (const rs of orphansIn(c, REPLICASET, d.metadata.namespace)) {
    if (rs.metadata.deletionTimestamp || !matches(d, rs)) continue;
    out.push(setOwnerRefs(c, rs, [...(rs.metadata.ownerReferences ?? []), newControllerRef(d)]));
  }
  return out;
}

function syncDeployment(c: Cluster, key: string): void {
  dequeued(c, SYNC, key);
  const { namespace, name } = splitKey(key);
  const stored = c.api.peek(DEPLOYMENT, namespace, name);
  if (!stored) return;
  const d = structuredClone(stored);
  d.status ??= {};
  if (emptySelector(d)) {
    recordEvent(c, d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.', SOURCE);
    if ((d.status.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
      d.status.observedGeneration = d.metadata.generation;
      writeStatus(c, d);
    }
    return;
  }
  const rsList = claimReplicaSets(c, d);
  if (d.metadata.deletionTimestamp) {
    // syncStatusOnly
    const st = getAllReplicaSets(c, d, rsList, false);
    if (!st) return;
    const status = calculateStatus(c, [...st.oldRSs, st.newRS], st.newRS, d);
    if (!statusEqual(status, d.status)) {
      d.status = status;
      writeStatus(c, d);
    }
    return;
  }
  checkPausedConditions(c, d);
  if (d.spec?.paused) return syncScaling(c, d, rsList);
  if (isScalingEvent(c, d, rsList)) return syncScaling(c, d, fresh(c, rsList));
  const list = fresh(c, rsList);
  if (d.spec?.strategy?.type === 'Recreate') rolloutRecreate(c, d, list);
  else if (d.spec?.strategy?.type === 'RollingUpdate') rolloutRolling(c, d, list);
}

/** The ReplicaSets as stored now (an earlier step may have updated them). */
function fresh(c: Cluster, rsList: KObj[]): KObj[] {
  return rsList.map((rs) => c.api.peek(REPLICASET, rs.metadata.namespace, rs.metadata.name)).filter((rs): rs is KObj => !!rs);
}

function enqueueDeployment(c: Cluster, ns: string, name: string): void {
  enqueue(c, SYNC, deploymentKey(ns, name));
}

function ownerDeployment(c: Cluster, o: KObj | undefined): KObj | undefined {
  const ref = controllerRef(o);
  if (!ref || ref.kind !== 'Deployment') return undefined;
  const d = c.api.peek(DEPLOYMENT, o!.metadata.namespace, ref.name);
  return d && d.metadata.uid === ref.uid ? d : undefined;
}

function deploymentsMatching(c: Cluster, rs: KObj): KObj[] {
  const ns = rs.metadata.namespace;
  return Object.values(c.state.objects['deployments.apps'] ?? {}).filter((d) => d.metadata.namespace === ns && matches(d, rs));
}

function onReplicaSet(c: Cluster, ev: ChangeEvent): void {
  const rs = ev.obj;
  const ns = rs.metadata.namespace;
  const owner = ownerDeployment(c, rs);
  if (owner) enqueueDeployment(c, ns, owner.metadata.name);
  const before = ownerDeployment(c, ev.old);
  if (before && before.metadata.uid !== owner?.metadata.uid) enqueueDeployment(c, ns, before.metadata.name);
  if (ev.type !== 'DELETED' && !controllerRef(rs)) {
    const labelsChanged = ev.type === 'ADDED' || JSON.stringify(ev.old?.metadata?.labels ?? {}) !== JSON.stringify(rs.metadata.labels ?? {});
    if (labelsChanged) for (const d of deploymentsMatching(c, rs)) enqueueDeployment(c, ns, d.metadata.name);
  }
}

/** deletePod: a Recreate rollout waits for the old pods to be gone. */
function onPodDeleted(c: Cluster, pod: KObj): void {
  const ref = controllerRef(pod);
  if (!ref || ref.kind !== 'ReplicaSet') return;
  const rs = c.api.peek(REPLICASET, pod.metadata.namespace, ref.name);
  const d = rs && ownerDeployment(c, rs);
  if (d && d.spec?.strategy?.type === 'Recreate') enqueueDeployment(c, pod.metadata.namespace, d.metadata.name);
}

export const deploymentController: Controller = {
  name: 'deployment-controller',
  onChange(c, ev) {
    trackChange(c, ev);
    const kind = ev.def.kind;
    if (kind === 'ReplicaSet') return onReplicaSet(c, ev);
    if (kind === 'Pod') {
      if (ev.type === 'DELETED') onPodDeleted(c, ev.obj);
      return;
    }
    if (kind !== 'Deployment' || ev.type === 'DELETED') return;
    // every update, its own status writes included (a completed rollout is cleaned up on the sync after)
    enqueueDeployment(c, ev.obj.metadata.namespace, ev.obj.metadata.name);
  },
  timers: {
    [SYNC]: (c, t) => {
      try {
        syncDeployment(c, t.key);
      } catch (e) {
        // a conflict or a rejected write: the work queue retries the key (rate-limited)
        if (!(e instanceof StatusError)) throw e;
        c.schedule(RETRY_MS, DEADLINE, t.key);
      }
    },
    [DEADLINE]: (c, t) => {
      dequeued(c, DEADLINE, t.key);
      const { namespace, name } = splitKey(t.key);
      enqueueDeployment(c, namespace, name);
    },
  },
};
