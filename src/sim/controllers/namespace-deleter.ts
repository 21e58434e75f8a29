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

export function finalizeNamespace(c: Cluster, name: string): void {
  (c.memo.get('ns/pending') as Set<string> | undefined)?.delete(name);
  const ns = c.api.peek(NAMESPACE, undefined, name);
  if (!ns || !ns.metadata.deletionTimestamp) return;
  const remaining = new Map<string, number>();
  const finalizers = new Map<string, number>();
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
    for (const o of c.api.list(def, name)) {
      const r = `${def.plural}.${def.group}`;
      remaining.set(r, (remaining.get(r) ?? 0) + 1);
      for (const f of o.metadata.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
    }
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
  // objects held only by finalizers or slow to stop are looked at again now and then
  if (!c.hasTimer(key(name), 'namespace-finalize')) c.schedule(15_000, 'namespace-finalize', key(name));
}

/** Something in a terminating namespace went away: the deleter looks again. */
export function namespaceContentGone(c: Cluster, obj: KObj): void {
  const nsName = obj.metadata?.namespace;
  if (!nsName || obj.kind === 'Event') return;
  const ns = c.api.peek(NAMESPACE, undefined, nsName);
  if (!ns?.metadata.deletionTimestamp) return;
  const pending = (c.memo.get('ns/pending') as Set<string> | undefined) ?? new Set<string>();
  c.memo.set('ns/pending', pending);
  if (pending.has(nsName)) return;
  pending.add(nsName);
  c.schedule(0, 'namespace-finalize', key(nsName));
}
