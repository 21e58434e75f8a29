// Container lifecycle in the kubelet: start a container's program (after the config checks kubelet
// makes), see it end, restart it per the pod's restartPolicy with kubelet's back-off (10 s doubling to
// 5 min, reset after 10 min of running), CrashLoopBackOff, init containers in order (sidecars keep
// running), image pull failures with ImagePullBackOff, and the pod phase that follows.
import type { KObj } from '../api/types.js';
import { resolveImage } from '../runtime/catalog.js';
import { resolveEnv, securityError } from '../runtime/config.js';
import { imageId, normalizeImage } from '../runtime/images.js';
import { PodRuntime } from '../runtime/pod.js';
import { runtimeOf } from '../runtime/state.js';
import type { Cluster } from './engine.js';
import { recordEvent } from './events.js';
import { POD } from './keys.js';
import { containerRef, fetchPod, kubeletSource, pendingInits, refreshReadiness, updatePhase } from './pod-status.js';
import { runPostStart, startProbes } from './probes.js';
import { shiftState, skipDraws, skipTurns } from './skip.js';
import { containerId, predictCrashLoop, skipAtRestart } from './crashloop.js';
import { terminatedFields } from './termination.js';

export { fetchPod, kubeletSource, refreshReadiness, setCondition } from './pod-status.js';

const MAX_BACKOFF = 300_000;
const BASE_BACKOFF = 10_000;

const CONTAINER_ID_DRAWS = 64;

function backoffOf(c: Cluster, pod: KObj): Record<string, { delay: number; at: number }> {
  const rt = runtimeOf(c.state)[pod.metadata.uid] as { backoff?: Record<string, { delay: number; at: number }> } | undefined;
  if (!rt) return {};
  return (rt.backoff ??= {});
}

/** Starts a container (first start or restart): config checks, status, events, and its program. */
export async function startContainer(c: Cluster, key: string, name: string): Promise<void> {
  const pod = fetchPod(c, key);
  if (!pod || pod.metadata.deletionTimestamp) return;
  const ref = containerRef(pod, name);
  if (!ref?.status) return;
  const { spec: ct, status: st, fieldPath } = ref;
  const img = resolveImage(ct.image);
  const configError = resolveEnv(c, pod, ct).error ?? securityError(pod, ct, img.found ? img.variant.user : '');
  if (configError) {
    recordEvent(c, pod, 'Warning', 'Failed', `Error: ${configError}`, kubeletSource(pod), fieldPath);
    st.state = { waiting: { message: configError, reason: 'CreateContainerConfigError' } };
    c.api.write(POD, pod);
    c.schedule(10_000 + skipTurns(c, pod, `config:${name}`, fieldPath).shiftMs, 'kubelet-restart', key, { name });
    return;
  }
  const rt = PodRuntime.of(c, pod);
  const missing = await rt.missingProgram(name);
  if (st.containerID) {
    st.restartCount = (st.restartCount ?? 0) + 1;
    if (st.state?.terminated) st.lastState = { terminated: st.state.terminated };
  }
  st.containerID = containerId(c);
  st.image = normalizeImage(ct.image);
  st.imageID = imageId(ct.image);
  recordEvent(c, pod, 'Normal', 'Created', `Created container ${name}`, kubeletSource(pod), fieldPath);
  if (missing) {
    const msg = `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "${missing}": executable file not found in $PATH: unknown`;
    recordEvent(c, pod, 'Warning', 'Failed', `Error: ${msg}`, kubeletSource(pod), fieldPath);
    st.state = { terminated: { containerID: st.containerID, exitCode: 128, finishedAt: c.isoNow(), message: msg, reason: 'StartError', startedAt: '1970-01-01T00:00:00Z' } };
    st.ready = false;
    if (!ref.ephemeral) st.started = false;
    updatePhase(pod);
    refreshReadiness(c, pod);
    c.api.write(POD, pod);
    afterTermination(c, key, pod, name, 128, 0);
    return;
  }
  recordEvent(c, pod, 'Normal', 'Started', `Started container ${name}`, kubeletSource(pod), fieldPath);
  st.ready = ref.ephemeral || (ref.init && !ref.sidecar) ? false : !ct.readinessProbe;
  if (!ref.ephemeral) st.started = !ct.startupProbe;
  st.state = { running: { startedAt: c.isoNow() } };
  updatePhase(pod);
  refreshReadiness(c, pod);
  c.api.write(POD, pod);
  const live = PodRuntime.of(c, c.api.peek(POD, pod.metadata.namespace, pod.metadata.name)!);
  live.syncMounted();
  await live.start(name, ct.image, c.now());
  if (!(await runPostStart(c, key, name))) return;
  startProbes(c, key, name);
  if (ref.sidecar && !ct.startupProbe) initProgress(c, key);
}

/** An init container finished (or a sidecar started): start the next one, or the app containers. */
export function initProgress(c: Cluster, key: string): void {
  const pod = fetchPod(c, key);
  if (!pod || pod.metadata.deletionTimestamp) return;
  const pending = pendingInits(pod);
  refreshReadiness(c, pod);
  c.api.write(POD, pod);
  if (pending.length) {
    const next = pending[0];
    const st = (pod.status.initContainerStatuses ?? []).find((s: KObj) => s.name === next);
    if (!st?.state?.running && !st?.containerID) c.schedule(0, 'kubelet-pull', key, { name: next });
    return;
  }
  for (const s of pod.status.containerStatuses ?? []) s.state = { waiting: { reason: 'ContainerCreating' } };
  c.api.write(POD, pod);
  if (pod.spec.containers.length) c.schedule(0, 'kubelet-pull', key, { name: pod.spec.containers[0].name, chain: true });
}

/** The runtime saw a container's main program end. */
export function containerExited(c: Cluster, key: string, name: string): void {
  const pod = fetchPod(c, key);
  if (!pod) return;
  const rt = runtimeOf(c.state)[pod.metadata.uid];
  const info = rt?.containers[name]?.exited;
  const ref = containerRef(pod, name);
  const st = ref?.status;
  if (!info || !st?.state?.running) return;
  if (pod.status.phase === 'Failed' && pod.status.reason) {
    // a pod ended by the kubelet (DeadlineExceeded) keeps its last container states
    st.ready = false;
    c.api.write(POD, pod);
    return;
  }
  const finishedAt = new Date(info.at).toISOString().replace(/\.\d+Z$/, 'Z');
  const terminated: KObj = { containerID: st.containerID, exitCode: info.code, finishedAt, ...terminatedFields(ref?.spec, rt?.containers[name], info, pod), startedAt: st.state.running.startedAt };
  if (info.signal) terminated.signal = info.signal;
  st.state = { terminated };
  st.ready = false;
  if (!ref?.ephemeral) st.started = false;
  const ranMs = info.at - Date.parse(terminated.startedAt);
  if (pod.metadata.deletionTimestamp) {
    c.api.write(POD, pod);
    c.schedule(0, 'kubelet-terminated', key);
    return;
  }
  updatePhase(pod);
  refreshReadiness(c, pod);
  c.api.write(POD, pod);
  afterTermination(c, key, pod, name, info.code, ranMs);
}

function afterTermination(c: Cluster, key: string, pod: KObj, name: string, code: number, ranMs: number): void {
  const ref = containerRef(pod, name)!;
  const policy = pod.spec.restartPolicy ?? 'Always';
  if (ref.ephemeral || (pod.status.phase === 'Failed' && pod.status.reason)) return; // ephemeral containers are never restarted
  if (ref.init && !ref.sidecar) {
    if (code === 0) c.schedule(0, 'kubelet-init-progress', key);
    else if (policy !== 'Never') scheduleRestart(c, key, name, ranMs);
    return;
  }
  if (ref.sidecar || policy === 'Always' || (policy === 'OnFailure' && code !== 0)) scheduleRestart(c, key, name, ranMs);
}

function scheduleRestart(c: Cluster, key: string, name: string, ranMs: number): void {
  // (a crash loop whose run repeats is accounted for up to the catch-up's target: crashloop.ts)
  const pod = fetchPod(c, key);
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
  const ref = containerRef(pod, name)!;
  const st = ref.status!;
  const uidText = `${pod.metadata.namespace}(${pod.metadata.uid})`;
  if (st.state?.terminated) st.lastState = { terminated: st.state.terminated };
  st.state = { waiting: { message: `back-off ${goSeconds(delay)} restarting failed container=${name} pod=${pod.metadata.name}_${uidText}`, reason: 'CrashLoopBackOff' } };
  c.api.write(POD, pod);
  recordEvent(c, pod, 'Warning', 'BackOff', `Back-off restarting failed container ${name} in pod ${pod.metadata.name}_${uidText}`, kubeletSource(pod), ref.fieldPath);
  const restartAt = prev && prev.delay > 0 ? prev.at + prev.delay : undefined;
  const loop = restartAt !== undefined ? predictCrashLoop(c, pod, name, ref.fieldPath, restartAt, delay, st.lastState?.terminated, LIMITS) : undefined;
  if (loop) {
    // the turns up to the target are known: their restarts, the times of the last, the back-off after it
    for (const cond of pod.status?.conditions ?? []) if (Date.parse(cond.lastTransitionTime ?? '') >= Math.floor(restartAt! / 1000) * 1000) cond.lastTransitionTime = loop.shift(cond.lastTransitionTime);
    delay = loop.delay;
    st.state.waiting.message = `back-off ${goSeconds(delay)} restarting failed container=${name} pod=${pod.metadata.name}_${uidText}`;
    bo[name] = { delay, at: c.now() };
  }
  const skipped = loop ? { turns: loop.turns, shiftMs: loop.end - c.now(), shift: loop.shift } : undefined;
  const { turns, shiftMs, shift } = skipped ?? skipTurns(c, pod, `restart:${name}`, ref.fieldPath);
  if (turns) {
    st.restartCount = (st.restartCount ?? 0) + turns;
    shiftState(st.lastState, shift);
    bo[name].at += shiftMs;
    // the skipped restarts took their container ids from the random source; the last one is the container's
    skipDraws(c, CONTAINER_ID_DRAWS * (turns - 1));
    st.containerID = containerId(c);
    if (st.lastState?.terminated) st.lastState.terminated.containerID = st.containerID;
    // the run that just ended stands for the last skipped one: its log lines move with it
    for (const l of runtimeOf(c.state)[pod.metadata.uid]?.containers[name]?.log ?? []) l.t += shiftMs;
    c.api.write(POD, pod);
  }
  c.schedule(delay + shiftMs, 'kubelet-restart', key, { name });
  // the pod worker syncs the pod again every sync-frequency (1m) while it waits: each sync finds the
  // container still in back-off and says so again (kuberuntime doBackOff's event)
  for (let at = RESYNC_MS; at < delay; at += RESYNC_MS) c.schedule(at + shiftMs, BACKOFF_SYNC, key, { name, cid: st.lastState?.terminated?.containerID });
}

const RESYNC_MS = 60_000;
export const BACKOFF_SYNC = 'kubelet-backoff-sync';
const LIMITS = { max: MAX_BACKOFF, resync: RESYNC_MS };

/** A back-off ended: a known crash loop is accounted for up to the target instead of restarted (crashloop.ts). */
export function restartSkipped(c: Cluster, key: string, name: string): boolean {
  const pod = c.api.peek(POD, ...(key.split('/').slice(1) as [string, string]));
  if (!pod) return false;
  const uidText = `${pod.metadata.namespace}(${pod.metadata.uid})`;
  return skipAtRestart(c, key, name, LIMITS, (d) => `back-off ${goSeconds(d)} restarting failed container=${name} pod=${pod.metadata.name}_${uidText}`, BACKOFF_SYNC);
}

/** A periodic pod sync during a container's back-off. */
export function backoffSync(c: Cluster, key: string, name: string, cid: unknown): void {
  const [, namespace, podName] = key.split('/');
  const pod = c.api.peek(POD, namespace, podName); // only read: no copy
  const ref = pod && containerRef(pod, name);
  const st = ref?.status;
  if (!pod || !st || pod.metadata.deletionTimestamp || st.state?.waiting?.reason !== 'CrashLoopBackOff' || st.lastState?.terminated?.containerID !== cid) return;
  if (restartSkipped(c, key, name)) return; // a known loop: accounted for from this resync on
  const uidText = `${pod.metadata.namespace}(${pod.metadata.uid})`;
  recordEvent(c, pod, 'Warning', 'BackOff', `Back-off restarting failed container ${name} in pod ${pod.metadata.name}_${uidText}`, kubeletSource(pod), ref.fieldPath);
}

function goSeconds(ms: number): string {
  const s = ms / 1000;
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
}

function notFoundError(image: string): string {
  const n = normalizeImage(image);
  return `rpc error: code = NotFound desc = failed to pull and unpack image "${n}": failed to resolve reference "${n}": ${n}: not found`;
}

/**
 * The pull failed (`error`: containerd's error as the kubelet prints it): the Failed event says
 * `Failed to pull image "…": <error>`, the container waits in ErrImagePull with the error as its
 * message, then ImagePullBackOff with growing delays.
 */
export function pullFailed(c: Cluster, key: string, name: string, attempt: number, error?: string): void {
  const pod = fetchPod(c, key);
  const ref = pod && containerRef(pod, name);
  if (!pod || !ref?.status || pod.metadata.deletionTimestamp) return;
  const image = ref.spec.image;
  const err = error ?? notFoundError(image);
  recordEvent(c, pod, 'Warning', 'Failed', `Failed to pull image "${image}": ${err}`, kubeletSource(pod), ref.fieldPath);
  recordEvent(c, pod, 'Warning', 'Failed', 'Error: ErrImagePull', kubeletSource(pod), ref.fieldPath);
  ref.status.state = { waiting: { message: err, reason: 'ErrImagePull' } };
  c.api.write(POD, pod);
  const delay = Math.min(BASE_BACKOFF * 2 ** attempt, MAX_BACKOFF);
  c.schedule(1000, 'kubelet-pull-backoff', key, { name, attempt, delay, error: err });
}

/** Kubelet's pod worker retries a failed sync after its 10 s back-off period. */
const SYNC_RETRY_MS = 10_000;

/**
 * The image cannot be used before any pull (InvalidImageName: the reference does not parse, event
 * InspectFailed; ErrImageNeverPull: not on the node with imagePullPolicy Never): the event, `Error:
 * <reason>`, the container waiting with the message; retried on each pod sync.
 */
export function imageSyncError(c: Cluster, key: string, name: string, reason: 'InvalidImageName' | 'ErrImageNeverPull', msg: string): void {
  const pod = fetchPod(c, key);
  const ref = pod && containerRef(pod, name);
  if (!pod || !ref?.status || pod.metadata.deletionTimestamp) return;
  recordEvent(c, pod, 'Warning', reason === 'InvalidImageName' ? 'InspectFailed' : 'ErrImageNeverPull', msg, kubeletSource(pod), ref.fieldPath);
  recordEvent(c, pod, 'Warning', 'Failed', `Error: ${reason}`, kubeletSource(pod), ref.fieldPath);
  ref.status.state = { waiting: { message: msg, reason } };
  c.api.write(POD, pod);
  const { shiftMs } = skipTurns(c, pod, `pull:${name}`, ref.fieldPath);
  c.schedule(SYNC_RETRY_MS + shiftMs, 'kubelet-pull', key, { name });
}

/** In back-off: the kubelet's message carries the last pull's error (`…: ErrImagePull: <error>`, 1.32). */
export function pullBackoff(c: Cluster, key: string, name: string, attempt: number, delay: number, error?: string): void {
  const pod = fetchPod(c, key);
  const ref = pod && containerRef(pod, name);
  if (!pod || !ref?.status || pod.metadata.deletionTimestamp) return;
  const msg = `Back-off pulling image "${ref.spec.image}"`;
  recordEvent(c, pod, 'Normal', 'BackOff', msg, kubeletSource(pod), ref.fieldPath);
  recordEvent(c, pod, 'Warning', 'Failed', 'Error: ImagePullBackOff', kubeletSource(pod), ref.fieldPath);
  ref.status.state = { waiting: { message: `${msg}: ErrImagePull: ${error ?? notFoundError(ref.spec.image)}`, reason: 'ImagePullBackOff' } };
  c.api.write(POD, pod);
  const { turns, shiftMs } = skipTurns(c, pod, `pull:${name}`, ref.fieldPath);
  c.schedule(delay + shiftMs, 'kubelet-pull', key, { name, attempt: attempt + 1 + turns });
}
