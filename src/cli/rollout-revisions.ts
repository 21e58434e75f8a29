// The revisions of a workload as kubectl's history viewers and rollbackers read them: a
// Deployment's ReplicaSets (deploymentutil.GetAllReplicaSets: selected by the selector and
// controlled by the deployment, revision annotation), a StatefulSet's or DaemonSet's
// ControllerRevisions.
import { CliError } from '../api/errors.js';
import { resourceForKind } from '../api/registry.js';
import type { KObj, ResourceDef } from '../api/types.js';
import { selectorMatches } from '../printers/describe/workloads.js';
import type { Cluster } from '../sim/engine.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const CHANGE_CAUSE = 'kubernetes.io/change-cause';

export interface Revision {
  revision: number;
  /** the ReplicaSet or ControllerRevision */
  source: KObj;
  template: KObj;
  changeCause?: string;
}

const controlledBy = (o: KObj, owner: KObj) => ((o.metadata?.ownerReferences ?? []) as KObj[]).some((r) => r.controller === true && r.uid === owner.metadata?.uid);

function def(apiVersion: string, kind: string): ResourceDef {
  return resourceForKind(apiVersion, kind) as ResourceDef;
}

function byCreation(a: KObj, b: KObj): number {
  const ta = String(a.metadata?.creationTimestamp ?? '');
  const tb = String(b.metadata?.creationTimestamp ?? '');
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** The ReplicaSets a Deployment owns, oldest first. */
export function ownedReplicaSets(c: Cluster, dep: KObj): KObj[] {
  const rsDef = def('apps/v1', 'ReplicaSet');
  return c.api
    .list(rsDef, dep.metadata.namespace)
    .filter((rs) => selectorMatches(dep.spec?.selector, rs.metadata?.labels) && controlledBy(rs, dep))
    .sort(byCreation);
}

/** deploymentutil.Revision: the annotation as an int64; 0 when absent; undefined when unreadable. */
export function revisionOf(obj: KObj): number | undefined {
  const text = obj.metadata?.annotations?.[REVISION_ANNOTATION];
  if (text === undefined) return 0;
  return /^[+-]?\d+$/.test(text) ? Number.parseInt(text, 10) : undefined;
}

/** The ControllerRevisions a StatefulSet or DaemonSet controls. */
export function ownedControllerRevisions(c: Cluster, owner: KObj): KObj[] {
  const crDef = def('apps/v1', 'ControllerRevision');
  return c.api.list(crDef, owner.metadata.namespace).filter((cr) => selectorMatches(owner.spec?.selector, cr.metadata?.labels) && controlledBy(cr, owner));
}

/** The owner as it was at a ControllerRevision: its data (a strategic patch of spec.template) applied. */
export function appliedRevision(owner: KObj, cr: KObj): KObj {
  const copy = structuredClone(owner);
  const tpl = cr.data?.spec?.template;
  if (tpl) {
    const t = structuredClone(tpl);
    delete t.$patch;
    copy.spec = { ...(copy.spec ?? {}), template: t };
  }
  return copy;
}

/** Every revision of a workload, by kind; undefined when kubectl has no history viewer for it. */
export function revisionsOf(c: Cluster, obj: KObj): Revision[] | undefined {
  if (obj.kind === 'Deployment') {
    const out = new Map<number, Revision>();
    for (const rs of ownedReplicaSets(c, obj)) {
      const r = revisionOf(rs);
      if (r === undefined) continue;
      out.set(r, { revision: r, source: rs, template: structuredClone(rs.spec?.template ?? {}), changeCause: rs.metadata?.annotations?.[CHANGE_CAUSE] });
    }
    return [...out.values()].sort((a, b) => a.revision - b.revision);
  }
  if (obj.kind === 'StatefulSet' || obj.kind === 'DaemonSet') {
    const out = new Map<number, Revision>();
    for (const cr of ownedControllerRevisions(c, obj)) {
      const r = Number(cr.revision ?? 0);
      out.set(r, { revision: r, source: cr, template: appliedRevision(obj, cr).spec?.template ?? {}, changeCause: cr.metadata?.annotations?.[CHANGE_CAUSE] });
    }
    return [...out.values()].sort((a, b) => a.revision - b.revision);
  }
  return undefined;
}

/** GroupKind.String(): `Pod`, `ReplicaSet.apps`. */
export function groupKind(d: ResourceDef): string {
  return d.group ? `${d.kind}.${d.group}` : d.kind;
}

/** Kinds kubectl's apps.GroupKindElement knows (others have no visitor method at all). */
const VISITABLE = new Set(['DaemonSet', 'Deployment', 'Job', 'Pod', 'ReplicaSet', 'ReplicationController', 'StatefulSet', 'CronJob']);

/** The error of HistoryViewerFor / RollbackerFor for a kind without one (`what`: history viewer, rollbacker). */
export function noViewerError(d: ResourceDef, what: 'history viewer' | 'rollbacker'): CliError {
  if (!VISITABLE.has(d.kind)) {
    const retrieving = what === 'history viewer' ? 'history' : 'rollbacker';
    return new CliError(`error retrieving ${retrieving} for "${groupKind(d)}", no visitor method exists for {${d.group} ${d.kind}}`);
  }
  return new CliError(`no ${what} has been implemented for "${groupKind(d)}"`);
}
