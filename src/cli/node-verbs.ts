// Shared by cordon, uncordon, taint and drain: finding nodes and changing their spec as kubectl does.
import { notFound } from '../api/errors.js';
import type { KObj } from '../api/types.js';
import type { Cluster } from '../sim/engine.js';
import { NODE } from '../sim/keys.js';

export function nodeArgs(args: string[]): string[] {
  return args.map((a) => a.replace(/^(node|nodes|no)\//, ''));
}

export function getNode(c: Cluster, name: string): KObj {
  const n = c.api.peek(NODE, undefined, name);
  if (!n) throw notFound('nodes', name);
  return n;
}

/** cordon/uncordon: spec.unschedulable with the unschedulable taint the node controller keeps in step. */
export function setUnschedulable(c: Cluster, name: string, on: boolean): boolean {
  const node = structuredClone(getNode(c, name));
  if (Boolean(node.spec?.unschedulable) === on) return false;
  node.spec ??= {};
  const taints: KObj[] = (node.spec.taints ?? []).filter((t: KObj) => t.key !== 'node.kubernetes.io/unschedulable');
  if (on) {
    node.spec.unschedulable = true;
    taints.push({ effect: 'NoSchedule', key: 'node.kubernetes.io/unschedulable', timeAdded: c.isoNow() });
  } else delete node.spec.unschedulable;
  if (taints.length) node.spec.taints = taints;
  else delete node.spec.taints;
  c.api.update(NODE, node);
  return true;
}
