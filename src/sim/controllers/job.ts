// The Job controller (pkg/controller/job, 1.32): creates pods from the template up to parallelism
// and the remaining completions, tracks finished pods through the job-tracking finalizer (counted in
// status.succeeded/failed, then released), recreates failed pods after its back-off (10 s doubling,
// at most 10 min), and finishes the job: SuccessCriteriaMet then Complete, or FailureTarget
// (BackoffLimitExceeded, DeadlineExceeded, PodFailurePolicy) then Failed once no pod is terminating.
// Suspend deletes the active pods (Suspended / Resumed events). Indexed jobs give each pod an index.
import type { KObj } from '../../api/types.js';
import type { Cluster, Controller } from '../engine.js';
import { recordEvent } from '../events.js';
import { POD } from '../keys.js';
import { dependentsOf } from './gc.js';
import { JOB } from './batch-keys.js';
import {
  finishedAt,
  isActive,
  isFinished,
  isGone,
  isReady,
  isTerminating,
  matchFailurePolicy,
  podFromTemplate,
  podIndex,
  restarts,
  TRACKING_FINALIZER,
} from './job-pods.js';

const SOURCE = { component: 'job-controller' };
const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 10 * 60_000;
/** the controller's requeue after an API error (its rate limiter, flattened) */
const API_RETRY_MS = 10_000;

type Cond = { type: string; status: string; reason?: string; message?: string; lastProbeTime?: string; lastTransitionTime?: string };

export function jobCondition(job: KObj, type: string): Cond | undefined {
  return ((job.status?.conditions ?? []) as Cond[]).find((c) => c.type === type && c.status === 'True');
}

export function jobFinished(job: KObj): 'Complete' | 'Failed' | undefined {
  if (jobCondition(job, 'Complete')) return 'Complete';
  if (jobCondition(job, 'Failed')) return 'Failed';
  return undefined;
}

function setCondition(c: Cluster, st: KObj, type: string, status: 'True' | 'False', reason: string, message: string): void {
  const conds: Cond[] = (st.conditions ??= []);
  const now = c.isoNow();
  const existing = conds.find((x) => x.type === type);
  if (existing) {
    if (existing.status !== status) existing.lastTransitionTime = now;
    Object.assign(existing, { status, reason, message, lastProbeTime: now });
    return;
  }
  conds.push({ lastProbeTime: now, lastTransitionTime: now, message, reason, status, type });
}

function jobKey(ns: string, name: string): string {
  return `jobs.batch/${ns}/${name}`;
}

/** The job's pods: its dependents whose controller reference is the job. */
function podsOf(c: Cluster, job: KObj): KObj[] {
  const out: KObj[] = [];
  for (const { obj } of dependentsOf(c, job.metadata.uid)) {
    if (obj.kind !== 'Pod') continue;
    if ((obj.metadata.ownerReferences ?? []).some((r: KObj) => r.uid === job.metadata.uid && r.controller)) out.push(obj);
  }
  return out.sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)) || (a.metadata.name < b.metadata.name ? -1 : 1));
}

function releasePod(c: Cluster, pod: KObj): void {
  const finalizers = (pod.metadata.finalizers ?? []).filter((f: string) => f !== TRACKING_FINALIZER);
  const updated = structuredClone(pod);
  if (finalizers.length) updated.metadata.finalizers = finalizers;
  else delete updated.metadata.finalizers;
  c.api.write(POD, updated);
}

/**
 * Deletes a pod of the job. `release` (suspend, excess pods) takes the tracking finalizer off first,
 * so the pod is not counted; a finishing job keeps it and counts the pod itself.
 */
function deletePod(c: Cluster, job: KObj, pod: KObj, release = false): void {
  if (pod.metadata.deletionTimestamp) return;
  if (release && pod.metadata.finalizers?.includes(TRACKING_FINALIZER)) {
    releasePod(c, pod);
    pod = c.api.peek(POD, pod.metadata.namespace, pod.metadata.name) ?? pod;
  }
  try {
    c.api.delete(POD, pod.metadata.namespace, pod.metadata.name);
    recordEvent(c, job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, SOURCE);
  } catch {
    /* already gone */
  }
}

/** "0-2,4": the completed indexes as the controller writes them. */
export function formatIndexes(set: Set<number>): string {
  const xs = [...set].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < xs.length; ) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === xs[j] + 1) j++;
    parts.push(j > i ? `${xs[i]}-${xs[j]}` : String(xs[i]));
    i = j + 1;
  }
  return parts.join(',');
}

export function parseIndexes(s: string | undefined): Set<number> {
  const out = new Set<number>();
  for (const part of (s ?? '').split(',').filter(Boolean)) {
    const [a, b] = part.split('-').map(Number);
    for (let i = a; i <= (b ?? a); i++) out.add(i);
  }
  return out;
}

/** Time left of the pod-failure back-off (failures since the last success). */
function backoffRemaining(c: Cluster, pods: KObj[]): number {
  let lastSuccess = 0;
  for (const p of pods) if (p.status?.phase === 'Succeeded') lastSuccess = Math.max(lastSuccess, finishedAt(p, c.now()));
  let failures = 0;
  let lastFailure = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Failed' && !isGone(p)) continue;
    const t = finishedAt(p, c.now());
    if (t < lastSuccess) continue;
    failures++;
    lastFailure = Math.max(lastFailure, t);
  }
  if (!failures) return 0;
  let d = BACKOFF_BASE_MS;
  for (let i = 1; i < failures; i++) {
    d *= 2;
    if (d >= BACKOFF_MAX_MS) {
      d = BACKOFF_MAX_MS;
      break;
    }
  }
  const elapsed = c.now() - lastFailure;
  return d < elapsed ? 0 : d - elapsed;
}

function createPods(c: Cluster, job: KObj, pods: KObj[], st: KObj): void {
  const spec = job.spec;
  const active = pods.filter(isActive);
  const parallelism = Number(spec.parallelism ?? 1);
  const indexed = spec.completionMode === 'Indexed';
  const completions = spec.completions;
  let want: number;
  const done = indexed ? parseIndexes(st.completedIndexes) : undefined;
  if (completions === undefined || completions === null) want = Number(st.succeeded ?? 0) > 0 ? active.length : parallelism;
  else want = Math.min(parallelism, Math.max(0, completions - (done ? done.size : Number(st.succeeded ?? 0))));
  // podReplacementPolicy Failed: a terminating pod is replaced only once it has terminated
  const terminating = spec.podReplacementPolicy === 'Failed' ? pods.filter(isTerminating).length : 0;
  const missing = want - active.length - (want > active.length ? terminating : 0);
  if (missing < 0) {
    // parallelism went down: the controller deletes the least useful pods first (not ready, newest)
    const ranked = [...active].sort((a, b) => Number(isReady(a)) - Number(isReady(b)) || String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)));
    for (const p of ranked.slice(0, -missing)) deletePod(c, job, p, true);
    return;
  }
  if (missing === 0) return;
  const wait = backoffRemaining(c, pods);
  if (wait > 0) {
    c.schedule(wait, 'job-resync', jobKey(job.metadata.namespace, job.metadata.name));
    return;
  }
  const busy = new Set(active.map(podIndex).filter((i): i is number => i !== undefined));
  let next = 0;
  for (let n = 0; n < missing; n++) {
    let index: number | undefined;
    if (indexed) {
      while (next < completions && (done!.has(next) || busy.has(next))) next++;
      if (next >= completions) return;
      index = next++;
    }
    try {
      const pod = c.api.create(POD, podFromTemplate(job, index));
      recordEvent(c, job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, SOURCE);
    } catch (e) {
      // a terminating namespace is ignored; other refusals (quota, admission) are retried with back-off
      const msg = (e as Error).message ?? String(e);
      if (!/because it is being terminated/.test(msg)) {
        recordEvent(c, job, 'Warning', 'FailedCreate', `Error creating: ${msg}`, SOURCE);
        c.schedule(API_RETRY_MS, 'job-resync', jobKey(job.metadata.namespace, job.metadata.name));
      }
      return;
    }
  }
}

function sync(c: Cluster, ns: string, name: string): void {
  const job = c.api.peek(JOB, ns, name);
  if (!job) return;
  let pods = podsOf(c, job);
  if (job.metadata.deletionTimestamp) {
    for (const p of pods) if (p.metadata.finalizers?.includes(TRACKING_FINALIZER)) releasePod(c, p);
    return;
  }
  const spec = job.spec ?? {};
  const st: KObj = structuredClone(job.status ?? {});
  const before = JSON.stringify(st);
  const indexed = spec.completionMode === 'Indexed';
  const completed = indexed ? parseIndexes(st.completedIndexes) : undefined;
  let policyFailure: string | undefined;
  // finished pods still carrying the tracking finalizer are counted, then released
  for (const p of pods) {
    if (!p.metadata.finalizers?.includes(TRACKING_FINALIZER) || !(isFinished(p) || isGone(p))) continue;
    if (p.status?.phase === 'Succeeded') {
      const i = podIndex(p);
      if (indexed && i !== undefined) {
        if (!completed!.has(i)) st.succeeded = Number(st.succeeded ?? 0) + 1;
        completed!.add(i);
      } else st.succeeded = Number(st.succeeded ?? 0) + 1;
    } else {
      const rule = spec.podFailurePolicy && p.status?.phase === 'Failed' ? matchFailurePolicy(job, p) : undefined;
      if (rule?.action !== 'Ignore') st.failed = Number(st.failed ?? 0) + 1;
      if (rule?.action === 'FailJob' && !policyFailure) policyFailure = rule.message;
    }
    releasePod(c, p);
  }
  if (indexed) {
    const s = formatIndexes(completed!);
    if (s) st.completedIndexes = s;
  }
  pods = podsOf(c, job);
  const finished = jobFinished(job);
  const key = jobKey(ns, name);
  if (!finished) {
    const suspended = spec.suspend === true;
    let resumed = false;
    if (suspended) {
      // manageJob deletes the active pods before the sync records the condition
      for (const p of pods.filter(isActive)) deletePod(c, job, p, true);
      if (!jobCondition({ status: st }, 'Suspended')) {
        setCondition(c, st, 'Suspended', 'True', 'JobSuspended', 'Job suspended');
        recordEvent(c, job, 'Normal', 'Suspended', 'Job suspended', SOURCE);
      }
    } else {
      if (jobCondition({ status: st }, 'Suspended')) {
        setCondition(c, st, 'Suspended', 'False', 'JobResumed', 'Job resumed');
        resumed = true;
        st.startTime = c.isoNow();
      }
      if (!st.startTime) st.startTime = c.isoNow();
    }
    const targeted = jobCondition({ status: st }, 'FailureTarget') ?? jobCondition({ status: st }, 'SuccessCriteriaMet');
    if (!targeted && !suspended) {
      const active = pods.filter(isActive);
      const backoffLimit = Number(spec.backoffLimit ?? 6);
      const restartsNow = active.reduce((n, p) => n + restarts(p), 0);
      const pastOnFailure = spec.template?.spec?.restartPolicy === 'OnFailure' && (backoffLimit === 0 ? restartsNow > 0 : restartsNow >= backoffLimit);
      const ads = spec.activeDeadlineSeconds;
      const deadlineAt = ads !== undefined && ads !== null && st.startTime ? Date.parse(st.startTime) + ads * 1000 : undefined;
      const succeeded = indexed ? completed!.size : Number(st.succeeded ?? 0);
      const completions = spec.completions;
      if (policyFailure) setCondition(c, st, 'FailureTarget', 'True', 'PodFailurePolicy', policyFailure);
      else if (Number(st.failed ?? 0) > backoffLimit || pastOnFailure) {
        setCondition(c, st, 'FailureTarget', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
      } else if (deadlineAt !== undefined && c.now() >= deadlineAt) {
        setCondition(c, st, 'FailureTarget', 'True', 'DeadlineExceeded', 'Job was active longer than specified deadline');
      } else if (completions === undefined || completions === null ? succeeded > 0 && !active.length : succeeded >= completions) {
        setCondition(c, st, 'SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods');
      } else {
        if (deadlineAt !== undefined) c.schedule(deadlineAt - c.now(), 'job-resync', key);
        createPods(c, job, pods, st);
      }
    }
    // the condition's event follows manageJob's pod creations
    if (resumed) recordEvent(c, job, 'Normal', 'Resumed', 'Job resumed', SOURCE);
    const target = jobCondition({ status: st }, 'FailureTarget') ?? jobCondition({ status: st }, 'SuccessCriteriaMet');
    if (target) {
      for (const p of pods.filter(isActive)) deletePod(c, job, p);
      // a finishing job counts every pod it still tracks (as failed when it fails) and releases it
      for (const p of podsOf(c, job)) {
        if (!p.metadata.finalizers?.includes(TRACKING_FINALIZER)) continue;
        if (target.type === 'FailureTarget' && p.status?.phase !== 'Succeeded') st.failed = Number(st.failed ?? 0) + 1;
        releasePod(c, p);
      }
      pods = podsOf(c, job);
      if (!pods.some((p) => isActive(p) || isTerminating(p) || isGone(p))) {
        const type = target.type === 'FailureTarget' ? 'Failed' : 'Complete';
        setCondition(c, st, type, 'True', target.reason ?? '', target.message ?? '');
        if (type === 'Complete') {
          st.completionTime = c.isoNow();
          recordEvent(c, job, 'Normal', 'Completed', 'Job completed', SOURCE);
        } else recordEvent(c, job, 'Warning', target.reason ?? '', target.message ?? '', SOURCE);
      }
    }
  }
  pods = podsOf(c, job);
  const active = pods.filter(isActive);
  if (active.length) st.active = active.length;
  else delete st.active;
  st.ready = active.filter(isReady).length;
  st.terminating = pods.filter(isTerminating).length;
  if (!st.succeeded) delete st.succeeded;
  if (!st.failed) delete st.failed;
  st.uncountedTerminatedPods ??= {};
  if (JSON.stringify(st) === before) return;
  const updated = structuredClone(c.api.peek(JOB, ns, name)!);
  updated.status = st;
  c.api.write(JOB, updated);
}

function requestSync(c: Cluster, ns: string, name: string): void {
  const key = jobKey(ns, name);
  if (!c.hasTimer(key, 'job-sync')) c.schedule(0, 'job-sync', key);
}

export const jobController: Controller = {
  name: 'job-controller',
  onChange(c, ev) {
    if (ev.def.kind === 'Job' && ev.def.group === 'batch') {
      if (ev.type === 'DELETED') return;
      const o = ev.old;
      if (!o || o.metadata.generation !== ev.obj.metadata.generation || (!o.metadata.deletionTimestamp && ev.obj.metadata.deletionTimestamp)) {
        requestSync(c, ev.obj.metadata.namespace, ev.obj.metadata.name);
      }
      return;
    }
    if (ev.def.kind !== 'Pod') return;
    const ref = (ev.obj.metadata.ownerReferences ?? []).find((r: KObj) => r.controller && r.kind === 'Job' && String(r.apiVersion).startsWith('batch/'));
    const owner = ref && c.api.peek(JOB, ev.obj.metadata.namespace, ref.name);
    if (owner && owner.metadata.uid === ref.uid) requestSync(c, ev.obj.metadata.namespace, ref.name);
    else if (ev.type !== 'DELETED' && ev.obj.metadata.finalizers?.includes(TRACKING_FINALIZER)) {
      // the orphan worker: a pod whose job is gone loses the tracking finalizer
      c.schedule(0, 'job-orphan-pod', `pods/${ev.obj.metadata.namespace}/${ev.obj.metadata.name}`);
    }
  },
  timers: {
    'job-sync': (c, t) => {
      const [, ns, name] = t.key.split('/');
      sync(c, ns, name);
    },
    'job-orphan-pod': (c, t) => {
      const [, ns, name] = t.key.split('/');
      const pod = c.api.peek(POD, ns, name);
      if (pod?.metadata.finalizers?.includes(TRACKING_FINALIZER)) releasePod(c, pod);
    },
    'job-resync': (c, t) => {
      const [, ns, name] = t.key.split('/');
      sync(c, ns, name);
    },
  },
};
