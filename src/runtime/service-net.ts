// Where a connection from a pod goes, as kube-proxy (iptables mode) and the pod network route it:
// a service's ClusterIP (or an external IP of it) on one of its ports → one of its ready endpoints,
// picked at random as iptables' statistic rules do (the simulation's seeded randomness); a node's
// IP on a NodePort → the same; a pod IP → that pod. A service port without ready endpoints is
// REJECTed (connection refused); a ClusterIP on a port the service lacks has no rule (the packet is
// dropped: a timeout); nothing listens on a node's other ports (refused).
import type { KObj } from '../api/types.js';
import type { Cluster } from '../sim/engine.js';
import { NODE, POD } from '../sim/keys.js';
import { isIPv4, resolveHost, serviceSlices } from './dns.js';

export type Route = { pod: KObj; port: number; ip: string } | { fail: 'unresolved' | 'refused' | 'timeout'; ip?: string };

function podByIp(c: Cluster, ip: string): KObj | undefined {
  let idx = c.memo.get('svcnet:podByIp') as Map<string, KObj> | undefined;
  const build = () => {
    idx = new Map();
    for (const p of c.listAll('pods')) if (p.status?.podIP && !p.spec?.hostNetwork && !['Succeeded', 'Failed'].includes(p.status?.phase)) idx.set(p.status.podIP, p);
    c.memo.set('svcnet:podByIp', idx);
  };
  if (!idx) build();
  let p = idx!.get(ip);
  if (!p || p.status?.podIP !== ip || !c.api.peek(POD, p.metadata.namespace, p.metadata.name)) {
    build();
    p = idx!.get(ip);
  }
  return p;
}

/** The service whose ClusterIP (or external IP) this is. */
function serviceByIp(c: Cluster, ip: string): KObj | undefined {
  for (const s of c.listAll('services')) {
    if (s.spec?.type === 'ExternalName') continue;
    if (s.spec?.clusterIP === ip || (s.spec?.externalIPs ?? []).includes(ip)) return s;
  }
  return undefined;
}

function isNodeIp(c: Cluster, ip: string): boolean {
  return c.api.list(NODE).some((n) => ((n.status?.addresses ?? []) as KObj[]).some((a) => a.address === ip));
}

/** A ready endpoint of a service port, chosen at random; refused when there is none. */
function backend(c: Cluster, svc: KObj, sp: KObj): Route {
  const choices: { ip: string; port: number; ref?: KObj }[] = [];
  for (const s of serviceSlices(c, svc)) {
    const port = ((s.ports ?? []) as KObj[]).find((p) => String(p.name ?? '') === String(sp.name ?? '') && (p.protocol ?? 'TCP') === (sp.protocol ?? 'TCP'));
    if (!port) continue;
    for (const e of (s.endpoints ?? []) as KObj[]) {
      const ready = e.conditions?.ready === undefined || e.conditions?.ready === null || e.conditions.ready === true;
      if (ready && e.addresses?.[0]) choices.push({ ip: String(e.addresses[0]), port: Number(port.port), ref: e.targetRef });
    }
  }
  if (!choices.length) return { fail: 'refused' };
  const pick = choices.length === 1 ? choices[0] : choices[c.randomInt(choices.length)];
  const pod = (pick.ref?.kind === 'Pod' && c.api.peek(POD, pick.ref.namespace, pick.ref.name)) || podByIp(c, pick.ip);
  if (!pod) return { fail: 'timeout' };
  return { pod, port: pick.port, ip: pick.ip };
}

/** Resolves a host from a pod's point of view (undefined: the resolver found nothing). */
export function resolveFrom(c: Cluster, from: KObj, host: string): string | undefined {
  const r = resolveHost(c, from, host);
  if (!r?.ips.length) return undefined;
  return r.ips.length === 1 ? r.ips[0] : r.ips[c.randomInt(r.ips.length)];
}

/** Where a TCP connection from pod `from` to host:port ends up. */
export function routeTo(c: Cluster, from: KObj, host: string, port: number): Route {
  const ip = isIPv4(host) ? host : resolveFrom(c, from, host);
  if (!ip) return { fail: 'unresolved' };
  const svc = serviceByIp(c, ip);
  if (svc) {
    const sp = ((svc.spec?.ports ?? []) as KObj[]).find((p) => Number(p.port) === port && (p.protocol ?? 'TCP') === 'TCP');
    if (!sp) return { fail: 'timeout', ip };
    const r = backend(c, svc, sp);
    return 'fail' in r ? { ...r, ip } : r;
  }
  if (isNodeIp(c, ip)) {
    for (const s of c.listAll('services')) {
      if (s.spec?.type !== 'NodePort' && s.spec?.type !== 'LoadBalancer') continue;
      const sp = ((s.spec?.ports ?? []) as KObj[]).find((p) => Number(p.nodePort) === port && (p.protocol ?? 'TCP') === 'TCP');
      if (sp) {
        const r = backend(c, s, sp);
        return 'fail' in r ? { ...r, ip } : r;
      }
    }
    const hostPod = c.listAll('pods').find((p) => p.spec?.hostNetwork && p.status?.hostIP === ip && p.status?.phase === 'Running');
    return hostPod ? { pod: hostPod, port, ip } : { fail: 'refused', ip };
  }
  const pod = podByIp(c, ip);
  return pod ? { pod, port, ip } : { fail: 'timeout', ip };
}
