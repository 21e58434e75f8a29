// batch/v1 validation (pkg/apis/batch/validation): ValidateJob / ValidateJobUpdate and
// ValidateCronJobCreate / ValidateCronJobUpdate, with the API server's texts and order.
import type { Cause } from '../errors.js';
import type { KObj } from '../types.js';
import { knownZone, scheduleError } from '../cron-schedule.js';
import { annotations, dns1123Label, dns1123Subdomain, labels, q, unsupported } from './names.js';
import { validatePodSpec } from './pod.js';

const nonNegative = (v: unknown, field: string): Cause[] =>
  typeof v === 'number' && v < 0 ? [{ field, message: `Invalid value: ${v}: must be greater than or equal to 0` }] : [];

/** %#v of a map[string]string, as the API server prints an invalid label map. */
function goMap(m: Record<string, unknown> | undefined): string {
  if (m === undefined || m === null) return 'map[string]string(nil)';
  const keys = Object.keys(m ?? {}).sort();
  return `map[string]string{${keys.map((k) => `${q(k)}:${q(String(m![k]))}`).join(', ')}}`;
}

/** %#v of a metav1.LabelSelector. */
function goSelector(sel: KObj): string {
  const ml = sel.matchLabels ? goMap(sel.matchLabels) : 'map[string]string(nil)';
  const exprs = (sel.matchExpressions ?? []) as KObj[];
  const me = exprs.length
    ? `[]v1.LabelSelectorRequirement{${exprs.map((e) => `v1.LabelSelectorRequirement{Key:${q(String(e.key))}, Operator:${q(String(e.operator))}, Values:${e.values ? `[]string{${(e.values as unknown[]).map((x) => q(String(x))).join(', ')}}` : '[]string(nil)'}}`).join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${ml}, MatchExpressions:${me}}`;
}

export function selectorMatches(sel: KObj | undefined, lbls: Record<string, string>): boolean {
  if (!sel) return false;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (lbls[k] !== v) return false;
  for (const e of (sel.matchExpressions ?? []) as KObj[]) {
    const has = Object.prototype.hasOwnProperty.call(lbls, e.key);
    const vals: string[] = (e.values ?? []).map(String);
    if (e.operator === 'In' && !(has && vals.includes(lbls[e.key]))) return false;
    if (e.operator === 'NotIn' && has && vals.includes(lbls[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

function metaCauses(obj: KObj): Cause[] {
  const m = obj.metadata ?? {};
  const out: Cause[] = [];
  if (m.name) out.push(...dns1123Subdomain(m.name, 'metadata.name'));
  out.push(...labels(m.labels, 'metadata.labels'));
  out.push(...annotations(m.annotations, 'metadata.annotations'));
  return out;
}

/** validateJobSpec: the fields a CronJob's jobTemplate shares with a Job. */
function jobSpecCauses(spec: KObj, path: string): Cause[] {
  const out: Cause[] = [];
  out.push(...nonNegative(spec.parallelism, `${path}.parallelism`));
  out.push(...nonNegative(spec.completions, `${path}.completions`));
  out.push(...nonNegative(spec.activeDeadlineSeconds, `${path}.activeDeadlineSeconds`));
  out.push(...nonNegative(spec.backoffLimit, `${path}.backoffLimit`));
  out.push(...nonNegative(spec.ttlSecondsAfterFinished, `${path}.ttlSecondsAfterFinished`));
  const mode = spec.completionMode;
  if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed') out.push(unsupported(`${path}.completionMode`, String(mode), ['NonIndexed', 'Indexed']));
  if (mode === 'Indexed' && (spec.completions === undefined || spec.completions === null)) {
    out.push({ field: `${path}.completions`, message: 'Required value: when completion mode is Indexed' });
  }
  const pfp = spec.podFailurePolicy;
  if (pfp) {
    ((pfp.rules ?? []) as KObj[]).forEach((r, i) => {
      const actions = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
      if (!r?.action) out.push({ field: `${path}.podFailurePolicy.rules[${i}].action`, message: `Required value: valid values: ["Count" "FailIndex" "FailJob" "Ignore"]` });
      else if (!actions.includes(r.action)) out.push(unsupported(`${path}.podFailurePolicy.rules[${i}].action`, r.action, actions));
    });
  }
  const rpp = spec.podReplacementPolicy;
  if (rpp !== undefined && rpp !== null) {
    if (pfp && rpp !== 'Failed') out.push(unsupported(`${path}.podReplacementPolicy`, String(rpp), ['Failed']));
    else if (!pfp && rpp !== 'Failed' && rpp !== 'TerminatingOrFailed') out.push(unsupported(`${path}.podReplacementPolicy`, String(rpp), ['Failed', 'TerminatingOrFailed']));
  }
  const tpl = spec.template ?? {};
  out.push(...labels(tpl.metadata?.labels, `${path}.template.labels`));
  out.push(...validatePodSpec(tpl.spec, `${path}.template.spec`));
  const rp = tpl.spec?.restartPolicy;
  if (rp === 'Always' || !rp) out.push({ field: `${path}.template.spec.restartPolicy`, message: 'Required value: valid values: "OnFailure", "Never"' });
  else if (rp !== 'OnFailure' && rp !== 'Never') out.push(unsupported(`${path}.template.spec.restartPolicy`, rp, ['OnFailure', 'Never']));
  else if (pfp && rp !== 'Never') out.push({ field: `${path}.template.spec.restartPolicy`, message: `Invalid value: ${q(rp)}: only "Never" is supported when podFailurePolicy is specified` });
  return out;
}

export function validateJob(job: KObj): Cause[] {
  const out = metaCauses(job);
  const spec = job.spec ?? {};
  const name = job.metadata?.name ?? '';
  const uid = job.metadata?.uid ?? '';
  const tplLabels: Record<string, string> = spec.template?.metadata?.labels ?? {};
  if (spec.manualSelector !== true && spec.selector) {
    // validateGeneratedSelector: the generated labels on the template, and a selector on them alone
    const expected: Record<string, string> = {};
    for (const [k, v] of [['controller-uid', uid], ['job-name', name], ['batch.kubernetes.io/controller-uid', uid], ['batch.kubernetes.io/job-name', name]]) {
      expected[k] = v;
      const field = `spec.template.metadata.labels[${k}]`;
      if (tplLabels[k] === undefined) out.push({ field, message: `Required value: ${v}` });
      else if (tplLabels[k] !== v) out.push({ field, message: `Invalid value: ${goMap(tplLabels)}: ${v}` });
    }
    if (!selectorMatches(spec.selector, expected)) {
      out.push({ field: 'spec.selector', message: `Invalid value: ${goSelector(spec.selector)}: \`selector\` not auto-generated` });
    }
  }
  out.push(...validateJobSpec(spec));
  const completions = spec.completions;
  if (spec.completionMode === 'Indexed' && typeof completions === 'number' && completions > 0) {
    const host = `${name}-${completions - 1}`;
    if (dns1123Label(host, 'x').length) out.push({ field: 'metadata.name', message: `Invalid value: ${q(name)}: will not able to create pod with invalid DNS label: ${host}` });
  }
  return out;
}

/** ValidateJobSpec: the spec's own rules, then a selector that must exist and match the template. */
function validateJobSpec(spec: KObj): Cause[] {
  const out = jobSpecCauses(spec, 'spec');
  const tplLabels: Record<string, string> | undefined = spec.template?.metadata?.labels;
  if (!spec.selector) out.push({ field: 'spec.selector', message: 'Required value' });
  // a missing selector selects nothing, so it does not match either
  if (!selectorMatches(spec.selector, tplLabels ?? {})) {
    out.push({ field: 'spec.template.metadata.labels', message: `Invalid value: ${goMap(tplLabels)}: \`selector\` does not match template \`labels\`` });
  }
  return out;
}

const IMMUTABLE_JOB = ['completions', 'selector', 'template', 'completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy'];

/** ValidateJobUpdate: metadata, ValidateJobSpec, then the fields that cannot change. */
export function validateJobUpdate(job: KObj, old: KObj): Cause[] {
  const out = [...metaCauses(job), ...validateJobSpec(job.spec ?? {})];
  for (const k of IMMUTABLE_JOB) {
    const now = job.spec?.[k];
    if (JSON.stringify(now) === JSON.stringify(old.spec?.[k])) continue;
    if (k === 'template' && (old.spec?.suspend || job.spec?.suspend)) continue;
    let shown: string;
    if (now === undefined || now === null) shown = '"null"';
    else if (k === 'template') shown = 'core.PodTemplateSpec{...}';
    else if (k === 'selector') shown = goSelector(now);
    else shown = typeof now === 'string' ? q(now) : JSON.stringify(now);
    out.push({ field: `spec.${k}`, message: `Invalid value: ${shown}: field is immutable` });
  }
  return out;
}

function cronSpecCauses(spec: KObj, oldSpec: KObj | undefined): Cause[] {
  const out: Cause[] = [];
  const schedule: string = spec.schedule ?? '';
  if (!schedule) out.push({ field: 'spec.schedule', message: 'Required value' });
  else {
    const err = scheduleError(schedule);
    if (err) out.push({ field: 'spec.schedule', message: `Invalid value: ${q(schedule)}: ${err}` });
    const allowTZ = Boolean(oldSpec?.schedule?.includes('TZ'));
    if (allowTZ && schedule.includes('TZ') && spec.timeZone !== undefined && spec.timeZone !== null) {
      out.push({ field: 'spec.schedule', message: `Invalid value: ${q(schedule)}: cannot use both timeZone field and TZ or CRON_TZ in schedule` });
    } else if (!allowTZ && schedule.includes('TZ')) {
      out.push({ field: 'spec.schedule', message: `Invalid value: ${q(schedule)}: cannot use TZ or CRON_TZ in schedule, use timeZone field instead` });
    }
  }
  out.push(...nonNegative(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  const tz = spec.timeZone;
  if (tz !== undefined && tz !== null && (!oldSpec || oldSpec.timeZone !== tz)) {
    const bad = (msg: string) => out.push({ field: 'spec.timeZone', message: `Invalid value: ${q(String(tz))}: ${msg}` });
    if (tz === '') bad('timeZone must be nil or non-empty string');
    else if (String(tz).split('/').some((p) => p === '.' || p === '..' || p.startsWith('-') || !/^[A-Za-z.\-_0-9+]{1,14}$/.test(p))) bad(`unknown time zone ${tz}`);
    else {
      if (String(tz).toLowerCase() === 'local') bad('timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones');
      if (!knownZone(String(tz))) bad(`unknown time zone ${tz}`);
    }
  }
  const cp = spec.concurrencyPolicy;
  if (!cp) out.push({ field: 'spec.concurrencyPolicy', message: 'Required value' });
  else if (!['Allow', 'Forbid', 'Replace'].includes(cp)) out.push(unsupported('spec.concurrencyPolicy', cp, ['Allow', 'Forbid', 'Replace']));
  const jt = spec.jobTemplate ?? {};
  out.push(...jobSpecCauses(jt.spec ?? {}, 'spec.jobTemplate.spec'));
  if (jt.spec?.selector) out.push({ field: 'spec.jobTemplate.spec.selector', message: 'Invalid value: "null": `selector` will be auto-generated' });
  if (jt.spec?.manualSelector === true) out.push({ field: 'spec.jobTemplate.spec.manualSelector', message: 'Unsupported value: true: supported values: "nil", "false"' });
  out.push(...nonNegative(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
  out.push(...nonNegative(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
  return out;
}

export function validateCronJob(cj: KObj): Cause[] {
  const out = metaCauses(cj);
  out.push(...cronSpecCauses(cj.spec ?? {}, undefined));
  const name: string = cj.metadata?.name ?? '';
  if (name.length > 52) out.push({ field: 'metadata.name', message: `Invalid value: ${q(name)}: must be no more than 52 characters` });
  return out;
}

export function validateCronJobUpdate(cj: KObj, old: KObj): Cause[] {
  return [...metaCauses(cj), ...cronSpecCauses(cj.spec ?? {}, old.spec ?? {})];
}
