// What describe fetches besides the object for the kinds of the workload/namespace area: a
// DaemonSet's pods (its Pods Status line), a namespace's quotas and limit ranges.
import type { ApiServer } from '../api/server.js';
import type { KObj, ResourceDef } from '../api/types.js';
import { resourceForKind } from '../api/registry.js';
import { POD } from '../sim/keys.js';

export function relatedObjects(api: ApiServer, def: ResourceDef, obj: KObj): Record<string, KObj[]> {
  if (def.kind === 'DaemonSet') return { pods: api.list(POD, obj.metadata.namespace) };
  if (def.kind === 'ReplicaSet') return { pods: api.list(POD, obj.metadata.namespace) };
  if (def.kind === 'StatefulSet' || def.kind === 'PersistentVolumeClaim') return { pods: api.list(POD, obj.metadata.namespace) };
  if (def.kind === 'Deployment') return { replicasets: api.list(resourceForKind('apps/v1', 'ReplicaSet')!, obj.metadata.namespace) };
  if (def.kind === 'Namespace') {
    return {
      resourcequotas: api.list(resourceForKind('v1', 'ResourceQuota')!, obj.metadata.name),
      limitranges: api.list(resourceForKind('v1', 'LimitRange')!, obj.metadata.name),
    };
  }
  return {};
}
