// Typed access to the built-in kinds every layer works with, and the key of an object in timers.
import { resourceForKind } from './registry.js';
import type { KObj, ResourceDef } from './types.js';

export const POD: ResourceDef = resourceForKind('v1', 'Pod')!;
export const NODE: ResourceDef = resourceForKind('v1', 'Node')!;
export const NAMESPACE: ResourceDef = resourceForKind('v1', 'Namespace')!;
export const SERVICE: ResourceDef = resourceForKind('v1', 'Service')!;
export const CONFIGMAP: ResourceDef = resourceForKind('v1', 'ConfigMap')!;
export const SECRET: ResourceDef = resourceForKind('v1', 'Secret')!;
export const SERVICEACCOUNT: ResourceDef = resourceForKind('v1', 'ServiceAccount')!;
export const EVENT: ResourceDef = resourceForKind('v1', 'Event')!;
export const ENDPOINTS: ResourceDef = resourceForKind('v1', 'Endpoints')!;
export const ENDPOINTSLICE: ResourceDef = resourceForKind('discovery.k8s.io/v1', 'EndpointSlice')!;

/** A pod's key in the simulation's timers: `pods/<namespace>/<name>`. */
export function podKey(pod: KObj): string {
  return `pods/${pod.metadata.namespace}/${pod.metadata.name}`;
}

export function splitKey(key: string): { resource: string; namespace: string; name: string } {
  const [resource, namespace, name] = key.split('/');
  return { resource, namespace, name };
}
