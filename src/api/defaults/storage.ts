// Storage kinds: defaults (SetDefaults_PersistentVolume/Claim, StorageClass), the DefaultStorageClass
// admission plugin (a claim without a class gets the default one) and validation texts.
import type { Cause } from '../errors.js';
import type { KObj } from '../types.js';
import { parseQuantity } from '../quantity.js';
import { q } from '../validation/names.js';

export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
const BETA_DEFAULT_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';
const BETA_CLASS = 'volume.beta.kubernetes.io/storage-class';

/** The default StorageClass: the newest class annotated as default (admission's choice). */
export function defaultStorageClass(classes: KObj[]): KObj | undefined {
  const defaults = classes.filter((sc) => {
    const a = sc.metadata?.annotations ?? {};
    return a[DEFAULT_CLASS_ANNOTATION] === 'true' || a[BETA_DEFAULT_CLASS_ANNOTATION] === 'true';
  });
  defaults.sort((a, b) => (a.metadata.creationTimestamp > b.metadata.creationTimestamp ? -1 : a.metadata.creationTimestamp < b.metadata.creationTimestamp ? 1 : a.metadata.name < b.metadata.name ? -1 : 1));
  return defaults[0];
}

/** The class a claim or volume asks for: the beta annotation wins over spec.storageClassName. */
export function storageClassOf(o: KObj): string {
  const a = o.metadata?.annotations ?? {};
  if (BETA_CLASS in a) return String(a[BETA_CLASS]);
  return o.spec?.storageClassName ?? '';
}

export function defaultPersistentVolumeClaim(pvc: KObj, classes: KObj[]): void {
  const spec = (pvc.spec ??= {});
  spec.volumeMode ??= 'Filesystem';
  const annotated = BETA_CLASS in (pvc.metadata?.annotations ?? {});
  if (spec.storageClassName === undefined && !annotated) {
    const def = defaultStorageClass(classes);
    if (def) spec.storageClassName = def.metadata.name;
  }
  if (!spec.resources) spec.resources = {};
  addFinalizer(pvc, 'kubernetes.io/pvc-protection');
  pvc.status = { phase: 'Pending' };
}

export function defaultPersistentVolume(pv: KObj): void {
  const spec = (pv.spec ??= {});
  spec.persistentVolumeReclaimPolicy ??= 'Retain';
  spec.volumeMode ??= 'Filesystem';
  if (spec.hostPath) spec.hostPath.type ??= '';
  addFinalizer(pv, 'kubernetes.io/pv-protection');
  pv.status = { phase: 'Pending' };
}

/** The StorageObjectInUseProtection admission plugin's finalizer. */
function addFinalizer(o: KObj, f: string): void {
  const meta = (o.metadata ??= {});
  const list: string[] = Array.isArray(meta.finalizers) ? meta.finalizers : [];
  if (!list.includes(f)) meta.finalizers = [...list, f];
}

export function defaultStorageClassObject(sc: KObj): void {
  sc.reclaimPolicy ??= 'Delete';
  sc.volumeBindingMode ??= 'Immediate';
}

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

function accessModes(modes: unknown, field: string, required: string): Cause[] {
  const list = Array.isArray(modes) ? modes : [];
  if (!list.length) return [{ field, message: required }];
  const out: Cause[] = [];
  for (const m of list) if (!ACCESS_MODES.includes(String(m))) out.push({ field, message: `Unsupported value: ${q(String(m))}: supported values: ${ACCESS_MODES.map(q).join(', ')}` });
  if (list.includes('ReadWriteOncePod') && list.length > 1) out.push({ field, message: `Forbidden: may not use ReadWriteOncePod with other access modes` });
  return out;
}

function volumeMode(mode: unknown, field: string): Cause[] {
  if (mode === undefined || mode === 'Filesystem' || mode === 'Block') return [];
  return [{ field, message: `Unsupported value: ${q(String(mode))}: supported values: "Block", "Filesystem"` }];
}

/** ValidatePersistentVolumeClaimSpec (the parts a tutorial meets). */
export function validateClaimSpec(spec: KObj | undefined, path: string): Cause[] {
  const s = spec ?? {};
  const out = accessModes(s.accessModes, `${path}.accessModes`, 'Required value: at least 1 access mode is required');
  const storage = s.resources?.requests?.storage;
  if (storage === undefined || storage === null) out.push({ field: `${path}.resources[storage]`, message: 'Required value' });
  else if (/^-/.test(String(storage))) out.push({ field: `${path}.resources[storage]`, message: `Invalid value: "${storage}": must be greater than zero` });
  else if (/^0+(\.0*)?[a-zA-Z]*$/.test(String(storage))) out.push({ field: `${path}.resources[storage]`, message: `Invalid value: "${storage}": must be greater than zero` });
  out.push(...volumeMode(s.volumeMode, `${path}.volumeMode`));
  return out;
}

export function validatePersistentVolumeClaim(pvc: KObj): Cause[] {
  return validateClaimSpec(pvc.spec, 'spec');
}

/** A bound claim's spec is immutable except the storage request (and the attributes class). */
export function validatePersistentVolumeClaimUpdate(pvc: KObj, old: KObj): Cause[] {
  const out = validatePersistentVolumeClaim(pvc);
  const strip = (s: KObj | undefined) => {
    const c = structuredClone(s ?? {});
    delete c.volumeAttributesClassName;
    if (c.resources?.requests) delete c.resources.requests.storage;
    // the PV controller fills volumeName on binding; a client may send it back
    if (!old.spec?.volumeName) delete c.volumeName;
    return JSON.stringify(sortKeys(c));
  };
  const want = parseQuantity(pvc.spec?.resources?.requests?.storage);
  const cap = parseQuantity(old.status?.capacity?.storage);
  if (old.spec?.volumeName && want && cap && want.nano < cap.nano) {
    out.push({ field: 'spec.resources.requests.storage', message: 'Forbidden: field can not be less than status.capacity' });
  }
  if (strip(pvc.spec) !== strip(old.spec)) {
    out.push({ field: 'spec', message: 'Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims' });
  }
  return out;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as KObj)[k])]));
  return v;
}

const VOLUME_SOURCES = ['hostPath', 'local', 'nfs', 'csi', 'iscsi', 'fc', 'gcePersistentDisk', 'awsElasticBlockStore', 'azureDisk', 'azureFile', 'cephfs', 'cinder', 'rbd', 'glusterfs', 'flexVolume', 'vsphereVolume', 'portworxVolume', 'scaleIO', 'storageos', 'photonPersistentDisk', 'quobyte', 'flocker'];

export function validatePersistentVolume(pv: KObj): Cause[] {
  const s = pv.spec ?? {};
  const out = accessModes(s.accessModes, 'spec.accessModes', 'Required value');
  if (!s.capacity || !Object.keys(s.capacity).length) out.push({ field: 'spec.capacity', message: 'Required value' });
  else if (s.capacity.storage === undefined) out.push({ field: 'spec.capacity', message: `Unsupported value: core.ResourceName("${Object.keys(s.capacity)[0]}"): supported values: "storage"` });
  const sources = VOLUME_SOURCES.filter((k) => s[k]);
  if (!sources.length) out.push({ field: 'spec', message: 'Required value: must specify a volume type' });
  else if (sources.length > 1) out.push({ field: `spec.${sources[1]}`, message: 'Forbidden: may not specify more than 1 volume type' });
  if (s.hostPath && !s.hostPath.path) out.push({ field: 'spec.hostPath.path', message: 'Required value' });
  const policies = ['Delete', 'Recycle', 'Retain'];
  if (s.persistentVolumeReclaimPolicy && !policies.includes(s.persistentVolumeReclaimPolicy)) {
    out.push({ field: 'spec.persistentVolumeReclaimPolicy', message: `Unsupported value: ${q(s.persistentVolumeReclaimPolicy)}: supported values: ${policies.map(q).join(', ')}` });
  }
  out.push(...volumeMode(s.volumeMode, 'spec.volumeMode'));
  return out;
}

export function validateStorageClass(sc: KObj): Cause[] {
  const out: Cause[] = [];
  if (!sc.provisioner) out.push({ field: 'provisioner', message: 'Required value' });
  const policies = ['Delete', 'Retain'];
  if (sc.reclaimPolicy && !policies.includes(sc.reclaimPolicy)) out.push({ field: 'reclaimPolicy', message: `Unsupported value: ${q(sc.reclaimPolicy)}: supported values: ${policies.map(q).join(', ')}` });
  const modes = ['Immediate', 'WaitForFirstConsumer'];
  if (sc.volumeBindingMode && !modes.includes(sc.volumeBindingMode)) out.push({ field: 'volumeBindingMode', message: `Unsupported value: ${q(sc.volumeBindingMode)}: supported values: ${modes.map(q).join(', ')}` });
  return out;
}

export function validateStorageClassUpdate(sc: KObj, old: KObj): Cause[] {
  const out = validateStorageClass(sc);
  if (JSON.stringify(sc.parameters ?? {}) !== JSON.stringify(old.parameters ?? {})) out.push({ field: 'parameters', message: 'Forbidden: updates to parameters are forbidden.' });
  if (sc.provisioner !== old.provisioner) out.push({ field: 'provisioner', message: 'Forbidden: updates to provisioner are forbidden.' });
  if (sc.reclaimPolicy !== old.reclaimPolicy) out.push({ field: 'reclaimPolicy', message: 'Forbidden: updates to reclaimPolicy are forbidden.' });
  if (sc.volumeBindingMode !== old.volumeBindingMode) out.push({ field: 'volumeBindingMode', message: 'Invalid value: ' + q(String(sc.volumeBindingMode)) + ': field is immutable' });
  return out;
}
