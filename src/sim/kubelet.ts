// The kubelet (first stage): brings a bound pod's sandbox up, pulls images one at a time, creates and
// starts containers with kubelet's events and status, and finishes graceful deletions.
import type { KObj } from '../api/types.js';
import { goDuration, imageId, imageSizeBytes, normalizeImage, pullDurationMs } from '../runtime/images.js';
import type { Cluster } from './engine.js';
import { recordEvent } from './events.js';
import { NODE, POD, podKey, splitKey } from './keys.js';
import { allocatePodIp } from './network.js';

const SANDBOX_MS = 1000;

function source(pod: KObj) {
  return { component: 'kubelet', host: pod.spec.nodeName as string };
}

function condition(c: Cluster, type: string, status: boolean, reason?: string, message?: string): KObj {
  const cond: KObj = { lastProbeTime: null, lastTransitionTime: c.isoNow(), status: status ? 'True' : 'False', type };
  if (message) cond.message = message;
  if (reason) cond.reason = reason;
  return cond;
}

function setCondition(c: Cluster, pod: KObj, type: string, status: boolean, reason?: string, message?: string): void {
  const conds: KObj[] = (pod.status.conditions ??= []);
  const i = conds.findIndex((x) => x.type === type);
  const next = condition(c, type, status, reason, message);
  if (i >= 0) {
    if (conds[i].status === next.status && conds[i].reason === next.reason && conds[i].message === next.message) return;
    conds[i] = next;
  } else conds.push(next);
  const order = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];
  conds.sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
}

function unready(pod: KObj): string[] {
  return (pod.status.containerStatuses ?? []).filter((s: KObj) => !s.ready).map((s: KObj) => s.name);
}

function refreshReadiness(c: Cluster, pod: KObj): void {
  const names = unready(pod);
  if (names.length) {
    const msg = `containers with unready status: [${names.join(' ')}]`;
    setCondition(c, pod, 'Ready', false, 'ContainersNotReady', msg);
    setCondition(c, pod, 'ContainersReady', false, 'ContainersNotReady', msg);
  } else {
    setCondition(c, pod, 'Ready', true);
    setCondition(c, pod, 'ContainersReady', true);
  }
}

function fetchPod(c: Cluster, key: string): KObj | undefined {
  const { namespace, name } = splitKey(key);
  const pod = c.api.peek(POD, namespace, name);
  return pod ? structuredClone(pod) : undefined;
}

/** The pod was bound: the kubelet sees it and starts the sandbox. */
function podAdmitted(c: Cluster, key: string): void {
  const pod = fetchPod(c, key);
  if (!pod || pod.status.startTime) return;
  const node = c.api.peek(NODE, undefined, pod.spec.nodeName);
  const hostIP = node?.status?.addresses?.find((a: KObj) => a.type === 'InternalIP')?.address ?? '';
  pod.status.hostIP = hostIP;
  pod.status.hostIPs = [{ ip: hostIP }];
  pod.status.startTime = c.isoNow();
  setCondition(c, pod, 'PodReadyToStartContainers', false);
  setCondition(c, pod, 'Initialized', true);
  pod.status.containerStatuses = pod.spec.containers.map((ct: KObj) => ({
    image: ct.image,
    imageID: '',
    lastState: {},
    name: ct.name,
    ready: false,
    restartCount: 0,
    started: false,
    state: { waiting: { reason: 'ContainerCreating' } },
  }));
  refreshReadiness(c, pod);
  c.api.write(POD, pod);
  c.schedule(SANDBOX_MS, 'kubelet-sandbox', key);
}

function sandboxReady(c: Cluster, key: string): void {
  const pod = fetchPod(c, key);
  if (!pod || pod.metadata.deletionTimestamp) return;
  const ip = pod.spec.hostNetwork ? pod.status.hostIP : allocatePodIp(c, pod.spec.nodeName);
  pod.status.podIP = ip;
  pod.status.podIPs = [{ ip }];
  setCondition(c, pod, 'PodReadyToStartContainers', true);
  c.api.write(POD, pod);
  c.schedule(0, 'kubelet-pull', key, { index: 0 });
}

function nodeHasImage(node: KObj | undefined, image: string): boolean {
  const n = normalizeImage(image);
  return (node?.status?.images ?? []).some((i: KObj) => (i.names ?? []).includes(n));
}

function pull(c: Cluster, key: string, index: number): void {
  const pod = fetchPod(c, key);
  if (!pod || pod.metadata.deletionTimestamp) return;
  const ct = pod.spec.containers[index];
  if (!ct) return;
  const node = c.api.peek(NODE, undefined, pod.spec.nodeName);
  const fieldPath = `spec.containers{${ct.name}}`;
  if (ct.imagePullPolicy !== 'Always' && nodeHasImage(node, ct.image)) {
    recordEvent(c, pod, 'Normal', 'Pulled', `Container image "${ct.image}" already present on machine`, source(pod), fieldPath);
    c.schedule(0, 'kubelet-start', key, { index });
    return;
  }
  recordEvent(c, pod, 'Normal', 'Pulling', `Pulling image "${ct.image}"`, source(pod), fieldPath);
  const cached = nodeHasImage(node, ct.image);
  const ms = cached ? 300 + (pullDurationMs(ct.image) % 400) : pullDurationMs(ct.image);
  c.schedule(ms, 'kubelet-pulled', key, { index, ms });
}

function pulled(c: Cluster, key: string, index: number, ms: number): void {
  const pod = fetchPod(c, key);
  if (!pod || pod.metadata.deletionTimestamp) return;
  const ct = pod.spec.containers[index];
  const d = goDuration(ms);
  recordEvent(
    c,
    pod,
    'Normal',
    'Pulled',
    `Successfully pulled image "${ct.image}" in ${d} (${d} including waiting). Image size: ${imageSizeBytes(ct.image)} bytes.`,
    source(pod),
    `spec.containers{${ct.name}}`,
  );
  rememberImage(c, pod.spec.nodeName, ct.image);
  start(c, key, index);
}

function rememberImage(c: Cluster, nodeName: string, image: string): void {
  const node = c.api.peek(NODE, undefined, nodeName);
  if (!node || nodeHasImage(node, image)) return;
  const updated = structuredClone(node);
  const n = normalizeImage(image);
  (updated.status.images ??= []).unshift({ names: [imageId(image), n], sizeBytes: imageSizeBytes(image) });
  c.api.write(NODE, updated);
}

function containerId(c: Cluster): string {
  return `containerd://${c.randomSuffix(0)}${Array.from({ length: 64 }, () => '0123456789abcdef'[c.randomInt(16)]).join('')}`;
}

function start(c: Cluster, key: string, index: number): void {
  const pod = fetchPod(c, key);
  if (!pod || pod.metadata.deletionTimestamp) return;
  const ct = pod.spec.containers[index];
  const fieldPath = `spec.containers{${ct.name}}`;
  recordEvent(c, pod, 'Normal', 'Created', `Created container ${ct.name}`, source(pod), fieldPath);
  recordEvent(c, pod, 'Normal', 'Started', `Started container ${ct.name}`, source(pod), fieldPath);
  const st = pod.status.containerStatuses[index];
  st.containerID = containerId(c);
  st.image = normalizeImage(ct.image);
  st.imageID = imageId(ct.image);
  st.ready = !ct.readinessProbe;
  st.started = true;
  st.state = { running: { startedAt: c.isoNow() } };
  refreshReadiness(c, pod);
  if (index + 1 < pod.spec.containers.length) c.schedule(0, 'kubelet-pull', key, { index: index + 1 });
  else pod.status.phase = 'Running';
  c.api.write(POD, pod);
}

/** Graceful deletion: containers are stopped, then the pod object goes away. */
function terminate(c: Cluster, key: string): void {
  const pod = fetchPod(c, key);
  if (!pod) return;
  for (const st of pod.status.containerStatuses ?? []) {
    if (st.state?.running) recordEvent(c, pod, 'Normal', 'Killing', `Stopping container ${st.name}`, source(pod), `spec.containers{${st.name}}`);
  }
  c.api.remove(POD, pod.metadata.namespace, pod.metadata.name);
}

export const kubelet = {
  name: 'kubelet',
  onChange(c: Cluster, ev: { type: string; def: { kind: string }; obj: KObj; old?: KObj }) {
    if (ev.def.kind !== 'Pod') return;
    const pod = ev.obj;
    const key = podKey(pod);
    if (ev.type === 'DELETED') {
      c.cancel(key);
      return;
    }
    if (pod.spec?.nodeName && !ev.old?.spec?.nodeName && !pod.status?.startTime) c.schedule(0, 'kubelet-admit', key);
    if (pod.metadata.deletionTimestamp && !ev.old?.metadata?.deletionTimestamp) {
      const grace = (pod.metadata.deletionGracePeriodSeconds ?? 30) * 1000;
      c.schedule(Math.min(grace, 1000), 'kubelet-terminate', key);
    }
  },
  timers: {
    'kubelet-admit': (c: Cluster, t: { key: string }) => podAdmitted(c, t.key),
    'kubelet-sandbox': (c: Cluster, t: { key: string }) => sandboxReady(c, t.key),
    'kubelet-pull': (c: Cluster, t: { key: string; data?: Record<string, unknown> }) => pull(c, t.key, Number(t.data?.index)),
    'kubelet-pulled': (c: Cluster, t: { key: string; data?: Record<string, unknown> }) =>
      pulled(c, t.key, Number(t.data?.index), Number(t.data?.ms)),
    'kubelet-terminate': (c: Cluster, t: { key: string }) => terminate(c, t.key),
  },
};
