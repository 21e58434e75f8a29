// kubectl cluster-info (kubectl/pkg/cmd/clusterinfo, 1.32: no colours since go-colortext was
// dropped): the API server's address, then every service of the namespace (kube-system unless -n)
// labelled kubernetes.io/cluster-service=true, by its kubernetes.io/name label, as an API proxy link.
import { resolve } from 'node:path';
import { resourceForKind } from '../api/registry.js';
import type { KObj } from '../api/types.js';
import { kubeconfigPath, loadKubeconfig } from '../store/kubeconfig.js';
import { parseFlags, str } from './flags.js';
import type { IO } from './io.js';
import { withCluster } from './session.js';
import { notSupported } from './help/entry.js';

/** The server of the kubeconfig's current (or --context) context, or --server. */
export function serverAddress(io: IO, p: ReturnType<typeof parseFlags>): string {
  if (str(p, 'server')) return str(p, 'server');
  const cfg = loadKubeconfig(resolve(io.cwd, kubeconfigPath(io.env, str(p, 'kubeconfig'))), io.env);
  const ctxName = str(p, 'context') || cfg['current-context'];
  const ctx = (cfg.contexts ?? []).find((c: KObj) => c.name === ctxName)?.context;
  const clusterName = str(p, 'cluster') || ctx?.cluster;
  const cluster = (cfg.clusters ?? []).find((c: KObj) => c.name === clusterName)?.cluster;
  return cluster?.server ?? 'https://192.168.49.2:8443';
}

function link(host: string, svc: KObj): string {
  const ingress = svc.status?.loadBalancer?.ingress?.[0];
  if (ingress) return (svc.spec?.ports ?? []).map((pt: KObj) => `http://${ingress.ip || ingress.hostname}:${pt.port} `).join('');
  let name = svc.metadata.name as string;
  const port = svc.spec?.ports?.[0];
  if (port) {
    const scheme = port.name === 'https' || port.port === 443 ? 'https' : '';
    // utilnet.JoinSchemeNamePort
    if (scheme) name = `${scheme}:${name}:${port.name ?? ''}`;
    else if (port.name) name = `${name}:${port.name}`;
  }
  return `${host}/api/v1/namespaces/${svc.metadata.namespace}/services/${name}/proxy`;
}

export default async function clusterInfo(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, [], 'cluster-info');
  if (p.args[0] === 'dump') throw notSupported('cluster-info dump');
  const host = serverAddress(io, p);
  const ns = str(p, 'namespace') || 'kube-system';
  const services = await withCluster(io, p, 'read', (s) =>
    s.cluster.api.list(resourceForKind('v1', 'Service')!, ns).filter((svc) => svc.metadata.labels?.['kubernetes.io/cluster-service'] === 'true'),
  );
  let out = `Kubernetes control plane is running at ${host}\n`;
  for (const svc of services) out += `${svc.metadata.labels?.['kubernetes.io/name'] || svc.metadata.name} is running at ${link(host, svc)}\n`;
  io.stdout.write(`${out}\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`);
  return 0;
}
