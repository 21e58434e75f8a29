// Patch strategies of the built-in types (the API's x-kubernetes-patch-merge-key / patch-strategy),
// as data: field paths by Go type, and where each kind keeps its pod template.

interface ListStrategy {
  /** undefined = a primitive list merged as a set */
  mergeKey?: string;
}

const POD_SPEC: Record<string, ListStrategy> = {
  containers: { mergeKey: 'name' },
  initContainers: { mergeKey: 'name' },
  ephemeralContainers: { mergeKey: 'name' },
  volumes: { mergeKey: 'name' },
  imagePullSecrets: { mergeKey: 'name' },
  hostAliases: { mergeKey: 'ip' },
  topologySpreadConstraints: { mergeKey: 'topologyKey' },
  resourceClaims: { mergeKey: 'name' },
  schedulingGates: { mergeKey: 'name' },
  'containers.env': { mergeKey: 'name' },
  'containers.ports': { mergeKey: 'containerPort' },
  'containers.volumeMounts': { mergeKey: 'mountPath' },
  'containers.volumeDevices': { mergeKey: 'devicePath' },
  'initContainers.env': { mergeKey: 'name' },
  'initContainers.ports': { mergeKey: 'containerPort' },
  'initContainers.volumeMounts': { mergeKey: 'mountPath' },
  'initContainers.volumeDevices': { mergeKey: 'devicePath' },
  'ephemeralContainers.env': { mergeKey: 'name' },
  'ephemeralContainers.volumeMounts': { mergeKey: 'mountPath' },
};

const META: Record<string, ListStrategy> = {
  finalizers: {},
  ownerReferences: { mergeKey: 'uid' },
};

const STATUS: Record<string, ListStrategy> = {
  conditions: { mergeKey: 'type' },
};

/** Where each kind keeps a PodSpec. */
const POD_SPEC_AT: Record<string, string> = {
  Pod: 'spec',
  Deployment: 'spec.template.spec',
  ReplicaSet: 'spec.template.spec',
  StatefulSet: 'spec.template.spec',
  DaemonSet: 'spec.template.spec',
  Job: 'spec.template.spec',
  ReplicationController: 'spec.template.spec',
  CronJob: 'spec.jobTemplate.spec.template.spec',
};

const OTHER: Record<string, Record<string, ListStrategy>> = {
  Service: { 'spec.ports': { mergeKey: 'port' } },
  Node: { 'spec.taints': { mergeKey: 'key' }, 'status.addresses': { mergeKey: 'type' } },
};

/** The list strategy at `path` (dot-separated, list indexes omitted) of `kind`, or undefined to replace. */
export function listStrategy(kind: string, path: string): ListStrategy | undefined {
  if (path.startsWith('metadata.')) return META[path.slice('metadata.'.length)];
  if (path.startsWith('status.') && STATUS[path.slice('status.'.length)]) return STATUS[path.slice('status.'.length)];
  const other = OTHER[kind]?.[path];
  if (other) return other;
  const at = POD_SPEC_AT[kind];
  if (at) {
    if (path.startsWith(`${at}.`)) return POD_SPEC[path.slice(at.length + 1)];
    const templateMeta = at.replace(/spec$/, 'metadata');
    if (path.startsWith(`${templateMeta}.`)) return META[path.slice(templateMeta.length + 1)];
  }
  return undefined;
}
