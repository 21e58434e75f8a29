// ValidateDeployment / ValidateReplicaSet (pkg/apis/apps/validation) and the apps/v1 strategies'
// update rule (the selector is immutable), with the API server's field paths, texts and order.
import type { Cause } from '../errors.js';
import type { KObj } from '../types.js';
import { canonicalJson } from '../equal.js';
import { goQuote } from '../../printers/gofmt.js';
import { selectorFromLabelSelector } from '../selectors.js';
import { validateCreate } from './index.js';
import { goStringMap, labels, unsupported } from './names.js';
import { validatePodSpec } from './pod.js';

export { goStringMap } from './names.js';

/** Go's %#v of a metav1.LabelSelector. */
export function goLabelSelector(sel: KObj): string {
  const exprs: KObj[] | undefined = sel.matchExpressions ?? undefined;
  const ex = !exprs
    ? '[]v1.LabelSelectorRequirement(nil)'
    : `[]v1.LabelSelectorRequirement{${exprs
        .map((e) => `v1.LabelSelectorRequirement{Key:${goQuote(String(e?.key ?? ''))}, Operator:${goQuote(String(e?.operator ?? ''))}, Values:${e?.values ? `[]string{${(e.values as unknown[]).map((x) => goQuote(String(x))).join(', ')}}` : '[]string(nil)'}}`)
        .join(', ')}}`;
  return `v1.LabelSelector{MatchLabels:${goStringMap(sel.matchLabels)}, MatchExpressions:${ex}}`;
}

/** Go's %#v of an intstr.IntOrString. */
function goIntOrString(v: unknown): string {
  return typeof v === 'number' ? `intstr.IntOrString{Type:0, IntVal:${v}, StrVal:""}` : `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(String(v))}}`;
}

function nonNegative(v: unknown, field: string): Cause[] {
  return typeof v === 'number' && v < 0 ? [{ field, message: `Invalid value: ${v}: must be greater than or equal to 0` }] : [];
}

/** ValidateLabelSelector (strict label values): matchLabels, then each requirement. */
function labelSelector(sel: KObj, field: string): Cause[] {
  const out: Cause[] = [];
  out.push(...labels(sel.matchLabels, `${field}.matchLabels`));
  ((sel.matchExpressions ?? []) as KObj[]).forEach((e, i) => {
    const f = `${field}.matchExpressions[${i}]`;
    const values: unknown[] = e?.values ?? [];
    switch (e?.operator) {
      case 'In':
      case 'NotIn':
        if (!values.length) out.push({ field: `${f}.values`, message: "Required value: must be specified when `operator` is 'In' or 'NotIn'" });
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length) out.push({ field: `${f}.values`, message: "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'" });
        break;
      default:
        out.push({ field: `${f}.operator`, message: `Invalid value: ${goQuote(String(e?.operator ?? ''))}: not a valid selector operator` });
    }
    out.push(...labels({ [String(e?.key ?? '')]: '' }, `${f}.key`));
    values.forEach((v, j) => {
      for (const c of labels({ k: String(v) }, `${f}.values[${j}]`)) out.push(c);
    });
  });
  return out;
}

/** Whether metav1.LabelSelectorAsSelector would fail on the selector (any requirement it cannot build). */
function unconvertible(sel: KObj): boolean {
  const bad = (k: string, vals: string[]) => labels({ [k]: '' }, 'x').length > 0 || vals.some((v) => labels({ k: v }, 'x').length > 0);
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (bad(k, [String(v)])) return true;
  for (const e of (sel.matchExpressions ?? []) as KObj[]) {
    const vals = ((e?.values ?? []) as unknown[]).map(String);
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e?.operator)) return true;
    if ((e.operator === 'In' || e.operator === 'NotIn') && !vals.length) return true;
    if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && vals.length) return true;
    if (bad(String(e?.key ?? ''), vals)) return true;
  }
  return false;
}

/** ValidatePodTemplateSpecForReplicaSet. */
function templateForReplicaSet(tpl: KObj | undefined, sel: KObj | undefined, replicas: number, field: string): Cause[] {
  const out: Cause[] = [];
  if (!tpl) return [{ field, message: 'Required value' }];
  const tplLabels = tpl.metadata?.labels;
  // a nil selector selects nothing: the template's labels never match it
  const matches = sel ? selectorFromLabelSelector(sel).matches(tplLabels ?? {}) : false;
  const empty = !!sel && !Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length;
  if (!empty && !matches) out.push({ field: `${field}.metadata.labels`, message: `Invalid value: ${goStringMap(tplLabels)}: \`selector\` does not match template \`labels\`` });
  out.push(...labels(tplLabels, `${field}.metadata.labels`));
  out.push(...validatePodSpec(tpl.spec, `${field}.spec`));
  void replicas;
  const policy = tpl.spec?.restartPolicy;
  if (policy !== undefined && policy !== 'Always') out.push(unsupported(`${field}.spec.restartPolicy`, policy, ['Always']));
  if (tpl.spec?.activeDeadlineSeconds !== undefined && tpl.spec?.activeDeadlineSeconds !== null) {
    out.push({ field: `${field}.spec.activeDeadlineSeconds`, message: `Invalid value: ${tpl.spec.activeDeadlineSeconds}: activeDeadlineSeconds in ReplicaSet is not Supported` });
  }
  return out;
}

function selectorAndTemplate(spec: KObj, kind: string): Cause[] {
  const out: Cause[] = [];
  const sel = spec.selector;
  if (sel === undefined || sel === null) out.push({ field: 'spec.selector', message: 'Required value' });
  else {
    out.push(...labelSelector(sel, 'spec.selector'));
    if (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length) {
      out.push({ field: 'spec.selector', message: `Invalid value: ${goLabelSelector(sel)}: empty selector is invalid for deployment` });
    }
  }
  void kind;
  if (sel && unconvertible(sel)) {
    out.push({ field: 'spec.selector', message: `Invalid value: ${goLabelSelector(sel)}: invalid label selector` });
    return out;
  }
  out.push(...templateForReplicaSet(spec.template, sel ?? undefined, spec.replicas ?? 0, 'spec.template'));
  return out;
}

function percentValue(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^([0-9]+)%$/.exec(v);
  return m ? Number(m[1]) : undefined;
}

function intOrPercent(v: unknown, field: string): Cause[] {
  if (typeof v === 'number') return nonNegative(v, field);
  if (typeof v === 'string' && percentValue(v) === undefined) {
    return [{ field, message: `Invalid value: ${goIntOrString(v)}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')` }];
  }
  return [];
}

function strategy(s: KObj | undefined): Cause[] {
  const out: Cause[] = [];
  const type = s?.type;
  if (type === 'Recreate') {
    if (s?.rollingUpdate) out.push({ field: 'spec.strategy.rollingUpdate', message: "Forbidden: may not be specified when strategy `type` is 'Recreate'" });
  } else if (type === 'RollingUpdate') {
    const ru = s?.rollingUpdate;
    if (!ru) return [{ field: 'spec.strategy.rollingUpdate', message: 'Required value: this should be defaulted and never be nil' }];
    const f = 'spec.strategy.rollingUpdate';
    out.push(...intOrPercent(ru.maxUnavailable, `${f}.maxUnavailable`));
    out.push(...intOrPercent(ru.maxSurge, `${f}.maxSurge`));
    const val = (v: unknown) => (typeof v === 'number' ? v : percentValue(v) ?? -1);
    if (val(ru.maxUnavailable) === 0 && val(ru.maxSurge) === 0) {
      out.push({ field: `${f}.maxUnavailable`, message: `Invalid value: ${goIntOrString(ru.maxUnavailable)}: may not be 0 when \`maxSurge\` is 0` });
    }
    const pct = percentValue(ru.maxUnavailable);
    if (pct !== undefined && pct > 100) out.push({ field: `${f}.maxUnavailable`, message: `Invalid value: ${goIntOrString(ru.maxUnavailable)}: must not be greater than 100%` });
  } else {
    const ru = s?.rollingUpdate ? '&apps.RollingUpdateDeployment{…}' : '(*apps.RollingUpdateDeployment)(nil)';
    out.push({ field: 'spec.strategy', message: `Unsupported value: apps.DeploymentStrategy{Type:${goQuote(String(type ?? ''))}, RollingUpdate:${ru}}: supported values: "Recreate", "RollingUpdate"` });
  }
  return out;
}

function deploymentSpec(d: KObj): Cause[] {
  const spec: KObj = d.spec ?? {};
  const out: Cause[] = [];
  out.push(...nonNegative(spec.replicas, 'spec.replicas'));
  out.push(...selectorAndTemplate(spec, 'Deployment'));
  out.push(...strategy(spec.strategy));
  out.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  out.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (typeof spec.progressDeadlineSeconds === 'number') {
    out.push(...nonNegative(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      out.push({ field: 'spec.progressDeadlineSeconds', message: `Invalid value: ${spec.progressDeadlineSeconds}: must be greater than minReadySeconds` });
    }
  }
  return out;
}

function replicaSetSpec(rs: KObj): Cause[] {
  const spec: KObj = rs.spec ?? {};
  const out: Cause[] = [];
  out.push(...nonNegative(spec.replicas, 'spec.replicas'));
  out.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  out.push(...selectorAndTemplate(spec, 'ReplicaSet'));
  return out;
}

function immutableSelector(obj: KObj, old: KObj): Cause[] {
  if (canonicalJson(obj.spec?.selector ?? null) === canonicalJson(old.spec?.selector ?? null)) return [];
  const sel = obj.spec?.selector;
  const shown = sel ? goLabelSelector(sel) : 'null';
  return [{ field: 'spec.selector', message: `Invalid value: ${shown}: field is immutable` }];
}

export function validateDeployment(d: KObj): Cause[] {
  return [...validateCreate('Deployment', d), ...deploymentSpec(d)];
}

export function validateDeploymentUpdate(d: KObj, old: KObj): Cause[] {
  return [...validateCreate('Deployment', d), ...deploymentSpec(d), ...immutableSelector(d, old)];
}

export function validateReplicaSet(rs: KObj): Cause[] {
  return [...validateCreate('ReplicaSet', rs), ...replicaSetSpec(rs)];
}

export function validateReplicaSetUpdate(rs: KObj, old: KObj): Cause[] {
  return [...validateCreate('ReplicaSet', rs), ...replicaSetSpec(rs), ...immutableSelector(rs, old)];
}
