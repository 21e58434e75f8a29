// Cluster DNS as CoreDNS's kubernetes plugin answers it (zone cluster.local, `pods insecure`), and a
// container's resolver over it: /etc/hosts first, then the search path of /etc/resolv.conf with
// ndots (glibc/musl getaddrinfo). Names: `svc.ns.svc.cluster.local` → the ClusterIP (headless: the
// ready endpoints' addresses; ExternalName: a CNAME), `host.svc.ns.svc.cluster.local` → a headless
// service's endpoint by hostname or dashed IP, `a-b-c-d.ns.pod.cluster.local` → that IP. Reverse
// (PTR): a ClusterIP → its service's name, an endpoint's IP → `<hostname|a-b-c-d>.<svc>.<ns>.svc…`.
import type { KObj } from '../api/types.js';
import type { Cluster } from '../sim/engine.js';
import { ENDPOINTSLICE, NAMESPACE, SERVICE } from '../api/kinds.js';
import { kubeletFiles } from './pod-env.js';

export const CLUSTER_DOMAIN = 'cluster.local';

const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

export function isIPv4(s: string): boolean {
  return IPV4.test(s) && s.split('.').every((p) => Number(p) <= 255);
}

export type Answer = { ips: string[]; cname?: string } | 'nxdomain' | 'nodata';

/** The service's slices (the EndpointSlice controller's and the apiserver's). */
export function serviceSlices(c: Cluster, svc: KObj): KObj[] {
  return c.api.list(ENDPOINTSLICE, svc.metadata.namespace).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name);
}

const isReady = (e: KObj) => e.conditions?.ready === undefined || e.conditions?.ready === null || e.conditions.ready === true;

/** Ready endpoints of a service (what CoreDNS publishes for a headless one). */
function readyEndpoints(c: Cluster, svc: KObj): KObj[] {
  const out: KObj[] = [];
  const seen = new Set<string>();
  for (const s of serviceSlices(c, svc)) {
    for (const e of (s.endpoints ?? []) as KObj[]) {
      const ip = String(e.addresses?.[0] ?? '');
      if (!ip || seen.has(ip) || !(isReady(e) || svc.spec?.publishNotReadyAddresses)) continue;
      seen.add(ip);
      out.push(e);
    }
  }
  return out.sort((a, b) => ipCompare(String(a.addresses[0]), String(b.addresses[0])));
}

function ipCompare(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

const dashed = (ip: string) => ip.replaceAll('.', '-');

/** The A records of an absolute name in the cluster zone (trailing dot optional). */
export function lookupA(c: Cluster, name: string): Answer {
  const fqdn = name.toLowerCase().replace(/\.$/, '');
  if (!fqdn.endsWith(`.${CLUSTER_DOMAIN}`)) return 'nxdomain';
  const labels = fqdn.slice(0, -CLUSTER_DOMAIN.length - 1).split('.');
  const kind = labels[labels.length - 1];
  if (kind === 'pod' && labels.length === 3) {
    const ip = labels[0].replaceAll('-', '.');
    return isIPv4(ip) && c.api.peek(NAMESPACE, undefined, labels[1]) ? { ips: [ip] } : 'nxdomain';
  }
  if (kind !== 'svc') return 'nxdomain';
  if (labels.length === 3) {
    const svc = c.api.peek(SERVICE, labels[1], labels[0]);
    if (!svc) return 'nxdomain';
    if (svc.spec?.type === 'ExternalName') return { ips: [], cname: String(svc.spec.externalName ?? '') };
    if (svc.spec?.clusterIP && svc.spec.clusterIP !== 'None') return { ips: [svc.spec.clusterIP] };
    const eps = readyEndpoints(c, svc);
    return eps.length ? { ips: eps.map((e) => String(e.addresses[0])) } : 'nxdomain';
  }
  if (labels.length === 4) {
    const svc = c.api.peek(SERVICE, labels[2], labels[1]);
    if (!svc || svc.spec?.clusterIP !== 'None') return 'nxdomain';
    const ips = readyEndpoints(c, svc)
      .filter((e) => (e.hostname ? e.hostname === labels[0] : dashed(String(e.addresses[0])) === labels[0]))
      .map((e) => String(e.addresses[0]));
    return ips.length ? { ips } : 'nxdomain';
  }
  // a namespace or the zone's own names exist without A records
  if (labels.length <= 2) return labels.length === 1 || c.api.peek(NAMESPACE, undefined, labels[0]) ? 'nodata' : 'nxdomain';
  return 'nxdomain';
}

export interface Srv {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

/**
 * SRV records of `_port._proto.svc.ns.svc.cluster.local` (a named port of the service): the service
 * name for a ClusterIP service, each ready endpoint (hostname or dashed IP) for a headless one, with
 * weight 100 shared among them; undefined when the name has none.
 */
export function lookupSrv(c: Cluster, name: string): Srv[] | undefined {
  const fqdn = name.toLowerCase().replace(/\.$/, '');
  const m = /^_([^.]+)\._(tcp|udp|sctp)\.([^.]+)\.([^.]+)\.svc\.cluster\.local$/.exec(fqdn);
  if (!m) return undefined;
  const svc = c.api.peek(SERVICE, m[4], m[3]);
  const sp = ((svc?.spec?.ports ?? []) as KObj[]).find((p) => p.name === m[1] && String(p.protocol ?? 'TCP').toLowerCase() === m[2]);
  if (!svc || !sp) return undefined;
  const base = `${m[3]}.${m[4]}.svc.${CLUSTER_DOMAIN}`;
  if (svc.spec?.clusterIP !== 'None') return [{ priority: 0, weight: 100, port: Number(sp.port), target: base }];
  const eps = readyEndpoints(c, svc);
  if (!eps.length) return undefined;
  const weight = Math.floor(100 / eps.length);
  return eps.map((e) => ({ priority: 0, weight, port: Number(sp.port), target: `${e.hostname ?? dashed(String(e.addresses[0]))}.${base}` }));
}

/** The PTR name of an address (CoreDNS's serviceRecordForIP), without the trailing dot. */
export function reverseName(c: Cluster, ip: string): string | undefined {
  for (const s of c.listAll('services')) {
    if (s.spec?.clusterIP === ip || (s.spec?.clusterIPs ?? []).includes(ip)) return `${s.metadata.name}.${s.metadata.namespace}.svc.${CLUSTER_DOMAIN}`;
  }
  for (const sl of c.listAll('endpointslices.discovery.k8s.io')) {
    const svcName = sl.metadata.labels?.['kubernetes.io/service-name'];
    if (!svcName) continue;
    for (const e of (sl.endpoints ?? []) as KObj[]) {
      if (e.addresses?.[0] === ip && isReady(e)) return `${e.hostname ?? dashed(ip)}.${svcName}.${sl.metadata.namespace}.svc.${CLUSTER_DOMAIN}`;
    }
  }
  return undefined;
}

export interface ResolverConf {
  nameservers: string[];
  search: string[];
  ndots: number;
  hosts: Map<string, string[]>;
}

/** What a container's resolver reads: /etc/resolv.conf and /etc/hosts as the kubelet writes them. */
export function resolverConf(c: Cluster, pod: KObj): ResolverConf {
  const files = kubeletFiles(c, pod);
  const conf: ResolverConf = { nameservers: [], search: [], ndots: 1, hosts: new Map() };
  for (const line of files['/etc/resolv.conf'].split('\n')) {
    const [k, ...rest] = line.trim().split(/\s+/);
    if (k === 'nameserver' && rest[0]) conf.nameservers.push(rest[0]);
    else if (k === 'search') conf.search = rest;
    else if (k === 'options') for (const o of rest) if (o.startsWith('ndots:')) conf.ndots = Math.min(15, Number(o.slice(6)) || 0);
  }
  for (const line of files['/etc/hosts'].split('\n')) {
    const t = line.replace(/#.*/, '').trim().split(/\s+/);
    if (t.length < 2 || !isIPv4(t[0])) continue;
    for (const n of t.slice(1)) {
      const list = conf.hosts.get(n.toLowerCase()) ?? [];
      list.push(t[0]);
      conf.hosts.set(n.toLowerCase(), list);
    }
  }
  return conf;
}

/** Whether the pod's resolver asks the cluster's DNS (kube-dns) at all. */
function usesClusterDns(c: Cluster, conf: ResolverConf): boolean {
  const dns = c.api.peek(SERVICE, 'kube-system', 'kube-dns')?.spec?.clusterIP ?? '10.96.0.10';
  return conf.nameservers.includes(dns);
}

/** The names the resolver tries, in order (search list before the name itself below ndots dots). */
export function candidates(conf: ResolverConf, name: string): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const dots = name.split('.').length - 1;
  const searched = conf.search.map((s) => `${name}.${s}`);
  return dots >= conf.ndots ? [name, ...searched] : [...searched, name];
}

/** One name through the cluster's DNS, following a CNAME inside the cluster zone. */
export function queryA(c: Cluster, fqdn: string): Answer {
  let a = lookupA(c, fqdn);
  for (let i = 0; i < 8 && typeof a === 'object' && a.cname && !a.ips.length; i++) {
    const next = lookupA(c, a.cname);
    if (next === 'nxdomain' || next === 'nodata') return a;
    a = { ...next, cname: a.cname };
  }
  return a;
}

/** getaddrinfo in a container: the addresses of a name and the name that answered, or undefined. */
export function resolveHost(c: Cluster, pod: KObj, host: string): { name: string; ips: string[] } | undefined {
  const name = host.toLowerCase();
  if (isIPv4(name)) return { name, ips: [name] };
  const conf = resolverConf(c, pod);
  const fromHosts = conf.hosts.get(name.replace(/\.$/, ''));
  if (fromHosts) return { name, ips: fromHosts };
  if (!usesClusterDns(c, conf)) return undefined;
  for (const cand of candidates(conf, name)) {
    const a = queryA(c, cand);
    if (typeof a === 'object' && a.ips.length) return { name: cand, ips: a.ips };
  }
  return undefined;
}

/**
 * The DNS name of a pod that a headless service publishes (`web-0.nginx.default.svc.cluster.local`):
 * its hostname and subdomain, when a headless service named as the subdomain exists in its
 * namespace; undefined otherwise.
 */
export function podDnsName(c: Cluster, pod: KObj): string | undefined {
  const sub = pod.spec?.subdomain;
  if (!sub) return undefined;
  const svc = c.api.peek(SERVICE, pod.metadata.namespace, sub);
  if (!svc || svc.spec?.clusterIP !== 'None') return undefined;
  return `${pod.spec.hostname ?? pod.metadata.name}.${sub}.${pod.metadata.namespace}.svc.${CLUSTER_DOMAIN}`;
}
