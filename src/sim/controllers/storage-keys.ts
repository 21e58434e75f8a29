// Typed access to the storage kinds the storage controllers and the StatefulSet controller use.
import { resourceForKind } from '../../api/registry.js';
import type { ResourceDef } from '../../api/types.js';

export const PVC: ResourceDef = resourceForKind('v1', 'PersistentVolumeClaim')!;
export const PV: ResourceDef = resourceForKind('v1', 'PersistentVolume')!;
export const STORAGE_CLASS: ResourceDef = resourceForKind('storage.k8s.io/v1', 'StorageClass')!;
