// The LimitRanger admission plugin (plugin/pkg/admission/limitranger) for pods: each LimitRange's
// Container defaults fill what a container leaves out (annotated `kubernetes.io/limit-ranger`), then
// min / max / maxLimitRequestRatio are enforced per Container and per Pod with the plugin's messages.
import { formatQuantity, milliValue, parseResourceList, unitValue, type Quantity } from '../quantity.js';
import type { KObj } from '../types.js';

export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

/** defaultContainerResourceRequirements: the Container item's defaults of one LimitRange. */
function defaults(lr: KObj): { requests: Record<string, unknown>; limits: Record<string, unknown> } {
  const requests: Record<string, unknown> = {};
  const limits: Record<string, unknown> = {};
  for (const item of (lr.spec?.limits ?? []) as KObj[]) {
    if (item.type !== 'Container') continue;
    Object.assign(requests, item.defaultRequest ?? {});
    Object.assign(limits, item.default ?? {});
  }
  return { requests, limits };
}

function mergeContainer(c: KObj, d: { requests: Record<string, unknown>; limits: Record<string, unknown> }, prefix: string, notes: string[]): void {
  const res = (c.resources ??= {});
  const setLimits: string[] = [];
  const setRequests: string[] = [];
  for (const [k, v] of Object.entries(d.limits)) {
    if (res.limits?.[k] === undefined) {
      (res.limits ??= {})[k] = v;
      setLimits.push(k);
    }
  }
  for (const [k, v] of Object.entries(d.requests)) {
    if (res.requests?.[k] === undefined) {
      (res.requests ??= {})[k] = v;
      setRequests.push(k);
    }
  }
  if (setRequests.length) notes.push(`${setRequests.sort().join(', ')} request for ${prefix} ${c.name}`);
  if (setLimits.length) notes.push(`${setLimits.sort().join(', ')} limit for ${prefix} ${c.name}`);
}

/** PodMutateLimitFunc for every LimitRange of the namespace (in order). */
export function applyLimitRangeDefaults(pod: KObj, ranges: KObj[]): boolean {
  let changed = false;
  for (const lr of ranges) {
    const d = defaults(lr);
    if (!Object.keys(d.requests).length && !Object.keys(d.limits).length) continue;
    const notes: string[] = [];
    for (const c of pod.spec?.containers ?? []) mergeContainer(c, d, 'container', notes);
    for (const c of pod.spec?.initContainers ?? []) mergeContainer(c, d, 'init container', notes);
    if (notes.length) {
      pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}` };
      changed = true;
    }
  }
  return changed;
}

/** requestLimitEnforcedValues: milli-values for cpu-like resources, values otherwise. */
function values(req: Quantity | undefined, lim: Quantity | undefined, enforced: Quantity): [bigint, bigint, bigint] {
  const v = (q: Quantity | undefined) => (q ? q : { nano: 0n, format: 'DecimalSI' as const });
  if (unitValue(enforced) <= 9_223_372_036_854_775n) return [milliValue(v(req)), milliValue(v(lim)), milliValue(enforced)];
  return [unitValue(v(req)), unitValue(v(lim)), unitValue(enforced)];
}

function checkItem(type: string, item: KObj, req: Map<string, Quantity>, lim: Map<string, Quantity>, errs: string[]): void {
  for (const [k, e] of [...parseResourceList(item.min)].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const r = req.get(k);
    const l = lim.get(k);
    const [rv, lv, ev] = values(r, l, e);
    if (!r) errs.push(`minimum ${k} usage per ${type} is ${formatQuantity(e)}.  No request is specified`);
    else if (rv < ev) errs.push(`minimum ${k} usage per ${type} is ${formatQuantity(e)}, but request is ${formatQuantity(r)}`);
    else if (l && lv < ev) errs.push(`minimum ${k} usage per ${type} is ${formatQuantity(e)}, but limit is ${formatQuantity(l)}`);
  }
  for (const [k, e] of [...parseResourceList(item.max)].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const r = req.get(k);
    const l = lim.get(k);
    const [rv, lv, ev] = values(r, l, e);
    if (!l) errs.push(`maximum ${k} usage per ${type} is ${formatQuantity(e)}.  No limit is specified`);
    else if (lv > ev) errs.push(`maximum ${k} usage per ${type} is ${formatQuantity(e)}, but limit is ${formatQuantity(l)}`);
    else if (r && rv > ev) errs.push(`maximum ${k} usage per ${type} is ${formatQuantity(e)}, but request is ${formatQuantity(r)}`);
  }
  for (const [k, e] of [...parseResourceList(item.maxLimitRequestRatio)].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const r = req.get(k);
    const l = lim.get(k);
    const [rv, lv] = values(r, l, e);
    if (!r || rv === 0n) errs.push(`${k} max limit to request ratio per ${type} is ${formatQuantity(e)}, but no request is specified or request is 0`);
    else if (!l || lv === 0n) errs.push(`${k} max limit to request ratio per ${type} is ${formatQuantity(e)}, but no limit is specified or limit is 0`);
    else {
      const ratio = Number(lv) / Number(rv);
      if (ratio * 1000 > Number(milliValue(e))) errs.push(`${k} max limit to request ratio per ${type} is ${formatQuantity(e)}, but provided ratio is ${ratio.toFixed(6)}`);
    }
  }
}

function podTotals(pod: KObj, field: 'requests' | 'limits'): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const c of pod.spec?.containers ?? []) {
    for (const [k, q] of parseResourceList(c.resources?.[field])) out.set(k, out.has(k) ? { nano: out.get(k)!.nano + q.nano, format: out.get(k)!.format } : q);
  }
  for (const c of pod.spec?.initContainers ?? []) {
    for (const [k, q] of parseResourceList(c.resources?.[field])) if (!out.has(k) || q.nano > out.get(k)!.nano) out.set(k, q);
  }
  return out;
}

/** PodValidateLimitFunc over every LimitRange: the messages of what the pod violates. */
export function limitRangeViolations(pod: KObj, ranges: KObj[]): string[] {
  const all: string[] = [];
  for (const lr of ranges) {
    const errs: string[] = [];
    for (const item of (lr.spec?.limits ?? []) as KObj[]) {
      if (item.type === 'Container') {
        for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
          checkItem('Container', item, parseResourceList(c.resources?.requests), parseResourceList(c.resources?.limits), errs);
        }
      }
      if (item.type === 'Pod') checkItem('Pod', item, podTotals(pod, 'requests'), podTotals(pod, 'limits'), errs);
    }
    if (errs.length) all.push(errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
  }
  return all;
}

/** PersistentVolumeClaimValidateLimitFunc: min against the claim's requests (limits are not user input), max as a request bound. */
export function claimLimitViolations(pvc: KObj, ranges: KObj[]): string[] {
  const all: string[] = [];
  for (const lr of ranges) {
    const errs: string[] = [];
    const req = parseResourceList(pvc.spec?.resources?.requests);
    for (const item of (lr.spec?.limits ?? []) as KObj[]) {
      if (item.type !== 'PersistentVolumeClaim') continue;
      checkItem('PersistentVolumeClaim', { min: item.min }, req, new Map(), errs);
      for (const [k, e] of [...parseResourceList(item.max)].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const r = req.get(k);
        if (!r) errs.push(`maximum ${k} usage per PersistentVolumeClaim is ${formatQuantity(e)}.  No request is specified`);
        else if (values(r, undefined, e)[0] > values(r, undefined, e)[2]) errs.push(`maximum ${k} usage per PersistentVolumeClaim is ${formatQuantity(e)}, but request is ${formatQuantity(r)}`);
      }
    }
    if (errs.length) all.push(errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
  }
  return all;
}
