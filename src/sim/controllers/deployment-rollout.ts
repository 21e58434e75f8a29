// Rollouts (rolling.go, recreate.go) and their progress (progress.go): the new ReplicaSet grows within
// maxSurge, old ones shrink within maxUnavailable (unhealthy replicas first); Recreate scales the old
// ones to zero and waits for their pods to be gone; Progressing / ProgressDeadlineExceeded.
import type { KObj } from '../../api/types.js';
import type { Cluster } from '../engine.js';
import { POD } from '../keys.js';
import {
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getCondition,
  hasProgressDeadline,
  maxUnavailable,
  newCondition,
  newRSNewReplicas,
  removeCondition,
  replicasOf,
  setCondition,
  sumSpec,
  sumStatus,
} from './deployment-util.js';
import { active, calculateStatus, cleanup, getAllReplicaSets, scaleAndRecord, statusEqual, writeStatus } from './deployment-sync.js';
import { byCreation, controlledBy, scheduleOnce } from './workload-index.js';

export const DEADLINE = 'deployment-deadline';

/** syncRolloutStatus: the status with the Progressing condition the rollout earned. */
export function syncRolloutStatus(c: Cluster, allRSs: (KObj | undefined)[], newRS: KObj | undefined, d: KObj): void {
  const status = calculateStatus(c, allRSs, newRS, d);
  if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
  const current = getCondition(d.status, 'Progressing');
  const complete = status.replicas === status.updatedReplicas && current?.reason === 'NewReplicaSetAvailable';
  const now = c.isoNow();
  if (hasProgressDeadline(d) && !complete) {
    const rsName = newRS?.metadata.name;
    if (deploymentComplete(d, status)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : `Deployment "${d.metadata.name}" has successfully progressed.`;
      setCondition(status, newCondition(now, 'Progressing', 'True', 'NewReplicaSetAvailable', msg));
    } else if (deploymentProgressing(d, status)) {
      const msg = rsName ? `ReplicaSet "${rsName}" is progressing.` : `Deployment "${d.metadata.name}" is progressing.`;
      const cond = newCondition(now, 'Progressing', 'True', 'ReplicaSetUpdated', msg);
      if (current) {
        if (current.status === 'True') cond.lastTransitionTime = current.lastTransitionTime;
        removeCondition(status, 'Progressing');
      }
      setCondition(status, cond);
    } else if (deploymentTimedOut(d, status, c.now())) {
      const msg = rsName ? `ReplicaSet "${rsName}" has timed out progressing.` : `Deployment "${d.metadata.name}" has timed out progressing.`;
      setCondition(status, newCondition(now, 'Progressing', 'False', 'ProgressDeadlineExceeded', msg));
    }
  }
  const failure = replicaFailure([newRS, ...allRSs.filter((rs) => rs !== newRS)]);
  if (failure) setCondition(status, failure);
  else removeCondition(status, 'ReplicaFailure');
  if (!statusEqual(status, d.status)) {
    d.status = status;
    writeStatus(c, d);
  }
  requeueStuck(c, d, status);
}

/** getReplicaFailures: a ReplicaSet's ReplicaFailure condition, as the Deployment's. */
function replicaFailure(rss: (KObj | undefined)[]): KObj | undefined {
  for (const rs of rss) {
    const cond = ((rs?.status?.conditions ?? []) as KObj[]).find((x) => x.type === 'ReplicaFailure');
    if (cond) return { lastTransitionTime: cond.lastTransitionTime, lastUpdateTime: cond.lastTransitionTime, message: cond.message, reason: cond.reason, status: cond.status, type: 'ReplicaFailure' };
  }
  return undefined;
}

/** requeueStuckDeployment: look again when the progress deadline passes (a second after it). */
function requeueStuck(c: Cluster, d: KObj, status: KObj): void {
  const cond = getCondition(d.status, 'Progressing');
  if (!hasProgressDeadline(d) || !cond) return;
  if (deploymentComplete(d, status) || cond.reason === 'ProgressDeadlineExceeded') return;
  const key = `deployments/${d.metadata.namespace}/${d.metadata.name}`;
  const after = Date.parse(cond.lastUpdateTime) + d.spec.progressDeadlineSeconds * 1000 - c.now();
  scheduleOnce(c, after < 1000 ? 5 : after + 1000, DEADLINE, key);
}

/** rolloutRolling */
export function rolloutRolling(c: Cluster, d: KObj, rsList: KObj[]): void {
  const st = getAllReplicaSets(c, d, rsList, true);
  if (!st?.newRS) return;
  const { newRS, oldRSs } = st;
  const allRSs = [...oldRSs, newRS];
  if (reconcileNewReplicaSet(c, d, allRSs, newRS)) return syncRolloutStatus(c, allRSs, newRS, d);
  if (reconcileOldReplicaSets(c, d, allRSs, active(oldRSs), newRS)) return syncRolloutStatus(c, allRSs, newRS, d);
  if (deploymentComplete(d, d.status ?? {})) cleanup(c, d, oldRSs);
  syncRolloutStatus(c, allRSs, newRS, d);
}

function reconcileNewReplicaSet(c: Cluster, d: KObj, allRSs: KObj[], newRS: KObj): boolean {
  if (replicasOf(newRS) === replicasOf(d)) return false;
  if (replicasOf(newRS) > replicasOf(d)) return scaleAndRecord(c, d, newRS, replicasOf(d))[0];
  return scaleAndRecord(c, d, newRS, newRSNewReplicas(d, allRSs, newRS))[0];
}

function reconcileOldReplicaSets(c: Cluster, d: KObj, allRSs: KObj[], oldRSs: KObj[], newRS: KObj): boolean {
  const oldPods = sumSpec(oldRSs);
  if (oldPods === 0) return false;
  const allPods = sumSpec(allRSs);
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newUnavailable = replicasOf(newRS) - Number(newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const [olds, cleaned] = cleanupUnhealthyReplicas(c, d, oldRSs, maxScaledDown);
  const scaledDown = scaleDownOldForRollingUpdate(c, d, [...olds, newRS], olds);
  return cleaned + scaledDown > 0;
}

function cleanupUnhealthyReplicas(c: Cluster, d: KObj, oldRSs: KObj[], maxCleanup: number): [KObj[], number] {
  const olds = [...oldRSs].sort(byCreation);
  let total = 0;
  olds.forEach((rs, i) => {
    if (total >= maxCleanup) return;
    const want = replicasOf(rs);
    const available = Number(rs.status?.availableReplicas ?? 0);
    if (want === 0 || want === available) return;
    const count = Math.min(maxCleanup - total, want - available);
    olds[i] = scaleAndRecord(c, d, rs, want - count)[1];
    total += count;
  });
  return [olds, total];
}

function scaleDownOldForRollingUpdate(c: Cluster, d: KObj, allRSs: KObj[], oldRSs: KObj[]): number {
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const available = sumStatus(allRSs, 'availableReplicas');
  if (available <= minAvailable) return 0;
  const olds = [...oldRSs].sort(byCreation);
  const toScaleDown = available - minAvailable;
  let total = 0;
  for (const rs of olds) {
    if (total >= toScaleDown) break;
    if (replicasOf(rs) === 0) continue;
    const count = Math.min(replicasOf(rs), toScaleDown - total);
    scaleAndRecord(c, d, rs, replicasOf(rs) - count);
    total += count;
  }
  return total;
}

/** oldPodsRunning: Recreate waits until no pod of an old ReplicaSet is left (finished ones aside). */
function oldPodsRunning(c: Cluster, newRS: KObj | undefined, oldRSs: KObj[]): boolean {
  if (sumStatus(oldRSs, 'replicas') > 0) return true;
  for (const rs of oldRSs) {
    if (newRS && rs.metadata.uid === newRS.metadata.uid) continue;
    for (const p of controlledBy(c, POD, rs.metadata.uid)) {
      if (p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded') continue;
      return true;
    }
  }
  return false;
}

/** rolloutRecreate */
export function rolloutRecreate(c: Cluster, d: KObj, rsList: KObj[]): void {
  let st = getAllReplicaSets(c, d, rsList, false);
  if (!st) return;
  let allRSs: (KObj | undefined)[] = [...st.oldRSs, st.newRS];
  let scaledDown = false;
  for (const rs of active(st.oldRSs)) if (scaleAndRecord(c, d, rs, 0)[0]) scaledDown = true;
  if (scaledDown) return syncRolloutStatus(c, allRSs, st.newRS, d);
  if (oldPodsRunning(c, st.newRS, st.oldRSs)) return syncRolloutStatus(c, allRSs, st.newRS, d);
  if (!st.newRS) {
    st = getAllReplicaSets(c, d, rsList, true);
    if (!st) return;
    allRSs = [...st.oldRSs, st.newRS];
  }
  if (st.newRS && replicasOf(st.newRS) !== replicasOf(d)) scaleAndRecord(c, d, st.newRS, replicasOf(d));
  if (deploymentComplete(d, d.status ?? {})) cleanup(c, d, st.oldRSs);
  syncRolloutStatus(c, allRSs, st.newRS, d);
}
