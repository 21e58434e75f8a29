// DaemonSet (apps/v1) on the API server: SetDefaults_DaemonSet and the pod template's defaults, and
// ValidateDaemonSet / ValidateDaemonSetUpdate (pkg/apis/apps/validation) with their texts.
import type { Cause } from '../errors.js';
import type { KObj } from '../types.js';
import { canonicalJson } from '../equal.js';
import { goQuote } from '../../printers/gofmt.js';
import { selectorFromLabelSelector } from '../selectors.js';
import { annotations, dns1123Subdomain, goStringMap, labels } from '../validation/names.js';
import { validatePodSpec } from '../validation/pod.js';
import { defaultPodTemplateSpec } from './apps.js';


export function defaultDaemonSet(ds: KObj): void {
  const spec = (ds.spec ??= {});
  const us = (spec.updateStrategy ??= {});
  us.type ??= 'RollingUpdate';
  if (us.type === 'RollingUpdate') {
    const ru = (us.rollingUpdate ??= {});
    ru.maxUnavailable ??= 1;
    ru.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplateSpec((spec.template ??= {}));
}


/** %#v of an intstr.IntOrString (its String() has a pointer receiver, so field errors print the struct). */
function intstrSharp(v: unknown): string {
  if (typeof v === 'string') return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(v)}}`;
  return `intstr.IntOrString{Type:0, IntVal:${Number(v ?? 0)}, StrVal:""}`;
}

const PERCENT = /^[0-9]+%$/;

/** ValidatePositiveIntOrPercent and IsNotMoreThan100Percent. */
function intOrPercent(v: unknown, field: string): Cause[] {
  if (typeof v === 'number') return v < 0 ? [{ field, message: `Invalid value: ${v}: must be greater than or equal to 0` }] : [];
  if (typeof v !== 'string') return [];
  if (!PERCENT.test(v)) {
    return [{ field, message: `Invalid value: ${intstrSharp(v)}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')` }];
  }
  if (Number(v.slice(0, -1)) > 100) return [{ field, message: `Invalid value: ${intstrSharp(v)}: must not be greater than 100%` }];
  return [];
}

/** getIntOrPercentValue (an invalid string counts as 0). */
function intOrPercentValue(v: unknown): number {
  if (typeof v === 'string') return PERCENT.test(v) ? Number(v.slice(0, -1)) : 0;
  return Number(v ?? 0) || 0;
}

/** %#v of a *metav1.LabelSelector field error value. */
function emptySelectorSharp(sel: KObj): string {
  const ml = sel.matchLabels === undefined || sel.matchLabels === null ? 'map[string]string(nil)' : 'map[string]string{}';
  const me = sel.matchExpressions === undefined || sel.matchExpressions === null ? '[]v1.LabelSelectorRequirement(nil)' : '[]v1.LabelSelectorRequirement{}';
  return `v1.LabelSelector{MatchLabels:${ml}, MatchExpressions:${me}}`;
}

function spec(ds: KObj): Cause[] {
  const out: Cause[] = [];
  const s = ds.spec ?? {};
  const t = s.template ?? {};
  const tl = t.metadata?.labels as Record<string, string> | undefined;
  // LabelSelectorAsSelector(nil) selects nothing: a missing selector fails as a mismatch
  let matches = false;
  try {
    matches = !!s.selector && selectorFromLabelSelector(s.selector).matches(tl ?? {});
  } catch {
    matches = false;
  }
  if (!matches) out.push({ field: 'spec.template.metadata.labels', message: `Invalid value: ${goStringMap(tl)}: \`selector\` does not match template \`labels\`` });
  if (s.selector && !Object.keys(s.selector.matchLabels ?? {}).length && !(s.selector.matchExpressions ?? []).length) {
    out.push({ field: 'spec.selector', message: `Invalid value: ${emptySelectorSharp(s.selector)}: empty selector is invalid for daemonset` });
  }
  out.push(...labels(tl, 'spec.template.metadata.labels'));
  out.push(...annotations(t.metadata?.annotations, 'spec.template.metadata.annotations'));
  out.push(...validatePodSpec(t.spec, 'spec.template.spec'));
  const rp = t.spec?.restartPolicy;
  if (rp !== 'Always') out.push({ field: 'spec.template.spec.restartPolicy', message: `Unsupported value: ${goQuote(String(rp ?? ''))}: supported values: "Always"` });
  if (t.spec?.activeDeadlineSeconds !== undefined) {
    out.push({ field: 'spec.template.spec.activeDeadlineSeconds', message: 'Forbidden: activeDeadlineSeconds in DaemonSet is not Supported' });
  }
  if ((s.minReadySeconds ?? 0) < 0) out.push({ field: 'spec.minReadySeconds', message: `Invalid value: ${s.minReadySeconds}: must be greater than or equal to 0` });
  const us = s.updateStrategy ?? {};
  if (us.type === 'RollingUpdate') {
    const ru = us.rollingUpdate;
    const f = 'spec.updateStrategy.rollingUpdate';
    if (!ru) out.push({ field: f, message: 'Required value' });
    else {
      out.push(...intOrPercent(ru.maxUnavailable, `${f}.maxUnavailable`));
      out.push(...intOrPercent(ru.maxSurge, `${f}.maxSurge`));
      const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
      const hasSurge = intOrPercentValue(ru.maxSurge) !== 0;
      if (hasUnavailable && hasSurge) out.push({ field: `${f}.maxSurge`, message: `Invalid value: ${intstrSharp(ru.maxSurge)}: may not be set when maxUnavailable is non-zero` });
      if (!hasUnavailable && !hasSurge) out.push({ field: `${f}.maxUnavailable`, message: 'Required value: cannot be 0 when maxSurge is 0' });
    }
  } else if (us.type !== 'OnDelete') {
    // NotSupported prints the strategy struct (%#v); a set rollingUpdate is a pointer there
    const ruText = us.rollingUpdate ? '(*apps.RollingUpdateDaemonSet)(0xc000a1b2c0)' : '(*apps.RollingUpdateDaemonSet)(nil)';
    out.push({ field: 'spec.updateStrategy', message: `Unsupported value: apps.DaemonSetUpdateStrategy{Type:${goQuote(String(us.type ?? ''))}, RollingUpdate:${ruText}}: supported values: "RollingUpdate", "OnDelete"` });
  }
  if ((s.revisionHistoryLimit ?? 0) < 0) out.push({ field: 'spec.revisionHistoryLimit', message: `Invalid value: ${s.revisionHistoryLimit}: must be greater than or equal to 0` });
  return out;
}

function meta(ds: KObj): Cause[] {
  const m = ds.metadata ?? {};
  return [...(m.name ? dns1123Subdomain(m.name, 'metadata.name') : []), ...labels(m.labels, 'metadata.labels'), ...annotations(m.annotations, 'metadata.annotations')];
}

export function validateDaemonSet(ds: KObj): Cause[] {
  return [...meta(ds), ...spec(ds)];
}

export function validateDaemonSetUpdate(ds: KObj, old: KObj): Cause[] {
  const out = [...meta(ds), ...spec(ds)];
  if (JSON.stringify(ds.spec?.selector ?? null) !== JSON.stringify(old.spec?.selector ?? null)) {
    out.push({ field: 'spec.selector', message: `Invalid value: ${selectorSharp(ds.spec?.selector)}: field is immutable` });
  }
  return out;
}

function selectorSharp(sel: KObj | undefined): string {
  if (!sel) return 'v1.LabelSelector(nil)';
  const ml = Object.keys(sel.matchLabels ?? {}).length ? goStringMap(sel.matchLabels) : 'map[string]string(nil)';
  const me = (sel.matchExpressions ?? []).length ? '[]v1.LabelSelectorRequirement{...}' : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${ml}, MatchExpressions:${me}}`;
}

/** The annotation apps/v1 keeps spec.templateGeneration in. */
export const TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';

export const daemonSetStrategy = {
  generation: true,
  prepareForCreate(ds: KObj): void {
    defaultDaemonSet(ds);
    ds.metadata.annotations = { ...(ds.metadata.annotations ?? {}), [TEMPLATE_GENERATION]: '1' };
    ds.status = { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 };
  },
  prepareForUpdate(ds: KObj, old: KObj): void {
    defaultDaemonSet(ds);
    // the template generation moves with every template change (daemonSetStrategy.PrepareForUpdate)
    let gen = Number(old.metadata.annotations?.[TEMPLATE_GENERATION] ?? 1);
    if (canonicalJson(ds.spec.template) !== canonicalJson(old.spec?.template)) gen++;
    ds.metadata.annotations = { ...(ds.metadata.annotations ?? {}), [TEMPLATE_GENERATION]: String(gen) };
  },
  validate: validateDaemonSet,
  validateUpdate: validateDaemonSetUpdate,
};
