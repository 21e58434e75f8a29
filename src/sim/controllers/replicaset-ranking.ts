// Which surplus pods a ReplicaSet deletes first: getPodsToDelete with controller.ActivePodsWithRanks
// (pkg/controller/controller_utils.go), LogarithmicScaleDown and PodDeletionCost on as in 1.32:
// unassigned < assigned; Pending < Unknown < Running; not ready < ready; lower
// controller.kubernetes.io/pod-deletion-cost first; more ready siblings on the same node first;
// ready for less time first (log2 buckets); more container restarts first; newer first (log2
// buckets, then uid).
import type { KObj } from '../../api/types.js';
import { isPodActive, isPodReady, podReadySince } from './workload-index.js';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
const COST = 'controller.kubernetes.io/pod-deletion-cost';

function phaseOrdinal(p: KObj): number {
  return PHASE_ORDINAL[p.status?.phase ?? 'Pending'] ?? 3;
}

function deletionCost(p: KObj): number {
  const v = Number(p.metadata.annotations?.[COST] ?? 0);
  return Number.isFinite(v) ? v : 0;
}

/** logarithmicRankDiff: compares log2 of the ages in nanoseconds. */
function logRankDiff(t1: number, t2: number, now: number): number {
  const rank = (t: number) => {
    const d = (now - t) * 1e6;
    return d > 0 ? Math.floor(Math.log2(d)) : -1;
  };
  return rank(t1) - rank(t2);
}

function restarts(p: KObj): { regular: number; sidecar: number } {
  const max = (list: KObj[] | undefined) => Math.max(0, ...((list ?? []) as KObj[]).map((s) => Number(s.restartCount ?? 0)));
  const sidecars = new Set(((p.spec?.initContainers ?? []) as KObj[]).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  return {
    regular: max(p.status?.containerStatuses),
    sidecar: max(((p.status?.initContainerStatuses ?? []) as KObj[]).filter((s) => sidecars.has(s.name))),
  };
}

function created(p: KObj): number {
  return Date.parse(p.metadata.creationTimestamp ?? '') || 0;
}

/** ActivePodsWithRanks.Less: negative when a goes before b. */
export function comparePods(a: KObj, b: KObj, rankA: number, rankB: number, now: number): number {
  const na = a.spec?.nodeName ?? '';
  const nb = b.spec?.nodeName ?? '';
  if (na !== nb && (!na || !nb)) return !na ? -1 : 1;
  const pa = phaseOrdinal(a);
  const pb = phaseOrdinal(b);
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a);
  const rb = isPodReady(b);
  if (ra !== rb) return ra ? 1 : -1;
  const ca = deletionCost(a);
  const cb = deletionCost(b);
  if (ca !== cb) return ca < cb ? -1 : 1;
  if (rankA !== rankB) return rankA > rankB ? -1 : 1;
  if (ra && rb) {
    const ta = podReadySince(a) ?? 0;
    const tb = podReadySince(b) ?? 0;
    if (ta !== tb) {
      if (!ta || !tb) return !ta ? -1 : 1;
      const diff = logRankDiff(ta, tb, now);
      if (diff) return diff;
      if (a.metadata.uid !== b.metadata.uid) return a.metadata.uid < b.metadata.uid ? -1 : 1;
    }
  }
  const xa = restarts(a);
  const xb = restarts(b);
  if (xa.sidecar !== xb.sidecar) return xa.sidecar > xb.sidecar ? -1 : 1;
  if (xa.regular !== xb.regular) return xa.regular > xb.regular ? -1 : 1;
  const ta = created(a);
  const tb = created(b);
  if (ta !== tb) {
    if (!ta || !tb) return !ta ? -1 : 1;
    const diff = logRankDiff(ta, tb, now);
    if (diff) return diff;
    if (a.metadata.uid !== b.metadata.uid) return a.metadata.uid < b.metadata.uid ? -1 : 1;
  }
  return 0;
}

/** getPodsToDelete: the first `diff` pods after ranking (all of them without ranking when all go). */
export function rankPodsForDeletion(pods: KObj[], related: KObj[], diff: number, now: number): KObj[] {
  if (diff >= pods.length) return pods.slice(0, diff);
  const onNode = new Map<string, number>();
  for (const p of related) if (isPodActive(p)) onNode.set(p.spec?.nodeName ?? '', (onNode.get(p.spec?.nodeName ?? '') ?? 0) + 1);
  const ranked = pods.map((p) => ({ p, rank: onNode.get(p.spec?.nodeName ?? '') ?? 0 }));
  ranked.sort((x, y) => comparePods(x.p, y.p, x.rank, y.rank, now));
  return ranked.slice(0, diff).map((x) => x.p);
}
