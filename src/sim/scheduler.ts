// The scheduler: binds pending pods to a node that fits (pod count, taints, nodeName pinning).
import type { KObj } from '../api/types.js';
import type { Cluster } from './engine.js';
import { recordEvent } from './events.js';
import { NODE, POD, podKey, splitKey } from './keys.js';

const SCHEDULER = { component: 'default-scheduler' };

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

const DONE = ['Succeeded', 'Failed'];

/** Pods per node that occupy a slot, counted once per invocation and kept up to date on bind. */
function podCounts(c: Cluster): Map<string, number> {
  let m = c.memo.get('scheduler/podCounts') as Map<string, number> | undefined;
  if (!m) {
    m = new Map();
    for (const p of c.listAll('pods')) {
      if (p.spec?.nodeName && !DONE.includes(p.status?.phase)) m.set(p.spec.nodeName, (m.get(p.spec.nodeName) ?? 0) + 1);
    }
    c.memo.set('scheduler/podCounts', m);
  }
  return m;
}

function podsOn(c: Cluster, nodeName: string): number {
  return podCounts(c).get(nodeName) ?? 0;
}

/** Returns false when the pod could not be placed. */
function schedule(c: Cluster, key: string): boolean {
  const { namespace, name } = splitKey(key);
  const pod = c.api.peek(POD, namespace, name);
  if (!pod || pod.spec?.nodeName || pod.metadata.deletionTimestamp) return true;
  const nodes = c.api.list(NODE);
  const reasons = new Map<string, number>();
  const fail = (r: string) => reasons.set(r, (reasons.get(r) ?? 0) + 1);
  let chosen: KObj | undefined;
  for (const node of nodes) {
    const taint = (node.spec?.taints ?? []).find((t: KObj) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(pod, t));
    if (node.spec?.unschedulable) fail("node(s) were unschedulable");
    else if (taint) fail(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
    else if (!nodeReady(node)) fail('node(s) had untolerated taint {node.kubernetes.io/not-ready: }');
    else if (podsOn(c, node.metadata.name) >= Number(node.status?.allocatable?.pods ?? 110)) fail('Too many pods');
    else {
      chosen = node;
      break;
    }
  }
  if (!chosen) {
    const parts = [...reasons.entries()].map(([r, n]) => `${n} ${r}`).sort();
    const msg = `0/${nodes.length} nodes are available: ${parts.join(', ')}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} No preemption victims found for incoming pod.`;
    const updated = structuredClone(pod);
    updated.status.conditions = [
      { lastProbeTime: null, lastTransitionTime: c.isoNow(), message: msg, reason: 'Unschedulable', status: 'False', type: 'PodScheduled' },
    ];
    c.api.write(POD, updated);
    recordEvent(c, pod, 'Warning', 'FailedScheduling', msg, SCHEDULER);
    return false;
  }
  bind(c, pod, chosen.metadata.name);
  podCounts(c).set(chosen.metadata.name, podsOn(c, chosen.metadata.name) + 1);
  recordEvent(c, pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${chosen.metadata.name}`, SCHEDULER);
  return true;
}

function bind(c: Cluster, pod: KObj, nodeName: string): void {
  const updated = structuredClone(pod);
  updated.spec.nodeName = nodeName;
  updated.status.conditions = [{ lastProbeTime: null, lastTransitionTime: c.isoNow(), status: 'True', type: 'PodScheduled' }];
  c.api.write(POD, updated);
}

/** Unschedulable pods are retried, oldest first, when room may have appeared; the first that still
 * does not fit ends the pass (the rest wait for the next change). */
function retryPending(c: Cluster): void {
  const pending = c
    .listAll('pods')
    .filter((p) => !p.spec?.nodeName && !p.metadata.deletionTimestamp && (p.status?.conditions ?? []).some((x: KObj) => x.reason === 'Unschedulable'))
    .sort((a, b) => (a.metadata.creationTimestamp < b.metadata.creationTimestamp ? -1 : a.metadata.creationTimestamp > b.metadata.creationTimestamp ? 1 : 0));
  for (const p of pending) if (!schedule(c, podKey(p))) break;
}

export const scheduler = {
  name: 'scheduler',
  onChange(c: Cluster, ev: { type: string; def: { kind: string }; obj: KObj; old?: KObj }) {
    if (ev.def.kind !== 'Pod') return;
    if (ev.type === 'ADDED' && !ev.obj.spec?.nodeName) c.schedule(0, 'schedule', podKey(ev.obj));
    const freed =
      (ev.type === 'DELETED' && ev.obj.spec?.nodeName && !DONE.includes(ev.obj.status?.phase)) ||
      (ev.type === 'MODIFIED' && DONE.includes(ev.obj.status?.phase) && !DONE.includes(ev.old?.status?.phase));
    if (freed) {
      c.memo.delete('scheduler/podCounts');
      if (!c.hasTimer('scheduler', 'schedule-pending')) c.schedule(0, 'schedule-pending', 'scheduler');
    }
  },
  timers: {
    schedule: (c: Cluster, t: { key: string }) => void schedule(c, t.key),
    'schedule-pending': (c: Cluster) => retryPending(c),
  },
};
