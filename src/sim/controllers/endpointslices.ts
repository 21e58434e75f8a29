// The EndpointSlice controller (pkg/controller/endpointslice, staging endpointslice reconciler):
// for each Service with a selector (not ExternalName), IPv4 slices named `<svc>-<5 chars>` owned by
// the service, labelled kubernetes.io/service-name and managed-by endpointslice-controller.k8s.io
// (plus the service's own labels and service.kubernetes.io/headless). Every selected pod with an IP
// that is not terminal is an endpoint, terminating ones included: conditions ready (Ready and not
// terminating, or publishNotReadyAddresses), serving (Ready), terminating (deletionTimestamp).
// Endpoints are grouped by the ports they serve; a service with no endpoints keeps one placeholder
// slice without ports or endpoints, whose name later slices reuse (deletes turned into updates).
import type { ChangeEvent } from '../../api/server.js';
import { jsonEqual } from '../../api/equal.js';
import type { KObj } from '../../api/types.js';
import type { Cluster, Controller } from '../engine.js';
import { ENDPOINTS, ENDPOINTSLICE, NODE, SERVICE } from '../keys.js';
import {
  affectedServices,
  dequeue,
  enqueue,
  findPort,
  forgetTrigger,
  HEADLESS_LABEL,
  isPodReady,
  MANAGED_BY_LABEL,
  ownerRef,
  selectedPods,
  SERVICE_NAME_LABEL,
  shouldPodBeInEndpoints,
  shouldSetHostname,
  SLICE_CONTROLLER,
  TRIGGER_TIME,
  triggerTime,
} from './service-pods.js';

const TIMER = 'endpointslice-sync';
const MAX_ENDPOINTS = 100;

function endpointFor(c: Cluster, pod: KObj, svc: KObj): KObj {
  const serving = isPodReady(pod);
  const terminating = Boolean(pod.metadata.deletionTimestamp);
  let ready = Boolean(svc.spec?.publishNotReadyAddresses) || serving;
  if (terminating && !svc.spec?.publishNotReadyAddresses) ready = false;
  const ep: KObj = { addresses: [pod.status.podIP ?? pod.status.podIPs?.[0]?.ip], conditions: { ready, serving, terminating } };
  if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec.hostname;
  ep.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
  if (pod.spec?.nodeName) {
    ep.nodeName = pod.spec.nodeName;
    const zone = c.api.peek(NODE, undefined, pod.spec.nodeName)?.metadata.labels?.['topology.kubernetes.io/zone'];
    if (zone) ep.zone = zone;
  }
  return ep;
}

function portsFor(pod: KObj, svc: KObj): KObj[] {
  const out: KObj[] = [];
  for (const sp of (svc.spec?.ports ?? []) as KObj[]) {
    const n = findPort(pod, sp);
    if (n === undefined) continue;
    const p: KObj = { name: sp.name ?? '', port: n, protocol: sp.protocol ?? 'TCP' };
    if (sp.appProtocol) p.appProtocol = sp.appProtocol;
    out.push(p);
  }
  return out;
}

function sliceLabels(svc: KObj): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries((svc.metadata.labels ?? {}) as Record<string, string>)) {
    if (k !== SERVICE_NAME_LABEL && k !== MANAGED_BY_LABEL) labels[k] = v;
  }
  labels[SERVICE_NAME_LABEL] = svc.metadata.name;
  labels[MANAGED_BY_LABEL] = SLICE_CONTROLLER;
  if (svc.spec?.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
  return labels;
}

/** The service's slices this controller manages. */
export function slicesOf(c: Cluster, ns: string, name: string): KObj[] {
  return c.api.list(ENDPOINTSLICE, ns).filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === name && s.metadata.labels?.[MANAGED_BY_LABEL] === SLICE_CONTROLLER);
}

interface Desired {
  ports: KObj[] | undefined;
  endpoints: KObj[] | null;
}

function desiredSlices(c: Cluster, svc: KObj): Desired[] {
  const groups = new Map<string, Desired>();
  for (const pod of selectedPods(c, svc)) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports = portsFor(pod, svc);
    const key = JSON.stringify(ports);
    const g = groups.get(key) ?? { ports: ports.length ? ports : undefined, endpoints: [] };
    g.endpoints!.push(endpointFor(c, pod, svc));
    groups.set(key, g);
  }
  const out: Desired[] = [];
  for (const g of groups.values()) {
    for (let i = 0; i < g.endpoints!.length; i += MAX_ENDPOINTS) out.push({ ports: g.ports, endpoints: g.endpoints!.slice(i, i + MAX_ENDPOINTS) });
  }
  return out.length ? out : [{ ports: undefined, endpoints: null }];
}

function sync(c: Cluster, ns: string, name: string): void {
  const svc = c.api.peek(SERVICE, ns, name);
  const existing = slicesOf(c, ns, name);
  const ownedLive = svc && existing.filter((s) => (s.metadata.ownerReferences ?? []).some((o: KObj) => o.uid === svc.metadata.uid));
  if (!svc) forgetTrigger(c, 'sliceTrigger', ns, name);
  if (!svc || !svc.spec?.selector || !Object.keys(svc.spec.selector).length || svc.spec.type === 'ExternalName' || svc.metadata.deletionTimestamp) {
    // slices of a deleted service go with it (garbage collector); a service without a selector has none
    if (svc && !svc.metadata.deletionTimestamp) for (const s of existing) c.api.remove(ENDPOINTSLICE, ns, s.metadata.name);
    return;
  }
  const labels = sliceLabels(svc);
  const desired = desiredSlices(c, svc);
  const unused = [...(ownedLive ?? [])];
  const toCreate: Desired[] = [];
  const toUpdate: [KObj, Desired][] = [];
  for (const d of desired) {
    const i = unused.findIndex((s) => jsonEqual(s.ports, d.ports));
    if (i >= 0) toUpdate.push([unused.splice(i, 1)[0], d]);
    else toCreate.push(d);
  }
  // slices that would be deleted are updated into the ones to create (their names kept)
  while (toCreate.length && unused.length) toUpdate.push([unused.shift()!, toCreate.pop()!]);
  const time = triggerTime(c, 'sliceTrigger', svc, selectedPods(c, svc));
  for (const [s, d] of toUpdate) {
    if (jsonEqual(s.ports, d.ports) && jsonEqual(s.endpoints ?? null, d.endpoints) && jsonEqual(s.metadata.labels, labels)) continue;
    const next: KObj = structuredClone(s);
    next.metadata.labels = labels;
    const annotations = { ...(next.metadata.annotations ?? {}) };
    if (time) annotations[TRIGGER_TIME] = time;
    else delete annotations[TRIGGER_TIME];
    if (Object.keys(annotations).length) next.metadata.annotations = annotations;
    else delete next.metadata.annotations;
    next.metadata.generation = (s.metadata.generation ?? 1) + 1;
    next.endpoints = d.endpoints;
    if (d.ports) next.ports = d.ports;
    else delete next.ports;
    c.api.write(ENDPOINTSLICE, next);
  }
  for (const d of toCreate) {
    c.api.create(ENDPOINTSLICE, {
      metadata: { generateName: `${name}-`, namespace: ns, generation: 1, labels, ...(time ? { annotations: { [TRIGGER_TIME]: time } } : {}), ownerReferences: [ownerRef(svc)] },
      addressType: 'IPv4',
      endpoints: d.endpoints,
      ...(d.ports ? { ports: d.ports } : {}),
    });
  }
  for (const s of unused) c.api.remove(ENDPOINTSLICE, ns, s.metadata.name);
  for (const s of existing) if (!ownedLive?.includes(s)) c.api.remove(ENDPOINTSLICE, ns, s.metadata.name);
}

/** The apiserver's own slice for default/kubernetes (no managed-by label, ready endpoints only). */
export function syncMasterSlice(c: Cluster): void {
  const ep = c.api.peek(ENDPOINTS, 'default', 'kubernetes');
  if (!ep) return;
  const ss = (ep.subsets ?? [])[0] ?? {};
  const endpoints = ((ss.addresses ?? []) as KObj[]).map((a) => ({ addresses: [a.ip], conditions: { ready: true } }));
  const ports = ((ss.ports ?? []) as KObj[]).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' }));
  const current = c.api.peek(ENDPOINTSLICE, 'default', 'kubernetes');
  if (!current) {
    c.api.create(ENDPOINTSLICE, { metadata: { name: 'kubernetes', namespace: 'default', generation: 1, labels: { [SERVICE_NAME_LABEL]: 'kubernetes' } }, addressType: 'IPv4', endpoints, ports });
  } else if (!jsonEqual(current.endpoints, endpoints) || !jsonEqual(current.ports, ports)) {
    c.api.write(ENDPOINTSLICE, { ...structuredClone(current), endpoints, ports, metadata: { ...current.metadata, generation: (current.metadata.generation ?? 1) + 1 } });
  }
}

export const endpointSliceController: Controller = {
  name: 'endpointslice',
  onChange(c: Cluster, ev: ChangeEvent) {
    // a slice of ours deleted or changed by someone else is reconciled again (onEndpointSliceDelete/Update)
    if (ev.def.kind === 'EndpointSlice' && ev.type !== 'ADDED' && ev.obj.metadata.labels?.[MANAGED_BY_LABEL] === SLICE_CONTROLLER) {
      const svc = ev.obj.metadata.labels?.[SERVICE_NAME_LABEL];
      if (svc) enqueue(c, TIMER, `endpointslices/${ev.obj.metadata.namespace}/${svc}`);
    }
    for (const key of affectedServices(c, ev)) enqueue(c, TIMER, `endpointslices/${key}`);
  },
  timers: {
    [TIMER]: (c, t) => {
      dequeue(c, TIMER, t.key);
      const [, ns, name] = t.key.split('/');
      sync(c, ns, name);
    },
  },
};

/** Syncs every service's slices now (a fresh cluster's system services). */
export function syncAllSlices(c: Cluster): void {
  for (const s of c.api.list(SERVICE)) sync(c, s.metadata.namespace, s.metadata.name);
  syncMasterSlice(c);
}
