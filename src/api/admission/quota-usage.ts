// What a ResourceQuota counts (pkg/quota/v1/evaluator/core and the generic object-count evaluator):
// which resource names each kind's evaluator handles, an object's usage, whether a quota's scopes
// match a pod, and a namespace's total usage.
import { addQuantity, formatQuantity, parseQuantity, parseResourceList, type Quantity } from '../quantity.js';
import type { KObj, ResourceDef } from '../types.js';
import { podQosClass } from '../defaults/pod.js';

export type Usage = Map<string, Quantity>;

const one = (): Quantity => ({ nano: 1_000_000_000n, format: 'DecimalSI' });

/** The resources whose count a quota may limit without the count/ prefix (legacy names). */
const LEGACY_COUNT: Record<string, string> = {
  pods: 'pods',
  services: 'services',
  configmaps: 'configmaps',
  secrets: 'secrets',
  replicationcontrollers: 'replicationcontrollers',
  resourcequotas: 'resourcequotas',
  persistentvolumeclaims: 'persistentvolumeclaims',
};

const POD_COMPUTE = ['cpu', 'memory', 'ephemeral-storage'];

/** The storage key (`pods`, `deployments.apps`) a quota resource name counts, if it is an object count. */
export function countedResource(name: string): string | undefined {
  if (name.startsWith('count/')) return name.slice('count/'.length);
  return LEGACY_COUNT[name];
}

/** evaluator.MatchingResources: the names of `hard` the evaluator of `def` handles. */
export function matchingResources(def: ResourceDef, hard: string[]): string[] {
  const key = def.group ? `${def.plural}.${def.group}` : def.plural;
  return hard.filter((n) => {
    if (countedResource(n) === key) return true;
    if (def.kind === 'Pod') {
      if (POD_COMPUTE.includes(n)) return true;
      if (/^(requests|limits)\.(cpu|memory|ephemeral-storage)$/.test(n)) return true;
      if (/^(requests\.)?hugepages-/.test(n)) return true;
    }
    if (def.kind === 'Service') return n === 'services.nodeports' || n === 'services.loadbalancers';
    if (def.kind === 'PersistentVolumeClaim') return n === 'requests.storage' || n.endsWith('.storageclass.storage.k8s.io/requests.storage') || n.endsWith('.storageclass.storage.k8s.io/persistentvolumeclaims');
    return false;
  });
}

function sumLists(lists: unknown[]): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const l of lists) for (const [k, q] of parseResourceList(l)) out.set(k, out.has(k) ? addQuantity(out.get(k)!, q) : q);
  return out;
}

/** resourcehelper.PodRequests/PodLimits: the larger of the containers' sum and any init container. */
function podResources(pod: KObj, field: 'requests' | 'limits'): Map<string, Quantity> {
  const spec = pod.spec ?? {};
  const sum = sumLists((spec.containers ?? []).map((c: KObj) => c.resources?.[field]));
  for (const ic of spec.initContainers ?? []) {
    for (const [k, q] of parseResourceList(ic.resources?.[field])) {
      const cur = sum.get(k);
      if (!cur || q.nano > cur.nano) sum.set(k, q);
    }
  }
  for (const [k, q] of parseResourceList(spec.overhead)) sum.set(k, sum.has(k) ? addQuantity(sum.get(k)!, q) : q);
  return sum;
}

/** QuotaV1Pod: terminal pods and pods past their deletion grace no longer count. */
export function podCounts(pod: KObj, now: number): boolean {
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return false;
  const del = pod.metadata?.deletionTimestamp;
  if (del && Date.parse(del) + Number(pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000 < now) return false;
  return true;
}

/**
 * evaluator.Usage of one object (all names its evaluator could report). A pod's count/pods is always
 * charged (object counts track what is stored); `pods` and compute only while QuotaV1Pod holds.
 */
export function objectUsage(def: ResourceDef, obj: KObj, now: number): Usage {
  const out: Usage = new Map();
  const key = def.group ? `${def.plural}.${def.group}` : def.plural;
  out.set(`count/${key}`, one());
  if (def.kind === 'Pod' && !podCounts(obj, now)) return out;
  if (LEGACY_COUNT[key]) out.set(key, one());
  if (def.kind === 'Pod') {
    const req = podResources(obj, 'requests');
    const lim = podResources(obj, 'limits');
    for (const r of POD_COMPUTE) {
      if (req.has(r)) {
        out.set(r, req.get(r)!);
        out.set(`requests.${r}`, req.get(r)!);
      }
      if (lim.has(r)) out.set(`limits.${r}`, lim.get(r)!);
    }
  }
  if (def.kind === 'Service') {
    const type = obj.spec?.type;
    if (type === 'NodePort' || type === 'LoadBalancer') out.set('services.nodeports', { nano: BigInt((obj.spec?.ports ?? []).length) * 1_000_000_000n, format: 'DecimalSI' });
    if (type === 'LoadBalancer') out.set('services.loadbalancers', one());
  }
  if (def.kind === 'PersistentVolumeClaim') {
    const q = parseQuantity(obj.spec?.resources?.requests?.storage);
    if (q) {
      out.set('requests.storage', q);
      const sc = obj.spec?.storageClassName;
      if (sc) {
        out.set(`${sc}.storageclass.storage.k8s.io/requests.storage`, q);
        out.set(`${sc}.storageclass.storage.k8s.io/persistentvolumeclaims`, one());
      }
    }
  }
  return out;
}

const bestEffort = (pod: KObj): boolean => podQosClass(pod) === 'BestEffort';

/** IsTerminating: an activeDeadlineSeconds of 0 or more. */
const terminating = (pod: KObj): boolean => typeof pod.spec?.activeDeadlineSeconds === 'number' && pod.spec.activeDeadlineSeconds >= 0;

/** Whether a quota's scopes (and scopeSelector) select the object; non-pods match only unscoped quotas. */
export function scopesMatch(quota: KObj, def: ResourceDef, obj: KObj): boolean {
  const scopes: string[] = [...(quota.spec?.scopes ?? []), ...((quota.spec?.scopeSelector?.matchExpressions ?? []) as KObj[]).map((e) => e.scopeName)];
  if (!scopes.length) return true;
  if (def.kind !== 'Pod') return false;
  const exprs: KObj[] = quota.spec?.scopeSelector?.matchExpressions ?? [];
  return scopes.every((s) => {
    switch (s) {
      case 'Terminating':
        return terminating(obj);
      case 'NotTerminating':
        return !terminating(obj);
      case 'BestEffort':
        return bestEffort(obj);
      case 'NotBestEffort':
        return !bestEffort(obj);
      case 'PriorityClass': {
        const e = exprs.find((x) => x.scopeName === 'PriorityClass');
        const pc = obj.spec?.priorityClassName ?? '';
        if (!e) return true;
        if (e.operator === 'In') return (e.values ?? []).includes(pc);
        if (e.operator === 'NotIn') return !(e.values ?? []).includes(pc);
        if (e.operator === 'Exists') return pc !== '';
        return pc === '';
      }
      default:
        return false;
    }
  });
}

/** quota.Mask + RemoveZeros-free sum: the usage of `names` over `objects` (as the quota controller totals it). */
export function totalUsage(names: string[], entries: { def: ResourceDef; obj: KObj }[], now: number): Record<string, string> {
  const sums = new Map<string, Quantity>();
  for (const { def, obj } of entries) {
    for (const [k, q] of objectUsage(def, obj, now)) if (names.includes(k)) sums.set(k, sums.has(k) ? addQuantity(sums.get(k)!, q) : q);
  }
  const out: Record<string, string> = {};
  for (const n of names) out[n] = sums.has(n) ? formatQuantity(sums.get(n)!) : '0';
  return out;
}

/** `a=1,b=2` with sorted names (the quota plugin's prettyPrint). */
export function prettyPrint(list: Map<string, Quantity>): string {
  return [...list.keys()].sort().map((k) => `${k}=${formatQuantity(list.get(k)!)}`).join(',');
}
