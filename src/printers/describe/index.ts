// `kubectl describe` output per kind (dispatch by def.kind; the generic describer otherwise).

import type { KObj, ResourceDef } from '../../api/types.js';
import type { DescribeContext } from './common.js';
import { describeGeneric } from './generic.js';
import { describePersistentVolume, describePersistentVolumeClaim, describeStorageClass } from './storage.js';
import { describeEndpoints, describeEndpointSlice } from './network.js';
import { describeNode } from './node.js';
import { describeHpa } from './hpa.js';
import { describePod } from './pod.js';
import { describeLimitRange, describeResourceQuota } from './policy.js';
import { describeCronJob, describeDaemonSet, describeDeployment, describeJob, describeReplicaSet, describeStatefulSet } from './workloads.js';
import { describeConfigMap, describeNamespace, describeSecret, describeService, describeServiceAccount } from './simple.js';

export type { DescribeContext } from './common.js';
export { podQOS } from './pod.js';

/**
 * The text `kubectl describe` prints for one object (ends with a newline). Several objects are
 * joined by the caller with `\n\n`.
 */
export function describeObject(def: ResourceDef, obj: KObj, ctx: DescribeContext): string {
  const c: DescribeContext = { ...ctx, events: ctx.events ?? [] };
  switch (def.group ? `${def.kind}.${def.group}` : def.kind) {
    case 'Pod':
      return describePod(obj, c);
    case 'Node':
      return describeNode(obj, c);
    case 'Namespace':
      return describeNamespace(obj, c);
    case 'Service':
      return describeService(obj, c);
    case 'Endpoints':
      return describeEndpoints(obj, c);
    case 'EndpointSlice.discovery.k8s.io':
      return describeEndpointSlice(obj, c);
    case 'ConfigMap':
      return describeConfigMap(obj, c);
    case 'Secret':
      return describeSecret(obj);
    case 'ServiceAccount':
      return describeServiceAccount(obj, c);
    case 'Deployment.apps':
      return describeDeployment(obj, c);
    case 'ReplicaSet.apps':
      return describeReplicaSet(obj, c);
    case 'StatefulSet.apps':
      return describeStatefulSet(obj, c);
    case 'DaemonSet.apps':
      return describeDaemonSet(obj, c);
    case 'ResourceQuota':
      return describeResourceQuota(obj);
    case 'LimitRange':
      return describeLimitRange(obj);
    case 'Job.batch':
      return describeJob(obj, c);
    case 'CronJob.batch':
      return describeCronJob(obj, c);
    case 'PersistentVolumeClaim':
      return describePersistentVolumeClaim(obj, c);
    case 'PersistentVolume':
      return describePersistentVolume(obj, c);
    case 'StorageClass.storage.k8s.io':
      return describeStorageClass(obj, c);
    case 'HorizontalPodAutoscaler.autoscaling':
      return describeHpa(obj, c);
    default:
      return describeGeneric(obj, c);
  }
}
