// `kubectl get` human-readable tables: server columns (printers.go) laid out like the cli-runtime
// table printer (namespace column, kind prefix, label columns, one table per resource type).

import type { KObj, ResourceDef } from '../api/types.js';
import { kindPrefix } from '../api/types.js';
import { deploymentsTable, daemonSetsTable, replicaSetsTable, statefulSetsTable } from './tables/apps.js';
import { controllerRevisionsTable, limitRangesTable, resourceQuotasTable } from './tables/admin.js';
import { cronJobsTable, jobsTable } from './tables/batch.js';
import { formatLabels, type Cell, type KindTable } from './tables/common.js';
import { configMapsTable, genericTable, namespacesTable, secretsTable, serviceAccountsTable } from './tables/core.js';
import { eventsTable } from './tables/events.js';
import { hpaTable, ingressesTable } from './tables/networking.js';
import { nodesTable } from './tables/nodes.js';
import { podsTable } from './tables/pods.js';
import { endpointSlicesTable, endpointsTable, servicesTable } from './tables/services.js';
import { persistentVolumeClaimsTable, persistentVolumesTable, storageClassesTable } from './tables/storage.js';
import { layoutTable, sanitizeCell } from './tabwriter.js';

export interface TableOptions {
  wide?: boolean;
  noHeaders?: boolean;
  showLabels?: boolean;
  labelColumns?: string[];
  allNamespaces?: boolean;
  withKind?: boolean;
  /** --server-print=false: kubectl's own printer for objects without a server Table (NAME AGE) */
  clientSide?: boolean;
  now: number;
}

/**
 * The column set and row printer of a kind (dispatch by def.kind; NAME AGE for anything else).
 * Cells are computed as the API server does (always with Wide=true); `-o wide` only decides which
 * columns show.
 */
export function tableFor(def: ResourceDef): KindTable {
  switch (def.kind) {
    case 'Pod':
      return podsTable;
    case 'Namespace':
      return namespacesTable;
    case 'Node':
      return nodesTable;
    case 'Event':
      return eventsTable;
    case 'Service':
      return servicesTable();
    case 'ConfigMap':
      return configMapsTable;
    case 'Secret':
      return secretsTable;
    case 'ServiceAccount':
      return serviceAccountsTable;
    case 'Deployment':
      return deploymentsTable;
    case 'ReplicaSet':
      return replicaSetsTable;
    case 'StatefulSet':
      return statefulSetsTable;
    case 'DaemonSet':
      return daemonSetsTable;
    case 'ControllerRevision':
      return controllerRevisionsTable;
    case 'ResourceQuota':
      return resourceQuotasTable;
    case 'LimitRange':
      return limitRangesTable;
    case 'Job':
      return jobsTable;
    case 'CronJob':
      return cronJobsTable;
    case 'Endpoints':
      return endpointsTable;
    case 'EndpointSlice':
      return endpointSlicesTable;
    case 'PersistentVolumeClaim':
      return persistentVolumeClaimsTable;
    case 'PersistentVolume':
      return persistentVolumesTable;
    case 'StorageClass':
      return storageClassesTable;
    case 'Ingress':
      return ingressesTable();
    case 'HorizontalPodAutoscaler':
      return hpaTable;
    default:
      return genericTable;
  }
}

const cellText = (c: Cell): string => (c === null || c === undefined ? '' : sanitizeCell(String(c)));

/** Header and rows (as text cells) of one resource type, decorated like the table printer. */
export function tableRows(def: ResourceDef, objects: KObj[], opts: TableOptions): { header: string[]; rows: string[][] } {
  const table = opts.clientSide ? genericTable : tableFor(def);
  const visible = table.columns.map((c) => Boolean(opts.wide) || !c.priority);
  const nameIdx = opts.withKind ? table.columns.findIndex((c) => c.isName) : -1;
  const withNs = Boolean(opts.allNamespaces) && def.namespaced;
  const labelCols = opts.labelColumns ?? [];
  const header: string[] = [];
  if (withNs) header.push('NAMESPACE');
  table.columns.forEach((c, i) => visible[i] && header.push(c.name.toUpperCase()));
  for (const l of labelCols) header.push((l.split('/').pop() ?? l).toUpperCase());
  if (opts.showLabels) header.push('LABELS');
  const rows = objects.map((obj) => {
    const cells = table.row(obj, opts.now);
    if (nameIdx >= 0) cells[nameIdx] = `${kindPrefix(def)}/${cells[nameIdx] ?? ''}`;
    const out: string[] = [];
    if (withNs) out.push(cellText(obj.metadata?.namespace ?? ''));
    cells.forEach((c, i) => i < visible.length && visible[i] && out.push(cellText(c)));
    const labels = (obj.metadata?.labels ?? {}) as Record<string, string>;
    for (const l of labelCols) out.push(cellText(labels[l] ?? ''));
    if (opts.showLabels) out.push(cellText(formatLabels(labels)));
    return out;
  });
  return { header, rows };
}

/**
 * One table per group (own header and widths); groups with no objects print nothing; a blank line
 * separates printed groups when headers are on. Returns '' when nothing is printed.
 */
export function printTableGroups(groups: Array<{ def: ResourceDef; objects: KObj[] }>, opts: TableOptions): string {
  let out = '';
  for (const g of groups) {
    if (!g.objects.length) continue;
    const { header, rows } = tableRows(g.def, g.objects, opts);
    // the cells are sanitized already (cellText)
    const text = layoutTable(opts.noHeaders ? rows : [header, ...rows], { raw: true });
    if (!text) continue;
    if (out && !opts.noHeaders) out += '\n';
    out += text;
  }
  return out;
}
