// The scheduler's VolumeBinding plugin: PreFilter (the pod's claims exist, are not being deleted,
// and are bound unless their class waits for the first consumer), Filter (a bound volume's node
// affinity) and PreBind (a delayed-binding claim gets the chosen node and is provisioned there).
import type { KObj } from '../../api/types.js';
import { storageClassOf } from '../../api/defaults/storage.js';
import type { Cluster } from '../engine.js';
import { SELECTED_NODE, storageClassFor } from './provisioner.js';
import { syncClaimNow } from './pv-binder.js';
import { PV, PVC } from './storage-keys.js';
import { POD } from '../keys.js';

function claimsOf(pod: KObj): string[] {
  return ((pod.spec?.volumes ?? []) as KObj[])
    .map((v) => v.persistentVolumeClaim?.claimName ?? (v.ephemeral ? `${pod.metadata.name}-${v.name}` : undefined))
    .filter((n): n is string => Boolean(n));
}

const isEphemeral = (pod: KObj, name: string) => ((pod.spec?.volumes ?? []) as KObj[]).some((v) => v.ephemeral && `${pod.metadata.name}-${v.name}` === name);

const delayed = (c: Cluster, claim: KObj) => storageClassFor(c, storageClassOf(claim))?.volumeBindingMode === 'WaitForFirstConsumer';

/** PreFilter: the reason no node can take the pod, or undefined. */
export function volumePreFilter(c: Cluster, pod: KObj): string | undefined {
  let unboundImmediate = false;
  for (const name of claimsOf(pod)) {
    const claim = c.api.peek(PVC, pod.metadata.namespace, name);
    if (!claim) return isEphemeral(pod, name) ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${name}"` : `persistentvolumeclaim "${name}" not found`;
    if (claim.metadata.deletionTimestamp) return `persistentvolumeclaim "${name}" is being deleted`;
    if (claim.spec?.volumeName) continue;
    if (!delayed(c, claim)) unboundImmediate = true;
  }
  return unboundImmediate ? 'pod has unbound immediate PersistentVolumeClaims' : undefined;
}

function nodeMatchesTerms(node: KObj, terms: KObj[]): boolean {
  const labels: Record<string, string> = node.metadata?.labels ?? {};
  return terms.some((t) =>
    ((t.matchExpressions ?? []) as KObj[]).every((e) => {
      const v = labels[e.key];
      if (e.operator === 'In') return v !== undefined && (e.values ?? []).includes(v);
      if (e.operator === 'NotIn') return v === undefined || !(e.values ?? []).includes(v);
      if (e.operator === 'Exists') return v !== undefined;
      if (e.operator === 'DoesNotExist') return v === undefined;
      return false;
    }),
  );
}

/** Filter: a bound volume restricted to other nodes rules this node out. */
export function volumeNodeConflict(c: Cluster, pod: KObj, node: KObj): string | undefined {
  for (const name of claimsOf(pod)) {
    const claim = c.api.peek(PVC, pod.metadata.namespace, name);
    const pvName = claim?.spec?.volumeName;
    if (!pvName) continue;
    const terms = c.api.peek(PV, undefined, pvName)?.spec?.nodeAffinity?.required?.nodeSelectorTerms;
    if (terms?.length && !nodeMatchesTerms(node, terms)) return 'node(s) had volume node affinity conflict';
  }
  return undefined;
}

/** PreBind: delayed claims are given the node and provisioned; true when every claim is bound. */
export function volumesBound(c: Cluster, pod: KObj, nodeName: string): boolean {
  let all = true;
  for (const name of claimsOf(pod)) {
    let claim = c.api.peek(PVC, pod.metadata.namespace, name);
    if (!claim) return false;
    if (claim.spec?.volumeName) continue;
    if (!claim.metadata.annotations?.[SELECTED_NODE]) {
      const next = structuredClone(claim);
      next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [SELECTED_NODE]: nodeName };
      c.api.write(PVC, next);
    }
    syncClaimNow(c, pod.metadata.namespace, name);
    claim = c.api.peek(PVC, pod.metadata.namespace, name);
    if (!claim?.spec?.volumeName) all = false;
  }
  return all;
}

/** Unscheduled pods of the claim's namespace that use it (retried when it appears or binds). */
export function podsWaitingForClaim(c: Cluster, claim: KObj): KObj[] {
  return c.api
    .list(POD, claim.metadata.namespace)
    .filter((p) => !p.spec?.nodeName && !p.metadata.deletionTimestamp && claimsOf(p).includes(claim.metadata.name))
    .filter((p) => (p.status?.conditions ?? []).some((x: KObj) => x.reason === 'Unschedulable'));
}
