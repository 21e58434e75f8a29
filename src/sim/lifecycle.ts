// Container lifecycle in the kubelet: start a container's program, see it end, restart it per the
// pod's restartPolicy with kubelet's back-off (10 s doubling to 5 min, reset after 10 min of running),
// CrashLoopBackOff, image pull failures with ImagePullBackOff, and the pod phase that follows.
import type { KObj } from '../api/types.js';
import { resolveImage } from '../runtime/catalog.js';
import { imageId, normalizeImage } from '../runtime/images.js';
import { PodRuntime } from '../runtime/pod.js';
import { runtimeOf } from '../runtime/state.js';
import type { Cluster } from './engine.js';
import { recordEvent } from './events.js';
import { POD, splitKey } from './keys.js';

const MAX_BACKOFF = 300_000;
const BASE_BACKOFF = 10_000;

export function kubeletSource(pod: KObj) {
  return { component: 'kubelet', host: pod.spec.nodeName as string };
}

export function fetchPod(c: Cluster, key: string): KObj | undefined {
  const { namespace, name } = splitKey(key);
  const pod = c.api.peek(POD, namespace, name);
  return pod ? structuredClone(pod) : undefined;
}

function condition(c: Cluster, type: string, status: boolean, reason?: string, message?: string): KObj {
  const cond: KObj = { lastProbeTime: null, lastTransitionTime: c.isoNow(), status: status ? 'True' : 'False', type };
  if (message) cond.message = message;
  if (reason) cond.reason = reason;
  return cond;
}

export function setCondition(c: Cluster, pod: KObj, type: string, status: boolean, reason?: string, message?: string): void {
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

export function refreshReadiness(c: Cluster, pod: KObj): void {
  const done = pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed';
  const names = (pod.status.containerStatuses ?? []).filter((s: KObj) => !s.ready).map((s: KObj) => s.name);
  if (done) {
    setCondition(c, pod, 'Ready', false, 'PodCompleted');
    setCondition(c, pod, 'ContainersReady', false, 'PodCompleted');
  } else if (names.length) {
    const msg = `containers with unready status: [${names.join(' ')}]`;
    setCondition(c, pod, 'Ready', false, 'ContainersNotReady', msg);
    setCondition(c, pod, 'ContainersReady', false, 'ContainersNotReady', msg);
  } else {
    setCondition(c, pod, 'Ready', true);
    setCondition(c, pod, 'ContainersReady', true);
  }
}

function containerId(c: Cluster): string {
  return `containerd://${Array.from({ length: 64 }, () => '0123456789abcdef'[c.randomInt(16)]).join('')}`;
}

function backoffOf(c: Cluster, pod: KObj): Record<string, { delay: number; at: number }> {
  const rt = runtimeOf(c.state)[pod.metadata.uid] as { backoff?: Record<string, { delay: number; at: number }> } | undefined;
  if (!rt) return {};
  return (rt.backoff ??= {});
}

/** Phase from the containers' states and the restart policy. */
export function updatePhase(pod: KObj): void {
  const sts: KObj[] = pod.status.containerStatuses ?? [];
  const policy = pod.spec.restartPolicy ?? 'Always';
  const terminated = sts.filter((s) => s.state?.terminated);
  if (sts.length && terminated.length === sts.length) {
    const failed = terminated.some((s) => s.state.terminated.exitCode !== 0);
    if (policy === 'Never') pod.status.phase = failed ? 'Failed' : 'Succeeded';
    else if (policy === 'OnFailure' && !failed) pod.status.phase = 'Succeeded';
  } else if (sts.some((s) => s.state?.running || s.lastState?.terminated || s.restartCount)) pod.status.phase = 'Running';
}

/** Starts container `index` (first start or restart): status, events, and the runtime program. */
export async function startContainer(c: Cluster, key: string, name: string): Promise<void> {
  const pod = fetchPod(c, key);
  if (!pod || pod.metadata.deletionTimestamp) return;
  const ct = pod.spec.containers.find((x: KObj) => x.name === name);
  const st = pod.status.containerStatuses.find((s: KObj) => s.name === name);
  if (!ct || !st) return;
  const fieldPath = `spec.containers{${name}}`;
  const rt = PodRuntime.of(c, pod);
  const missing = await rt.missingProgram(name);
  const restarting = Boolean(st.containerID);
  if (restarting) {
    st.restartCount = (st.restartCount ?? 0) + 1;
    if (st.state?.terminated) st.lastState = { terminated: st.state.terminated };
  }
  st.containerID = containerId(c);
  st.image = normalizeImage(ct.image);
  st.imageID = imageId(ct.image);
  if (missing) {
    const msg = `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "${missing}": executable file not found in $PATH: unknown`;
    recordEvent(c, pod, 'Normal', 'Created', `Created container ${name}`, kubeletSource(pod), fieldPath);
    recordEvent(c, pod, 'Warning', 'Failed', `Error: ${msg}`, kubeletSource(pod), fieldPath);
    st.state = { terminated: { containerID: st.containerID, exitCode: 128, finishedAt: c.isoNow(), message: msg, reason: 'StartError', startedAt: '1970-01-01T00:00:00Z' } };
    st.ready = false;
    st.started = false;
    updatePhase(pod);
    refreshReadiness(c, pod);
    c.api.write(POD, pod);
    scheduleRestart(c, key, name, 0);
    return;
  }
  recordEvent(c, pod, 'Normal', 'Created', `Created container ${name}`, kubeletSource(pod), fieldPath);
  recordEvent(c, pod, 'Normal', 'Started', `Started container ${name}`, kubeletSource(pod), fieldPath);
  st.ready = !ct.readinessProbe;
  st.started = true;
  st.state = { running: { startedAt: c.isoNow() } };
  updatePhase(pod);
  refreshReadiness(c, pod);
  c.api.write(POD, pod);
  await PodRuntime.of(c, c.api.peek(POD, pod.metadata.namespace, pod.metadata.name)!).start(name, ct.image, c.now());
}

/** The runtime saw a container's main program end. */
export function containerExited(c: Cluster, key: string, name: string): void {
  const pod = fetchPod(c, key);
  if (!pod) return;
  const rt = runtimeOf(c.state)[pod.metadata.uid];
  const info = rt?.containers[name]?.exited;
  const st = (pod.status.containerStatuses ?? []).find((s: KObj) => s.name === name);
  if (!info || !st?.state?.running) return;
  const finishedAt = new Date(info.at).toISOString().replace(/\.\d+Z$/, 'Z');
  const terminated: KObj = { containerID: st.containerID, exitCode: info.code, finishedAt, reason: info.code === 0 ? 'Completed' : 'Error', startedAt: st.state.running.startedAt };
  if (info.signal) terminated.signal = info.signal;
  st.state = { terminated };
  st.ready = false;
  st.started = false;
  const ranMs = info.at - Date.parse(st.state.terminated.startedAt);
  if (pod.metadata.deletionTimestamp) {
    c.api.write(POD, pod);
    return;
  }
  updatePhase(pod);
  refreshReadiness(c, pod);
  c.api.write(POD, pod);
  const policy = pod.spec.restartPolicy ?? 'Always';
  if (policy === 'Always' || (policy === 'OnFailure' && info.code !== 0)) scheduleRestart(c, key, name, ranMs);
}

function scheduleRestart(c: Cluster, key: string, name: string, ranMs: number): void {
  const pod = c.api.peek(POD, splitKey(key).namespace, splitKey(key).name);
  if (!pod) return;
  const bo = backoffOf(c, pod);
  const prev = bo[name];
  let delay: number;
  if (!prev || ranMs >= 2 * MAX_BACKOFF) delay = 0;
  else delay = prev.delay === 0 ? BASE_BACKOFF : Math.min(prev.delay * 2, MAX_BACKOFF);
  bo[name] = { delay, at: c.now() };
  if (delay === 0) {
    c.schedule(1000, 'kubelet-restart', key, { name });
    return;
  }
  const p = structuredClone(pod);
  const st = p.status.containerStatuses.find((s: KObj) => s.name === name);
  const uidText = `${p.metadata.namespace}(${p.metadata.uid})`;
  st.state = { waiting: { message: `back-off ${goSeconds(delay)} restarting failed container=${name} pod=${p.metadata.name}_${uidText}`, reason: 'CrashLoopBackOff' } };
  if (!st.lastState?.terminated || st.lastState.terminated.containerID !== pod.status.containerStatuses.find((s: KObj) => s.name === name)?.state?.terminated?.containerID) {
    const term = pod.status.containerStatuses.find((s: KObj) => s.name === name)?.state?.terminated;
    if (term) st.lastState = { terminated: term };
  }
  c.api.write(POD, p);
  recordEvent(c, p, 'Warning', 'BackOff', `Back-off restarting failed container ${name} in pod ${p.metadata.name}_${uidText}`, kubeletSource(p), `spec.containers{${name}}`);
  c.schedule(delay, 'kubelet-restart', key, { name });
}

function goSeconds(ms: number): string {
  const s = ms / 1000;
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
}

/** The image does not exist: ErrImagePull, then ImagePullBackOff with growing delays. */
export function pullFailed(c: Cluster, key: string, index: number, attempt: number): void {
  const pod = fetchPod(c, key);
  if (!pod || pod.metadata.deletionTimestamp) return;
  const ct = pod.spec.containers[index];
  const st = pod.status.containerStatuses[index];
  const n = normalizeImage(ct.image);
  const fieldPath = `spec.containers{${ct.name}}`;
  const r = resolveImage(ct.image);
  const why = r.found
    ? ''
    : `rpc error: code = NotFound desc = failed to pull and unpack image "${n}": failed to resolve reference "${n}": ${n}: not found`;
  const msg = `Failed to pull image "${ct.image}": ${why}`;
  recordEvent(c, pod, 'Warning', 'Failed', msg, kubeletSource(pod), fieldPath);
  recordEvent(c, pod, 'Warning', 'Failed', 'Error: ErrImagePull', kubeletSource(pod), fieldPath);
  st.state = { waiting: { message: msg, reason: 'ErrImagePull' } };
  c.api.write(POD, pod);
  const delay = Math.min(BASE_BACKOFF * 2 ** attempt, MAX_BACKOFF);
  c.schedule(1000, 'kubelet-pull-backoff', key, { index, attempt, delay });
}

export function pullBackoff(c: Cluster, key: string, index: number, attempt: number, delay: number): void {
  const pod = fetchPod(c, key);
  if (!pod || pod.metadata.deletionTimestamp) return;
  const ct = pod.spec.containers[index];
  const st = pod.status.containerStatuses[index];
  const fieldPath = `spec.containers{${ct.name}}`;
  const msg = `Back-off pulling image "${ct.image}"`;
  recordEvent(c, pod, 'Normal', 'BackOff', msg, kubeletSource(pod), fieldPath);
  recordEvent(c, pod, 'Warning', 'Failed', 'Error: ImagePullBackOff', kubeletSource(pod), fieldPath);
  st.state = { waiting: { message: msg, reason: 'ImagePullBackOff' } };
  c.api.write(POD, pod);
  c.schedule(delay, 'kubelet-pull', key, { index, attempt: attempt + 1 });
}
