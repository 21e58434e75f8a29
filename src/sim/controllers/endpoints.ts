// The Endpoints controller (pkg/controller/endpoint): one Endpoints object per Service with a
// selector, named as the service, with the service's labels (plus service.kubernetes.io/headless
// for a headless one). Ready pods are `addresses`, the others `notReadyAddresses` (unless the
// service publishes not-ready addresses); terminal, IP-less and terminating pods are left out.
// Addresses are grouped into subsets by the ports they serve (RepackSubsets), sorted by IP, and
// each subset's ports by their hash (portsByHash: md5 of spew's rendering).
// The apiserver keeps default/kubernetes itself (syncMasterEndpoints).
import { createHash } from 'node:crypto';
import type { ChangeEvent } from '../../api/server.js';
import { jsonEqual } from '../../api/equal.js';
import type { KObj } from '../../api/types.js';
import type { Cluster, Controller } from '../engine.js';
import { ENDPOINTS, NODE, SERVICE } from '../keys.js';
import {
  affectedServices,
  dequeue,
  enqueue,
  findPort,
  HEADLESS_LABEL,
  isHeadless,
  isPodReady,
  selectedPods,
  shouldPodBeInEndpoints,
  shouldSetHostname,
  forgetTrigger,
  TRIGGER_TIME,
  triggerTime,
} from './service-pods.js';

const TIMER = 'endpoints-sync';

/** endpointPortFromServicePort */
function endpointPort(sp: KObj, port: number): KObj {
  const p: KObj = {};
  if (sp.name) p.name = sp.name;
  p.port = port;
  p.protocol = sp.protocol ?? 'TCP';
  if (sp.appProtocol) p.appProtocol = sp.appProtocol;
  return p;
}

function address(pod: KObj, svc: KObj): KObj {
  const a: KObj = { ip: pod.status.podIP ?? pod.status.podIPs?.[0]?.ip };
  if (shouldSetHostname(pod, svc)) a.hostname = pod.spec.hostname;
  if (pod.spec?.nodeName) a.nodeName = pod.spec.nodeName;
  a.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
  return a;
}

/** podutil's shouldPodBeInEndpoints for a not-ready pod: one that may still become ready. */
function mayBecomeReady(pod: KObj): boolean {
  const rp = pod.spec?.restartPolicy ?? 'Always';
  const phase = pod.status?.phase;
  if (rp === 'Never') return phase !== 'Failed' && phase !== 'Succeeded';
  if (rp === 'OnFailure') return phase !== 'Succeeded';
  return true;
}

/** hash.DeepHashObject of an EndpointPort: md5 of spew's %#v (RepackSubsets sorts ports by it). */
function portHash(p: KObj): string {
  const app = p.appProtocol === undefined ? '<nil>' : String(p.appProtocol);
  const text = `(v1.EndpointPort){Name:(string)${p.name ?? ''} Port:(int32)${p.port} Protocol:(v1.Protocol)${p.protocol ?? ''} AppProtocol:(*string)${app}}`;
  return createHash('md5').update(text).digest('hex');
}

const byIpAndUid = (a: KObj, b: KObj) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : String(a.targetRef?.uid ?? '') < String(b.targetRef?.uid ?? '') ? -1 : 1);

/** The subsets the controller computes for a service (RepackSubsets: one subset per distinct port set). */
export function computeSubsets(c: Cluster, svc: KObj): KObj[] {
  const tolerate = Boolean(svc.spec?.publishNotReadyAddresses);
  const ports = (svc.spec?.ports ?? []) as KObj[];
  const groups = new Map<string, { ports: KObj[]; ready: KObj[]; notReady: KObj[] }>();
  for (const pod of selectedPods(c, svc)) {
    if (!shouldPodBeInEndpoints(pod, tolerate)) continue;
    const ready = tolerate || isPodReady(pod);
    if (!ready && !mayBecomeReady(pod)) continue;
    let eps: KObj[] = [];
    if (!ports.length) {
      if (!isHeadless(svc)) continue;
    } else {
      for (const sp of ports) {
        const n = findPort(pod, sp);
        if (n !== undefined) eps.push(endpointPort(sp, n));
      }
      if (!eps.length) continue;
    }
    eps = eps.filter((p, i) => eps.findIndex((q) => jsonEqual(p, q)) === i);
    const key = JSON.stringify(eps);
    const g = groups.get(key) ?? { ports: eps, ready: [], notReady: [] };
    (ready ? g.ready : g.notReady).push(address(pod, svc));
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => {
    const s: KObj = {};
    if (g.ready.length) s.addresses = g.ready.sort(byIpAndUid);
    if (g.notReady.length) s.notReadyAddresses = g.notReady.sort(byIpAndUid);
    if (g.ports.length) s.ports = g.ports.map((p) => [portHash(p), p] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, p]) => p);
    return s;
  });
}

function endpointsLabels(svc: KObj): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  if (!svc.spec?.clusterIP || svc.spec.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
  else delete labels[HEADLESS_LABEL];
  return labels;
}

function sync(c: Cluster, ns: string, name: string): void {
  const svc = c.api.peek(SERVICE, ns, name);
  const current = c.api.peek(ENDPOINTS, ns, name);
  if (!svc) {
    // the service is gone: so are its endpoints (those the controller made)
    forgetTrigger(c, 'epTrigger', ns, name);
    if (current && !current.metadata.labels?.['endpointslice.kubernetes.io/skip-mirror']) c.api.remove(ENDPOINTS, ns, name);
    return;
  }
  // ExternalName services get no endpoints from this controller (issues.k8s.io/105986)
  if (svc.spec?.type === 'ExternalName' || !svc.spec?.selector || svc.metadata.deletionTimestamp) return;
  const subsets = computeSubsets(c, svc);
  const labels = endpointsLabels(svc);
  const trigger = triggerTime(c, 'epTrigger', svc, selectedPods(c, svc));
  if (!current) {
    const metadata: KObj = { name, namespace: ns, labels };
    if (trigger) metadata.annotations = { [TRIGGER_TIME]: trigger };
    if (!Object.keys(labels).length) delete metadata.labels;
    c.api.create(ENDPOINTS, { metadata, ...(subsets.length ? { subsets } : {}) });
    return;
  }
  if (jsonEqual(current.subsets ?? [], subsets) && jsonEqual(current.metadata.labels ?? {}, labels)) return;
  const next: KObj = structuredClone(current);
  if (Object.keys(labels).length) next.metadata.labels = labels;
  else delete next.metadata.labels;
  const annotations = { ...(next.metadata.annotations ?? {}) };
  if (trigger) annotations[TRIGGER_TIME] = trigger;
  else delete annotations[TRIGGER_TIME];
  if (Object.keys(annotations).length) next.metadata.annotations = annotations;
  else delete next.metadata.annotations;
  if (subsets.length) next.subsets = subsets;
  else delete next.subsets;
  c.api.update(ENDPOINTS, next);
}

/** What the apiserver keeps for default/kubernetes: its own address and the service's target port. */
export function syncMasterEndpoints(c: Cluster): void {
  const svc = c.api.peek(SERVICE, 'default', 'kubernetes');
  if (!svc || svc.spec?.selector) return;
  const ips: string[] = [];
  for (const n of c.api.list(NODE)) {
    if ((n.metadata.labels ?? {})['node-role.kubernetes.io/control-plane'] === undefined) continue;
    const ip = ((n.status?.addresses ?? []) as KObj[]).find((a) => a.type === 'InternalIP')?.address;
    if (ip) ips.push(ip);
  }
  const sp = (svc.spec?.ports ?? [])[0] ?? {};
  const ports = [{ name: sp.name ?? 'https', port: Number(sp.targetPort ?? sp.port), protocol: sp.protocol ?? 'TCP' }];
  const subsets = [{ addresses: ips.sort().map((ip) => ({ ip })), ports }];
  const current = c.api.peek(ENDPOINTS, 'default', 'kubernetes');
  const labels = { 'endpointslice.kubernetes.io/skip-mirror': 'true' };
  if (!current) c.api.create(ENDPOINTS, { metadata: { name: 'kubernetes', namespace: 'default', labels }, subsets });
  else if (!jsonEqual(current.subsets, subsets)) c.api.update(ENDPOINTS, { ...structuredClone(current), subsets });
}

export const endpointsController: Controller = {
  name: 'endpoints',
  onChange(c: Cluster, ev: ChangeEvent) {
    // a deleted Endpoints object is put back (onEndpointsDelete queues its service)
    if (ev.def.kind === 'Endpoints' && ev.type === 'DELETED') enqueue(c, TIMER, `endpoints/${ev.obj.metadata.namespace}/${ev.obj.metadata.name}`);
    for (const key of affectedServices(c, ev)) enqueue(c, TIMER, `endpoints/${key}`);
  },
  timers: {
    [TIMER]: (c, t) => {
      dequeue(c, TIMER, t.key);
      const [, ns, name] = t.key.split('/');
      sync(c, ns, name);
    },
  },
};

/** Syncs every service now (a fresh cluster's system services). */
export function syncAllEndpoints(c: Cluster): void {
  for (const s of c.api.list(SERVICE)) sync(c, s.metadata.namespace, s.metadata.name);
  syncMasterEndpoints(c);
}
