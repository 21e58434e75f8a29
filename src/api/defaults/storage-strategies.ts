// API server strategies of the StatefulSet, ControllerRevision and storage kinds (PVC, PV, StorageClass).
import { StatusError, type Cause } from '../errors.js';
import { parseQuantity } from '../quantity.js';
import type { KObj } from '../types.js';
import { validateCreate, validateUpdate } from '../validation/index.js';
import { defaultStatefulSet, validateStatefulSet, validateStatefulSetUpdate } from './statefulset.js';
import {
  defaultPersistentVolume,
  defaultPersistentVolumeClaim,
  defaultStorageClassObject,
  storageClassOf,
  validatePersistentVolume,
  validatePersistentVolumeClaim,
  validatePersistentVolumeClaimUpdate,
  validateStorageClass,
  validateStorageClassUpdate,
} from './storage.js';

interface Host {
  listAll(resource: string): KObj[];
  isoNow(): string;
}

/** The shape strategy.ts expects (kept structural to avoid an import cycle). */
interface KindStrategy {
  generation?: boolean;
  prepareForCreate?(obj: KObj, host: Host): void;
  prepareForUpdate?(obj: KObj, old: KObj, host: Host): void;
  validate?(obj: KObj): Cause[];
  validateUpdate?(obj: KObj, old: KObj): Cause[];
  keepStatusOnUpdate?: boolean;
}

export const statefulSetStrategy: KindStrategy = {
  generation: true,
  prepareForCreate(sts) {
    defaultStatefulSet(sts);
    delete sts.status;
    sts.status = { availableReplicas: 0, replicas: 0 };
  },
  prepareForUpdate(sts) {
    defaultStatefulSet(sts);
  },
  validate: (o) => [...validateCreate('StatefulSet', o), ...validateStatefulSet(o)],
  validateUpdate: (o, old) => [...validateUpdate('StatefulSet', o, old), ...validateStatefulSetUpdate(o, old)],
};

export const controllerRevisionStrategy: KindStrategy = {
  validate(o) {
    const out = validateCreate('ControllerRevision', o);
    if (o.data === undefined || o.data === null) out.push({ field: 'data', message: 'Required value: data is mandatory' });
    if (typeof o.revision === 'number' && o.revision < 0) out.push({ field: 'revision', message: `Invalid value: ${o.revision}: must be greater than or equal to 0` });
    return out;
  },
  validateUpdate(o, old) {
    const out = validateUpdate('ControllerRevision', o, old);
    if (JSON.stringify(o.data) !== JSON.stringify(old.data)) out.push({ field: 'data', message: 'Invalid value: "": field is immutable' });
    return out;
  },
  keepStatusOnUpdate: false,
};

const STORAGE_CLASSES = 'storageclasses.storage.k8s.io';

/** The PersistentVolumeClaimResize admission plugin: only a bound, dynamically provisioned claim of a class that allows expansion grows. */
function checkResize(pvc: KObj, old: KObj, classes: KObj[]): void {
  const want = parseQuantity(pvc.spec?.resources?.requests?.storage);
  const had = parseQuantity(old.spec?.resources?.requests?.storage);
  if (!want || !had || want.nano <= had.nano) return;
  const sc = classes.find((c) => c.metadata?.name === storageClassOf(old));
  if (!old.spec?.volumeName || !sc?.allowVolumeExpansion) {
    throw new StatusError(
      'Forbidden',
      `persistentvolumeclaims "${pvc.metadata?.name}" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize`,
    );
  }
}

export const persistentVolumeClaimStrategy: KindStrategy = {
  prepareForCreate(pvc, host) {
    defaultPersistentVolumeClaim(pvc, host.listAll(STORAGE_CLASSES));
  },
  prepareForUpdate(pvc, old, host) {
    (pvc.spec ??= {}).volumeMode ??= 'Filesystem';
    checkResize(pvc, old, host.listAll(STORAGE_CLASSES));
  },
  validate: (o) => [...validateCreate('PersistentVolumeClaim', o), ...validatePersistentVolumeClaim(o)],
  validateUpdate: (o, old) => [...validateUpdate('PersistentVolumeClaim', o, old), ...validatePersistentVolumeClaimUpdate(o, old)],
};

export const persistentVolumeStrategy: KindStrategy = {
  prepareForCreate(pv, host) {
    defaultPersistentVolume(pv);
    pv.status.lastPhaseTransitionTime = host.isoNow();
  },
  prepareForUpdate(pv) {
    const spec = (pv.spec ??= {});
    spec.persistentVolumeReclaimPolicy ??= 'Retain';
    spec.volumeMode ??= 'Filesystem';
  },
  validate: (o) => [...validateCreate('PersistentVolume', o), ...validatePersistentVolume(o)],
  validateUpdate: (o, old) => [...validateUpdate('PersistentVolume', o, old), ...validatePersistentVolume(o)],
};

export const storageClassStrategy: KindStrategy = {
  prepareForCreate(sc) {
    defaultStorageClassObject(sc);
  },
  prepareForUpdate(sc) {
    defaultStorageClassObject(sc);
  },
  validate: (o) => [...validateCreate('StorageClass', o), ...validateStorageClass(o)],
  validateUpdate: (o, old) => [...validateUpdate('StorageClass', o, old), ...validateStorageClassUpdate(o, old)],
  keepStatusOnUpdate: false,
};
