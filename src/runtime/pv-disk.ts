// Node directories behind a pod's volumes: a hostPath volume's path on the pod's node, and a
// persistentVolumeClaim's bound volume (hostPath or local, as the cluster's provisioners make them)
// on the node its affinity names, else the pod's node. Files there outlive the pod (the PV's disk).
import { resourceForKind } from '../api/registry.js';
import type { KObj } from '../api/types.js';
import type { Cluster } from '../sim/engine.js';

const PVC = resourceForKind('v1', 'PersistentVolumeClaim')!;
const PV = resourceForKind('v1', 'PersistentVolume')!;

export interface HostDir {
  node: string;
  path: string;
  readOnly: boolean;
}

export function hostDir(c: Cluster, pod: KObj, v: KObj): HostDir | undefined {
  const podNode: string = pod.spec?.nodeName ?? '';
  if (v.hostPath) return { node: podNode, path: String(v.hostPath.path).replace(/\/$/, ''), readOnly: false };
  const claimName = v.persistentVolumeClaim?.claimName ?? (v.ephemeral ? `${pod.metadata.name}-${v.name}` : undefined);
  if (!claimName) return undefined;
  const claim = c.api.peek(PVC, pod.metadata.namespace, claimName);
  const pv = claim?.spec?.volumeName ? c.api.peek(PV, undefined, claim.spec.volumeName) : undefined;
  const path: string | undefined = pv?.spec?.hostPath?.path ?? pv?.spec?.local?.path;
  if (!pv || !path) return undefined;
  const affinity = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0]?.matchExpressions?.find((e: KObj) => e.key === 'kubernetes.io/hostname');
  return { node: affinity?.values?.[0] ?? podNode, path: String(path).replace(/\/$/, ''), readOnly: v.persistentVolumeClaim?.readOnly === true || v.ephemeral?.readOnly === true };
}
