// The HPA controller's replica calculation for resource metrics (pkg/controller/podautoscaler
// replica_calculator.go GetResourceReplicas / GetRawResourceReplicas, groupPods, calculatePodRequests,
// metrics/utilization.go): pods grouped as ready, unready (CPU within its initialization period),
// missing and ignored; utilization against requests; the 10% tolerance; missing pods counted as 100%
// on a scale-down and 0% on a scale-up, unready ones as 0% on a scale-up.
import type { KObj } from '../../api/types.js';
import { podUsage, SCRAPE_MS } from '../../runtime/usage.js';
import type { Cluster } from '../engine.js';
import { httpLoad } from '../http-load.js';

const TOLERANCE = 0.1;
/** --horizontal-pod-autoscaler-cpu-initialization-period */
const CPU_INITIALIZATION_MS = 5 * 60_000;
/** --horizontal-pod-autoscaler-initial-readiness-delay */
const INITIAL_READINESS_DELAY_MS = 30_000;

export interface ResourceResult {
  replicas: number;
  /** averageUtilization (percent of request), when the target is a utilization */
  utilization?: number;
  /** average usage per pod: milli-units for cpu, bytes for memory */
  rawAverage: number;
}

function parseMilli(q: unknown): number | undefined {
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(String(q ?? ''));
  if (!m) return undefined;
  const mult: Record<string, number> = { n: 1e-6, u: 1e-3, m: 1, '': 1000, k: 1e6, M: 1e9, G: 1e12, Ki: 1024e3, Mi: 1024 ** 2 * 1e3, Gi: 1024 ** 3 * 1e3 };
  return mult[m[2]] === undefined ? undefined : Number(m[1]) * mult[m[2]];
}

/** The metrics-server PodMetrics of the pods, summed over containers: resource usage in milli-units. */
function podMetrics(c: Cluster, pods: KObj[], resource: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of pods) {
    const u = podUsage(c.state, pod, c.now(), httpLoad(c).get(pod.metadata.uid));
    if (!u) continue;
    let sum = 0;
    for (const x of u.values()) sum += resource === 'cpu' ? x.cpuMilli : x.memBytes * 1000;
    out.set(pod.metadata.name, sum);
  }
  return out;
}

function condition(pod: KObj, type: string): KObj | undefined {
  return ((pod.status?.conditions ?? []) as KObj[]).find((x) => x.type === type);
}

function groupPods(c: Cluster, pods: KObj[], metrics: Map<string, number>, resource: string) {
  let ready = 0;
  const unready = new Set<string>();
  const missing = new Set<string>();
  const ignored = new Set<string>();
  const sampleAt = Math.floor(c.now() / SCRAPE_MS) * SCRAPE_MS;
  for (const pod of pods) {
    const name = pod.metadata.name;
    if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Failed') {
      ignored.add(name);
      continue;
    }
    if (pod.status?.phase === 'Pending') {
      unready.add(name);
      continue;
    }
    if (!metrics.has(name)) {
      missing.add(name);
      continue;
    }
    if (resource === 'cpu') {
      const cond = condition(pod, 'Ready');
      const start = Date.parse(pod.status?.startTime ?? '');
      let isUnready: boolean;
      if (!cond || Number.isNaN(start)) isUnready = true;
      else {
        const moved = Date.parse(cond.lastTransitionTime ?? '');
        if (start + CPU_INITIALIZATION_MS > c.now()) isUnready = cond.status === 'False' || sampleAt < moved + SCRAPE_MS;
        else isUnready = cond.status === 'False' && start + INITIAL_READINESS_DELAY_MS > moved;
      }
      if (isUnready) {
        unready.add(name);
        continue;
      }
    }
    ready++;
  }
  return { ready, unready, missing, ignored };
}

/** GetResourceUtilizationRatio: the utilization is truncated to a whole percent before the ratio. */
function utilizationRatio(metrics: Map<string, number>, requests: Map<string, number>, target: number) {
  let used = 0;
  let requested = 0;
  let n = 0;
  for (const [name, value] of metrics) {
    const r = requests.get(name);
    if (r === undefined) continue;
    used += value;
    requested += r;
    n++;
  }
  if (requested === 0) throw new Error('no metrics returned matched known pods');
  const utilization = Math.trunc((used * 100) / requested);
  return { ratio: utilization / target, utilization, rawAverage: Math.trunc(used / n) };
}

/**
 * The replica count for a Resource metric (`target` a utilization percent or an average value in
 * milli-units), or an Error with the controller's text.
 */
export function resourceReplicas(c: Cluster, current: number, pods: KObj[], resource: string, target: { utilization?: number; averageMilli?: number }): ResourceResult {
  const metrics = podMetrics(c, pods, resource);
  if (!metrics.size) throw new Error(`unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`);
  if (!pods.length) throw new Error('no pods returned by selector while calculating replica count');
  const g = groupPods(c, pods, metrics, resource);
  for (const n of [...g.ignored, ...g.unready]) metrics.delete(n);
  const requests = new Map<string, number>();
  // GetRawResourceReplicas (an average value target) needs no requests
  if (target.utilization !== undefined) for (const pod of pods) {
    let sum = 0;
    for (const ct of pod.spec?.containers ?? []) {
      const r = parseMilli(ct.resources?.requests?.[resource]);
      if (r === undefined) throw new Error(`missing request for ${resource} in container ${ct.name} of Pod ${pod.metadata.name}`);
      sum += r;
    }
    requests.set(pod.metadata.name, sum);
  }
  if (!metrics.size) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  // an average value target compares usage per pod with it instead of a percentage of the requests
  const ratioOf = (m: Map<string, number>) => {
    if (target.utilization !== undefined) return utilizationRatio(m, requests, target.utilization);
    let used = 0;
    for (const v of m.values()) used += v;
    return { ratio: used / (target.averageMilli! * m.size), utilization: undefined, rawAverage: Math.trunc(used / m.size) };
  };
  const first = ratioOf(metrics);
  const result = (replicas: number): ResourceResult => ({ replicas, utilization: first.utilization, rawAverage: first.rawAverage });
  const scaleUpWithUnready = g.unready.size > 0 && first.ratio > 1;
  if (!scaleUpWithUnready && !g.missing.size) {
    if (Math.abs(1 - first.ratio) <= TOLERANCE) return result(current);
    return result(Math.ceil(first.ratio * g.ready));
  }
  if (g.missing.size) {
    for (const n of g.missing) {
      if (first.ratio < 1) metrics.set(n, target.utilization !== undefined ? requests.get(n)! : target.averageMilli!);
      else if (first.ratio > 1) metrics.set(n, 0);
    }
  }
  if (scaleUpWithUnready) for (const n of g.unready) metrics.set(n, 0);
  const next = ratioOf(metrics).ratio;
  if (Math.abs(1 - next) <= TOLERANCE || (first.ratio < 1 && next > 1) || (first.ratio > 1 && next < 1)) return result(current);
  const replicas = Math.ceil(next * metrics.size);
  if ((next < 1 && replicas > current) || (next > 1 && replicas < current)) return result(current);
  return result(replicas);
}
