// The Job controller's view of its pods: the pod it creates from the template (generateName, labels,
// the job-tracking finalizer, ownerReference; Indexed jobs' index annotation, label, hostname and
// JOB_COMPLETION_INDEX), and how it classifies the pods it owns.
import type { KObj } from '../../api/types.js';

export const TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
export const INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';
export const INDEX_LABEL = 'batch.kubernetes.io/job-completion-index';

export function controllerRef(owner: KObj): KObj {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true };
}

/** The pod the controller asks the API server for (index undefined: NonIndexed). */
export function podFromTemplate(job: KObj, index?: number): KObj {
  const tpl = structuredClone(job.spec.template ?? {});
  const meta: KObj = {};
  const name = job.metadata.name;
  meta.generateName = index === undefined ? `${name}-` : `${name}-${index}-`;
  meta.namespace = job.metadata.namespace;
  if (tpl.metadata?.labels) meta.labels = { ...tpl.metadata.labels };
  if (tpl.metadata?.annotations) meta.annotations = { ...tpl.metadata.annotations };
  const spec: KObj = tpl.spec ?? {};
  if (index !== undefined) {
    meta.annotations = { ...(meta.annotations ?? {}), [INDEX_ANNOTATION]: String(index) };
    meta.labels = { ...(meta.labels ?? {}), [INDEX_LABEL]: String(index) };
    spec.hostname ||= `${name}-${index}`;
    for (const ct of [...(spec.initContainers ?? []), ...(spec.containers ?? [])] as KObj[]) {
      const env: KObj[] = (ct.env ??= []);
      if (!env.some((e) => e.name === 'JOB_COMPLETION_INDEX')) {
        env.push({ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.annotations['${INDEX_ANNOTATION}']` } } });
      }
    }
  }
  meta.finalizers = [TRACKING_FINALIZER];
  meta.ownerReferences = [controllerRef(job)];
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec };
}

export function podIndex(pod: KObj): number | undefined {
  const v = pod.metadata.annotations?.[INDEX_ANNOTATION];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

export const isFinished = (pod: KObj): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** The node stopped a deleted pod (grace 0): it is over, whatever its phase says. */
export const isGone = (pod: KObj): boolean => Boolean(pod.metadata.deletionTimestamp) && pod.metadata.deletionGracePeriodSeconds === 0;

export const isTerminating = (pod: KObj): boolean => Boolean(pod.metadata.deletionTimestamp) && !isFinished(pod) && !isGone(pod);

export const isActive = (pod: KObj): boolean => !pod.metadata.deletionTimestamp && !isFinished(pod);

export function isReady(pod: KObj): boolean {
  return ((pod.status?.conditions ?? []) as KObj[]).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** When a pod ended: its last container's finishedAt, else now. */
export function finishedAt(pod: KObj, now: number): number {
  let t = 0;
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])] as KObj[]) {
    const f = s.state?.terminated?.finishedAt;
    if (f) t = Math.max(t, Date.parse(f));
  }
  return t || now;
}

/** Restarts of a pending or running pod's containers (OnFailure jobs count them towards the backoff limit). */
export function restarts(pod: KObj): number {
  if (pod.status?.phase !== 'Running' && pod.status?.phase !== 'Pending') return 0;
  let n = 0;
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])] as KObj[]) n += Number(s.restartCount ?? 0);
  return n;
}

/** The first terminated container with a non-zero exit code (podFailurePolicy's onExitCodes). */
export function failedContainers(pod: KObj): KObj[] {
  const out: KObj[] = [];
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])] as KObj[]) {
    const t = s.state?.terminated;
    if (t && t.exitCode !== 0) out.push({ name: s.name, exitCode: t.exitCode });
  }
  return out;
}

/** podFailurePolicy: the first rule that matches a failed pod, with its index and the message the controller writes. */
export function matchFailurePolicy(job: KObj, pod: KObj): { action: string; message: string } | undefined {
  const rules: KObj[] = job.spec?.podFailurePolicy?.rules ?? [];
  const podName = `${pod.metadata.namespace}/${pod.metadata.name}`;
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i];
    if (r.onExitCodes) {
      const { containerName, operator, values } = r.onExitCodes;
      for (const ct of failedContainers(pod)) {
        if (containerName && ct.name !== containerName) continue;
        const inList = (values ?? []).includes(ct.exitCode);
        if ((operator === 'In' && inList) || (operator === 'NotIn' && !inList)) {
          return { action: r.action, message: `Container ${ct.name} for pod ${podName} failed with exit code ${ct.exitCode} matching ${r.action} rule at index ${i}` };
        }
      }
    }
    for (const pc of (r.onPodConditions ?? []) as KObj[]) {
      const cond = ((pod.status?.conditions ?? []) as KObj[]).find((x) => x.type === pc.type);
      if (cond && cond.status === (pc.status ?? 'True')) {
        return { action: r.action, message: `Pod ${podName} has condition ${pc.type} matching ${r.action} rule at index ${i}` };
      }
    }
  }
  return undefined;
}
