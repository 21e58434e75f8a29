// The kubelet: brings a bound pod's sandbox up, pulls images one at a time, starts containers
// (their programs run in the container runtime), follows them as they end and restart, restarts a
// container whose image was changed, and finishes graceful deletions.
import type { KObj } from '../api/types.js';
import { resolveImage } from '../runtime/catalog.js';
import { goDuration, imageId, imageSizeBytes, normalizeImage, pullDurationMs } from '../runtime/images.js';
import { PodRuntime } from '../runtime/pod.js';
import { runtimeOf } from '../runtime/state.js';
import type { Cluster } from './engine.js';
import { recordEvent } from './events.js';
import { NODE, POD, podKey } from './keys.js';
import {
  containerExited,
  fetchPod,
  kubeletSource as source,
  pullBackoff,
  pullFailed,
  refreshReadiness,
  setCondition,
  startContainer,
} from './lifecycle.js';
import { allocatePodIp } from './network.js';

const SANDBOX_MS = 1000;

type TimerArg = { key: string; data?: Record<string, unknown> };

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
  c.schedule(0, 'kubelet-pull', key, { index: 0, chain: true });
}

function nodeHasImage(node: KObj | undefined, image: string): boolean {
  const n = normalizeImage(image);
  return (node?.status?.images ?? []).some((i: KObj) => (i.names ?? []).includes(n));
}

function pull(c: Cluster, key: string, data: Record<string, unknown>): void {
  const index = Number(data.index);
  const pod = fetchPod(c, key);
  if (!pod || pod.metadata.deletionTimestamp) return;
  const ct = pod.spec.containers[index];
  if (!ct) return;
  const node = c.api.peek(NODE, undefined, pod.spec.nodeName);
  const fieldPath = `spec.containers{${ct.name}}`;
  if (ct.imagePullPolicy !== 'Always' && nodeHasImage(node, ct.image)) {
    recordEvent(c, pod, 'Normal', 'Pulled', `Container image "${ct.image}" already present on machine`, source(pod), fieldPath);
    c.schedule(0, 'kubelet-start', key, data);
    return;
  }
  recordEvent(c, pod, 'Normal', 'Pulling', `Pulling image "${ct.image}"`, source(pod), fieldPath);
  if (!resolveImage(ct.image).found) {
    c.schedule(800 + (pullDurationMs(ct.image) % 700), 'kubelet-pull-failed', key, data);
    return;
  }
  const cached = nodeHasImage(node, ct.image);
  const ms = cached ? 300 + (pullDurationMs(ct.image) % 400) : pullDurationMs(ct.image);
  c.schedule(ms, 'kubelet-pulled', key, { ...data, ms });
}

function pulled(c: Cluster, key: string, data: Record<string, unknown>): void {
  const pod = fetchPod(c, key);
  if (!pod || pod.metadata.deletionTimestamp) return;
  const ct = pod.spec.containers[Number(data.index)];
  if (!ct) return;
  const d = goDuration(Number(data.ms));
  const size = resolveImage(ct.image);
  const bytes = size.found && size.variant.sizeBytes ? size.variant.sizeBytes : imageSizeBytes(ct.image);
  const msg = `Successfully pulled image "${ct.image}" in ${d} (${d} including waiting). Image size: ${bytes} bytes.`;
  recordEvent(c, pod, 'Normal', 'Pulled', msg, source(pod), `spec.containers{${ct.name}}`);
  rememberImage(c, pod.spec.nodeName, ct.image, bytes);
  c.schedule(0, 'kubelet-start', key, data);
}

function rememberImage(c: Cluster, nodeName: string, image: string, bytes: number): void {
  const node = c.api.peek(NODE, undefined, nodeName);
  if (!node || nodeHasImage(node, image)) return;
  const updated = structuredClone(node);
  (updated.status.images ??= []).unshift({ names: [imageId(image), normalizeImage(image)], sizeBytes: bytes });
  c.api.write(NODE, updated);
}

async function start(c: Cluster, key: string, data: Record<string, unknown>): Promise<void> {
  const pod = fetchPod(c, key);
  const index = Number(data.index);
  const ct = pod?.spec.containers[index];
  if (!pod || !ct) return;
  if (data.chain && index + 1 < pod.spec.containers.length) c.schedule(0, 'kubelet-pull', key, { index: index + 1, chain: true });
  await startContainer(c, key, ct.name);
}

/** An image changed by update: kill the container (if running) and start it again with the new image. */
function imageChanged(c: Cluster, key: string, name: string): void {
  const pod = fetchPod(c, key);
  if (!pod || pod.metadata.deletionTimestamp) return;
  const index = pod.spec.containers.findIndex((x: KObj) => x.name === name);
  const st = pod.status.containerStatuses?.find((s: KObj) => s.name === name);
  if (index < 0 || !st) return;
  const rt = runtimeOf(c.state)[pod.metadata.uid];
  if (rt) delete (rt as { backoff?: Record<string, unknown> }).backoff?.[name];
  if (st.state?.running) {
    recordEvent(c, pod, 'Normal', 'Killing', `Container ${name} definition changed, will be restarted`, source(pod), `spec.containers{${name}}`);
    const ctRt = rt?.containers[name];
    if (ctRt) ctRt.exited = { code: 0, at: c.now() };
    st.state = { terminated: { containerID: st.containerID, exitCode: 0, finishedAt: c.isoNow(), reason: 'Completed', startedAt: st.state.running.startedAt } };
    st.ready = false;
    st.started = false;
    refreshReadiness(c, pod);
    c.api.write(POD, pod);
  }
  c.schedule(0, 'kubelet-pull', key, { index });
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

async function wake(c: Cluster, key: string): Promise<void> {
  const pod = fetchPod(c, key);
  if (!pod || pod.metadata.deletionTimestamp) return;
  await PodRuntime.of(c, c.api.peek(POD, pod.metadata.namespace, pod.metadata.name)!).advance(c.now());
}

/** A back-off ended: the container goes through the pull path again (Always pulls, others find the image). */
function restartDue(c: Cluster, t: TimerArg): void {
  const pod = fetchPod(c, t.key);
  if (!pod || pod.metadata.deletionTimestamp) return;
  const index = pod.spec.containers.findIndex((x: KObj) => x.name === t.data?.name);
  const st = pod.status.containerStatuses?.[index];
  if (index < 0 || !st || st.state?.running) return;
  pull(c, t.key, { index });
}

export const kubelet = {
  name: 'kubelet',
  onChange(c: Cluster, ev: { type: string; def: { kind: string }; obj: KObj; old?: KObj }) {
    if (ev.def.kind !== 'Pod') return;
    const pod = ev.obj;
    const key = podKey(pod);
    if (ev.type === 'DELETED') {
      c.cancel(key);
      PodRuntime.forget(c, pod.metadata.uid);
      return;
    }
    if (pod.spec?.nodeName && !ev.old?.spec?.nodeName && !pod.status?.startTime) c.schedule(0, 'kubelet-admit', key);
    if (pod.metadata.deletionTimestamp && !ev.old?.metadata?.deletionTimestamp) {
      const grace = (pod.metadata.deletionGracePeriodSeconds ?? 30) * 1000;
      c.schedule(Math.min(grace, 1000), 'kubelet-terminate', key);
    }
    if (ev.old && pod.status?.startTime) {
      for (const ct of pod.spec.containers ?? []) {
        const before = (ev.old.spec?.containers ?? []).find((x: KObj) => x.name === ct.name);
        if (before && before.image !== ct.image) c.schedule(0, 'kubelet-image-changed', key, { name: ct.name });
      }
    }
  },
  timers: {
    'kubelet-admit': (c: Cluster, t: TimerArg) => podAdmitted(c, t.key),
    'kubelet-sandbox': (c: Cluster, t: TimerArg) => sandboxReady(c, t.key),
    'kubelet-pull': (c: Cluster, t: TimerArg) => pull(c, t.key, t.data ?? {}),
    'kubelet-pulled': (c: Cluster, t: TimerArg) => pulled(c, t.key, t.data ?? {}),
    'kubelet-pull-failed': (c: Cluster, t: TimerArg) => pullFailed(c, t.key, Number(t.data?.index), Number(t.data?.attempt ?? 0)),
    'kubelet-pull-backoff': (c: Cluster, t: TimerArg) =>
      pullBackoff(c, t.key, Number(t.data?.index), Number(t.data?.attempt ?? 0), Number(t.data?.delay)),
    'kubelet-start': (c: Cluster, t: TimerArg) => start(c, t.key, t.data ?? {}),
    'kubelet-exited': (c: Cluster, t: TimerArg) => containerExited(c, t.key, String(t.data?.name)),
    'kubelet-restart': restartDue,
    'kubelet-image-changed': (c: Cluster, t: TimerArg) => imageChanged(c, t.key, String(t.data?.name)),
    'runtime-wake': (c: Cluster, t: TimerArg) => wake(c, t.key),
    'kubelet-terminate': (c: Cluster, t: TimerArg) => terminate(c, t.key),
  },
};
