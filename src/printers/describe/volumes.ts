// Volumes section of describe (pods and pod templates).

import type { KObj } from '../../api/types.js';
import { goSprint } from '../gofmt.js';
import { canonicalQuantity, parseQuantity } from '../quantity.js';
import { accessModesString } from '../tables/storage.js';
import { b, byteSort, printAnnotationsMultiline, printLabelsMultiline, v } from './common.js';
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, NestedWriter, type Writer } from './writer.js';

/** A pointer printed with %v: `<nil>` when unset, else an address-like text (not reproducible). */
const ptr = (x: unknown) => (x === undefined || x === null ? '<nil>' : '0xc000012345');
/** %v of a struct pointer (e.g. SecretRef) — `<nil>` or `&{name}`. */
const refPtr = (x: KObj | undefined) => (x ? `&LocalObjectReference{Name:${v(x.name)},}` : '<nil>');
/** %v of a []string */
const list = (x: unknown) => `[${(Array.isArray(x) ? x : []).map(v).join(' ')}]`;

type Fields = Array<[string, string]>;

function typed(w: Writer, type: string, fields: Fields): void {
  w.write(LEVEL_2, `Type:\t${type}\n${fields.map(([k, val]) => `    ${k}\t${val}\n`).join('')}`);
}

const SIMPLE: Record<string, [string, (s: KObj) => Fields]> = {
  gcePersistentDisk: ['GCEPersistentDisk (a Persistent Disk resource in Google Compute Engine)', (s) => [['PDName:', v(s.pdName)], ['FSType:', v(s.fsType)], ['Partition:', String(s.partition ?? 0)], ['ReadOnly:', b(s.readOnly)]]],
  awsElasticBlockStore: ['AWSElasticBlockStore (a Persistent Disk resource in AWS)', (s) => [['VolumeID:', v(s.volumeID)], ['FSType:', v(s.fsType)], ['Partition:', String(s.partition ?? 0)], ['ReadOnly:', b(s.readOnly)]]],
  gitRepo: ['GitRepo (a volume that is pulled from git when the pod is created)', (s) => [['Repository:', v(s.repository)], ['Revision:', v(s.revision)]]],
  nfs: ['NFS (an NFS mount that lasts the lifetime of a pod)', (s) => [['Server:', v(s.server)], ['Path:', v(s.path)], ['ReadOnly:', b(s.readOnly)]]],
  glusterfs: ['Glusterfs (a Glusterfs mount on the host that shares a pod\'s lifetime)', (s) => [['EndpointsName:', v(s.endpoints)], ['Path:', v(s.path)], ['ReadOnly:', b(s.readOnly)]]],
  quobyte: ['Quobyte (a Quobyte mount on the host that shares a pod\'s lifetime)', (s) => [['Registry:', v(s.registry)], ['Volume:', v(s.volume)], ['ReadOnly:', b(s.readOnly)]]],
  vsphereVolume: ['vSphereVolume (a Persistent Disk resource in vSphere)', (s) => [['VolumePath:', v(s.volumePath)], ['FSType:', v(s.fsType)], ['StoragePolicyName:', v(s.storagePolicyName)]]],
  photonPersistentDisk: ['PhotonPersistentDisk (a Persistent Disk resource in photon platform)', (s) => [['PdID:', v(s.pdID)], ['FSType:', v(s.fsType)]]],
  portworxVolume: ['PortworxVolume (a Portworx Volume resource)', (s) => [['VolumeID:', v(s.volumeID)]]],
  cinder: ['Cinder (a Persistent Disk resource in OpenStack)', (s) => [['VolumeID:', v(s.volumeID)], ['FSType:', v(s.fsType)], ['ReadOnly:', b(s.readOnly)], ['SecretRef:', refPtr(s.secretRef)]]],
  cephfs: ['CephFS (a CephFS mount on the host that shares a pod\'s lifetime)', (s) => [['Monitors:', list(s.monitors)], ['Path:', v(s.path)], ['User:', v(s.user)], ['SecretFile:', v(s.secretFile)], ['SecretRef:', refPtr(s.secretRef)], ['ReadOnly:', b(s.readOnly)]]],
  storageos: ['StorageOS (a StorageOS Persistent Disk resource)', (s) => [['VolumeName:', v(s.volumeName)], ['VolumeNamespace:', v(s.volumeNamespace)], ['FSType:', v(s.fsType)], ['ReadOnly:', b(s.readOnly)]]],
  fc: ['FC (a Fibre Channel disk)', (s) => [['TargetWWNs:', ((s.targetWWNs ?? []) as unknown[]).map(v).join(', ')], ['LUN:', s.lun === undefined || s.lun === null ? '<none>' : String(s.lun)], ['FSType:', v(s.fsType)], ['ReadOnly:', b(s.readOnly)]]],
  azureFile: ['AzureFile (an Azure File Service mount on the host and bind mount to the pod)', (s) => [['SecretName:', v(s.secretName)], ['ShareName:', v(s.shareName)], ['ReadOnly:', b(s.readOnly)]]],
  flexVolume: ['FlexVolume (a generic volume resource that is provisioned/attached using an exec based plugin)', (s) => [['Driver:', v(s.driver)], ['FSType:', v(s.fsType)], ['SecretRef:', refPtr(s.secretRef)], ['ReadOnly:', b(s.readOnly)], ['Options:', goSprint(s.options ?? {})]]],
  flocker: ['Flocker (a Flocker volume mounted by the Flocker agent)', (s) => [['DatasetName:', v(s.datasetName)], ['DatasetUUID:', v(s.datasetUUID)]]],
  image: ['Image (a container image or OCI artifact)', (s) => [['Reference:', v(s.reference)], ['PullPolicy:', v(s.pullPolicy)]]],
};

/** The claim part of a PVC description (ephemeral volume templates use it nested). */
export function printPersistentVolumeClaim(w: Writer, pvc: KObj, isFull: boolean, now: number, age: (ts: unknown) => string): void {
  const spec = pvc.spec ?? {};
  if (isFull) {
    w.write(LEVEL_0, `Name:\t${v(pvc.metadata?.name)}\n`);
    w.write(LEVEL_0, `Namespace:\t${v(pvc.metadata?.namespace)}\n`);
  }
  const annotations = pvc.metadata?.annotations ?? {};
  const cls = 'volume.beta.kubernetes.io/storage-class' in annotations ? annotations['volume.beta.kubernetes.io/storage-class'] : v(spec.storageClassName);
  w.write(LEVEL_0, `StorageClass:\t${cls}\n`);
  if (isFull) {
    if (pvc.metadata?.deletionTimestamp) w.write(LEVEL_0, `Status:\tTerminating (lasts ${age(pvc.metadata.deletionTimestamp)})\n`);
    else w.write(LEVEL_0, `Status:\t${v(pvc.status?.phase)}\n`);
  }
  w.write(LEVEL_0, `Volume:\t${v(spec.volumeName)}\n`);
  printLabelsMultiline(w, 'Labels', pvc.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', pvc.metadata?.annotations);
  if (isFull) w.write(LEVEL_0, `Finalizers:\t${list(pvc.metadata?.finalizers)}\n`);
  let capacity = '';
  let modes = '';
  if (spec.volumeName) {
    modes = accessModesString(pvc.status?.accessModes);
    capacity = canonicalQuantity(pvc.status?.capacity?.storage ?? '0');
  }
  w.write(LEVEL_0, `Capacity:\t${capacity}\n`);
  w.write(LEVEL_0, `Access Modes:\t${modes}\n`);
  if (spec.volumeMode) w.write(LEVEL_0, `VolumeMode:\t${v(spec.volumeMode)}\n`);
  if (spec.dataSource) {
    w.write(LEVEL_0, 'DataSource:\n');
    if (spec.dataSource.apiGroup !== undefined && spec.dataSource.apiGroup !== null) w.write(LEVEL_1, `APIGroup:\t${v(spec.dataSource.apiGroup)}\n`);
    w.write(LEVEL_1, `Kind:\t${v(spec.dataSource.kind)}\n`);
    w.write(LEVEL_1, `Name:\t${v(spec.dataSource.name)}\n`);
  }
  void now;
}

function printVolume(vol: KObj, w: Writer, now: number, age: (ts: unknown) => string): void {
  if (vol.hostPath) {
    const t = vol.hostPath.type;
    typed(w, 'HostPath (bare host directory volume)', [['Path:', v(vol.hostPath.path)], ['HostPathType:', t === undefined || t === null ? '<none>' : v(t)]]);
  } else if (vol.emptyDir) {
    const q = parseQuantity(vol.emptyDir.sizeLimit);
    typed(w, "EmptyDir (a temporary directory that shares a pod's lifetime)", [['Medium:', v(vol.emptyDir.medium)], ['SizeLimit:', q && q.nano > 0n ? canonicalQuantity(vol.emptyDir.sizeLimit) : '<unset>']]);
  } else if (vol.secret) {
    typed(w, 'Secret (a volume populated by a Secret)', [['SecretName:', v(vol.secret.secretName)], ['Optional:', b(vol.secret.optional === true)]]);
  } else if (vol.configMap) {
    typed(w, 'ConfigMap (a volume populated by a ConfigMap)', [['Name:', v(vol.configMap.name)], ['Optional:', b(vol.configMap.optional === true)]]);
  } else if (vol.persistentVolumeClaim) {
    typed(w, 'PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)', [['ClaimName:', v(vol.persistentVolumeClaim.claimName)], ['ReadOnly:', b(vol.persistentVolumeClaim.readOnly)]]);
  } else if (vol.ephemeral) {
    w.write(LEVEL_2, 'Type:\tEphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)\n');
    const tpl = vol.ephemeral.volumeClaimTemplate;
    if (tpl) printPersistentVolumeClaim(new NestedWriter(w, LEVEL_2), { metadata: tpl.metadata ?? {}, spec: tpl.spec ?? {} }, false, now, age);
  } else if (vol.downwardAPI) {
    w.write(LEVEL_2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n');
    for (const m of (vol.downwardAPI.items ?? []) as KObj[]) {
      if (m.fieldRef) w.write(LEVEL_3, `${v(m.fieldRef.fieldPath)} -> ${v(m.path)}\n`);
      if (m.resourceFieldRef) w.write(LEVEL_3, `${v(m.resourceFieldRef.resource)} -> ${v(m.path)}\n`);
    }
  } else if (vol.projected) {
    w.write(LEVEL_2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
    for (const s of (vol.projected.sources ?? []) as KObj[]) {
      if (s.secret) w.write(LEVEL_2, `SecretName:\t${v(s.secret.name)}\n    SecretOptionalName:\t${ptr(s.secret.optional)}\n`);
      else if (s.downwardAPI) w.write(LEVEL_2, 'DownwardAPI:\ttrue\n');
      else if (s.configMap) w.write(LEVEL_2, `ConfigMapName:\t${v(s.configMap.name)}\n    ConfigMapOptional:\t${ptr(s.configMap.optional)}\n`);
      else if (s.serviceAccountToken) w.write(LEVEL_2, `TokenExpirationSeconds:\t${String(s.serviceAccountToken.expirationSeconds ?? 0)}\n`);
    }
  } else if (vol.csi) {
    typed(w, 'CSI (a Container Storage Interface (CSI) volume source)', [['Driver:', v(vol.csi.driver)], ['FSType:', v(vol.csi.fsType)], ['ReadOnly:', b(vol.csi.readOnly === true)]]);
    const attrs = (vol.csi.volumeAttributes ?? {}) as Record<string, unknown>;
    w.write(LEVEL_2, 'VolumeAttributes:\t');
    const keys = Object.keys(attrs).sort(byteSort);
    if (!keys.length) w.writeLine('<none>');
    keys.forEach((k, i) => {
      if (i !== 0) {
        w.write(LEVEL_2, '');
        w.write(LEVEL_2, '\t');
      }
      const line = `${k}=${v(attrs[k])}`;
      w.write(LEVEL_2, Buffer.byteLength(line) > 140 ? `${Buffer.from(line).subarray(0, 140).toString()}...\n` : `${line}\n`);
    });
  } else {
    const key = Object.keys(SIMPLE).find((k) => vol[k]);
    if (key) typed(w, SIMPLE[key][0], SIMPLE[key][1](vol[key]));
    else w.write(LEVEL_1, '<unknown>\n');
  }
}

/** describeVolumes: `Volumes:\t<none>` or `Volumes:` + one block per volume. */
export function describeVolumes(volumes: KObj[] | undefined, w: Writer, space: string, now: number, age: (ts: unknown) => string): void {
  const vols = volumes ?? [];
  if (!vols.length) {
    w.write(LEVEL_0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(LEVEL_0, `${space}Volumes:\n`);
  for (const vol of vols) {
    w.write(LEVEL_1, `${space ? ' ' : ''}${v(vol.name)}:\n`);
    printVolume(vol, w, now, age);
  }
}
