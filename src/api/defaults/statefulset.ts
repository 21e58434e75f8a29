// StatefulSet defaults (apps/v1 SetDefaults_StatefulSet, pod template and claim template defaults)
// and validation (ValidateStatefulSet / ValidateStatefulSetUpdate) with the API server's texts.
import type { Cause } from '../errors.js';
import type { KObj } from '../types.js';
import { labels as labelCauses, q } from '../validation/names.js';
import { defaultPodTemplateSpec } from './apps.js';
import { validateClaimSpec } from './storage.js';

/** SetDefaults_PodSpec and container defaults on a template (no service account or tolerations: those are the pod's). */
export function defaultPodTemplate(tpl: KObj): void {
  defaultPodTemplateSpec(tpl);
}

export function defaultStatefulSet(sts: KObj): void {
  const spec = (sts.spec ??= {});
  spec.replicas ??= 1;
  spec.podManagementPolicy ??= 'OrderedReady';
  const us = (spec.updateStrategy ??= {});
  us.type ??= 'RollingUpdate';
  if (us.type === 'RollingUpdate') {
    us.rollingUpdate ??= {};
    us.rollingUpdate.partition ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  const ret = (spec.persistentVolumeClaimRetentionPolicy ??= {});
  ret.whenDeleted ??= 'Retain';
  ret.whenScaled ??= 'Retain';
  defaultPodTemplate((spec.template ??= {}));
  for (const vct of (spec.volumeClaimTemplates ?? []) as KObj[]) {
    if (!vct || typeof vct !== 'object') continue;
    vct.apiVersion ??= 'v1';
    vct.kind ??= 'PersistentVolumeClaim';
    const m = (vct.metadata ??= {});
    if (!('creationTimestamp' in m)) m.creationTimestamp = null;
    (vct.spec ??= {}).volumeMode ??= 'Filesystem';
    vct.status ??= { phase: 'Pending' };
  }
}

/** %#v of a map[string]string, as the API server prints an invalid label map. */
function goMap(m: Record<string, unknown> | undefined): string {
  const keys = Object.keys(m ?? {}).sort();
  return `map[string]string{${keys.map((k) => `${q(k)}:${q(String(m![k]))}`).join(', ')}}`;
}

function selectorMatches(sel: KObj, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of (sel.matchExpressions ?? []) as KObj[]) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const vals: string[] = (e.values ?? []).map(String);
    if (e.operator === 'In' && !(has && vals.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && vals.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

const nonNegative = (v: unknown, field: string): Cause[] =>
  typeof v === 'number' && v < 0 ? [{ field, message: `Invalid value: ${v}: must be greater than or equal to 0` }] : [];

export function validateStatefulSet(sts: KObj): Cause[] {
  const spec = sts.spec ?? {};
  const out: Cause[] = [];
  const pmp = spec.podManagementPolicy;
  if (!pmp) out.push({ field: 'spec.podManagementPolicy', message: 'Required value' });
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel') out.push({ field: 'spec.podManagementPolicy', message: `Invalid value: ${q(String(pmp))}: must be 'OrderedReady' or 'Parallel'` });
  const us = spec.updateStrategy ?? {};
  if (!us.type) out.push({ field: 'spec.updateStrategy', message: 'Required value' });
  else if (us.type === 'OnDelete') {
    if (us.rollingUpdate) out.push({ field: 'spec.updateStrategy.rollingUpdate', message: "Invalid value: \"OnDelete\": only allowed for updateStrategy 'RollingUpdate'" });
  } else if (us.type === 'RollingUpdate') {
    out.push(...nonNegative(us.rollingUpdate?.partition, 'spec.updateStrategy.rollingUpdate.partition'));
  } else out.push({ field: 'spec.updateStrategy', message: `Invalid value: ${q(String(us.type))}: must be 'RollingUpdate' or 'OnDelete'` });
  out.push(...nonNegative(spec.replicas, 'spec.replicas'));
  out.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  const tplLabels: Record<string, string> = spec.template?.metadata?.labels ?? {};
  if (!spec.selector) out.push({ field: 'spec.selector', message: 'Required value' });
  else if (!Object.keys(spec.selector.matchLabels ?? {}).length && !(spec.selector.matchExpressions ?? []).length) {
    out.push({ field: 'spec.selector', message: 'Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is not valid for statefulset.' });
  } else if (!selectorMatches(spec.selector, tplLabels)) {
    out.push({ field: 'spec.template.metadata.labels', message: `Invalid value: ${goMap(tplLabels)}: \`selector\` does not match template \`labels\`` });
  }
  out.push(...labelCauses(tplLabels, 'spec.template.labels'));
  const rp = spec.template?.spec?.restartPolicy;
  if (rp !== 'Always') out.push({ field: 'spec.template.spec.restartPolicy', message: `Unsupported value: ${q(String(rp ?? ''))}: supported values: "Always"` });
  if (spec.template?.spec?.activeDeadlineSeconds !== undefined) {
    out.push({ field: 'spec.template.spec.activeDeadlineSeconds', message: `Invalid value: ${spec.template.spec.activeDeadlineSeconds}: must not be specified` });
  }
  ((spec.volumeClaimTemplates ?? []) as KObj[]).forEach((vct, i) => {
    out.push(...validateClaimSpec(vct?.spec, `spec.volumeClaimTemplates[${i}].spec`));
  });
  return out;
}

const MUTABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

export function validateStatefulSetUpdate(sts: KObj, old: KObj): Cause[] {
  const out: Cause[] = [];
  const fixed = (s: KObj | undefined) => {
    const c: KObj = { ...(s ?? {}) };
    for (const k of MUTABLE) delete c[k];
    return JSON.stringify(sortKeys(c));
  };
  if (fixed(sts.spec) !== fixed(old.spec)) {
    out.push({ field: 'spec', message: `Forbidden: updates to statefulset spec for fields other than ${MUTABLE.slice(0, -1).map((k) => `'${k}'`).join(', ')} and 'minReadySeconds' are forbidden` });
  }
  out.push(...validateStatefulSet(sts).filter((c) => !c.field.startsWith('spec.volumeClaimTemplates')));
  return out;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as KObj)[k])]));
  return v;
}
