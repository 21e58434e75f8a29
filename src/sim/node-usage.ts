// What the pods on each node request, as the scheduler's NodeInfo sums it (every pod bound to the node
// that has not finished, terminating ones included), kept in the store beside the scheduler's queue
// (`n:<node>` in @psched: `ns/name` → [cpu, memory, 1 when it carries required anti-affinity]), so
// that a scheduling attempt reads one entry per node instead of every pod bound to it. Version 1 kept
// them in @pending, beside the rows of every unbound pod; they are moved on first use.
import { pendingRecord, schedRecord } from '../api/pending-index.js';
import { boundPods } from '../api/owner-index.js';
import type { KObj } from '../api/types.js';
import type { Cluster } from './engine.js';
import { NODE } from './keys.js';

const DONE = ['Succeeded', 'Failed'];
/** The entries' version in counters.nodeUsage (a store without it is summed anew on first use). */
const USAGE_VERSION = 2;

type NodePods = Record<string, [number, number, 0 | 1]>;

const UNITS: Record<string, number> = { '': 1, m: 0.001, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };

export function quantityValue(q: unknown): number {
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(String(q ?? '0'));
  return m ? Number(m[1]) * (UNITS[m[2]] ?? 1) : 0;
}

export function podRequests(pod: KObj): { cpu: number; memory: number } {
  const sum = { cpu: 0, memory: 0 };
  for (const ct of pod.spec.containers ?? []) {
    const r = ct.resources?.requests ?? ct.resources?.limits ?? {};
    sum.cpu += quantityValue(r.cpu);
    sum.memory += quantityValue(r.memory);
  }
  for (const ct of pod.spec.initContainers ?? []) {
    const r = ct.resources?.requests ?? ct.resources?.limits ?? {};
    sum.cpu = Math.max(sum.cpu, quantityValue(r.cpu));
    sum.memory = Math.max(sum.memory, quantityValue(r.memory));
  }
  return sum;
}

function hasAnti(p: KObj): 0 | 1 {
  return p.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ? 1 : 0;
}

function counts(p: KObj): boolean {
  return Boolean(p.spec?.nodeName) && !DONE.includes(p.status?.phase);
}

function put(c: Cluster, p: KObj, keep: boolean): void {
  const rec = schedRecord(c.state);
  const at = `n:${p.spec.nodeName}`;
  const pods = rec[at] as NodePods | undefined;
  const key = `${p.metadata.namespace}/${p.metadata.name}`;
  if (keep === Boolean(pods && key in pods)) return;
  if (keep) {
    const r = podRequests(p);
    rec[at] = { ...(pods ?? {}), [key]: [r.cpu, r.memory, hasAnti(p)] };
  } else if (pods) {
    delete pods[key];
    if (Object.keys(pods).length) rec[at] = pods;
    else delete rec[at];
  }
}

function built(c: Cluster): boolean {
  if (c.state.counters.nodeUsage === 1) {
    // version 1's entries, moved from @pending
    const old = pendingRecord(c.state);
    const rec = schedRecord(c.state);
    for (const node of c.api.list(NODE)) {
      const at = `n:${node.metadata.name}`;
      if (old[at] !== undefined) rec[at] = old[at];
      delete old[at];
    }
    c.state.counters.nodeUsage = USAGE_VERSION;
  }
  return c.state.counters.nodeUsage === USAGE_VERSION;
}

function build(c: Cluster): void {
  const rec = schedRecord(c.state);
  for (const k of Object.keys(rec)) if (k.startsWith('n:')) delete rec[k];
  c.state.counters.nodeUsage = USAGE_VERSION;
  for (const p of boundPods(c.state)) if (counts(p)) put(c, p, true);
}

/** Keeps the node's entry in step with a pod's change (the scheduler's onChange). */
export function usageChanged(c: Cluster, ev: { type: string; obj: KObj }): void {
  if (!ev.obj.spec?.nodeName || !built(c)) return;
  put(c, ev.obj, ev.type !== 'DELETED' && counts(ev.obj));
}

/** `ns/name` → [cpu, memory, anti] of the pods counted on a node. */
export function nodePods(c: Cluster, node: string): NodePods {
  if (!built(c)) build(c);
  return (schedRecord(c.state)[`n:${node}`] as NodePods | undefined) ?? {};
}
