// What the Endpoints and EndpointSlice controllers share: which pods back a Service (its selector,
// per namespace, indexed per invocation), the pod helpers of pkg/api/v1/pod and
// pkg/controller/util/endpoint (IsPodReady, ShouldPodBeInEndpoints, FindPort, ShouldSetHostname),
// and the queue of services to sync (one zero-delay timer per service and controller).
import type { ChangeEvent } from '../../api/server.js';
import type { KObj } from '../../api/types.js';
import type { Cluster } from '../engine.js';
import { POD, SERVICE } from '../keys.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const SLICE_CONTROLLER = 'endpointslice-controller.k8s.io';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
export const TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';

export function selectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || !Object.keys(selector).length) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector)) if (l[k] !== v) return false;
  return true;
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: KObj): boolean {
  return ((pod.status?.conditions ?? []) as KObj[]).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** endpointutil.ShouldPodBeInEndpoints: not terminal, has an IP, not terminating unless included. */
export function shouldPodBeInEndpoints(pod: KObj, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!pod.status?.podIP && !(pod.status?.podIPs ?? []).length) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return true;
}

/** podutil.FindPort: a number as it is; a name looked up among the containers' ports (same protocol). */
export function findPort(pod: KObj, sp: KObj): number | undefined {
  const tp = sp.targetPort ?? sp.port;
  if (typeof tp === 'number') return tp;
  if (/^\d+$/.test(String(tp))) return Number(tp);
  for (const ct of (pod.spec?.containers ?? []) as KObj[]) {
    for (const p of (ct.ports ?? []) as KObj[]) {
      if (p.name === tp && (p.protocol ?? 'TCP') === (sp.protocol ?? 'TCP')) return Number(p.containerPort);
    }
  }
  return undefined;
}

/** endpointutil.ShouldSetHostname: the pod names this service as its subdomain. */
export function shouldSetHostname(pod: KObj, svc: KObj): boolean {
  return Boolean(pod.spec?.hostname) && pod.spec?.subdomain === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace;
}

export function isHeadless(svc: KObj): boolean {
  return svc.spec?.clusterIP === 'None';
}

/** Services of a namespace (indexed once per invocation, refreshed when a service changes). */
export function servicesIn(c: Cluster, ns: string): KObj[] {
  let idx = c.memo.get('svcnet:services') as Map<string, KObj[]> | undefined;
  if (!idx) {
    idx = new Map();
    for (const s of c.listAll('services')) {
      const list = idx.get(s.metadata.namespace) ?? [];
      list.push(s);
      idx.set(s.metadata.namespace, list);
    }
    c.memo.set('svcnet:services', idx);
  }
  return idx.get(ns) ?? [];
}

/** Pods of a namespace (indexed once per invocation; pod changes keep the index current). */
export function podsIn(c: Cluster, ns: string): KObj[] {
  let idx = c.memo.get('svcnet:pods') as Map<string, Map<string, KObj>> | undefined;
  if (!idx) {
    idx = new Map();
    for (const p of c.listAll('pods')) {
      const m = idx.get(p.metadata.namespace) ?? new Map<string, KObj>();
      m.set(p.metadata.name, p);
      idx.set(p.metadata.namespace, m);
    }
    c.memo.set('svcnet:pods', idx);
  }
  return [...(idx.get(ns)?.values() ?? [])].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
}

/** The pods a service selects (none without a selector). */
export function selectedPods(c: Cluster, svc: KObj): KObj[] {
  const sel = svc.spec?.selector;
  if (!sel || !Object.keys(sel).length) return [];
  return podsIn(c, svc.metadata.namespace).filter((p) => selectorMatches(sel, p.metadata.labels));
}

/** Keeps the per-invocation indexes current; returns the services (ns/name) a change concerns. */
export function affectedServices(c: Cluster, ev: ChangeEvent): string[] {
  if (ev.def === SERVICE || ev.def.kind === 'Service') {
    c.memo.delete('svcnet:services');
    return [`${ev.obj.metadata.namespace}/${ev.obj.metadata.name}`];
  }
  if (ev.def !== POD && ev.def.kind !== 'Pod') return [];
  const ns = ev.obj.metadata.namespace;
  const idx = c.memo.get('svcnet:pods') as Map<string, Map<string, KObj>> | undefined;
  if (idx) {
    const m = idx.get(ns) ?? new Map<string, KObj>();
    if (ev.type === 'DELETED') m.delete(ev.obj.metadata.name);
    else m.set(ev.obj.metadata.name, ev.obj);
    idx.set(ns, m);
  }
  const out: string[] = [];
  for (const s of servicesIn(c, ns)) {
    const sel = s.spec?.selector;
    if (selectorMatches(sel, ev.obj.metadata.labels) || (ev.old && selectorMatches(sel, ev.old.metadata?.labels))) out.push(`${ns}/${s.metadata.name}`);
  }
  return out;
}

/** Queues a sync of a service for a controller (one pending timer per service). */
export function enqueue(c: Cluster, type: string, key: string): void {
  let pending = c.memo.get(`svcnet:pending:${type}`) as Set<string> | undefined;
  if (!pending) {
    pending = new Set(c.state.timers.filter((t) => t.type === type).map((t) => t.key));
    c.memo.set(`svcnet:pending:${type}`, pending);
  }
  if (pending.has(key)) return;
  pending.add(key);
  c.schedule(0, type, key);
}

/** Marks a queued sync as done (its timer ran). */
export function dequeue(c: Cluster, type: string, key: string): void {
  (c.memo.get(`svcnet:pending:${type}`) as Set<string> | undefined)?.delete(key);
}

export function ownerRef(svc: KObj): KObj {
  return { apiVersion: 'v1', blockOwnerDeletion: true, controller: true, kind: 'Service', name: svc.metadata.name, uid: svc.metadata.uid };
}

/**
 * TriggerTimeTracker.ComputeEndpointLastChangeTriggerTime: a service the controller has not synced
 * yet gives its creationTimestamp; later syncs the earliest Ready-condition transition of the pods
 * that changed since the last sync (undefined when none did: the annotation is then removed). The
 * tracker's memory is the time of the controller's last sync of the service (`tracker`: its name).
 */
export function triggerTime(c: Cluster, tracker: string, svc: KObj, pods: KObj[]): string | undefined {
  const key = `${tracker}/${svc.metadata.namespace}/${svc.metadata.name}`;
  const last = c.state.counters[key];
  c.state.counters[key] = c.now();
  if (last === undefined) return svc.metadata.creationTimestamp;
  let min: number | undefined;
  for (const p of pods) {
    const ready = ((p.status?.conditions ?? []) as KObj[]).find((x) => x.type === 'Ready');
    const t = Date.parse(ready?.lastTransitionTime ?? '');
    if (!Number.isNaN(t) && t > last && (min === undefined || t < min)) min = t;
  }
  return min === undefined ? undefined : new Date(min).toISOString().replace('.000Z', 'Z');
}

/** Forgets a deleted service in a tracker. */
export function forgetTrigger(c: Cluster, tracker: string, ns: string, name: string): void {
  delete c.state.counters[`${tracker}/${ns}/${name}`];
}
