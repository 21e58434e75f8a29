// kubectl top node|pod (kubectl/pkg/cmd/top, 1.32) against the simulated metrics-server: usage from
// runtime/usage.ts, kubectl's validation, its "Metrics API not available" when the cluster was created
// with --no-metrics, metrics-server's NotFound for a pod it has no sample of, and kubectl's
// verifyEmptyMetrics answers when it has none at all.
import { CliError, notFound } from '../api/errors.js';
import { resourceForKind } from '../api/registry.js';
import type { KObj } from '../api/types.js';
import { NODE_OVERHEAD, podUsage, firstSampleAt } from '../runtime/usage.js';
import type { Cluster } from '../sim/engine.js';
import { httpLoad } from '../sim/http-load.js';
import { bool, parseFlags, str, type FlagSpec } from './flags.js';
import type { IO } from './io.js';
import { firstWord, notSupported } from './help/entry.js';
import { selectorFilters } from './selectors.js';
import { withCluster } from './session.js';

const POD_FLAGS: FlagSpec[] = [
  { name: 'all-namespaces', short: 'A', type: 'bool', default: false },
  { name: 'containers', type: 'bool', default: false },
  { name: 'field-selector', type: 'string', default: '' },
  { name: 'no-headers', type: 'bool', default: false },
  { name: 'selector', short: 'l', type: 'string', default: '' },
  { name: 'sort-by', type: 'string', default: '' },
  { name: 'sum', type: 'bool', default: false },
  { name: 'use-protocol-buffers', type: 'bool', default: true },
];

const NODE_FLAGS: FlagSpec[] = [
  { name: 'no-headers', type: 'bool', default: false },
  { name: 'selector', short: 'l', type: 'string', default: '' },
  { name: 'show-capacity', type: 'bool', default: false },
  { name: 'sort-by', type: 'string', default: '' },
  { name: 'use-protocol-buffers', type: 'bool', default: true },
];

/** kubesim cluster create --no-metrics: no metrics.k8s.io group is served. */
export function metricsServed(c: Cluster): boolean {
  return !c.state.counters?.noMetrics;
}

function checkSortBy(p: ReturnType<typeof parseFlags>): void {
  const s = str(p, 'sort-by');
  if (s && s !== 'cpu' && s !== 'memory') throw new CliError('--sort-by accepts only cpu or memory');
}

/** Go's time.Duration String() of a millisecond span (`2m5.5s`). */
function goDuration(ms: number): string {
  if (ms < 1000) return ms === 0 ? '0s' : `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = ((ms % 60_000) / 1000).toFixed(3).replace(/\.?0+$/, '');
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

async function topPod(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, POD_FLAGS, 'top pod');
  if (p.args.length > 1) throw new CliError("pod [NAME | -l label]\nSee 'kubectl top pod -h' for help and examples");
  const name = p.args[0] ?? '';
  checkSortBy(p);
  if (name && (str(p, 'selector') || str(p, 'field-selector'))) throw new CliError('only one of NAME or selector can be provided');
  const filters = await selectorFilters(p);
  const all = bool(p, 'all-namespaces');
  const podDef = resourceForKind('v1', 'Pod')!;
  return withCluster(io, p, 'read', async (s) => {
    const c = s.cluster;
    if (!metricsServed(c)) throw new CliError('Metrics API not available');
    const now = c.now();
    const matches = (pod: KObj) => (!filters.labelSelector || filters.labelSelector(pod)) && (!filters.fieldSelector || filters.fieldSelector(podDef, pod));
    const load = httpLoad(c);
    const metricsOf = (pod: KObj) => {
      const u = podUsage(c.state, pod, now, load.get(pod.metadata.uid));
      return u && { namespace: pod.metadata.namespace, name: pod.metadata.name, containers: [...u].map(([n, x]) => ({ name: n, ...x })) };
    };
    const pr = await import('../printers/top.js');
    let metrics;
    if (name) {
      const pod = c.api.peek(podDef, s.namespace, name);
      const m = pod && metricsOf(pod);
      if (!m) throw notFound('podmetrics.metrics.k8s.io', `${s.namespace}/${name}`);
      metrics = [m];
    } else {
      metrics = c.api.list(podDef, all ? undefined : s.namespace).filter(matches).map(metricsOf).filter((m) => m !== undefined);
    }
    if (!metrics.length) {
      // verifyEmptyMetrics looks at the pods of the namespace (even with -A)
      const pods = c.api.list(podDef, s.namespace).filter(matches);
      for (const pod of pods) {
        const age = now - Date.parse(pod.metadata.creationTimestamp);
        if (age > 120_000) throw new CliError(`Metrics not available for pod ${pod.metadata.namespace}/${pod.metadata.name}, age: ${goDuration(age)}`);
      }
      if (pods.length) throw new CliError('metrics not available yet');
      io.stderr.write(all ? 'No resources found\n' : `No resources found in ${s.namespace} namespace.\n`);
      return 0;
    }
    io.stdout.write(pr.printPodMetrics(metrics, { containers: bool(p, 'containers'), withNamespace: all, noHeaders: bool(p, 'no-headers'), sortBy: str(p, 'sort-by'), sum: bool(p, 'sum') }));
    return 0;
  });
}

const milli = (q: unknown): number => {
  const m = /^([0-9.]+)(m?)$/.exec(String(q ?? '0'));
  return m ? Number(m[1]) * (m[2] ? 1 : 1000) : 0;
};

const BYTES: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };
const bytesOf = (q: unknown): number => {
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(String(q ?? '0'));
  return m ? Number(m[1]) * (BYTES[m[2]] ?? 1) : 0;
};

/** A node's usage: its pods' plus what the node runs itself, varying a little per scrape. */
function nodeUsage(c: Cluster, node: KObj, pods: KObj[]): { cpuMilli: number; memBytes: number } | undefined {
  const now = c.now();
  if (firstSampleAt(Date.parse(node.metadata.creationTimestamp)) > now) return undefined;
  let cpu = NODE_OVERHEAD.cpuMilli + (Math.floor(now / 15_000) % 7);
  let mem = NODE_OVERHEAD.memBytes + (Math.floor(now / 15_000) % 5) * 512 * 1024;
  for (const pod of pods) {
    for (const u of podUsage(c.state, pod, now, httpLoad(c).get(pod.metadata.uid))?.values() ?? []) [cpu, mem] = [cpu + u.cpuMilli, mem + u.memBytes];
  }
  return { cpuMilli: Math.min(cpu, milli(node.status?.capacity?.cpu)), memBytes: mem };
}

async function topNode(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, NODE_FLAGS, 'top node');
  if (p.args.length > 1) throw new CliError("node [NAME | -l label]\nSee 'kubectl top node -h' for help and examples");
  const name = p.args[0] ?? '';
  checkSortBy(p);
  if (name && str(p, 'selector')) throw new CliError('only one of NAME or --selector can be provided');
  const filters = await selectorFilters(p);
  const nodeDef = resourceForKind('v1', 'Node')!;
  const podDef = resourceForKind('v1', 'Pod')!;
  return withCluster(io, p, 'read', async (s) => {
    const c = s.cluster;
    if (!metricsServed(c)) throw new CliError('Metrics API not available');
    const byNode = new Map<string, KObj[]>();
    for (const pod of c.api.list(podDef)) {
      const n = pod.spec?.nodeName;
      if (n) byNode.set(n, [...(byNode.get(n) ?? []), pod]);
    }
    let nodes: KObj[];
    if (name) {
      const node = c.api.peek(nodeDef, undefined, name);
      if (!node) throw notFound('nodemetrics.metrics.k8s.io', name);
      nodes = [node];
    } else {
      nodes = c.api.list(nodeDef).filter((n) => !filters.labelSelector || filters.labelSelector(n));
    }
    const metrics = nodes.flatMap((n) => {
      const u = nodeUsage(c, n, byNode.get(n.metadata.name) ?? []);
      return u ? [{ name: n.metadata.name, ...u }] : [];
    });
    if (name && !metrics.length) throw notFound('nodemetrics.metrics.k8s.io', name);
    if (!metrics.length) throw new CliError('metrics not available yet');
    const field = bool(p, 'show-capacity') ? 'capacity' : 'allocatable';
    const available = new Map(nodes.map((n) => [n.metadata.name, { cpuMilli: milli(n.status?.[field]?.cpu), memBytes: bytesOf(n.status?.[field]?.memory) }]));
    const pr = await import('../printers/top.js');
    io.stdout.write(pr.printNodeMetrics(metrics, available, { noHeaders: bool(p, 'no-headers'), sortBy: str(p, 'sort-by') }));
    return 0;
  });
}

export default async function top(argv: string[], io: IO): Promise<number> {
  const at = firstWord(argv);
  const sub = at >= 0 ? argv[at] : undefined;
  const rest = at >= 0 ? [...argv.slice(0, at), ...argv.slice(at + 1)] : argv;
  if (sub === 'pod' || sub === 'pods' || sub === 'po') return topPod(rest, io);
  if (sub === 'node' || sub === 'nodes' || sub === 'no') return topNode(rest, io);
  // cobra's answer for a word that names no subcommand of top
  if (sub) throw new CliError(`unknown command "${sub}"\nSee 'kubectl top -h' for help and examples`);
  throw notSupported('top');
}
