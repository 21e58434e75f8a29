// Where a connection from a pod goes, as kube-proxy (iptables mode) and the pod network route it:
// a service's ClusterIP (or an external IP of it) on one of its ports → one of its ready endpoints,
// picked at random as iptables' statistic rules do (the simulation's seeded randomness); a node's
// IP on a NodePort → the same; a pod IP → that pod. A service port without ready endpoints is
// REJECTed (connection refused); a ClusterIP on a port the service lacks has no rule (the packet is
// dropped: a timeout); nothing listens on a node's other ports (refused).
import type { KObj } from '../api/types.js';
import type { Cluster } from '../sim/engine.js';
import { NODE, POD } from '../api/kinds.js';
import { isIPv4, resolveHost, serviceSlices } from './dns.js';
import { boundPods } from '../api/owner-index.js';
import { fnv1a } from '../api/fnv.js';

export type Route = { pod: KObj; port: number; ip: string } | { fail: 'unresolved' | 'refused' | 'timeout'; ip?: string };

function podByIp(c: Cluster, ip: string): KObj | undefined {
  let idx = c.memo.get('svcnet:podByIp') as Map<string, KObj> | undefined;
  const build = () => {
    idx = new Map();
    for (const p of boundPods(c.state)) if (p.status?.podIP && !p.spec?.hostNetwork && !['Succeeded', 'Failed'].includes(p.status?.phase)) idx.set(p.status.podIP, p);
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

/** The node that has this address (undefined: none). */
function nodeOfIp(c: Cluster, ip: string): string | undefined {
  return c.api.list(NODE).find((n) => ((n.status?.addresses ?? []) as KObj[]).some((a) => a.address === ip))?.metadata.name;
}

function isNodeIp(c: Cluster, ip: string): boolean {
  return nodeOfIp(c, ip) !== undefined;
}

/** FNV-1a of a string (a stable pick for session affinity). */
const hash = (s: string): number => fnv1a(s);

/**
 * An endpoint of a service port as kube-proxy picks it: the ready ones (else the serving
 * terminating ones), only the client's node's under a Local traffic policy, one at random (or the
 * client's own under ClientIP session affinity); refused when the service has none, dropped (a
 * timeout) when a Local policy leaves none.
 */
function backend(c: Cluster, svc: KObj, sp: KObj, client: KObj, node: string | undefined, external: boolean): Route {
  type Choice = { ip: string; port: number; ref?: KObj; nodeName?: string };
  const ready: Choice[] = [];
  const terminating: Choice[] = [];
  for (const s of serviceSlices(c, svc)) {
    const port = ((s.ports ?? []) as KObj[]).find((p) => String(p.name ?? '') === String(sp.name ?? '') && (p.protocol ?? 'TCP') === (sp.protocol ?? 'TCP'));
    if (!port) continue;
    for (const e of (s.endpoints ?? []) as KObj[]) {
      if (!e.addresses?.[0]) continue;
      const cond = e.conditions ?? {};
      const choice = { ip: String(e.addresses[0]), port: Number(port.port), ref: e.targetRef, nodeName: e.nodeName };
      if (cond.ready === undefined || cond.ready === null || cond.ready === true) ready.push(choice);
      else if (cond.serving && cond.terminating) terminating.push(choice);
    }
  }
  let choices = ready.length ? ready : terminating;
  if (!choices.length) return { fail: 'refused' };
  const local = external ? svc.spec?.externalTrafficPolicy === 'Local' : svc.spec?.internalTrafficPolicy === 'Local';
  if (local) {
    choices = choices.filter((ch) => ch.nodeName === node);
    if (!choices.length) return { fail: 'timeout' };
  }
  const clientIp = String(client.status?.podIP ?? '');
  const pick =
    choices.length === 1 ? choices[0] : svc.spec?.sessionAffinity === 'ClientIP' ? choices[hash(`${svc.metadata.uid}/${clientIp}`) % choices.length] : choices[c.randomInt(choices.length)];
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
    const external = (svc.spec?.externalIPs ?? []).includes(ip);
    const r = backend(c, svc, sp, from, external ? nodeOfIp(c, ip) : from.spec?.nodeName, external);
    return 'fail' in r ? { ...r, ip } : r;
  }
  if (isNodeIp(c, ip)) {
    for (const s of c.listAll('services')) {
      if (s.spec?.type !== 'NodePort' && s.spec?.type !== 'LoadBalancer') continue;
      const sp = ((s.spec?.ports ?? []) as KObj[]).find((p) => Number(p.nodePort) === port && (p.protocol ?? 'TCP') === 'TCP');
      if (sp) {
        const r = backend(c, s, sp, from, nodeOfIp(c, ip), true);
        return 'fail' in r ? { ...r, ip } : r;
      }
    }
    const hostPod = boundPods(c.state).find((p) => p.spec?.hostNetwork && p.status?.hostIP === ip && p.status?.phase === 'Running');
    return hostPod ? { pod: hostPod, port, ip } : { fail: 'refused', ip };
  }
  const pod = podByIp(c, ip);
  return pod ? { pod, port, ip } : { fail: 'timeout', ip };
}
