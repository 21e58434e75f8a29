// A fresh cluster, shaped like a single-node minikube: system namespaces, one Ready control-plane
// node, the `kubernetes` Service, and the kube-system pods already running.
import type { KObj } from '../api/types.js';
import { emptyState, type StoreState } from '../store/state.js';
import { imageId, normalizeImage } from '../runtime/images.js';
import { addSystemDaemonSets } from './bootstrap-daemonsets.js';
import { Cluster } from './engine.js';
import { registerControllers } from './controllers.js';
import { syncAllEndpoints } from './controllers/endpoints.js';
import { syncAllSlices } from './controllers/endpointslices.js';
import { NAMESPACE, NODE, POD, SERVICE } from './keys.js';
import { addCoreDnsDeployment } from './bootstrap-deployments.js';
import { createDefaultStorageClass } from './storage-bootstrap.js';
import { bootNodes } from './bootstrap-nodes.js';
import { seedSystemPod } from '../runtime/system-logs.js';
import { fnv1a, FNV_OFFSET } from '../api/fnv.js';

export const NODE_NAME = 'minikube';
export const NODE_IP = '192.168.49.2';
export const KUBE_VERSION = 'v1.32.0';

interface NodeSpec {
  name: string;
  ip: string;
  cidr: string;
  controlPlane: boolean;
  kind: boolean;
}

function node(c: Cluster, n: NodeSpec = { name: NODE_NAME, ip: NODE_IP, cidr: '10.244.0.0/24', controlPlane: true, kind: false }): KObj {
  const t = c.isoNow();
  const resources = { cpu: '2', 'ephemeral-storage': '102107096Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '8132176Ki', pods: '110' };
  const cond = (type: string, status: string, reason: string, message: string) => ({
    lastHeartbeatTime: t, lastTransitionTime: t, message, reason, status, type,
  });
  return {
    metadata: {
      name: n.name,
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
      labels: nodeLabels(n),
    },
    spec: { podCIDR: n.cidr, podCIDRs: [n.cidr], ...(n.kind ? { providerID: `kind://docker/kind/${n.name}` } : {}), ...(n.kind && n.controlPlane ? { taints: [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }] } : {}) },
    status: {
      addresses: [{ address: n.ip, type: 'InternalIP' }, { address: n.name, type: 'Hostname' }],
      allocatable: resources,
      capacity: resources,
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      images: [],
      nodeInfo: {
        architecture: 'amd64',
        bootID: c.uid(),
        containerRuntimeVersion: 'containerd://1.7.24',
        kernelVersion: '6.8.0-1017-gcp',
        kubeProxyVersion: KUBE_VERSION,
        kubeletVersion: KUBE_VERSION,
        machineID: c.uid().replace(/-/g, ''),
        operatingSystem: 'linux',
        osImage: n.kind ? 'Debian GNU/Linux 12 (bookworm)' : 'Ubuntu 22.04.5 LTS',
        systemUUID: c.uid(),
      },
    },
  };
}

function nodeLabels(n: NodeSpec): Record<string, string> {
  const l: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': n.name,
    'kubernetes.io/os': 'linux',
  };
  if (!n.kind) Object.assign(l, { 'minikube.k8s.io/name': n.name, 'minikube.k8s.io/primary': 'true', 'minikube.k8s.io/version': 'v1.35.0' });
  if (n.controlPlane) Object.assign(l, { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' });
  return l;
}

interface SystemPod {
  name: string;
  namespace?: string;
  image: string;
  hostNetwork: boolean;
  labels: Record<string, string>;
  owner?: { kind: string; name: string; apiVersion: string };
  command?: string[];
  priorityClassName: string;
  priority: number;
  /** what the component's manifest asks for (kubeadm's static pods, CoreDNS, kindnet) */
  resources?: KObj;
}

const cpuOnly = (cpu: string): KObj => ({ requests: { cpu } });

/**
 * A static pod's mirror annotations as the kubelet and kubeadm write them: the manifest's hash (the
 * mirror's mark, which drain and the API server go by), when the kubelet saw it, its source `file`,
 * and kubeadm's advertised endpoints. The hash stands in for the kubelet's (of a manifest kubesim has
 * not got): 32 hex digits derived from the pod's name.
 */
function mirrorAnnotations(sp: SystemPod, nodeIp: string, apiPort: number, seen: string): Record<string, string> {
  let hash = '';
  for (let seed = 0; hash.length < 32; seed++) {
    hash += fnv1a(`${sp.name}/${seed}`, FNV_OFFSET ^ seed).toString(16).padStart(8, '0');
  }
  const out: Record<string, string> = {};
  if (sp.labels.component === 'etcd') out['kubeadm.kubernetes.io/etcd.advertise-client-urls'] = `https://${nodeIp}:2379`;
  if (sp.labels.component === 'kube-apiserver') out['kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint'] = `${nodeIp}:${apiPort}`;
  out['kubernetes.io/config.hash'] = hash;
  out['kubernetes.io/config.mirror'] = hash;
  out['kubernetes.io/config.seen'] = seen.replace(/Z$/, '.000000000Z');
  out['kubernetes.io/config.source'] = 'file';
  return out;
}

function systemPods(c: Cluster, nodeName = NODE_NAME, kind = false): SystemPod[] {
  const suffix = c.randomSuffix(5);
  const rsHash = c.randomSuffix(10).replace(/[^a-z0-9]/g, 'b');
  const staticPod = (component: string, image: string, resources: KObj): SystemPod => ({
    name: `${component}-${nodeName}`,
    resources,
    image,
    hostNetwork: true,
    labels: { component, tier: 'control-plane' },
    owner: { apiVersion: 'v1', kind: 'Node', name: nodeName },
    command: [component],
    priorityClassName: 'system-node-critical',
    priority: 2000001000,
  });
  const coredns = (): SystemPod => ({
    name: `coredns-${rsHash}-${c.randomSuffix(5)}`,
    image: 'registry.k8s.io/coredns/coredns:v1.11.3',
    hostNetwork: false,
    labels: { 'k8s-app': 'kube-dns', 'pod-template-hash': rsHash },
    owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `coredns-${rsHash}` },
    resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
    priorityClassName: 'system-cluster-critical',
    priority: 2000000000,
  });
  return [
    coredns(),
    ...(kind ? [coredns()] : []),
    staticPod('etcd', 'registry.k8s.io/etcd:3.5.16-0', { requests: { cpu: '100m', memory: '100Mi' } }),
    staticPod('kube-apiserver', `registry.k8s.io/kube-apiserver:${KUBE_VERSION}`, cpuOnly('250m')),
    staticPod('kube-controller-manager', `registry.k8s.io/kube-controller-manager:${KUBE_VERSION}`, cpuOnly('200m')),
    {
      name: `kube-proxy-${suffix}`,
      image: `registry.k8s.io/kube-proxy:${KUBE_VERSION}`,
      hostNetwork: true,
      labels: { 'controller-revision-hash': '7bb84c4984', 'k8s-app': 'kube-proxy', 'pod-template-generation': '1' },
      owner: { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'kube-proxy' },
      command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', `--hostname-override=${nodeName}`],
      priorityClassName: 'system-node-critical',
      priority: 2000001000,
    },
    staticPod('kube-scheduler', `registry.k8s.io/kube-scheduler:${KUBE_VERSION}`, cpuOnly('100m')),
    ...(kind ? [{
      name: `local-path-provisioner-${c.randomSuffix(10).replace(/[^a-z0-9]/g, 'b')}-${c.randomSuffix(5)}`,
      namespace: 'local-path-storage',
      image: 'docker.io/kindest/local-path-provisioner:v20241108-5c6d2daf',
      hostNetwork: false,
      labels: { app: 'local-path-provisioner' },
      owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'local-path-provisioner' },
      priorityClassName: '',
      priority: 0,
    }] : [{
      name: 'storage-provisioner',
      image: 'gcr.io/k8s-minikube/storage-provisioner:v5',
      hostNetwork: true,
      labels: { 'addonmanager.kubernetes.io/mode': 'Reconcile', 'integration-test': 'storage-provisioner' },
      command: ['/storage-provisioner'],
      priorityClassName: '',
      priority: 0,
    }]),
  ];
}

/** The per-node pods of a kind cluster's worker: kube-proxy and kindnet. */
function workerPods(c: Cluster, nodeName: string): SystemPod[] {
  const ds = (n: string, image: string, labels: Record<string, string>, resources?: KObj): SystemPod => ({
    name: `${n}-${c.randomSuffix(5)}`,
    resources,
    image,
    hostNetwork: true,
    labels,
    owner: { apiVersion: 'apps/v1', kind: 'DaemonSet', name: n },
    priorityClassName: 'system-node-critical',
    priority: 2000001000,
  });
  void nodeName;
  return [
    ds('kindnet', 'docker.io/kindest/kindnetd:v20241108-5c6d2daf', { app: 'kindnet', 'k8s-app': 'kindnet', tier: 'node' }, {
      limits: { cpu: '100m', memory: '50Mi' },
      requests: { cpu: '100m', memory: '50Mi' },
    }),
    ds('kube-proxy', `registry.k8s.io/kube-proxy:${KUBE_VERSION}`, { 'controller-revision-hash': '7bb84c4984', 'k8s-app': 'kube-proxy', 'pod-template-generation': '1' }),
  ];
}

function runningStatus(c: Cluster, pod: KObj, ip: string, hostIP = NODE_IP): KObj {
  const t = c.isoNow();
  const cond = (type: string) => ({ lastProbeTime: null, lastTransitionTime: t, status: 'True', type });
  return {
    conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(cond),
    containerStatuses: pod.spec.containers.map((ct: KObj) => ({
      containerID: `containerd://${Array.from({ length: 64 }, () => '0123456789abcdef'[c.randomInt(16)]).join('')}`,
      image: normalizeImage(ct.image),
      imageID: imageId(ct.image),
      lastState: {},
      name: ct.name,
      ready: true,
      restartCount: 0,
      started: true,
      state: { running: { startedAt: t } },
    })),
    hostIP,
    hostIPs: [{ ip: hostIP }],
    phase: 'Running',
    podIP: ip,
    podIPs: [{ ip }],
    qosClass: pod.status.qosClass,
    startTime: t,
  };
}

/** A new cluster has been up this long when the first command runs (system objects show AGE 5m). */
export const CLUSTER_AGE_MS = 5 * 60_000;

/** Builds the state of a new cluster that came up CLUSTER_AGE_MS before simulated time `now`. */
export function bootstrapState(now: number, seed: number, workers = 0): StoreState {
  registerControllers();
  const state = emptyState(now - CLUSTER_AGE_MS, seed);
  state.clock.frozenAt = now;
  const c = new Cluster(state);
  const kind = workers > 0;
  for (const name of ['default', 'kube-node-lease', 'kube-public', 'kube-system', ...(kind ? ['local-path-storage'] : [])]) c.api.create(NAMESPACE, { metadata: { name } });
  const nodes: NodeSpec[] = kind
    ? [
        { name: 'kind-control-plane', ip: '172.18.0.2', cidr: '10.244.0.0/24', controlPlane: true, kind: true },
        ...Array.from({ length: workers }, (_, i) => ({ name: `kind-worker${i ? i + 1 : ''}`, ip: `172.18.0.${i + 3}`, cidr: `10.244.${i + 1}.0/24`, controlPlane: false, kind: true })),
      ]
    : [{ name: NODE_NAME, ip: NODE_IP, cidr: '10.244.0.0/24', controlPlane: true, kind: false }];
  for (const n of nodes) c.api.create(NODE, node(c, n));
  c.api.create(SERVICE, {
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: kind ? 6443 : 8443 }] },
  });
  c.api.create(SERVICE, {
    metadata: {
      name: 'kube-dns',
      namespace: 'kube-system',
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
    },
    spec: {
      clusterIP: '10.96.0.10',
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
      selector: { 'k8s-app': 'kube-dns' },
    },
  });
  const placed: { sp: SystemPod; node: NodeSpec }[] = systemPods(c, nodes[0].name, kind).map((sp) => ({ sp, node: nodes[0] }));
  if (kind) {
    placed.push(...workerPods(c, nodes[0].name).filter((sp) => sp.name.startsWith('kindnet')).map((sp) => ({ sp, node: nodes[0] })));
    for (const n of nodes.slice(1)) placed.push(...workerPods(c, n.name).map((sp) => ({ sp, node: n })));
  }
  const nextIp = new Map<string, number>();
  for (const { sp, node: n } of placed) {
    const owner = sp.owner
      ? [{ apiVersion: sp.owner.apiVersion, blockOwnerDeletion: true, controller: true, kind: sp.owner.kind, name: sp.owner.name, uid: c.uid() }]
      : undefined;
    const created = c.api.create(POD, {
      metadata: {
        name: sp.name,
        namespace: sp.namespace ?? 'kube-system',
        labels: sp.labels,
        ...(sp.owner?.kind === 'Node' ? { annotations: mirrorAnnotations(sp, n.ip, n.kind ? 6443 : 8443, c.isoNow()) } : {}),
        ...(owner ? { ownerReferences: owner } : {}),
      },
      spec: {
        containers: [{ name: sp.name.startsWith('coredns') ? 'coredns' : sp.name.startsWith('kindnet') ? 'kindnet-cni' : sp.name.startsWith('local-path') ? 'local-path-provisioner' : sp.name.replace(/-[a-z0-9]{5}$/, '').replace(`-${n.name}`, ''), image: sp.image, ...(sp.command ? { command: sp.command } : {}), ...(sp.resources ? { resources: sp.resources } : {}) }],
        hostNetwork: sp.hostNetwork || undefined,
        nodeName: n.name,
        priorityClassName: sp.priorityClassName || undefined,
        priority: sp.priority,
        serviceAccountName: sp.name === 'storage-provisioner' ? 'storage-provisioner' : undefined,
      },
    });
    const base = n.cidr.split('.').slice(0, 3).join('.');
    const k = nextIp.get(n.name) ?? 2;
    const ip = sp.hostNetwork ? n.ip : `${base}.${k}`;
    if (!sp.hostNetwork) nextIp.set(n.name, k + 1);
    const stored = c.api.peek(POD, sp.namespace ?? 'kube-system', created.metadata.name)!;
    stored.status = runningStatus(c, stored, ip, n.ip);
    seedSystemPod(c, stored);
  }
  for (const n of nodes) state.counters[`podIP/${n.name}`] = nextIp.get(n.name) ?? 2;
  createDefaultStorageClass(c, kind);
  // the system services' endpoints, as the controllers and the apiserver keep them
  syncAllEndpoints(c);
  syncAllSlices(c);
  addSystemDaemonSets(c, KUBE_VERSION, kind);
  addCoreDnsDeployment(c);
  state.timers = [];
  bootNodes(c, nodes);
  return state;
}

/** A new cluster at `now`, seeded from the time (as every fresh cluster is). */
export function freshState(now: number, workers = 0): StoreState {
  return bootstrapState(now, (now ^ (now / 4294967296)) | 0, workers);
}
