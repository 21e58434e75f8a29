// Dynamic provisioning by the cluster's storage provisioner: minikube's storage-provisioner
// (`k8s.io/minikube-hostpath`, a hostPath directory under /tmp/hostpath-provisioner/NS/CLAIM) or
// kind's local-path-provisioner (`rancher.io/local-path`, /var/local-path-provisioner/pvc-UID_NS_CLAIM
// on the node the scheduler picked, with node affinity to it), with the events they record on the
// claim; and the deleter for reclaim policy Delete.
import type { KObj } from '../../api/types.js';
import type { Cluster } from '../engine.js';
import { recordEvent } from '../events.js';
import { POD } from '../keys.js';
import { PV, PVC, STORAGE_CLASS } from './storage-keys.js';

export const MINIKUBE_PROVISIONER = 'k8s.io/minikube-hostpath';
export const LOCAL_PATH_PROVISIONER = 'rancher.io/local-path';
export const SELECTED_NODE = 'volume.kubernetes.io/selected-node';

interface Identity {
  source: string;
  uid: string;
}

/** The provisioner's identity: its pod's name and a per-process id (the pod's uid stands in for it). */
function identity(c: Cluster, provisioner: string): Identity | undefined {
  const memoKey = `provisioner/${provisioner}`;
  const cached = c.memo.get(memoKey) as Identity | undefined;
  if (cached) return cached;
  let pod: KObj | undefined;
  if (provisioner === MINIKUBE_PROVISIONER) pod = c.api.peek(POD, 'kube-system', 'storage-provisioner');
  else if (provisioner === LOCAL_PATH_PROVISIONER) pod = c.api.list(POD, 'local-path-storage').find((p) => p.metadata.name.startsWith('local-path-provisioner-'));
  if (!pod) return undefined;
  const host = provisioner === MINIKUBE_PROVISIONER ? pod.spec?.nodeName ?? 'minikube' : pod.metadata.name;
  const id = { source: `${provisioner}_${host}_${pod.metadata.uid}`, uid: pod.metadata.uid };
  c.memo.set(memoKey, id);
  return id;
}

export function canProvision(provisioner: string): boolean {
  return provisioner === MINIKUBE_PROVISIONER || provisioner === LOCAL_PATH_PROVISIONER;
}

/** Provisions a volume for the claim (already checked: unbound, its class's provisioner is ours). */
export function provision(c: Cluster, claim: KObj, sc: KObj, announce = true): KObj | undefined {
  const prov: string = sc.provisioner;
  const id = identity(c, prov);
  if (!id) return undefined; // the provisioner is not running: the claim waits
  const ns = claim.metadata.namespace;
  const name = claim.metadata.name;
  const src = { component: id.source };
  if (announce) announceProvisioning(c, claim, sc);
  const pvName = `pvc-${claim.metadata.uid}`;
  const node = claim.metadata.annotations?.[SELECTED_NODE];
  const local = prov === LOCAL_PATH_PROVISIONER;
  if (local && !node) return undefined;
  const annotations: Record<string, string> = local
    ? { 'local.path.provisioner/selected-node': node!, 'pv.kubernetes.io/provisioned-by': prov }
    : { hostPathProvisionerIdentity: id.uid, 'pv.kubernetes.io/provisioned-by': prov };
  const spec: KObj = {
    accessModes: claim.spec.accessModes,
    capacity: { storage: claim.spec.resources?.requests?.storage },
    claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name, namespace: ns, resourceVersion: claim.metadata.resourceVersion, uid: claim.metadata.uid },
    hostPath: local ? { path: `/var/local-path-provisioner/${pvName}_${ns}_${name}`, type: 'DirectoryOrCreate' } : { path: `/tmp/hostpath-provisioner/${ns}/${name}`, type: '' },
    persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
    storageClassName: sc.metadata.name,
    volumeMode: claim.spec.volumeMode ?? 'Filesystem',
  };
  if (local) spec.nodeAffinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } };
  let pv: KObj;
  try {
    pv = c.api.create(PV, { metadata: { name: pvName, annotations, finalizers: ['kubernetes.io/pv-protection'] }, spec });
  } catch {
    return undefined;
  }
  recordEvent(c, claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pvName}`, src);
  return pv;
}

/** The provisioner's `Provisioning` event (false when the provisioner is not running). */
export function announceProvisioning(c: Cluster, claim: KObj, sc: KObj): boolean {
  const id = identity(c, sc.provisioner);
  if (!id) return false;
  recordEvent(c, claim, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${claim.metadata.namespace}/${claim.metadata.name}"`, { component: id.source });
  return true;
}

/** The provisioner's refusal of a claim it cannot serve (sig-storage-lib's ProvisioningFailed). */
export function provisioningFailed(c: Cluster, claim: KObj, sc: KObj, reason: string): boolean {
  const id = identity(c, sc.provisioner);
  if (!id) return false;
  recordEvent(c, claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${sc.metadata.name}": ${reason}`, { component: id.source });
  return true;
}

/** local-path makes the directory with a helper pod on the node: the volume comes a few seconds later. */
export const LOCAL_PATH_DELAY_MS = 3000;

/** Where a volume's files live: the node and the directory (hostPath or local volumes). */
export function volumeDisk(c: Cluster, pv: KObj): { node: string; path: string } | undefined {
  const path: string | undefined = pv.spec?.hostPath?.path ?? pv.spec?.local?.path;
  if (!path) return undefined;
  const affinity = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0]?.matchExpressions?.find((e: KObj) => e.key === 'kubernetes.io/hostname');
  const node = affinity?.values?.[0] ?? firstNode(c);
  return node ? { node, path: String(path).replace(/\/$/, '') } : undefined;
}

function firstNode(c: Cluster): string | undefined {
  const nodes = c.listAll('nodes').map((n) => n.metadata.name).sort();
  return nodes[0];
}

/** The deleter: a provisioned volume's directory is removed with the volume. */
export function deleteVolume(c: Cluster, pv: KObj): void {
  const disk = volumeDisk(c, pv);
  if (disk && canProvision(pv.metadata?.annotations?.['pv.kubernetes.io/provisioned-by'] ?? '')) {
    const files = c.state.nodeFiles?.[disk.node];
    if (files) for (const p of Object.keys(files)) if (p === disk.path || p.startsWith(`${disk.path}/`)) delete files[p];
  }
  try {
    c.api.delete(PV, undefined, pv.metadata.name);
  } catch {
    /* already gone */
  }
}

export function storageClassFor(c: Cluster, name: string): KObj | undefined {
  return name ? c.api.peek(STORAGE_CLASS, undefined, name) : undefined;
}

export { PVC };
