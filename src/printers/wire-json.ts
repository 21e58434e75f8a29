// Objects as the API server puts them on the wire (what `kubectl get --raw` prints): compact JSON from
// Go's encoding/json (json.NewEncoder: a trailing newline, <, > and & escaped as \u003c \u003e
// \u0026), struct fields in their Go declaration order (k8s.io/api core/v1 and meta/v1 types.go),
// map keys (labels, annotations, resource lists, data) sorted. Types without a known field order keep
// the stored order; lists carry `kind`/`apiVersion` only at the top, not on their items.
import type { KObj } from '../api/types.js';

type Shape = { order: string[]; children?: Record<string, string>; maps?: string[] };

const S: Record<string, Shape> = {
  top: { order: ['kind', 'apiVersion', 'metadata', 'spec', 'status', 'immutable', 'data', 'binaryData', 'stringData', 'type'], children: { metadata: 'meta' }, maps: ['data', 'binaryData', 'stringData'] },
  meta: {
    order: ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'],
    children: { ownerReferences: 'ownerRef' },
    maps: ['labels', 'annotations'],
  },
  ownerRef: { order: ['apiVersion', 'kind', 'name', 'uid', 'controller', 'blockOwnerDeletion'] },
  podSpec: {
    order: ['volumes', 'initContainers', 'containers', 'ephemeralContainers', 'restartPolicy', 'terminationGracePeriodSeconds', 'activeDeadlineSeconds', 'dnsPolicy', 'nodeSelector', 'serviceAccountName', 'serviceAccount', 'automountServiceAccountToken', 'nodeName', 'hostNetwork', 'hostPID', 'hostIPC', 'shareProcessNamespace', 'securityContext', 'imagePullSecrets', 'hostname', 'subdomain', 'affinity', 'schedulerName', 'tolerations', 'hostAliases', 'priorityClassName', 'priority', 'dnsConfig', 'readinessGates', 'runtimeClassName', 'enableServiceLinks', 'preemptionPolicy', 'overhead', 'topologySpreadConstraints', 'setHostnameAsFQDN', 'os', 'hostUsers', 'schedulingGates', 'resourceClaims', 'resources'],
    children: { volumes: 'volume', initContainers: 'container', containers: 'container', ephemeralContainers: 'container', tolerations: 'toleration', securityContext: 'podSecurityContext' },
    maps: ['nodeSelector', 'overhead'],
  },
  container: {
    order: ['name', 'image', 'command', 'args', 'workingDir', 'ports', 'envFrom', 'env', 'resources', 'resizePolicy', 'restartPolicy', 'volumeMounts', 'volumeDevices', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'terminationMessagePath', 'terminationMessagePolicy', 'imagePullPolicy', 'securityContext', 'stdin', 'stdinOnce', 'tty', 'targetContainerName'],
    children: { ports: 'port', env: 'env', resources: 'resources', volumeMounts: 'volumeMount', livenessProbe: 'probe', readinessProbe: 'probe', startupProbe: 'probe', securityContext: 'securityContext' },
  },
  port: { order: ['name', 'hostPort', 'containerPort', 'protocol', 'hostIP'] },
  env: { order: ['name', 'value', 'valueFrom'] },
  resources: { order: ['limits', 'requests', 'claims'], maps: ['limits', 'requests'] },
  volumeMount: { order: ['name', 'readOnly', 'recursiveReadOnly', 'mountPath', 'subPath', 'mountPropagation', 'subPathExpr'] },
  probe: { order: ['exec', 'httpGet', 'tcpSocket', 'grpc', 'initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold', 'terminationGracePeriodSeconds'], children: { httpGet: 'httpGet' } },
  httpGet: { order: ['path', 'port', 'host', 'scheme', 'httpHeaders'] },
  securityContext: { order: ['capabilities', 'privileged', 'seLinuxOptions', 'windowsOptions', 'runAsUser', 'runAsGroup', 'runAsNonRoot', 'readOnlyRootFilesystem', 'allowPrivilegeEscalation', 'procMount', 'seccompProfile', 'appArmorProfile'] },
  podSecurityContext: { order: ['seLinuxOptions', 'windowsOptions', 'runAsUser', 'runAsGroup', 'runAsNonRoot', 'supplementalGroups', 'supplementalGroupsPolicy', 'fsGroup', 'sysctls', 'fsGroupChangePolicy', 'seccompProfile', 'appArmorProfile', 'seLinuxChangePolicy'] },
  toleration: { order: ['key', 'operator', 'value', 'effect', 'tolerationSeconds'] },
  volume: {
    order: ['name', 'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs', 'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral', 'image'],
    children: { projected: 'projected', configMap: 'configMapVolume', secret: 'secretVolume', downwardAPI: 'downwardAPI' },
  },
  projected: { order: ['sources', 'defaultMode'], children: { sources: 'projection' } },
  projection: { order: ['secret', 'downwardAPI', 'configMap', 'serviceAccountToken', 'clusterTrustBundle'], children: { configMap: 'configMapProjection', downwardAPI: 'downwardAPI', serviceAccountToken: 'saToken' } },
  saToken: { order: ['audience', 'expirationSeconds', 'path'] },
  configMapProjection: { order: ['name', 'items', 'optional'], children: { items: 'keyToPath' } },
  configMapVolume: { order: ['name', 'items', 'defaultMode', 'optional'], children: { items: 'keyToPath' } },
  secretVolume: { order: ['secretName', 'items', 'defaultMode', 'optional'], children: { items: 'keyToPath' } },
  keyToPath: { order: ['key', 'path', 'mode'] },
  downwardAPI: { order: ['items', 'defaultMode'], children: { items: 'downwardFile' } },
  downwardFile: { order: ['path', 'fieldRef', 'resourceFieldRef', 'mode'], children: { fieldRef: 'fieldRef' } },
  fieldRef: { order: ['apiVersion', 'fieldPath'] },
  podStatus: {
    order: ['observedGeneration', 'phase', 'conditions', 'message', 'reason', 'nominatedNodeName', 'hostIP', 'hostIPs', 'podIP', 'podIPs', 'startTime', 'initContainerStatuses', 'containerStatuses', 'qosClass', 'ephemeralContainerStatuses', 'resize', 'resourceClaimStatuses'],
    children: { conditions: 'condition', initContainerStatuses: 'containerStatus', containerStatuses: 'containerStatus', ephemeralContainerStatuses: 'containerStatus' },
  },
  condition: { order: ['type', 'observedGeneration', 'status', 'lastProbeTime', 'lastHeartbeatTime', 'lastUpdateTime', 'lastTransitionTime', 'reason', 'message'] },
  containerStatus: {
    order: ['name', 'state', 'lastState', 'ready', 'restartCount', 'image', 'imageID', 'containerID', 'started', 'allocatedResources', 'resources', 'volumeMounts', 'user', 'allocatedResourcesStatus', 'stopSignal'],
    children: { state: 'state', lastState: 'state' },
  },
  state: { order: ['waiting', 'running', 'terminated'], children: { waiting: 'waiting', terminated: 'terminated' } },
  waiting: { order: ['reason', 'message'] },
  terminated: { order: ['exitCode', 'signal', 'reason', 'message', 'startedAt', 'finishedAt', 'containerID'] },
  // apps/v1 (k8s.io/api/apps/v1/types.go)
  labelSelector: { order: ['matchLabels', 'matchExpressions'], maps: ['matchLabels'] },
  podTemplate: { order: ['metadata', 'spec'], children: { metadata: 'meta', spec: 'podSpec' } },
  deploymentSpec: {
    order: ['replicas', 'selector', 'template', 'strategy', 'minReadySeconds', 'revisionHistoryLimit', 'paused', 'progressDeadlineSeconds'],
    children: { selector: 'labelSelector', template: 'podTemplate', strategy: 'updateStrategy' },
  },
  updateStrategy: { order: ['type', 'rollingUpdate'], children: { rollingUpdate: 'rollingUpdate' } },
  rollingUpdate: { order: ['partition', 'maxUnavailable', 'maxSurge'] },
  deploymentStatus: {
    order: ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'terminatingReplicas', 'conditions', 'collisionCount'],
    children: { conditions: 'condition' },
  },
  replicaSetSpec: { order: ['replicas', 'minReadySeconds', 'selector', 'template'], children: { selector: 'labelSelector', template: 'podTemplate' } },
  replicaSetStatus: { order: ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'terminatingReplicas', 'observedGeneration', 'conditions'], children: { conditions: 'condition' } },
  daemonSetSpec: {
    order: ['selector', 'template', 'updateStrategy', 'minReadySeconds', 'revisionHistoryLimit'],
    children: { selector: 'labelSelector', template: 'podTemplate', updateStrategy: 'updateStrategy' },
  },
  daemonSetStatus: {
    order: ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady', 'observedGeneration', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable', 'collisionCount', 'conditions'],
    children: { conditions: 'condition' },
  },
  statefulSetSpec: {
    order: ['replicas', 'selector', 'template', 'volumeClaimTemplates', 'serviceName', 'podManagementPolicy', 'updateStrategy', 'revisionHistoryLimit', 'minReadySeconds', 'persistentVolumeClaimRetentionPolicy', 'ordinals'],
    children: { selector: 'labelSelector', template: 'podTemplate', updateStrategy: 'updateStrategy' },
  },
  statefulSetStatus: {
    order: ['observedGeneration', 'replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'currentRevision', 'updateRevision', 'collisionCount', 'conditions', 'availableReplicas'],
    children: { conditions: 'condition' },
  },
};

/** spec and status shapes by kind (the rest keep their stored order below the top level). */
const KIND_SHAPES: Record<string, [string, string]> = {
  Pod: ['podSpec', 'podStatus'],
  Deployment: ['deploymentSpec', 'deploymentStatus'],
  ReplicaSet: ['replicaSetSpec', 'replicaSetStatus'],
  DaemonSet: ['daemonSetSpec', 'daemonSetStatus'],
  StatefulSet: ['statefulSetSpec', 'statefulSetStatus'],
};

/** The top-level shape of a kind: spec and status shapes known for pods and the apps kinds. */
function kindShape(kind: string | undefined): Shape {
  const known = kind ? KIND_SHAPES[kind] : undefined;
  if (!known) return S.top;
  return { ...S.top, children: { ...S.top.children, spec: known[0], status: known[1] } };
}

/** An object with its fields in the order its Go type declares them (what kubectl prints of a typed object). */
export function typedOrder(obj: KObj): KObj {
  return shaped(obj, kindShape(obj.kind)) as KObj;
}

function sortedMap(v: unknown): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  return Object.fromEntries(Object.entries(v as KObj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function shaped(v: unknown, shape: Shape | undefined): unknown {
  if (Array.isArray(v)) return v.map((x) => shaped(x, shape));
  if (!v || typeof v !== 'object') return v;
  if (!shape) return v;
  const obj = v as KObj;
  const out: KObj = {};
  const keys = [...shape.order.filter((k) => k in obj), ...Object.keys(obj).filter((k) => !shape.order.includes(k))];
  for (const k of keys) {
    const child = shape.children?.[k];
    out[k] = shape.maps?.includes(k) ? sortedMap(obj[k]) : child ? shaped(obj[k], S[child]) : obj[k];
  }
  return out;
}

/** Go's encoding/json text: compact, HTML characters and line/paragraph separators escaped. */
const GO_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

export function goJson(v: unknown): string {
  // one pass, and none for text without those characters (most of it)
  const text = JSON.stringify(v);
  return /[<>&\u2028\u2029]/.test(text) ? text.replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c]) : text;
}

/** One object as the API server serializes it (with a trailing newline). */
export function wireObject(obj: KObj): string {
  return `${goJson(shaped(obj, kindShape(obj.kind)))}\n`;
}

/** A list (`PodList`…) as the API server serializes it: items without their kind and apiVersion. */
export function wireList(kind: string, apiVersion: string, resourceVersion: string, items: KObj[]): string {
  const shape = kindShape(kind.replace(/List$/, ''));
  const bare = items.map((o) => {
    const { kind: _k, apiVersion: _a, ...rest } = o;
    return shaped(rest, shape);
  });
  return `${goJson({ kind, apiVersion, metadata: { resourceVersion }, items: bare })}\n`;
}
