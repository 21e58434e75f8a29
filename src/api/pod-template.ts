// Pod templates as the Deployment machinery compares them: deploymentutil.EqualIgnoreHash, used by
// the controller (which ReplicaSet is new), describe (NewReplicaSet) and rollout undo (skipped
// rollback) alike, so the three can never disagree.
import type { KObj } from './types.js';

/** The label a Deployment's ReplicaSets and pods carry their template's hash in. */
export const HASH_LABEL = 'pod-template-hash';

/** Zero values and empty collections dropped, as apimachinery's semantic equality treats nil and empty alike. */
function normalize(x: unknown): unknown {
  if (Array.isArray(x)) return x.length ? x.map(normalize) : undefined;
  if (x && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(x).sort()) {
      const n = normalize((x as Record<string, unknown>)[k]);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return x === null ? undefined : x;
}

/** Comparable text of a template without its hash label (stored objects are replaced, never edited: cached by identity). */
const keys = new WeakMap<KObj, string>();

function templateKey(t: KObj | undefined): string {
  if (!t) return 'null';
  let k = keys.get(t);
  if (k === undefined) {
    const c = structuredClone(t);
    if (c.metadata?.labels) delete c.metadata.labels[HASH_LABEL];
    k = JSON.stringify(normalize(c) ?? null);
    keys.set(t, k);
  }
  return k;
}

/** EqualIgnoreHash: two pod templates are the same apart from the pod-template-hash label. */
export function equalIgnoreHash(a: KObj | undefined, b: KObj | undefined): boolean {
  return templateKey(a) === templateKey(b);
}
