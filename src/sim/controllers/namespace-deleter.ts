// The namespace controller's deleter (pkg/controller/namespace/deletion): a namespace with a
// deletionTimestamp has all its content deleted through the ordinary paths (pods stop gracefully,
// finalizers hold what they hold, dependents go with their owners), its status conditions say what
// remains, and once nothing is left the `kubernetes` finalizer goes and so does the namespace.
import { allResources } from '../../api/registry.js';
import type { KObj } from '../../api/types.js';
import type { Cluster } from '../engine.js';
import { NAMESPACE } from '../keys.js';

const TYPES = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;

const OK: Record<string, [string, string]> = {
  NamespaceDeletionDiscoveryFailure: ['ResourcesDiscovered', 'All resources successfully discovered'],
  NamespaceDeletionGroupVersionParsingFailure: ['ParsedGroupVersions', 'All legacy kube types successfully parsed'],
  NamespaceDeletionContentFailure: ['ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
  NamespaceContentRemaining: ['ContentRemoved', 'All content successfully removed'],
  NamespaceFinalizersRemaining: ['ContentHasNoFinalizers', 'All content-preserving finalizers finished'],
};

const key = (name: string) => `namespaces//${name}`;

/** The namespace's conditions after a pass (namespaceConditionUpdater.Update: a changed status moves its time). */
function conditions(c: Cluster, old: KObj[], remaining: Map<string, number>, finalizers: Map<string, number>): KObj[] {
  const fresh: Record<string, [string, string, string]> = {};
  if (remaining.size) {
    const list = [...remaining].map(([r, n]) => `${r} has ${n} resource instances`).sort();
    fresh.NamespaceContentRemaining = ['True', 'SomeResourcesRemain', `Some resources are remaining: ${list.join(', ')}`];
  }
  if (finalizers.size) {
    const list = [...finalizers].map(([f, n]) => `${f} in ${n} resource instances`).sort();
    fresh.NamespaceFinalizersRemaining = ['True', 'SomeFinalizersRemain', `Some content in the namespace has finalizers remaining: ${list.join(', ')}`];
  }
  return TYPES.map((type) => {
    const [status, reason, message] = fresh[type] ?? ['False', ...OK[type]];
    const prev = old.find((x) => x.type === type);
    const same = prev && prev.status === status && prev.reason === reason && prev.message === message;
    return same ? prev : { lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : c.isoNow(), message, reason, status, type };
  });
}

/** namespaceDeletionGracePeriod: the controller looks at a deleted namespace this long after the event. */
export const NAMESPACE_DELETION_GRACE_MS = 5000;
/** finalizerEstimateSeconds: how long content held by finalizers is expected to take. */
const FINALIZER_ESTIMATE_S = 15;

export function finalizeNamespace(c: Cluster, name: string): void {
  const ns = c.api.peek(NAMESPACE, undefined, name);
  if (!ns || !ns.metadata.deletionTimestamp) return;
  const deletedAt = Date.parse(ns.metadata.deletionTimestamp);
  const remaining = new Map<string, number>();
  const finalizers = new Map<string, number>();
  let estimate = 0;
  for (const def of allResources()) {
    if (!def.namespaced) continue;
    for (const o of [...c.api.list(def, name)]) {
      if (!o.metadata.deletionTimestamp) {
        try {
          c.api.delete(def, name, o.metadata.name, { propagationPolicy: 'Background' });
        } catch {
          /* gone meanwhile */
        }
      }
    }
    const left = c.api.list(def, name);
    if (!left.length) continue;
    remaining.set(`${def.plural}.${def.group}`, left.length);
    let held = false;
    for (const o of left) {
      for (const f of o.metadata.finalizers ?? []) {
        finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
        held = true;
      }
    }
    // estimateGracefulTermination: the longest grace of the pods, unless that much has passed already
    let est = 0;
    if (def.kind === 'Pod') {
      for (const p of left) if (!['Succeeded', 'Failed'].includes(p.status?.phase)) est = Math.max(est, Number(p.spec?.terminationGracePeriodSeconds ?? 30));
      if (c.now() - deletedAt >= est * 1000) est = 0;
    }
    if (!est && held) est = FINALIZER_ESTIMATE_S;
    estimate = Math.max(estimate, est);
  }
  if (!remaining.size) {
    c.api.remove(NAMESPACE, undefined, name);
    return;
  }
  const conds = conditions(c, ns.status?.conditions ?? [], remaining, finalizers);
  if (JSON.stringify(conds) !== JSON.stringify(ns.status?.conditions ?? [])) {
    const updated = structuredClone(ns);
    updated.status = { ...updated.status, conditions: conds };
    c.api.write(NAMESPACE, updated);
  }
  // ResourcesRemainingError: requeued after estimate/2+1 s; content left without an estimate is retried soon
  const delay = estimate > 0 ? (Math.floor(estimate / 2) + 1) * 1000 : 1000;
  if (!c.hasTimer(key(name), 'namespace-finalize')) c.schedule(delay, 'namespace-finalize', key(name));
}
