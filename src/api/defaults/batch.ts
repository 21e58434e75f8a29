// batch/v1 on the API server: SetDefaults_Job / SetDefaults_CronJob and the pod template's defaults,
// the Job strategy's generated selector (PrepareForCreate), and the strategies that validate them.
import type { KObj } from '../types.js';
import { validateCronJob, validateCronJobUpdate, validateJob, validateJobUpdate } from '../validation/batch.js';
import { defaultPodTemplateSpec } from './apps.js';

export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
export const LEGACY_JOB_NAME_LABEL = 'job-name';

/** SetDefaults_PodSpec and the container defaults on a pod template (admission adds the rest to pods). */
export function defaultJobPodTemplate(tpl: KObj): void {
  defaultPodTemplateSpec(tpl);
}

/** SetDefaults_Job (1.32: podReplacementPolicy and manualSelector included). */
export function defaultJob(job: KObj): void {
  const spec = (job.spec ??= {});
  const unset = (v: unknown) => v === undefined || v === null;
  if (unset(spec.completions) && unset(spec.parallelism)) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  if (unset(spec.parallelism)) spec.parallelism = 1;
  if (unset(spec.backoffLimit)) spec.backoffLimit = unset(spec.backoffLimitPerIndex) ? 6 : 2147483647;
  const tplLabels = spec.template?.metadata?.labels;
  if (tplLabels && !Object.keys(job.metadata?.labels ?? {}).length) job.metadata.labels = { ...tplLabels };
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  spec.manualSelector ??= false;
  defaultJobPodTemplate((spec.template ??= {}));
  for (const r of (spec.podFailurePolicy?.rules ?? []) as KObj[]) {
    for (const pc of (r?.onPodConditions ?? []) as KObj[]) if (pc && !pc.status) pc.status = 'True';
  }
}

/** The job strategy's generateSelector: template labels naming the job and its uid, and the selector on the uid. */
export function generateJobSelector(job: KObj): void {
  const spec = job.spec;
  if (spec.manualSelector === true) return;
  const tpl = (spec.template ??= {});
  const lbls: Record<string, string> = ((tpl.metadata ??= {}).labels ??= {});
  const uid = job.metadata.uid;
  for (const k of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) lbls[k] ??= job.metadata.name;
  for (const k of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) lbls[k] ??= uid;
  const sel = (spec.selector ??= {});
  const ml = (sel.matchLabels ??= {});
  ml[CONTROLLER_UID_LABEL] ??= uid;
}

export function defaultCronJob(cj: KObj): void {
  const spec = (cj.spec ??= {});
  spec.concurrencyPolicy ||= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  const jt = (spec.jobTemplate ??= {});
  const meta = (jt.metadata ??= {});
  if (!('creationTimestamp' in meta)) meta.creationTimestamp = null;
  defaultJobPodTemplate(((jt.spec ??= {}).template ??= {}));
}

export interface UidHost {
  uid(): string;
}

export const jobStrategy = {
  generation: true,
  /** the selector is generated from the uid, which the server assigns first */
  uidFirst: true,
  prepareForCreate(job: KObj): void {
    defaultJob(job);
    generateJobSelector(job);
    // defaulting on the way out of storage: a job without labels shows its template's
    if (!Object.keys(job.metadata.labels ?? {}).length && job.spec.template?.metadata?.labels) job.metadata.labels = { ...job.spec.template.metadata.labels };
    job.status = {};
  },
  prepareForUpdate(job: KObj): void {
    defaultJob(job);
  },
  validate: validateJob,
  validateUpdate: validateJobUpdate,
};

export const cronJobStrategy = {
  generation: true,
  prepareForCreate(cj: KObj): void {
    defaultCronJob(cj);
    cj.status = {};
  },
  prepareForUpdate(cj: KObj): void {
    defaultCronJob(cj);
  },
  validate: validateCronJob,
  validateUpdate: validateCronJobUpdate,
};
