// Persistent volumes and claims (1.29+ columns with VOLUMEATTRIBUTESCLASS).

import type { KObj } from '../../api/types.js';
import { age, ageCol, nameCol, type Cell, type KindTable } from './common.js';

/** helper.GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order. */
export function accessModesString(modes: unknown): string {
  const m = new Set((Array.isArray(modes) ? modes : []).map(String));
  const out: string[] = [];
  if (m.has('ReadWriteOnce')) out.push('RWO');
  if (m.has('ReadOnlyMany')) out.push('ROX');
  if (m.has('ReadWriteMany')) out.push('RWX');
  if (m.has('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

const BETA_CLASS = 'volume.beta.kubernetes.io/storage-class';
const quantity = (q: unknown) => (q === undefined || q === null || q === '' ? '0' : String(q));

export const persistentVolumesTable: KindTable = {
  columns: [
    nameCol,
    { name: 'Capacity' },
    { name: 'Access Modes' },
    { name: 'Reclaim Policy' },
    { name: 'Status' },
    { name: 'Claim' },
    { name: 'StorageClass' },
    { name: 'VolumeAttributesClass' },
    { name: 'Reason' },
    ageCol,
    { name: 'VolumeMode', priority: 1 },
  ],
  row(pv: KObj, now: number): Cell[] {
    const spec = pv.spec ?? {};
    const claim = spec.claimRef ? `${spec.claimRef.namespace ?? ''}/${spec.claimRef.name ?? ''}` : '';
    const phase = pv.metadata?.deletionTimestamp ? 'Terminating' : (pv.status?.phase ?? '');
    const annotations = pv.metadata?.annotations ?? {};
    const cls = BETA_CLASS in annotations ? annotations[BETA_CLASS] : (spec.storageClassName ?? '');
    return [
      pv.metadata?.name,
      quantity(spec.capacity?.storage),
      accessModesString(spec.accessModes),
      spec.persistentVolumeReclaimPolicy ?? '',
      phase,
      claim,
      cls,
      spec.volumeAttributesClassName ?? '<unset>',
      pv.status?.reason ?? '',
      age(pv, now),
      spec.volumeMode ?? '<unset>',
    ];
  },
};

export const persistentVolumeClaimsTable: KindTable = {
  columns: [
    nameCol,
    { name: 'Status' },
    { name: 'Volume' },
    { name: 'Capacity' },
    { name: 'Access Modes' },
    { name: 'StorageClass' },
    { name: 'VolumeAttributesClass' },
    ageCol,
    { name: 'VolumeMode', priority: 1 },
  ],
  row(pvc: KObj, now: number): Cell[] {
    const spec = pvc.spec ?? {};
    const phase = pvc.metadata?.deletionTimestamp ? 'Terminating' : (pvc.status?.phase ?? '');
    let capacity = '';
    let modes = '';
    if (spec.volumeName) {
      modes = accessModesString(pvc.status?.accessModes);
      capacity = quantity(pvc.status?.capacity?.storage);
    }
    const annotations = pvc.metadata?.annotations ?? {};
    const cls = BETA_CLASS in annotations ? annotations[BETA_CLASS] : (spec.storageClassName ?? '');
    return [pvc.metadata?.name, phase, spec.volumeName ?? '', capacity, modes, cls, spec.volumeAttributesClassName ?? '<unset>', age(pvc, now), spec.volumeMode ?? '<unset>'];
  },
};

const defaultClass = (sc: KObj) => {
  const a = sc.metadata?.annotations ?? {};
  return a['storageclass.kubernetes.io/is-default-class'] === 'true' || a['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
};

/** printStorageClass: the default class is named `NAME (default)`. */
export const storageClassesTable: KindTable = {
  columns: [nameCol, { name: 'Provisioner' }, { name: 'ReclaimPolicy' }, { name: 'VolumeBindingMode' }, { name: 'AllowVolumeExpansion' }, ageCol],
  row(sc: KObj, now: number): Cell[] {
    const name = defaultClass(sc) ? `${sc.metadata?.name} (default)` : sc.metadata?.name;
    return [name, sc.provisioner ?? '', sc.reclaimPolicy ?? 'Delete', sc.volumeBindingMode ?? 'Immediate', sc.allowVolumeExpansion === true ? 'true' : 'false', age(sc, now)];
  },
};
