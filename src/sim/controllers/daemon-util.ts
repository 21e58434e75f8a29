// What the DaemonSet controller derives from a DaemonSet (pkg/controller/daemon/util and
// daemon_controller's predicates): the template hash, the revision patch, the pod it creates for a
// node (tolerations it adds, the matchFields node affinity, its labels), and whether a node should
// run (or may keep running) a daemon pod.
import { canonicalJson } from '../../api/equal.js';
import type { KObj } from '../../api/types.js';
import { NAME_ALPHABET } from '../random.js';
import { fnv1aBytes } from '../../api/fnv.js';

export const HASH_LABEL = 'controller-revision-hash';
export const GENERATION_LABEL = 'pod-template-generation';

/** fnv-1a (32 bit) over a text's UTF-8. */
const fnv32a = (text: string): number => fnv1aBytes(Buffer.from(text));

/** controller.ComputeHash: a 32-bit hash of the template (and collision count), rand.SafeEncodeString'd. */
export function computeHash(template: KObj, collisionCount?: number): string {
  const sum = fnv32a(canonicalJson(template) + (collisionCount ? String(collisionCount) : ''));
  return [...String(sum)].map((ch) => NAME_ALPHABET[ch.charCodeAt(0) % NAME_ALPHABET.length]).join('');
}

/** getPatch: the revision's data, `{"spec":{"template":{…,"$patch":"replace"}}}` (keys sorted, as Go marshals a map). */
export function revisionData(ds: KObj): KObj {
  return JSON.parse(canonicalJson({ spec: { template: { ...structuredClone(ds.spec?.template ?? {}), $patch: 'replace' } } }));
}

const TOLERATIONS: [string, string][] = [
  ['node.kubernetes.io/not-ready', 'NoExecute'],
  ['node.kubernetes.io/unreachable', 'NoExecute'],
  ['node.kubernetes.io/disk-pressure', 'NoSchedule'],
  ['node.kubernetes.io/memory-pressure', 'NoSchedule'],
  ['node.kubernetes.io/pid-pressure', 'NoSchedule'],
  ['node.kubernetes.io/unschedulable', 'NoSchedule'],
];

/** util.AddOrUpdateDaemonPodTolerations (AddOrUpdateTolerationInPodSpec: a matching toleration is replaced in place). */
export function addDaemonTolerations(spec: KObj): void {
  const list: KObj[] = (spec.tolerations ??= []);
  const wanted = [...TOLERATIONS];
  if (spec.hostNetwork) wanted.push(['node.kubernetes.io/network-unavailable', 'NoSchedule']);
  for (const [key, effect] of wanted) {
    const t = { key, operator: 'Exists', effect };
    // Toleration.MatchToleration: same key, operator, value and effect
    const i = list.findIndex((x) => x.key === key && x.effect === effect && (x.operator ?? 'Equal') === 'Exists' && !x.value);
    if (i >= 0) list[i] = t;
    else list.push(t);
  }
}

/** util.ReplaceDaemonSetPodNodeNameNodeAffinity. */
export function nodeNameAffinity(affinity: KObj | undefined, node: string): KObj {
  const term = { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] };
  const a = structuredClone(affinity ?? {});
  a.nodeAffinity ??= {};
  a.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = term;
  return a;
}

/** The node a daemon pod is for: its nodeName, else the matchFields affinity (util.GetTargetNodeName). */
export function targetNode(pod: KObj): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const t of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of t.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}

function tolerates(tolerations: KObj[], taint: KObj): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (!t.key) return t.operator === 'Exists';
    if (t.key !== taint.key) return false;
    return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
  });
}

function matchExpr(value: string | undefined, e: KObj): boolean {
  const has = value !== undefined;
  switch (e.operator) {
    case 'In':
      return has && (e.values ?? []).includes(value);
    case 'NotIn':
      return !has || !(e.values ?? []).includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
      return has && Number(value) > Number(e.values?.[0]);
    case 'Lt':
      return has && Number(value) < Number(e.values?.[0]);
    default:
      return false;
  }
}

function fitsAffinity(spec: KObj, node: KObj): boolean {
  const labels: Record<string, string> = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const req = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!req) return true;
  return (req.nodeSelectorTerms ?? []).some((t: KObj) => {
    const exprs: KObj[] = t.matchExpressions ?? [];
    const fields: KObj[] = t.matchFields ?? [];
    if (!exprs.length && !fields.length) return false;
    return exprs.every((e) => matchExpr(labels[e.key], e)) && fields.every((e) => matchExpr(e.key === 'metadata.name' ? node.metadata.name : undefined, e));
  });
}

/** The pod spec the controller would create for `node` (tolerations and node affinity added). */
export function daemonPodSpec(ds: KObj, node: string): KObj {
  const spec = structuredClone(ds.spec?.template?.spec ?? {});
  addDaemonTolerations(spec);
  spec.affinity = nodeNameAffinity(spec.affinity, node);
  return spec;
}

/**
 * NodeShouldRunDaemonPod: shouldRun (a pod belongs there) and shouldContinueRunning (an existing one
 * may stay: only untolerated NoSchedule taints stop new pods but keep running ones).
 */
export function nodeShouldRun(ds: KObj, node: KObj, memo?: Map<string, unknown>): { shouldRun: boolean; shouldContinueRunning: boolean } {
  // the answer changes only with the DaemonSet's spec (generation) or the node (resourceVersion)
  const key = `ds-fit/${ds.metadata.uid}/${ds.metadata.generation}/${node.metadata.name}/${node.metadata.resourceVersion}`;
  const hit = memo?.get(key) as { shouldRun: boolean; shouldContinueRunning: boolean } | undefined;
  if (hit) return hit;
  const r = fits(ds, node);
  memo?.set(key, r);
  return r;
}

function fits(ds: KObj, node: KObj): { shouldRun: boolean; shouldContinueRunning: boolean } {
  const spec = daemonPodSpec(ds, node.metadata.name);
  if (spec.nodeName && spec.nodeName !== node.metadata.name) return { shouldRun: false, shouldContinueRunning: false };
  if (!fitsAffinity(ds.spec?.template?.spec ?? {}, node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints: KObj[] = node.spec?.taints ?? [];
  const tol: KObj[] = spec.tolerations ?? [];
  if (taints.some((t) => t.effect === 'NoExecute' && !tolerates(tol, t))) return { shouldRun: false, shouldContinueRunning: false };
  if (taints.some((t) => t.effect === 'NoSchedule' && !tolerates(tol, t))) return { shouldRun: false, shouldContinueRunning: true };
  return { shouldRun: true, shouldContinueRunning: true };
}

export function podReady(pod: KObj): boolean {
  return (pod.status?.conditions ?? []).some((c: KObj) => c.type === 'Ready' && c.status === 'True');
}

/** podutil.IsPodAvailable. */
export function podAvailable(pod: KObj, minReadySeconds: number, now: number): boolean {
  const ready = (pod.status?.conditions ?? []).find((c: KObj) => c.type === 'Ready' && c.status === 'True');
  if (!ready) return false;
  if (!minReadySeconds) return true;
  return Date.parse(ready.lastTransitionTime) + minReadySeconds * 1000 <= now;
}

/** intstr.GetScaledValueFromIntOrPercent (rounding up, as the DaemonSet controller does). */
export function scaledValue(v: unknown, total: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(String(v ?? '0'));
  return m ? Math.ceil((Number(m[1]) * total) / 100) : Number(v) || 0;
}

/** The controller's ownerReference to a DaemonSet. */
export function controllerRef(ds: KObj): KObj {
  return { apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: 'DaemonSet', name: ds.metadata.name, uid: ds.metadata.uid };
}

export function controllerUid(o: KObj): string | undefined {
  return (o.metadata?.ownerReferences ?? []).find((r: KObj) => r.controller)?.uid;
}
