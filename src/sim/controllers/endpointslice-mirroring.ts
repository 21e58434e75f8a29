// The EndpointSlice mirroring controller (pkg/controller/endpointslicemirroring): Endpoints that a
// user keeps for a Service without a selector are mirrored into EndpointSlices (one per subset),
// named `<endpoints>-<5 chars>`, owned by the Endpoints, labelled as the Endpoints plus
// kubernetes.io/service-name and managed-by endpointslicemirroring-controller.k8s.io, with the
// Endpoints' annotations but the trigger time and last-applied configuration. Endpoints labelled
// endpointslice.kubernetes.io/skip-mirror=true (the apiserver's own) are left alone.
import type { ChangeEvent } from '../../api/server.js';
import { jsonEqual } from '../../api/equal.js';
import type { KObj } from '../../api/types.js';
import type { Cluster, Controller } from '../engine.js';
import { ENDPOINTS, ENDPOINTSLICE, SERVICE } from '../keys.js';
import { dequeue, enqueue, MANAGED_BY_LABEL, SERVICE_NAME_LABEL, TRIGGER_TIME } from './service-pods.js';

const TIMER = 'endpointslice-mirror';
export const MIRROR_CONTROLLER = 'endpointslicemirroring-controller.k8s.io';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function mirrored(c: Cluster, ns: string, name: string): KObj[] {
  return c.api.list(ENDPOINTSLICE, ns).filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === name && s.metadata.labels?.[MANAGED_BY_LABEL] === MIRROR_CONTROLLER);
}

function toEndpoint(a: KObj, ready: boolean): KObj {
  const e: KObj = { addresses: [a.ip], conditions: { ready } };
  if (a.hostname) e.hostname = a.hostname;
  if (a.targetRef) e.targetRef = a.targetRef;
  if (a.nodeName) e.nodeName = a.nodeName;
  return e;
}

function desired(ep: KObj): { ports: KObj[]; endpoints: KObj[] }[] {
  return ((ep.subsets ?? []) as KObj[]).map((ss) => ({
    ports: ((ss.ports ?? []) as KObj[]).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) })),
    endpoints: [...((ss.addresses ?? []) as KObj[]).map((a) => toEndpoint(a, true)), ...((ss.notReadyAddresses ?? []) as KObj[]).map((a) => toEndpoint(a, false))],
  }));
}

function sync(c: Cluster, ns: string, name: string): void {
  const ep = c.api.peek(ENDPOINTS, ns, name);
  const svc = c.api.peek(SERVICE, ns, name);
  const existing = mirrored(c, ns, name);
  const mirror = ep && svc && !Object.keys(svc.spec?.selector ?? {}).length && ep.metadata.labels?.['endpointslice.kubernetes.io/skip-mirror'] !== 'true';
  if (!mirror) {
    for (const s of existing) c.api.remove(ENDPOINTSLICE, ns, s.metadata.name);
    return;
  }
  const labels: Record<string, string> = { ...(ep.metadata.labels ?? {}), [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: MIRROR_CONTROLLER };
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries((ep.metadata.annotations ?? {}) as Record<string, string>)) if (k !== TRIGGER_TIME && k !== LAST_APPLIED) annotations[k] = v;
  const owner = { apiVersion: 'v1', blockOwnerDeletion: true, controller: true, kind: 'Endpoints', name, uid: ep.metadata.uid };
  const want = desired(ep).filter((d) => d.endpoints.length);
  const unused = [...existing];
  for (const d of want) {
    const i = unused.findIndex((s) => jsonEqual(s.ports ?? [], d.ports));
    const cur = i >= 0 ? unused.splice(i, 1)[0] : unused.shift();
    if (!cur) {
      c.api.create(ENDPOINTSLICE, {
        metadata: { generateName: `${name}-`, namespace: ns, generation: 1, labels, ...(Object.keys(annotations).length ? { annotations } : {}), ownerReferences: [owner] },
        addressType: 'IPv4',
        endpoints: d.endpoints,
        ...(d.ports.length ? { ports: d.ports } : {}),
      });
      continue;
    }
    if (jsonEqual(cur.endpoints ?? [], d.endpoints) && jsonEqual(cur.ports ?? [], d.ports) && jsonEqual(cur.metadata.labels, labels)) continue;
    const next: KObj = structuredClone(cur);
    next.metadata.labels = labels;
    if (Object.keys(annotations).length) next.metadata.annotations = annotations;
    else delete next.metadata.annotations;
    next.metadata.generation = (cur.metadata.generation ?? 1) + 1;
    next.endpoints = d.endpoints;
    if (d.ports.length) next.ports = d.ports;
    else delete next.ports;
    c.api.write(ENDPOINTSLICE, next);
  }
  for (const s of unused) c.api.remove(ENDPOINTSLICE, ns, s.metadata.name);
}

export const endpointSliceMirroringController: Controller = {
  name: 'endpointslice-mirroring',
  onChange(c: Cluster, ev: ChangeEvent) {
    if (ev.def.kind !== 'Endpoints' && ev.def.kind !== 'Service') return;
    enqueue(c, TIMER, `endpoints/${ev.obj.metadata.namespace}/${ev.obj.metadata.name}`);
  },
  timers: {
    [TIMER]: (c, t) => {
      dequeue(c, TIMER, t.key);
      const [, ns, name] = t.key.split('/');
      sync(c, ns, name);
    },
  },
};
