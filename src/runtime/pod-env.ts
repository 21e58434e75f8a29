// What the kubelet puts into a container: its environment (image env, pod env, service links),
// the files it manages (/etc/hosts, /etc/resolv.conf, /etc/hostname, the service-account token) and
// the user the program runs as.
import type { KObj } from '../api/types.js';
import type { Cluster } from '../sim/engine.js';
import type { OsSpec, Variant } from './catalog.js';
import { resolveEnv } from './config.js';

/**
 * The kubelet's service environment (getServiceEnvVarMap, envvars.FromServices): the services with a
 * cluster IP of the pod's namespace (unless enableServiceLinks is false) and default/kubernetes, as
 * they were when the container started; a service created later is not in a running container's env.
 */
export function serviceLinks(c: Cluster, pod: KObj, container?: string): Record<string, string> {
  const out: Record<string, string> = {};
  const statuses: KObj[] = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const started = container ? Date.parse(statuses.find((s) => s.name === container)?.state?.running?.startedAt ?? '') : NaN;
  const cutoff = Number.isNaN(started) ? c.now() : started;
  const services = c.listAll('services').filter(
    (s) =>
      s.spec?.clusterIP &&
      s.spec.clusterIP !== 'None' &&
      !(Date.parse(s.metadata.creationTimestamp ?? '') > cutoff) &&
      (s.metadata.namespace === pod.metadata.namespace || (s.metadata.namespace === 'default' && s.metadata.name === 'kubernetes')),
  );
  for (const s of services) {
    if (pod.spec.enableServiceLinks === false && !(s.metadata.namespace === 'default' && s.metadata.name === 'kubernetes')) continue;
    const n = s.metadata.name.toUpperCase().replaceAll('-', '_');
    const ip = s.spec.clusterIP;
    const ports: KObj[] = s.spec.ports ?? [];
    if (!ports.length) continue;
    out[`${n}_SERVICE_HOST`] = ip;
    out[`${n}_SERVICE_PORT`] = String(ports[0].port);
    for (const p of ports) if (p.name) out[`${n}_SERVICE_PORT_${p.name.toUpperCase().replaceAll('-', '_')}`] = String(p.port);
    const proto = (ports[0].protocol ?? 'TCP').toLowerCase();
    out[`${n}_PORT`] = `${proto}://${ip}:${ports[0].port}`;
    for (const p of ports) {
      const pr = (p.protocol ?? 'TCP').toLowerCase();
      const k = `${n}_PORT_${p.port}_${pr.toUpperCase()}`;
      out[k] = `${pr}://${ip}:${p.port}`;
      out[`${k}_PROTO`] = pr;
      out[`${k}_PORT`] = String(p.port);
      out[`${k}_ADDR`] = ip;
    }
  }
  return out;
}

export interface User {
  uid: string;
  name: string;
  gid: string;
  group: string;
  /** the process's groups as getgroups() returns them (the kernel keeps them sorted): its gid, the pod's fsGroup and supplementalGroups, named from /etc/group */
  groups: { id: string; name: string }[];
}

export function userOf(pod: KObj, spec: KObj, variant: Variant, os: OsSpec): User {
  const sc = { ...(pod.spec.securityContext ?? {}), ...(spec.securityContext ?? {}) };
  const uid = String(sc.runAsUser ?? (variant.user || '0'));
  // the image's own /etc/passwd and /etc/group (users its build added) over its OS's
  const file = (path: string) => variant.files?.[path] ?? os.files?.[path] ?? '';
  const passwd = file('/etc/passwd').split('\n').find((l) => l.split(':')[2] === uid);
  // a uid the image's /etc/passwd does not know runs with gid 0 unless runAsGroup says otherwise
  const gid = String(sc.runAsGroup ?? (passwd ? passwd.split(':')[3] : '0'));
  const groupName = (id: string) => file('/etc/group').split('\n').find((l) => l.split(':')[2] === id)?.split(':')[0] ?? '';
  // the kubelet passes fsGroup and supplementalGroups (pod-level only) as the container's additional groups
  const podSc = pod.spec.securityContext ?? {};
  const extra = [podSc.fsGroup, ...(Array.isArray(podSc.supplementalGroups) ? podSc.supplementalGroups : [])].filter((g) => g !== undefined && g !== null).map(String);
  const ids = [...new Set([gid, ...extra])].sort((a, b) => Number(a) - Number(b));
  const groups = ids.map((id) => ({ id, name: groupName(id) }));
  return { uid, name: passwd ? passwd.split(':')[0] : uid === '0' ? 'root' : uid, gid, group: groupName(gid), groups };
}

export function containerEnv(c: Cluster, pod: KObj, spec: KObj, variant: Variant, user: User): Record<string, string> {
  const env: Record<string, string> = {
    PATH: variant.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOSTNAME: pod.spec.hostname ?? pod.metadata.name,
    ...variant.env,
  };
  const podEnv = resolveEnv(c, pod, spec).env;
  const home = env.HOME ?? (user.uid === '0' ? '/root' : '/');
  delete env.HOME;
  Object.assign(env, serviceLinks(c, pod, spec.name), podEnv);
  env.HOME ??= home;
  return env;
}

export function kubeletFiles(c: Cluster, pod: KObj): Record<string, string> {
  const ip = pod.status?.podIP ?? '';
  const host = pod.spec.hostname ?? pod.metadata.name;
  let hosts = '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';
  hosts += `${ip}\t${pod.spec.subdomain ? `${host}.${pod.spec.subdomain}.${pod.metadata.namespace}.svc.cluster.local\t${host}` : host}\n`;
  // the kubelet's hostsEntriesFromHostAliases: one header, then a line per alias entry
  const aliases: KObj[] = pod.spec.hostAliases ?? [];
  if (aliases.length) hosts += `\n# Entries added by HostAliases.\n${aliases.map((a) => `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`).join('')}`;
  const ns = pod.metadata.namespace;
  const dns = c.listAll('services').find((s) => s.metadata.name === 'kube-dns' && s.metadata.namespace === 'kube-system')?.spec?.clusterIP ?? '10.96.0.10';
  const resolv = resolvConf(pod, ns, dns);
  const sa = '/var/run/secrets/kubernetes.io/serviceaccount';
  return {
    '/etc/hosts': hosts,
    '/etc/resolv.conf': resolv,
    '/etc/hostname': `${host}\n`,
    [`${sa}/namespace`]: ns,
    [`${sa}/ca.crt`]: '-----BEGIN CERTIFICATE-----\nMIIDBjCCAe6gAwIBAgIBATANBgkqhkiG9w0BAQsFADAVMRMwEQYDVQQDEwptaW5p\na3ViZUNBMB4XDTI2MTEyMjIxMDAwMFoXDTM2MTEyMDIxMDAwMFowFTETMBEGA1UE\n-----END CERTIFICATE-----\n',
    [`${sa}/token`]: `eyJhbGciOiJSUzI1NiIsImtpZCI6Imt1YmVzaW0ifQ.${Buffer.from(JSON.stringify({ sub: `system:serviceaccount:${ns}:${pod.spec.serviceAccountName ?? 'default'}` })).toString('base64url')}.c2ln`,
  };
}

/** /etc/resolv.conf per dnsPolicy (ClusterFirst, ClusterFirstWithHostNet, Default, None) and dnsConfig. */
function resolvConf(pod: KObj, ns: string, dns: string): string {
  const policy = pod.spec.dnsPolicy ?? 'ClusterFirst';
  const cfg = pod.spec.dnsConfig ?? {};
  let servers: string[] = [];
  let searches: string[] = [];
  let options: string[] = [];
  const cluster = policy === 'ClusterFirst' ? !pod.spec.hostNetwork : policy === 'ClusterFirstWithHostNet';
  if (cluster) {
    servers = [dns];
    searches = [`${ns}.svc.cluster.local`, 'svc.cluster.local', 'cluster.local'];
    options = ['ndots:5'];
  } else if (policy !== 'None') {
    servers = ['192.168.49.1'];
  }
  servers = [...servers, ...(cfg.nameservers ?? [])];
  searches = [...searches, ...(cfg.searches ?? [])];
  for (const o of cfg.options ?? []) {
    const text = o.value !== undefined ? `${o.name}:${o.value}` : o.name;
    options = options.filter((x) => x.split(':')[0] !== o.name);
    options.push(text);
  }
  let out = '';
  if (searches.length) out += `search ${searches.join(' ')}\n`;
  for (const s of servers) out += `nameserver ${s}\n`;
  if (options.length) out += `options ${options.join(' ')}\n`;
  return out;
}
