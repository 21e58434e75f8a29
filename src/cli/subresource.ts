// `--subresource=status|scale` of edit and replace: the object a subresource GET returns (the whole
// object for status, an autoscaling/v1 Scale for scale), and its write (only the status changes; a
// Scale sets the owner's spec.replicas). Kinds without the subresource answer 404 as the API does.
import { StatusError } from '../api/errors.js';
import type { ApiServer } from '../api/server.js';
import { selectorFromLabelSelector } from '../api/selectors.js';
import type { KObj, ResourceDef } from '../api/types.js';

const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']);
const WITHOUT_STATUS = new Set([
  'ConfigMap', 'Secret', 'ServiceAccount', 'Endpoints', 'EndpointSlice', 'Event', 'LimitRange', 'StorageClass',
  'ControllerRevision', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding', 'PodTemplate', 'Binding',
]);

/** The REST mapping a Scale prints with: `scale.autoscaling/web`. */
export const SCALE_DEF: ResourceDef = {
  kind: 'Scale', plural: 'scale', singular: 'scale', shortNames: [], group: 'autoscaling', version: 'v1', namespaced: true,
};

export type Subresource = '' | 'status' | 'scale';

/** The API's 404 for a subresource a kind does not have. */
function noSuchResource(): StatusError {
  return new StatusError('NotFound', 'the server could not find the requested resource');
}

export function checkSubresource(def: ResourceDef, sub: string): Subresource {
  if (!sub) return '';
  if (sub === 'status' && !WITHOUT_STATUS.has(def.kind)) return 'status';
  if (sub === 'scale' && SCALABLE.has(def.kind)) return 'scale';
  throw noSuchResource();
}

/** autoscaling/v1 Scale of a workload. */
export function scaleOf(obj: KObj): KObj {
  const m = obj.metadata;
  const metadata: KObj = { creationTimestamp: m.creationTimestamp, name: m.name, namespace: m.namespace, resourceVersion: m.resourceVersion, uid: m.uid };
  const status: KObj = { replicas: obj.status?.replicas ?? 0 };
  const selector = obj.kind === 'ReplicationController' ? selectorFromLabelSelector({ matchLabels: obj.spec?.selector }) : selectorFromLabelSelector(obj.spec?.selector);
  const text = selector.toString();
  if (text) status.selector = text;
  return { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata, spec: { replicas: obj.spec?.replicas ?? 1 }, status };
}

/** What GET on the subresource returns. */
export function readSubresource(obj: KObj, sub: Subresource): KObj {
  return sub === 'scale' ? scaleOf(obj) : obj;
}

/**
 * Writes `next` (the subresource's object after the change) as PUT/PATCH on the subresource does;
 * returns what the server answers. A stale resourceVersion is a conflict.
 */
export function writeSubresource(api: ApiServer, def: ResourceDef, next: KObj, sub: Exclude<Subresource, ''>, opts: { dryRun?: boolean } = {}): KObj {
  const ns = def.namespaced ? next.metadata?.namespace : undefined;
  const current = api.get(def, ns, next.metadata?.name);
  const rv = next.metadata?.resourceVersion;
  if (rv && rv !== current.metadata.resourceVersion) {
    throw new StatusError(
      'Conflict',
      `Operation cannot be fulfilled on ${sub === 'scale' ? 'scale.autoscaling' : def.group ? `${def.plural}.${def.group}` : def.plural} "${current.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
    );
  }
  if (sub === 'scale') {
    const updated = structuredClone(current);
    updated.spec = { ...(updated.spec ?? {}), replicas: next.spec?.replicas };
    return scaleOf(api.update(def, updated, opts));
  }
  const updated = structuredClone(current);
  updated.status = structuredClone(next.status);
  if (opts.dryRun || JSON.stringify(updated.status) === JSON.stringify(current.status)) return updated;
  return structuredClone(api.write(def, updated));
}
