// The metrics.k8s.io/v1beta1 API as metrics-server serves it (what `kubectl get --raw
// /apis/metrics.k8s.io/v1beta1/…` prints): PodMetrics and NodeMetrics made on request from the
// simulated usage (runtime/usage.ts), CPU in nanocores, memory in Ki, the scrape's timestamp and
// window. A cluster created with --no-metrics serves none of it.
import { StatusError } from '../api/errors.js';
import { NODE, POD } from '../api/kinds.js';
import type { KObj } from '../api/types.js';
import { NODE_OVERHEAD, podUsage, SCRAPE_MS, firstSampleAt, type Usage } from '../runtime/usage.js';
import { isoTime } from './clock.js';
import type { Cluster } from './engine.js';
import { httpLoad } from './http-load.js';

const NOT_FOUND = 'the server could not find the requested resource';

/** metrics-server's usage quantities: nanocores and kibibytes. */
function usageOf(u: Usage): Record<string, string> {
  const cpu = Math.round(u.cpuMilli * 1_000_000);
  return { cpu: cpu ? `${cpu}n` : '0', memory: `${Math.round(u.memBytes / 1024)}Ki` };
}

/** The last scrape before now and the window it covers (two scrapes apart, a little over 15 s). */
function scrape(c: Cluster, key: string): { timestamp: string; window: string } {
  const at = Math.floor(c.now() / SCRAPE_MS) * SCRAPE_MS;
  let h = 0;
  for (const ch of key) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return { timestamp: isoTime(at - 1000 - (h % 3000)), window: `${15 + (h % 5)}.${String(h % 1000).padStart(3, '0')}s` };
}

function podMetrics(c: Cluster, pod: KObj): KObj | undefined {
  const u = podUsage(c.state, pod, c.now(), httpLoad(c).get(pod.metadata.uid));
  if (!u) return undefined;
  const meta: KObj = { name: pod.metadata.name, namespace: pod.metadata.namespace, creationTimestamp: c.isoNow() };
  if (pod.metadata.labels) meta.labels = pod.metadata.labels;
  return { metadata: meta, ...scrape(c, pod.metadata.uid), containers: [...u].map(([name, x]) => ({ name, usage: usageOf(x) })) };
}

function nodeMetrics(c: Cluster, node: KObj): KObj | undefined {
  if (firstSampleAt(Date.parse(node.metadata.creationTimestamp)) > c.now()) return undefined;
  const total: Usage = { ...NODE_OVERHEAD };
  for (const pod of c.api.list(POD)) {
    if (pod.spec?.nodeName !== node.metadata.name) continue;
    for (const x of podUsage(c.state, pod, c.now(), httpLoad(c).get(pod.metadata.uid))?.values() ?? []) [total.cpuMilli, total.memBytes] = [total.cpuMilli + x.cpuMilli, total.memBytes + x.memBytes];
  }
  const meta: KObj = { name: node.metadata.name, creationTimestamp: c.isoNow() };
  if (node.metadata.labels) meta.labels = node.metadata.labels;
  return { metadata: meta, ...scrape(c, node.metadata.name), usage: usageOf(total) };
}

/**
 * The answer to GET `path` under /apis/metrics.k8s.io (compact JSON and a newline), or undefined
 * for another path; a StatusError for what the API does not have.
 */
export function metricsRaw(c: Cluster, path: string, served: boolean): string | undefined {
  const m = /^\/apis\/metrics\.k8s\.io(\/.*)?$/.exec(path);
  if (!m) return undefined;
  if (!served) throw new StatusError('NotFound', NOT_FOUND);
  const rest = (m[1] ?? '').split('/').filter(Boolean);
  const list = (kind: string, items: KObj[]) => `${JSON.stringify({ kind, apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items })}\n`;
  const one = (kind: string, o: KObj) => `${JSON.stringify({ kind, apiVersion: 'metrics.k8s.io/v1beta1', ...o })}\n`;
  if (rest[0] !== 'v1beta1') throw new StatusError('NotFound', NOT_FOUND);
  let ns: string | undefined;
  let r = rest.slice(1);
  if (r[0] === 'namespaces' && r.length >= 3) [ns, r] = [r[1], r.slice(2)];
  if (r[0] === 'nodes' && ns === undefined && r.length <= 2) {
    if (r.length === 1) return list('NodeMetricsList', c.api.list(NODE).flatMap((n) => nodeMetrics(c, n) ?? []));
    const node = c.api.peek(NODE, undefined, r[1]);
    const nm = node && nodeMetrics(c, node);
    if (!nm) throw new StatusError('NotFound', `nodemetrics.metrics.k8s.io "${r[1]}" not found`, { name: r[1], kind: 'nodes' });
    return one('NodeMetrics', nm);
  }
  if (r[0] === 'pods' && r.length <= 2) {
    if (r.length === 1) return list('PodMetricsList', c.api.list(POD, ns).flatMap((p) => podMetrics(c, p) ?? []));
    const pod = ns === undefined ? undefined : c.api.peek(POD, ns, r[1]);
    const pm = pod && podMetrics(c, pod);
    if (!pm) throw new StatusError('NotFound', `podmetrics.metrics.k8s.io "${ns ?? ''}/${r[1]}" not found`, { name: `${ns ?? ''}/${r[1]}`, kind: 'pods' });
    return one('PodMetrics', pm);
  }
  throw new StatusError('NotFound', NOT_FOUND);
}
