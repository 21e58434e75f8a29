// `get nodes` (printers.go printNode).

import type { KObj } from '../../api/types.js';
import { age, ageCol, nameCol, type Cell, type KindTable } from './common.js';

/** ROLES: `node-role.kubernetes.io/<role>` label keys and the `kubernetes.io/role` value, sorted. */
export function nodeRoles(node: KObj): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries((node.metadata?.labels ?? {}) as Record<string, string>)) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v !== '') roles.add(v);
  }
  return [...roles].sort();
}

/** STATUS: Ready / NotReady / Unknown, plus `,SchedulingDisabled`. */
export function nodeStatus(node: KObj): string {
  const status: string[] = [];
  const conds = (node.status?.conditions ?? []) as KObj[];
  // the last condition of a type wins (map built in order)
  let ready: KObj | undefined;
  for (const c of conds) if (c.type === 'Ready') ready = c;
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (!status.length) status.push('Unknown');
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

const address = (node: KObj, type: string) => ((node.status?.addresses ?? []) as KObj[]).find((a) => a.type === type)?.address ?? '<none>';

export const nodesTable: KindTable = {
  columns: [
    nameCol,
    { name: 'Status' },
    { name: 'Roles' },
    ageCol,
    { name: 'Version' },
    { name: 'Internal-IP', priority: 1 },
    { name: 'External-IP', priority: 1 },
    { name: 'OS-Image', priority: 1 },
    { name: 'Kernel-Version', priority: 1 },
    { name: 'Container-Runtime', priority: 1 },
  ],
  row(node: KObj, now: number): Cell[] {
    const info = node.status?.nodeInfo ?? {};
    const roles = nodeRoles(node).join(',') || '<none>';
    return [
      node.metadata?.name,
      nodeStatus(node),
      roles,
      age(node, now),
      info.kubeletVersion ?? '',
      address(node, 'InternalIP'),
      address(node, 'ExternalIP'),
      info.osImage || '<unknown>',
      info.kernelVersion || '<unknown>',
      info.containerRuntimeVersion || '<unknown>',
    ];
  },
};
