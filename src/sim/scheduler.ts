// The scheduler: binds pending pods to a node that passes the filters the real scheduler runs
// (NodeUnschedulable, TaintToleration, NodeAffinity incl. nodeSelector, InterPodAffinity,
// NodeResourcesFit, pod count), scores the rest (preferred affinity, least requested, name), and
// reports FailedScheduling with the real message shape. Pods that name a node are the kubelet's.
import type { KObj } from '../api/types.js';
import type { Cluster } from './engine.js';
import { recordEvent } from './events.js';
import { NODE, POD, podKey, splitKey } from './keys.js';
import { podsWaitingForClaim, volumeNodeConflict, volumePreFilter, volumesBound } from './controllers/volume-binding.js';
import { boundPods } from '../api/owner-index.js';
import { nodePods, podRequests, quantityValue, usageChanged } from './node-usage.js';
import { attemptOne, bumpVersion, GROUP_TIMER, groupTimer, podChanged, queueOptions, retryQueued } from './scheduler-queue.js';

const SCHEDULER = { component: 'default-scheduler' };
const DONE = ['Succeeded', 'Failed'];
/** Failure reasons preemption can never fix (the rest: "No preemption victims found"). */
const UNRESOLVABLE = /untolerated taint|unschedulable|didn't match|didn't satisfy|requested node name|volume node affinity conflict/;

function nodeReady(node: KObj): boolean {
  return (node.status?.conditions ?? []).some((c: KObj) => c.type === 'Ready' && c.status === 'True');
}

function tolerates(pod: KObj, taint: KObj): boolean {
  return (pod.spec?.tolerations ?? []).some((t: KObj) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (!t.key) return t.operator === 'Exists';
    if (t.key !== taint.key) return false;
    return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
  });
}

function matchExpr(labels: Record<string, string>, e: KObj, fields: Record<string, string> = {}): boolean {
  const v = e.key in labels ? labels[e.key] : fields[e.key];
  const has = v !== undefined;
  switch (e.operator) {
    case 'In':
      return has && (e.values ?? []).includes(v);
    case 'NotIn':
      return !has || !(e.values ?? []).includes(v);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
      return has && Number(v) > Number(e.values?.[0]);
    case 'Lt':
      return has && Number(v) < Number(e.values?.[0]);
    default:
      return false;
  }
}

function termMatches(node: KObj, term: KObj): boolean {
  const labels = node.metadata.labels ?? {};
  const fields = { 'metadata.name': node.metadata.name };
  const exprs = term.matchExpressions ?? [];
  const fexprs = term.matchFields ?? [];
  if (!exprs.length && !fexprs.length) return false;
  return exprs.every((e: KObj) => matchExpr(labels, e)) && fexprs.every((e: KObj) => matchExpr({}, e, fields));
}

function nodeAffinityOk(pod: KObj, node: KObj): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const req = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!req) return true;
  return (req.nodeSelectorTerms ?? []).some((t: KObj) => termMatches(node, t));
}

function labelSelectorMatches(sel: KObj | undefined, labels: Record<string, string>): boolean {
  if (!sel) return false;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  return (sel.matchExpressions ?? []).every((e: KObj) => matchExpr(labels, e));
}

function podsOnTopology(c: Cluster, nodes: KObj[], node: KObj, key: string, pod: KObj, term: KObj): KObj[] {
  const value = node.metadata.labels?.[key];
  if (value === undefined) return [];
  const names = new Set(nodes.filter((n) => n.metadata.labels?.[key] === value).map((n) => n.metadata.name));
  const namespaces: string[] = term.namespaces?.length ? term.namespaces : [pod.metadata.namespace];
  return boundPods(c.state)
    .filter((p) => p.spec?.nodeName && names.has(p.spec.nodeName) && !DONE.includes(p.status?.phase) && !p.metadata.deletionTimestamp && p.metadata.uid !== pod.metadata.uid)
    .filter((p) => namespaces.includes(p.metadata.namespace) && labelSelectorMatches(term.labelSelector, p.metadata.labels ?? {}));
}

function interPodReason(c: Cluster, nodes: KObj[], pod: KObj, node: KObj): string | undefined {
  const aff = pod.spec.affinity ?? {};
  for (const term of aff.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (!podsOnTopology(c, nodes, node, term.topologyKey, pod, term).length) {
      // the first pod of a group may land anywhere its own labels match the term
      const anyMatch = boundPods(c.state).some((p) => p.metadata.uid !== pod.metadata.uid && p.spec?.nodeName && labelSelectorMatches(term.labelSelector, p.metadata.labels ?? {}));
      if (anyMatch || !labelSelectorMatches(term.labelSelector, pod.metadata.labels ?? {})) return "node(s) didn't match pod affinity rules";
    }
  }
  for (const term of aff.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (podsOnTopology(c, nodes, node, term.topologyKey, pod, term).length) return "node(s) didn't match pod anti-affinity rules";
  }
  // existing pods' anti-affinity against this pod
  for (const p of antiAffinityPods(c)) {
    if (!p.spec?.nodeName || p.metadata.uid === pod.metadata.uid || DONE.includes(p.status?.phase)) continue;
    for (const term of p.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
      const other = nodes.find((n) => n.metadata.name === p.spec.nodeName);
      const key = term.topologyKey;
      if (!other || other.metadata.labels?.[key] === undefined || other.metadata.labels?.[key] !== node.metadata.labels?.[key]) continue;
      if (labelSelectorMatches(term.labelSelector, pod.metadata.labels ?? {})) return "node(s) didn't satisfy existing pods anti-affinity rules";
    }
  }
  return undefined;
}

type Usage = { cpu: number; memory: number; pods: number };

/** Requests per node, computed once per invocation and kept up to date on bind. */
function usageMap(c: Cluster): Map<string, Usage> {
  let m = c.memo.get('scheduler/usage') as Map<string, Usage> | undefined;
  if (!m) {
    m = new Map();
    for (const node of c.api.list(NODE)) {
      const u = { cpu: 0, memory: 0, pods: 0 };
      for (const [cpu, memory] of Object.values(nodePods(c, node.metadata.name))) {
        u.cpu += cpu;
        u.memory += memory;
        u.pods++;
      }
      if (u.pods) m.set(node.metadata.name, u);
    }
    c.memo.set('scheduler/usage', m);
  }
  return m;
}

function addUsage(m: Map<string, Usage>, p: KObj): void {
  const u = m.get(p.spec.nodeName) ?? { cpu: 0, memory: 0, pods: 0 };
  const r = podRequests(p);
  u.cpu += r.cpu;
  u.memory += r.memory;
  u.pods++;
  m.set(p.spec.nodeName, u);
}

function nodeUsage(c: Cluster, nodeName: string): Usage {
  return usageMap(c).get(nodeName) ?? { cpu: 0, memory: 0, pods: 0 };
}

/** Bound pods that carry required anti-affinity (usually none). */
function antiAffinityPods(c: Cluster): KObj[] {
  let l = c.memo.get('scheduler/anti') as KObj[] | undefined;
  if (!l) {
    l = [];
    for (const node of c.api.list(NODE)) {
      // (keys, not entries: the node's ~110 are walked once per command, mostly by the interpreter)
      const pods = nodePods(c, node.metadata.name);
      for (const key in pods) {
        if (!pods[key][2]) continue;
        const slash = key.indexOf('/');
        const p = c.api.peek(POD, key.slice(0, slash), key.slice(slash + 1));
        if (p?.spec?.nodeName && p.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length) l.push(p);
      }
    }
    c.memo.set('scheduler/anti', l);
  }
  return l;
}

/** The reasons a node cannot take the pod (empty: it fits). */
function filter(c: Cluster, nodes: KObj[], pod: KObj, node: KObj): string[] {
  if (node.spec?.unschedulable && !(pod.spec.tolerations ?? []).some((t: KObj) => t.key === 'node.kubernetes.io/unschedulable')) return ['node(s) were unschedulable'];
  const taint = (node.spec?.taints ?? []).find((t: KObj) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(pod, t));
  if (taint) return [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`];
  if (!nodeReady(node)) return ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }'];
  if (!nodeAffinityOk(pod, node)) return ["node(s) didn't match Pod's node affinity/selector"];
  const volume = volumeNodeConflict(c, pod, node);
  if (volume) return [volume];
  const ip = interPodReason(c, nodes, pod, node);
  if (ip) return [ip];
  const req = podRequests(pod);
  const used = nodeUsage(c, node.metadata.name);
  const alloc = node.status?.allocatable ?? {};
  const out: string[] = [];
  if (used.pods + 1 > Number(alloc.pods ?? 110)) out.push('Too many pods');
  if (req.cpu > 0 && used.cpu + req.cpu > quantityValue(alloc.cpu ?? '0') + 1e-9) out.push('Insufficient cpu');
  if (req.memory > 0 && used.memory + req.memory > quantityValue(alloc.memory ?? '0')) out.push('Insufficient memory');
  return out;
}

function score(c: Cluster, pod: KObj, node: KObj): number {
  let s = 0;
  for (const p of pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (termMatches(node, p.preference ?? {})) s += Number(p.weight ?? 0) * 100;
  }
  const used = nodeUsage(c, node.metadata.name);
  const cpu = quantityValue(node.status?.allocatable?.cpu ?? '1') || 1;
  return s + (1 - used.cpu / cpu) * 10 - used.pods * 0.01;
}

/** The filters' verdict for the pod: why no node takes it (the FailedScheduling message), or the nodes that do. */
function evaluate(c: Cluster, pod: KObj): { msg: string; fits?: undefined } | { msg?: undefined; fits: KObj[] } {
  const nodes = c.api.list(NODE);
  const pre = volumePreFilter(c, pod);
  if (pre) return { msg: `0/${nodes.length} nodes are available: ${pre}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.` };
  const reasons = new Map<string, number>();
  const preemption = new Map<string, number>();
  const fits: KObj[] = [];
  for (const node of nodes) {
    const why = filter(c, nodes, pod, node);
    if (!why.length) {
      fits.push(node);
      continue;
    }
    for (const r of why) reasons.set(r, (reasons.get(r) ?? 0) + 1);
    const p = why.some((r) => UNRESOLVABLE.test(r)) ? 'Preemption is not helpful for scheduling' : 'No preemption victims found for incoming pod';
    preemption.set(p, (preemption.get(p) ?? 0) + 1);
  }
  if (fits.length) return { fits };
  const parts = [...reasons.entries()].map(([r, n]) => `${n} ${r}`).sort();
  const victims = [...preemption.entries()].map(([r, n]) => `${n} ${r}`).sort();
  return { msg: `0/${nodes.length} nodes are available: ${parts.join(', ')}. preemption: 0/${nodes.length} nodes are available: ${victims.join(', ')}.` };
}

/** Returns the failure message when the pod could not be placed. */
function schedule(c: Cluster, key: string): string | undefined {
  const { namespace, name } = splitKey(key);
  const pod = c.api.peek(POD, namespace, name);
  if (!pod || pod.spec?.nodeName || pod.metadata.deletionTimestamp) return undefined;
  // the SchedulingGates plugin's PreEnqueue: a gated pod waits outside the queue (no attempt, no event)
  if (pod.spec?.schedulingGates?.length) return undefined;
  const { msg, fits } = evaluate(c, pod);
  if (msg !== undefined) {
    unschedulable(c, pod, msg);
    return msg;
  }
  fits.sort((a, b) => score(c, pod, b) - score(c, pod, a) || (a.metadata.name < b.metadata.name ? -1 : 1));
  const chosen = fits[0];
  if (!volumesBound(c, pod, chosen.metadata.name)) {
    // PreBind waits for the delayed claims' volumes
    c.schedule(1000, 'schedule', podKey(pod));
    return undefined;
  }
  bind(c, pod, chosen.metadata.name);
  const bound = { ...pod, spec: { ...pod.spec, nodeName: chosen.metadata.name } };
  addUsage(usageMap(c), bound);
  if (pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length) antiAffinityPods(c).push(bound);
  recordEvent(c, pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${chosen.metadata.name}`, SCHEDULER);
  return undefined;
}

function unschedulable(c: Cluster, pod: KObj, msg: string): void {
  // podutil.UpdatePodCondition: the transition time stays while the status does, and the scheduler's
  // updatePod writes nothing when the condition is unchanged (a retry that fails alike)
  const old = (pod.status?.conditions ?? []).find((x: KObj) => x.type === 'PodScheduled');
  const same = old?.status === 'False';
  if (same && old.reason === 'Unschedulable' && old.message === msg && old.lastProbeTime === null) {
    recordEvent(c, pod, 'Warning', 'FailedScheduling', msg, SCHEDULER);
    return;
  }
  const updated = structuredClone(pod);
  updated.status.conditions = [
    { lastProbeTime: null, lastTransitionTime: same ? old.lastTransitionTime : c.isoNow(), message: msg, reason: 'Unschedulable', status: 'False', type: 'PodScheduled' },
  ];
  c.api.write(POD, updated);
  recordEvent(c, pod, 'Warning', 'FailedScheduling', msg, SCHEDULER);
}

function bind(c: Cluster, pod: KObj, nodeName: string): void {
  const updated = structuredClone(pod);
  updated.spec.nodeName = nodeName;
  updated.status.conditions = [{ lastProbeTime: null, lastTransitionTime: c.isoNow(), status: 'True', type: 'PodScheduled' }];
  c.api.write(POD, updated);
}

/**
 * What an attempt at a pod of the same scheduling signature as `key`'s (pending-index.ts signatureOf:
 * everything the filters read of a pod) would end in now, without writing anything: its failure
 * message, or undefined when it would be placed or `key`'s pod is gone. `key`'s pod was attempted in
 * this round (its object is read); it stands in for the pods that wait behind it.
 */
function predict(c: Cluster, key: string): string | undefined {
  const { namespace, name } = splitKey(key);
  const pod = c.api.peek(POD, namespace, name);
  if (!pod || pod.spec?.schedulingGates?.length) return undefined;
  // the pod just placed stands in as it was before its binding
  const probe = pod.spec?.nodeName ? { ...pod, spec: { ...pod.spec, nodeName: undefined } } : pod;
  return evaluate(c, probe).msg;
}

/** A pod's own attempt (added, or its claim changed), its FailedScheduling series up to date first. */
function scheduleOne(c: Cluster, key: string): void {
  const { namespace, name } = splitKey(key);
  attemptOne(c, key, c.api.peek(POD, namespace, name), schedule);
}

/**
 * Unschedulable pods are retried in queue order (higher priority first, then oldest) when room may
 * have appeared: from the scheduler's queue (scheduler-queue.ts), or, with grouping off (tests), from
 * every pod, one by one.
 */
function retryPending(c: Cluster): void {
  if (queueOptions.grouped) return retryQueued(c, schedule, predict);
  const pending = c
    .listAll('pods')
    .filter((p) => !p.spec?.nodeName && !p.metadata.deletionTimestamp && (p.status?.conditions ?? []).some((x: KObj) => x.reason === 'Unschedulable'))
    .sort((a, b) => (b.spec?.priority ?? 0) - (a.spec?.priority ?? 0) || Date.parse(a.metadata.creationTimestamp) - Date.parse(b.metadata.creationTimestamp));
  for (const p of pending) attemptOne(c, podKey(p), p, schedule);
}

function requeue(c: Cluster): void {
  c.memo.delete('scheduler/usage');
  c.memo.delete('scheduler/anti');
  if (!c.hasTimer('scheduler', 'schedule-pending')) c.schedule(0, 'schedule-pending', 'scheduler');
}

export const scheduler = {
  name: 'scheduler',
  onChange(c: Cluster, ev: { type: string; def: { kind: string }; obj: KObj; old?: KObj }) {
    if (ev.def.kind === 'Node' || ev.def.kind === 'PersistentVolume') bumpVersion(c);
    if (ev.def.kind === 'Node') {
      const o = ev.old;
      const n = ev.obj;
      if (ev.type === 'ADDED' || (o && (JSON.stringify(o.spec) !== JSON.stringify(n.spec) || JSON.stringify(o.metadata.labels) !== JSON.stringify(n.metadata.labels)))) requeue(c);
      return;
    }
    // a claim that appears or binds may let a pod waiting for it in
    if (ev.def.kind === 'PersistentVolumeClaim') {
      bumpVersion(c);
      // the VolumeBinding plugin's queueing hint: only pods that use this claim are retried
      if (ev.type === 'ADDED' || ev.obj.spec?.volumeName !== ev.old?.spec?.volumeName) {
        // moved back to the active queue, the pod still waits out its 1 s back-off
        for (const p of podsWaitingForClaim(c, ev.obj)) c.schedule(1000, 'schedule', podKey(p));
      }
      return;
    }
    if (ev.def.kind !== 'Pod') return;
    podChanged(c, ev);
    usageChanged(c, ev);
    if (ev.obj.spec?.nodeName || ev.old?.spec?.nodeName) bumpVersion(c);
    if (ev.type === 'ADDED' && !ev.obj.spec?.nodeName) c.schedule(0, 'schedule', podKey(ev.obj));
    // its last scheduling gate removed, a pod enters the active queue
    if (ev.type === 'MODIFIED' && ev.old?.spec?.schedulingGates?.length && !ev.obj.spec?.schedulingGates?.length && !ev.obj.spec?.nodeName) c.schedule(0, 'schedule', podKey(ev.obj));
    const freed =
      (ev.type === 'DELETED' && ev.obj.spec?.nodeName) ||
      (ev.type === 'MODIFIED' && DONE.includes(ev.obj.status?.phase) && !DONE.includes(ev.old?.status?.phase));
    if (freed) requeue(c);
  },
  timers: {
    schedule: (c: Cluster, t: { key: string }) => scheduleOne(c, t.key),
    'schedule-pending': (c: Cluster) => retryPending(c),
    [GROUP_TIMER]: groupTimer,
  },
};
