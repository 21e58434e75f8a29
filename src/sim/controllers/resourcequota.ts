// The resource quota controller (pkg/controller/resourcequota): a quota's status.hard follows its
// spec and status.used is what the namespace's matching objects use, recomputed as soon as an
// object the quota counts comes, goes, finishes or starts terminating (so the next admission sees it).
import { canonicalJson } from '../../api/equal.js';
import { allResources, resourceForKind } from '../../api/registry.js';
import type { ChangeEvent } from '../../api/server.js';
import type { KObj, ResourceDef } from '../../api/types.js';
import { matchingResources, scopesMatch, totalUsage } from '../../api/admission/quota-usage.js';
import { canonicalQuantity } from '../../api/quantity.js';
import type { Cluster } from '../engine.js';

const QUOTA: ResourceDef = resourceForKind('v1', 'ResourceQuota')!;

function sorted(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function recomputeQuota(c: Cluster, q: KObj): void {
  const ns = q.metadata.namespace;
  const hardSpec: Record<string, unknown> = q.spec?.hard ?? {};
  const names = Object.keys(hardSpec);
  const entries: { def: ResourceDef; obj: KObj }[] = [];
  for (const def of allResources()) {
    if (!def.namespaced || !matchingResources(def, names).length) continue;
    for (const obj of c.api.list(def, ns)) if (scopesMatch(q, def, obj)) entries.push({ def, obj });
  }
  const hard: Record<string, string> = {};
  for (const n of names) hard[n] = canonicalQuantity(hardSpec[n]);
  const status = { hard: sorted(hard), used: sorted(totalUsage(names, entries, c.now())) };
  if (canonicalJson(status) === canonicalJson(q.status ?? {})) return;
  c.api.write(QUOTA, { ...structuredClone(q), status });
}

function quotasIn(c: Cluster, ns: string): KObj[] {
  return c.listAll('resourcequotas').filter((q) => q.metadata.namespace === ns);
}

function countsChange(ev: ChangeEvent): boolean {
  if (ev.type !== 'MODIFIED') return true;
  const o = ev.old ?? {};
  const n = ev.obj;
  if (ev.def.kind === 'Pod') {
    return o.status?.phase !== n.status?.phase || o.metadata?.deletionTimestamp !== n.metadata.deletionTimestamp;
  }
  if (ev.def.kind === 'Service' || ev.def.kind === 'PersistentVolumeClaim') return canonicalJson(o.spec) !== canonicalJson(n.spec);
  return false;
}

export const resourceQuotaController = {
  name: 'resourcequota-controller',
  onChange(c: Cluster, ev: ChangeEvent): void {
    if (ev.def.kind === 'ResourceQuota') {
      if (ev.type === 'DELETED') return;
      if (ev.type === 'ADDED' || canonicalJson(ev.old?.spec) !== canonicalJson(ev.obj.spec)) recomputeQuota(c, ev.obj);
      return;
    }
    const ns = ev.obj.metadata?.namespace;
    if (!ns || !ev.def.namespaced || !countsChange(ev)) return;
    for (const q of quotasIn(c, ns)) {
      if (matchingResources(ev.def, Object.keys(q.spec?.hard ?? {})).length) recomputeQuota(c, q);
    }
  },
};
