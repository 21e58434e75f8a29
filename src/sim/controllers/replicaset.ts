// The ReplicaSet controller (pkg/controller/replicaset): claims the pods its selector matches
// (adopting orphans, releasing pods whose labels stopped matching), creates pods `<rs>-<5 chars>`
// from the template or deletes the surplus (ranked as the real controller ranks them), records
// SuccessfulCreate / SuccessfulDelete, and keeps status (replicas, fullyLabeledReplicas,
// readyReplicas, availableReplicas, observedGeneration) current.
import type { ChangeEvent } from '../../api/server.js';
import { StatusError } from '../../api/errors.js';
import { selectorFromLabelSelector } from '../../api/selectors.js';
import type { KObj } from '../../api/types.js';
import type { Cluster, Controller } from '../engine.js';
import { recordEvent } from '../events.js';
import { POD, splitKey } from '../keys.js';
import { rankPodsForDeletion } from './replicaset-ranking.js';
import {
  REPLICASET,
  controlledBy,
  controllerRef,
  dequeued,
  enqueue,
  isPodActive,
  isPodAvailable,
  isPodReady,
  newControllerRef,
  orphansIn,
  scheduleOnce,
  trackChange,
} from './workload-index.js';

const SOURCE = { component: 'replicaset-controller' };
const SYNC = 'replicaset-sync';
const RETRY = 'replicaset-retry';
/** controller.BurstReplicas: at most this many creates or deletes per sync */
const BURST = 500;

export function rsKey(ns: string, name: string): string {
  return `replicasets/${ns}/${name}`;
}

function matches(rs: KObj, pod: KObj): boolean {
  const sel = rs.spec?.selector;
  if (!sel) return false;
  return selectorFromLabelSelector(sel).matches(pod.metadata.labels ?? {});
}

function setOwnerRefs(c: Cluster, pod: KObj, refs: KObj[]): KObj {
  const updated = structuredClone(pod);
  if (refs.length) updated.metadata.ownerReferences = refs;
  else delete updated.metadata.ownerReferences;
  return c.api.write(POD, updated);
}

/** ClaimPods: the active pods this ReplicaSet controls after adopting and releasing. */
function claimPods(c: Cluster, rs: KObj): KObj[] {
  const ns = rs.metadata.namespace;
  const uid = rs.metadata.uid;
  const deleting = !!rs.metadata.deletionTimestamp;
  const out: KObj[] = [];
  for (const pod of controlledBy(c, POD, uid)) {
    if (!isPodActive(pod)) continue;
    if (matches(rs, pod)) out.push(pod);
    else if (!deleting) setOwnerRefs(c, pod, (pod.metadata.ownerReferences ?? []).filter((r: KObj) => r.uid !== uid));
  }
  if (deleting) return out;
  for (const pod of orphansIn(c, POD, ns)) {
    if (!isPodActive(pod) || !matches(rs, pod)) continue;
    out.push(setOwnerRefs(c, pod, [...(pod.metadata.ownerReferences ?? []), newControllerRef(rs)]));
  }
  return out;
}

/** GetPodFromTemplate: the pod a controller creates from its template. */
export function podFromTemplate(owner: KObj, template: KObj): KObj {
  const tpl = structuredClone(template ?? {});
  const meta: KObj = { generateName: `${owner.metadata.name}-`, namespace: owner.metadata.namespace };
  if (tpl.metadata?.labels) meta.labels = tpl.metadata.labels;
  if (tpl.metadata?.annotations) meta.annotations = tpl.metadata.annotations;
  if (tpl.metadata?.finalizers) meta.finalizers = tpl.metadata.finalizers;
  meta.ownerReferences = [newControllerRef(owner)];
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: tpl.spec ?? {} };
}

function errorText(e: unknown): string {
  return e instanceof StatusError || e instanceof Error ? e.message : String(e);
}

/** manageReplicas: creates or deletes pods toward spec.replicas; returns the error of a failed create/delete. */
function manageReplicas(c: Cluster, rs: KObj, pods: KObj[]): string | undefined {
  const want = Number(rs.spec?.replicas ?? 1);
  let diff = pods.length - want;
  if (diff < 0) {
    diff = Math.min(-diff, BURST);
    for (let i = 0; i < diff; i++) {
      try {
        const created = c.api.create(POD, podFromTemplate(rs, rs.spec.template));
        recordEvent(c, rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, SOURCE);
      } catch (e) {
        const msg = errorText(e);
        recordEvent(c, rs, 'Warning', 'FailedCreate', `Error creating: ${msg}`, SOURCE);
        return msg;
      }
    }
  } else if (diff > 0) {
    diff = Math.min(diff, BURST);
    const related = relatedPods(c, rs);
    for (const pod of rankPodsForDeletion(pods, related, diff, c.now())) {
      try {
        c.api.delete(POD, pod.metadata.namespace, pod.metadata.name);
        recordEvent(c, rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, SOURCE);
      } catch (e) {
        if (e instanceof StatusError && e.reason === 'NotFound') continue;
        const msg = errorText(e);
        recordEvent(c, rs, 'Warning', 'FailedDelete', `Error deleting: ${msg}`, SOURCE);
        return msg;
      }
    }
  }
  return undefined;
}

/** getIndirectlyRelatedPods: pods of every ReplicaSet sharing this one's controller (or its own). */
function relatedPods(c: Cluster, rs: KObj): KObj[] {
  const owner = controllerRef(rs);
  const sets = owner ? controlledBy(c, REPLICASET, owner.uid) : [rs];
  return sets.flatMap((s) => controlledBy(c, POD, s.metadata.uid));
}

/** calculateStatus (replica_set_utils.go). */
function calculateStatus(c: Cluster, rs: KObj, pods: KObj[], err: string | undefined): KObj {
  const status: KObj = structuredClone(rs.status ?? {});
  const tplLabels: Record<string, string> = rs.spec?.template?.metadata?.labels ?? {};
  const minReady = Number(rs.spec?.minReadySeconds ?? 0);
  let fully = 0;
  let ready = 0;
  let available = 0;
  for (const p of pods) {
    const l = p.metadata.labels ?? {};
    if (Object.entries(tplLabels).every(([k, v]) => l[k] === v)) fully++;
    if (isPodReady(p)) {
      ready++;
      if (isPodAvailable(p, minReady, c.now())) available++;
    }
  }
  const conds: KObj[] = status.conditions ?? [];
  const failure = conds.find((x) => x.type === 'ReplicaFailure');
  if (err && !failure) {
    const diff = pods.length - Number(rs.spec?.replicas ?? 1);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    status.conditions = [...conds, { lastTransitionTime: c.isoNow(), message: err, reason, status: 'True', type: 'ReplicaFailure' }];
  } else if (!err && failure) {
    status.conditions = conds.filter((x) => x.type !== 'ReplicaFailure');
    if (!status.conditions.length) delete status.conditions;
  }
  status.replicas = pods.length;
  const setOrDrop = (k: string, n: number) => (n ? (status[k] = n) : delete status[k]);
  setOrDrop('fullyLabeledReplicas', fully);
  setOrDrop('readyReplicas', ready);
  setOrDrop('availableReplicas', available);
  return status;
}

/** The work queue's rate limiter: 5 ms doubling per failure, at most 1000 s. */
function retryDelay(failures: number): number {
  return Math.min(5 * 2 ** Math.min(failures, 30), 1_000_000);
}

function sync(c: Cluster, key: string, failures = 0): void {
  dequeued(c, SYNC, key);
  const { namespace, name } = splitKey(key);
  const rs = c.api.peek(REPLICASET, namespace, name);
  if (!rs) return;
  const pods = claimPods(c, rs);
  const err = rs.metadata.deletionTimestamp ? undefined : manageReplicas(c, rs, pods);
  // the pods as they are now: those just deleted left the active set
  const current = c.api.peek(REPLICASET, namespace, name);
  if (!current) return;
  const active = claimedNow(c, current);
  const status = calculateStatus(c, current, active, err);
  // a failed create or delete is retried with back-off (and on any change before that)
  if (err) scheduleOnce(c, retryDelay(failures), RETRY, key, { failures: failures + 1 });
  if (current.metadata.generation) status.observedGeneration = current.metadata.generation;
  if (JSON.stringify(sortKeys(status)) !== JSON.stringify(sortKeys(current.status ?? {}))) {
    const updated = structuredClone(current);
    updated.status = orderStatus(status);
    c.api.write(REPLICASET, updated);
  }
  // a last resync once the ready pods have been ready for minReadySeconds
  const minReady = Number(current.spec?.minReadySeconds ?? 0);
  const want = Number(current.spec?.replicas ?? 1);
  if (!err && minReady > 0 && (status.readyReplicas ?? 0) === want && (status.availableReplicas ?? 0) !== want) {
    c.schedule(minReady * 1000, 'replicaset-resync', key);
  }
}

function claimedNow(c: Cluster, rs: KObj): KObj[] {
  return controlledBy(c, POD, rs.metadata.uid).filter((p) => isPodActive(p) && matches(rs, p));
}

function sortKeys(o: KObj): KObj {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** ReplicaSetStatus in its JSON field order. */
function orderStatus(s: KObj): KObj {
  const out: KObj = {};
  for (const k of ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration', 'conditions']) if (s[k] !== undefined) out[k] = s[k];
  return out;
}

function enqueueRs(c: Cluster, ns: string, name: string): void {
  enqueue(c, SYNC, rsKey(ns, name));
}

/** The ReplicaSets (of the pod's namespace) whose selector matches an orphan pod. */
function matchingSets(c: Cluster, pod: KObj): KObj[] {
  const ns = pod.metadata.namespace;
  return Object.values(c.state.objects['replicasets.apps'] ?? {}).filter((rs) => rs.metadata.namespace === ns && matches(rs, pod));
}

function ownerRs(c: Cluster, pod: KObj): KObj | undefined {
  const ref = controllerRef(pod);
  if (!ref || ref.kind !== 'ReplicaSet') return undefined;
  const rs = c.api.peek(REPLICASET, pod.metadata.namespace, ref.name);
  return rs && rs.metadata.uid === ref.uid ? rs : undefined;
}

function onPod(c: Cluster, ev: ChangeEvent): void {
  const pod = ev.obj;
  const ns = pod.metadata.namespace;
  const owner = ownerRs(c, pod);
  if (owner) enqueueRs(c, ns, owner.metadata.name);
  if (ev.old) {
    const before = ownerRs(c, ev.old);
    if (before && before.metadata.uid !== owner?.metadata.uid) enqueueRs(c, ns, before.metadata.name);
  }
  const labelsChanged = ev.type === 'ADDED' || JSON.stringify(ev.old?.metadata?.labels ?? {}) !== JSON.stringify(pod.metadata.labels ?? {});
  if (ev.type !== 'DELETED' && !controllerRef(pod) && labelsChanged && isPodActive(pod)) {
    // the informer's round trip: a new orphan is seen after the scheduler has bound it and its kubelet admitted it
    for (const rs of matchingSets(c, pod)) c.schedule(0, 'replicaset-resync', rsKey(ns, rs.metadata.name));
  }
  // became ready: available after minReadySeconds (and a second against clock skew)
  if (owner && ev.old && isPodReady(pod) && !isPodReady(ev.old)) {
    const minReady = Number(owner.spec?.minReadySeconds ?? 0);
    if (minReady > 0) c.schedule(minReady * 1000 + 1000, 'replicaset-resync', rsKey(ns, owner.metadata.name));
  }
}

export const replicaSetController: Controller = {
  name: 'replicaset-controller',
  onChange(c, ev) {
    trackChange(c, ev);
    if (ev.def.kind === 'Pod') return onPod(c, ev);
    if (ev.def.kind !== 'ReplicaSet' || ev.type === 'DELETED') return;
    const o = ev.old;
    const n = ev.obj;
    if (o && JSON.stringify([o.spec, o.metadata.labels, o.metadata.ownerReferences, o.metadata.deletionTimestamp]) === JSON.stringify([n.spec, n.metadata.labels, n.metadata.ownerReferences, n.metadata.deletionTimestamp])) return;
    enqueueRs(c, n.metadata.namespace, n.metadata.name);
  },
  timers: {
    [SYNC]: (c, t) => {
      try {
        sync(c, t.key);
      } catch (e) {
        // a conflict or a rejected write: the work queue retries the key (rate-limited)
        if (!(e instanceof StatusError)) throw e;
        c.schedule(5, 'replicaset-resync', t.key);
      }
    },
    [RETRY]: (c, t) => {
      dequeued(c, RETRY, t.key);
      sync(c, t.key, Number(t.data?.failures ?? 0));
    },
    'replicaset-resync': (c, t) => {
      const { namespace, name } = splitKey(t.key);
      enqueueRs(c, namespace, name);
    },
  },
};
