// What the Service storage does around validation (pkg/registry/core/service/storage): requested
// ClusterIPs and NodePorts are allocated from the cluster's ranges (10.96.0.0/12, 30000-32767) and
// refused when taken or out of range; allocated ones never collide; an update keeps the allocated
// ClusterIP and the NodePorts of ports by name (patchAllocatedValues) and is defaulted again.
import { invalid, type Cause } from '../errors.js';
import type { KObj } from '../types.js';
import { defaultService, dynamicNodePort } from './service.js';

export const SERVICE_CIDR = '10.96.0.0/12';
export const NODE_PORT_RANGE = [30000, 32767] as const;

interface Host {
  listAll(resource: string): KObj[];
  randomInt(n: number): number;
}

function inServiceRange(ip: string): boolean {
  const p = ip.split('.').map(Number);
  return p.length === 4 && p.every((x) => Number.isInteger(x) && x >= 0 && x <= 255) && p[0] === 10 && p[1] >= 96 && p[1] <= 111;
}

const needsClusterIP = (s: KObj) => (s.spec?.type ?? 'ClusterIP') !== 'ExternalName';
const needsNodePort = (s: KObj) => s.spec?.type === 'NodePort' || s.spec?.type === 'LoadBalancer';

/** Go's %#v of a []string. */
const goStrings = (list: unknown[]) => `[]string{${list.map((x) => JSON.stringify(String(x))).join(', ')}}`;

function others(host: Host, svc: KObj): KObj[] {
  return host.listAll('services').filter((s) => !(s.metadata.namespace === (svc.metadata.namespace ?? 'default') && s.metadata.name === svc.metadata.name));
}

function usedNodePorts(list: KObj[]): Set<number> {
  const used = new Set<number>();
  for (const s of list) for (const p of (s.spec?.ports ?? []) as KObj[]) if (p?.nodePort) used.add(Number(p.nodePort));
  return used;
}

/** Checks what the user asked to allocate (ClusterIP, NodePorts); throws the storage's Invalid error. */
function checkRequested(svc: KObj, host: Host, old?: KObj): void {
  const rest = others(host, svc);
  const spec = svc.spec ?? {};
  const name = svc.metadata?.name ?? '';
  const ip = spec.clusterIP;
  if (needsClusterIP(svc) && ip && ip !== 'None' && ip !== old?.spec?.clusterIP) {
    const ips = spec.clusterIPs ?? [ip];
    let why: string | undefined;
    if (!inServiceRange(ip)) why = `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${SERVICE_CIDR}`;
    else if (rest.some((s) => s.spec?.clusterIP === ip)) why = 'provided IP is already allocated';
    if (why) throw invalid('Service', name, [{ field: 'spec.clusterIPs', message: `Invalid value: ${goStrings(ips)}: failed to allocate IP ${ip}: ${why}` }]);
  }
  if (!needsNodePort(svc)) return;
  const used = usedNodePorts(rest);
  const oldPorts = new Set(((old?.spec?.ports ?? []) as KObj[]).map((p) => Number(p?.nodePort)));
  const causes: Cause[] = [];
  ((spec.ports ?? []) as KObj[]).forEach((p, i) => {
    const n = Number(p?.nodePort ?? 0);
    if (!n || oldPorts.has(n)) return;
    if (n < NODE_PORT_RANGE[0] || n > NODE_PORT_RANGE[1]) {
      causes.push({ field: `spec.ports[${i}].nodePort`, message: `Invalid value: ${n}: provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE[0]}-${NODE_PORT_RANGE[1]}` });
    } else if (used.has(n)) causes.push({ field: `spec.ports[${i}].nodePort`, message: `Invalid value: ${n}: provided port is already allocated` });
  });
  if (causes.length) throw invalid('Service', name, causes);
}

/** Re-draws automatically allocated NodePorts that another service holds. */
function avoidTakenNodePorts(svc: KObj, host: Host, auto: Set<number>): void {
  const used = usedNodePorts(others(host, svc));
  const mine = new Set<number>();
  ((svc.spec?.ports ?? []) as KObj[]).forEach((p, i) => {
    if (!auto.has(i)) {
      if (p?.nodePort) mine.add(Number(p.nodePort));
      return;
    }
    while (used.has(Number(p.nodePort)) || mine.has(Number(p.nodePort))) p.nodePort = dynamicNodePort((n) => host.randomInt(n));
    mine.add(Number(p.nodePort));
  });
}

function autoPorts(svc: KObj): Set<number> {
  const auto = new Set<number>();
  if (needsNodePort(svc)) ((svc.spec?.ports ?? []) as KObj[]).forEach((p, i) => !p?.nodePort && auto.add(i));
  return auto;
}

export function prepareServiceCreate(svc: KObj, host: Host): void {
  checkRequested(svc, host);
  const auto = autoPorts(svc);
  const used = new Set(host.listAll('services').map((s) => s.spec?.clusterIP as string));
  defaultService(svc, used, (n) => host.randomInt(n));
  avoidTakenNodePorts(svc, host, auto);
}

/** dropTypeDependentFields: what a type change leaves behind that the user did not change. */
function dropTypeDependentFields(svc: KObj, old: KObj): void {
  const spec = svc.spec;
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if (needsClusterIP(old) && !needsClusterIP(svc)) {
    if (same(spec.clusterIP, old.spec?.clusterIP) && same(spec.clusterIPs, old.spec?.clusterIPs)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (same(spec.ipFamilies, old.spec?.ipFamilies)) delete spec.ipFamilies;
    if (same(spec.ipFamilyPolicy, old.spec?.ipFamilyPolicy)) delete spec.ipFamilyPolicy;
    if (same(spec.internalTrafficPolicy, old.spec?.internalTrafficPolicy)) delete spec.internalTrafficPolicy;
  }
  const nodePorts = (s: KObj) => ((s.spec?.ports ?? []) as KObj[]).map((p) => Number(p?.nodePort ?? 0));
  if (needsNodePort(old) && !needsNodePort(svc) && same(nodePorts(svc), nodePorts(old))) for (const p of (spec.ports ?? []) as KObj[]) if (p) delete p.nodePort;
  if (old.spec?.type === 'LoadBalancer' && spec.type !== 'LoadBalancer' && same(spec.allocateLoadBalancerNodePorts, old.spec?.allocateLoadBalancerNodePorts)) delete spec.allocateLoadBalancerNodePorts;
  if (needsNodePort(old) && !needsNodePort(svc) && same(spec.externalTrafficPolicy, old.spec?.externalTrafficPolicy)) delete spec.externalTrafficPolicy;
}

export function prepareServiceUpdate(svc: KObj, old: KObj, host: Host): void {
  const spec = (svc.spec ??= {});
  dropTypeDependentFields(svc, old);
  if (needsClusterIP(old) && needsClusterIP(svc)) {
    if (!spec.clusterIP) spec.clusterIP = old.spec?.clusterIP;
    if (!(spec.clusterIPs ?? []).length && (old.spec?.clusterIPs ?? []).length) spec.clusterIPs = old.spec.clusterIPs;
  }
  if (needsNodePort(old) && needsNodePort(svc) && Array.isArray(spec.ports)) {
    const portsOf = (s: KObj) => new Set(((s.spec?.ports ?? []) as KObj[]).map((p) => Number(p?.nodePort ?? 0)).filter(Boolean));
    const inNew = portsOf(svc);
    const used = new Set([...portsOf(old)].filter((n) => inNew.has(n)));
    const byName = new Map<string, number>();
    for (const p of (old.spec?.ports ?? []) as KObj[]) byName.set(String(p?.name ?? ''), Number(p?.nodePort ?? 0));
    for (const p of spec.ports as KObj[]) {
      if (!p || p.nodePort) continue;
      const v = byName.get(String(p.name ?? ''));
      if (v && !used.has(v)) p.nodePort = v;
    }
  }
  checkRequested(svc, host, old);
  const auto = autoPorts(svc);
  const status = svc.status;
  const usedIps = new Set(host.listAll('services').map((s) => s.spec?.clusterIP as string));
  defaultService(svc, usedIps, (n) => host.randomInt(n));
  if (status !== undefined) svc.status = status;
  avoidTakenNodePorts(svc, host, auto);
}
