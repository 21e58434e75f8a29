// The Deployment controller's arithmetic and bookkeeping (pkg/controller/deployment/util):
// maxSurge/maxUnavailable (intstr scaling, ResolveFenceposts), NewRSNewReplicas, the proportional
// share of a scale, the revision / desired-replicas / max-replicas annotations, conditions.
import type { KObj } from '../../api/types.js';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const ROLLBACK_TO = 'deprecated.deployment.rollback.to';
const SKIPPED = new Set([LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO]);
/** maxRevHistoryLengthInChars */
const MAX_HISTORY_CHARS = 2000;

export const replicasOf = (o: KObj | undefined): number => Number(o?.spec?.replicas ?? 0);

/** intstr.GetScaledValueFromIntOrPercent: ints as they are, percentages of total rounded up or down. */
export function scaledValue(v: unknown, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const m = /^(-?[0-9]+)%$/.exec(v);
    if (m) {
      const x = (Number(m[1]) * total) / 100;
      return roundUp ? Math.ceil(x) : Math.floor(x);
    }
    if (/^-?[0-9]+$/.test(v)) return Number(v);
  }
  return 0;
}

export function isRollingUpdate(d: KObj): boolean {
  return d.spec?.strategy?.type === 'RollingUpdate';
}

/** ResolveFenceposts: surge rounds up, unavailability down; both 0 means one may be unavailable. */
export function resolveFenceposts(maxSurge: unknown, maxUnavailable: unknown, desired: number): [number, number] {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

export function maxSurge(d: KObj): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec.strategy.rollingUpdate ?? {};
  return resolveFenceposts(ru.maxSurge, ru.maxUnavailable, replicasOf(d))[0];
}

export function maxUnavailable(d: KObj): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const ru = d.spec.strategy.rollingUpdate ?? {};
  const u = resolveFenceposts(ru.maxSurge, ru.maxUnavailable, replicas)[1];
  return Math.min(u, replicas);
}

export const sumSpec = (rss: (KObj | undefined)[]): number => rss.reduce((n, rs) => n + (rs ? replicasOf(rs) : 0), 0);
export const sumStatus = (rss: (KObj | undefined)[], field: string): number => rss.reduce((n, rs) => n + (rs ? Number(rs.status?.[field] ?? 0) : 0), 0);

/** NewRSNewReplicas: how far the new ReplicaSet may grow now. */
export function newRSNewReplicas(d: KObj, allRSs: KObj[], newRS: KObj): number {
  const want = replicasOf(d);
  if (isRollingUpdate(d)) {
    const surge = scaledValue(d.spec.strategy.rollingUpdate?.maxSurge ?? 0, want, true);
    const current = sumSpec(allRSs);
    const maxTotal = want + surge;
    if (current >= maxTotal) return replicasOf(newRS);
    const up = Math.min(maxTotal - current, want - replicasOf(newRS));
    return replicasOf(newRS) + up;
  }
  return want;
}

function annotationInt(rs: KObj, key: string): number | undefined {
  const v = rs.metadata?.annotations?.[key];
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isInteger(n) ? n : undefined;
}

export function revisionOf(rs: KObj | undefined): number {
  return (rs && annotationInt(rs, REVISION)) || 0;
}

export function maxRevision(rss: KObj[]): number {
  return rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

/** RoundToInt32: halves away from zero. */
function roundToInt(x: number): number {
  return x < 0 ? Math.trunc(x - 0.5) : Math.trunc(x + 0.5);
}

/** GetReplicaSetProportion: this ReplicaSet's share of a scale by `toAdd`, `added` already handed out. */
export function replicaSetProportion(rs: KObj, d: KObj, toAdd: number, added: number): number {
  if (!rs || replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function replicaSetFraction(rs: KObj, d: KObj): number {
  if (replicasOf(d) === 0) return -replicasOf(rs);
  const maxReplicas = replicasOf(d) + maxSurge(d);
  let before = annotationInt(rs, MAX_REPLICAS);
  if (!before) {
    before = Number(d.status?.replicas ?? 0);
    if (!before) return 0;
  }
  return roundToInt((replicasOf(rs) * maxReplicas) / before) - replicasOf(rs);
}

/** SetReplicasAnnotations: desired-replicas and max-replicas; true when something changed. */
export function setReplicasAnnotations(rs: KObj, desired: number, max: number): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  if (a[DESIRED_REPLICAS] !== String(desired)) {
    a[DESIRED_REPLICAS] = String(desired);
    changed = true;
  }
  if (a[MAX_REPLICAS] !== String(max)) {
    a[MAX_REPLICAS] = String(max);
    changed = true;
  }
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: KObj, desired: number, max: number): boolean {
  const a = rs.metadata?.annotations ?? {};
  return a[DESIRED_REPLICAS] !== String(desired) || a[MAX_REPLICAS] !== String(max);
}

/** SetNewReplicaSetAnnotations: the Deployment's own annotations, the revision (and its history on a rollback). */
export function setNewReplicaSetAnnotations(d: KObj, rs: KObj, newRevision: number, exists: boolean): boolean {
  let changed = false;
  const a = (rs.metadata.annotations ??= {});
  for (const [k, v] of Object.entries((d.metadata.annotations ?? {}) as Record<string, string>)) {
    if (SKIPPED.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  const had = REVISION in a;
  const oldText: string = a[REVISION] ?? '';
  let old = 0;
  if (oldText !== '') {
    if (!/^-?[0-9]+$/.test(oldText)) return false;
    old = Number(oldText);
  }
  if (old < newRevision) {
    a[REVISION] = String(newRevision);
    changed = true;
    if (had) {
      const history: string = a[REVISION_HISTORY] ?? '';
      const parts = history.split(',');
      if (!parts[0]) a[REVISION_HISTORY] = oldText;
      else {
        let total = history.length + oldText.length + 1;
        let start = 0;
        while (total > MAX_HISTORY_CHARS && start < parts.length) total -= parts[start++].length + 1;
        if (total <= MAX_HISTORY_CHARS) a[REVISION_HISTORY] = [...parts.slice(start), oldText].join(',');
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

/** IsSaturated: the new ReplicaSet has all the Deployment's replicas, available. */
export function isSaturated(d: KObj, rs: KObj | undefined): boolean {
  if (!rs) return false;
  const desired = annotationInt(rs, DESIRED_REPLICAS);
  return desired !== undefined && replicasOf(rs) === replicasOf(d) && desired === replicasOf(d) && Number(rs.status?.availableReplicas ?? 0) === replicasOf(d);
}

export function desiredReplicasAnnotation(rs: KObj): number | undefined {
  return annotationInt(rs, DESIRED_REPLICAS);
}

// ---- conditions ----

export function getCondition(status: KObj | undefined, type: string): KObj | undefined {
  return ((status?.conditions ?? []) as KObj[]).find((x) => x.type === type);
}

export function newCondition(now: string, type: string, status: string, reason: string, message: string): KObj {
  return { lastTransitionTime: now, lastUpdateTime: now, message, reason, status, type };
}

/** SetDeploymentCondition: same status and reason is no change; the transition time stays when the status does. */
export function setCondition(status: KObj, cond: KObj): void {
  const current = getCondition(status, cond.type);
  if (current && current.status === cond.status && current.reason === cond.reason) return;
  if (current && current.status === cond.status) cond.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...((status.conditions ?? []) as KObj[]).filter((x) => x.type !== cond.type), cond];
}

export function removeCondition(status: KObj, type: string): void {
  if (!status.conditions) return;
  status.conditions = (status.conditions as KObj[]).filter((x) => x.type !== type);
  if (!status.conditions.length) delete status.conditions;
}

/** DeploymentComplete. */
export function deploymentComplete(d: KObj, st: KObj): boolean {
  const want = replicasOf(d);
  return (st.updatedReplicas ?? 0) === want && (st.replicas ?? 0) === want && (st.availableReplicas ?? 0) === want && (st.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** DeploymentProgressing: more updated, fewer old, more ready or more available replicas than before. */
export function deploymentProgressing(d: KObj, st: KObj): boolean {
  const old = d.status ?? {};
  const n = (o: KObj, k: string) => Number(o[k] ?? 0);
  return n(st, 'updatedReplicas') > n(old, 'updatedReplicas') || n(st, 'replicas') - n(st, 'updatedReplicas') < n(old, 'replicas') - n(old, 'updatedReplicas') || n(st, 'readyReplicas') > n(old, 'readyReplicas') || n(st, 'availableReplicas') > n(old, 'availableReplicas');
}

export function hasProgressDeadline(d: KObj): boolean {
  const p = d.spec?.progressDeadlineSeconds;
  return typeof p === 'number' && p !== 2147483647;
}

/** DeploymentTimedOut: the Progressing condition was last updated more than the deadline ago. */
export function deploymentTimedOut(d: KObj, st: KObj, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const cond = getCondition(st, 'Progressing');
  if (!cond) return false;
  if (cond.reason === 'NewReplicaSetAvailable') return false;
  if (cond.reason === 'ProgressDeadlineExceeded') return true;
  const from = Date.parse(cond.lastUpdateTime ?? '');
  return Number.isFinite(from) && from + d.spec.progressDeadlineSeconds * 1000 < now;
}
