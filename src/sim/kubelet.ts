// The kubelet: admits a bound pod, sets up volumes (FailedMount until they can be), brings the
// sandbox up, pulls images one at a time, runs init containers in order and then the app
// containers (their programs run in the container runtime), restarts a container whose image was
// changed, enforces activeDeadlineSeconds, and terminates pods gracefully (preStop, stop signal,
// SIGKILL when the grace period ends).
import type { KObj } from '../api/types.js';
import { resolveImage } from '../runtime/catalog.js';
import { credentialHosts, pullError } from '../runtime/pull.js';
import { mountError } from '../runtime/config.js';
import { goDuration, imageId, imageNameError, imageSizeBytes, normalizeImage, pullDurationMs } from '../runtime/images.js';
import { PodRuntime } from '../runtime/pod.js';
import { runtimeOf } from '../runtime/state.js';
import type { Cluster } from './engine.js';
import { closedForm, skipTurns, type Cycle } from './skip.js';
import { recordEvent } from './events.js';
import { EPHEMERAL_TIMER, startEphemeral, watchEphemeral } from './kubelet-ephemeral.js';
import { NODE, POD, SECRET, podKey } from './keys.js';
import { BACKOFF_SYNC, backoffSync, containerExited, restartSkipped, imageSyncError, initProgress, pullBackoff, pullFailed, startContainer } from './lifecycle.js';
import { allocatePodIp } from './network.js';
import { containerRef, fetchPod, kubeletSource as source, peekPod, refreshReadiness, setCondition } from './pod-status.js';
import { probeTick, runPreStop, stopGracefully } from './probes.js';

const SANDBOX_MS = 1000;
const VOLUME_SYNC_MS = 60_000;

type TimerArg = { key: string; data?: Record<string, unknown> };

function waiting(reason: string): KObj {
  return { waiting: { reason } };
}

function newStatus(ct: KObj, reason: string): KObj {
  return { image: ct.image, imageID: '', lastState: {}, name: ct.name, ready: false, restartCount: 0, started: false, state: waiting(reason) };
}

/** The pod was bound: the kubelet sees it, mounts its volumes and starts the sandbox. */
function podAdmitted(c: Cluster, key: string): void {
  const pod = fetchPod(c, key);
  if (!pod || pod.status.startTime) return;
  const node = c.api.peek(NODE, undefined, pod.spec.nodeName);
  if (!node) return; // no kubelet runs for a node that does not exist: the pod stays Pending
  const hostIP = node?.status?.addresses?.find((a: KObj) => a.type === 'InternalIP')?.address ?? '';
  pod.status.hostIP = hostIP;
  pod.status.hostIPs = [{ ip: hostIP }];
  pod.status.startTime = c.isoNow();
  setCondition(c, pod, 'PodReadyToStartContainers', false);
  setCondition(c, pod, 'Initialized', true);
  const inits: KObj[] = pod.spec.initContainers ?? [];
  if (inits.length) pod.status.initContainerStatuses = inits.map((ct) => newStatus(ct, 'PodInitializing'));
  // the kubelet reports containerStatuses sorted by name (SortedContainerStatuses); init ones in spec order
  pod.status.containerStatuses = pod.spec.containers
    .map((ct: KObj) => newStatus(ct, inits.length ? 'PodInitializing' : 'ContainerCreating'))
    .sort((a: KObj, b: KObj) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  refreshReadiness(c, pod);
  c.api.write(POD, pod);
  pullSecretHosts(c, pod); // the first pod sync already looks the pull secrets up
  if (pod.spec.activeDeadlineSeconds !== undefined) c.schedule(pod.spec.activeDeadlineSeconds * 1000, 'kubelet-deadline', key);
  c.schedule(0, 'kubelet-mount', key, { attempt: 0 });
}

/** Volumes first: a missing ConfigMap or Secret keeps the pod in ContainerCreating, retried with back-off. */
function mountVolumes(c: Cluster, key: string, attempt: number, cycles: Record<string, Cycle> = {}): void {
  const pod = fetchPod(c, key);
  if (!pod || pod.metadata.deletionTimestamp) return;
  const err = mountError(c, pod);
  if (err) {
    recordEvent(c, pod, 'Warning', 'FailedMount', err, source(pod));
    const { turns, shiftMs } = skipTurns(c, pod, 'mount', undefined, cycles);
    c.schedule(Math.min(500 * 2 ** attempt, 122_000) + shiftMs, 'kubelet-mount', key, { attempt: attempt + 1 + turns, cycles });
    return;
  }
  c.schedule(attempt ? 0 : SANDBOX_MS, 'kubelet-sandbox', key);
}

function sandboxReady(c: Cluster, key: string): void {
  const pod = fetchPod(c, key);
  if (!pod || pod.metadata.deletionTimestamp || pod.status.podIP) return;
  const ip = pod.spec.hostNetwork ? pod.status.hostIP : allocatePodIp(c, pod.spec.nodeName);
  pod.status.podIP = ip;
  pod.status.podIPs = [{ ip }];
  setCondition(c, pod, 'PodReadyToStartContainers', true);
  c.api.write(POD, pod);
  for (const e of pod.spec.ephemeralContainers ?? []) c.schedule(0, EPHEMERAL_TIMER, key, { name: e.name }); // added before the sandbox was up
  if ((pod.spec.volumes ?? []).some((v: KObj) => v.configMap || v.secret || v.projected || v.downwardAPI)) c.schedule(VOLUME_SYNC_MS, 'kubelet-volume-sync', key);
  initProgress(c, key);
}

function nodeHasImage(node: KObj | undefined, image: string): boolean {
  const n = normalizeImage(image);
  return (node?.status?.images ?? []).some((i: KObj) => (i.names ?? []).includes(n));
}

/**
 * The registry hosts the pod's image pull secrets have credentials for. Secrets that do not exist are
 * named in the kubelet's FailedToRetrieveImagePullSecret warning (each pod sync) and skipped: the pull
 * goes on without them.
 */
function pullSecretHosts(c: Cluster, pod: KObj): string[] {
  const hosts: string[] = [];
  const missing: string[] = [];
  for (const ref of (pod.spec.imagePullSecrets ?? []) as KObj[]) {
    if (!ref?.name) continue;
    const secret = c.api.peek(SECRET, pod.metadata.namespace, ref.name);
    if (secret) hosts.push(...credentialHosts(secret));
    else missing.push(ref.name);
  }
  if (missing.length) {
    const msg = `Unable to retrieve some image pull secrets (${missing.join(', ')}); attempting to pull the image may not succeed.`;
    recordEvent(c, pod, 'Warning', 'FailedToRetrieveImagePullSecret', msg, source(pod));
  }
  return hosts;
}

function pull(c: Cluster, key: string, data: Record<string, unknown>): void {
  const pod = peekPod(c, key);
  const ref = pod && containerRef(pod, String(data.name));
  if (!pod || !ref || pod.metadata.deletionTimestamp) return;
  const ct = ref.spec;
  const node = c.api.peek(NODE, undefined, pod.spec.nodeName);
  const hosts = pullSecretHosts(c, pod);
  const invalid = imageNameError(ct.image);
  const present = nodeHasImage(node, ct.image);
  if (invalid || (ct.imagePullPolicy === 'Never' && !present)) {
    if (invalid) imageSyncError(c, key, ref.spec.name, 'InvalidImageName', `Failed to apply default image tag "${ct.image}": ${invalid}`);
    else imageSyncError(c, key, ref.spec.name, 'ErrImageNeverPull', `Container image "${ct.image}" is not present with pull policy of Never`);
    chainNext(c, key, data);
    return;
  }
  if (ct.imagePullPolicy !== 'Always' && present) {
    recordEvent(c, pod, 'Normal', 'Pulled', `Container image "${ct.image}" already present on machine`, source(pod), ref.fieldPath);
    c.schedule(0, 'kubelet-start', key, data);
    return;
  }
  recordEvent(c, pod, 'Normal', 'Pulling', `Pulling image "${ct.image}"`, source(pod), ref.fieldPath);
  const error = pullError(ct.image, hosts);
  if (error) {
    c.schedule(800 + (pullDurationMs(ct.image) % 700), 'kubelet-pull-failed', key, { ...data, error });
    return;
  }
  const cached = nodeHasImage(node, ct.image);
  const ms = cached ? 300 + (pullDurationMs(ct.image) % 400) : pullDurationMs(ct.image);
  c.schedule(ms, 'kubelet-pulled', key, { ...data, ms });
}

function pulled(c: Cluster, key: string, data: Record<string, unknown>): void {
  const pod = peekPod(c, key);
  const ref = pod && containerRef(pod, String(data.name));
  if (!pod || !ref || pod.metadata.deletionTimestamp) return;
  const ct = ref.spec;
  const d = goDuration(Number(data.ms));
  const img = resolveImage(ct.image);
  const bytes = img.found && img.variant.sizeBytes ? img.variant.sizeBytes : imageSizeBytes(ct.image);
  const msg = `Successfully pulled image "${ct.image}" in ${d} (${d} including waiting). Image size: ${bytes} bytes.`;
  recordEvent(c, pod, 'Normal', 'Pulled', msg, source(pod), ref.fieldPath);
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

/** The kubelet goes on to the pod's next app container, whether this one started or its image failed. */
function chainNext(c: Cluster, key: string, data: Record<string, unknown>): void {
  const pod = peekPod(c, key);
  const ref = pod && containerRef(pod, String(data.name));
  if (!pod || !ref || !data.chain || ref.init || ref.index + 1 >= pod.spec.containers.length) return;
  c.schedule(0, 'kubelet-pull', key, { name: pod.spec.containers[ref.index + 1].name, chain: true });
}

async function start(c: Cluster, key: string, data: Record<string, unknown>): Promise<void> {
  const pod = peekPod(c, key);
  const ref = pod && containerRef(pod, String(data.name));
  if (!pod || !ref) return;
  chainNext(c, key, data);
  await startContainer(c, key, ref.spec.name);
}

function failedPull(c: Cluster, t: TimerArg): void {
  pullFailed(c, t.key, String(t.data?.name), Number(t.data?.attempt ?? 0), t.data?.error as string | undefined);
  chainNext(c, t.key, t.data ?? {});
}

/** A back-off ended: the container goes through the pull path again (Always pulls, others find the image). */
function restartDue(c: Cluster, t: TimerArg): void {
  const pod = peekPod(c, t.key);
  const ref = pod && containerRef(pod, String(t.data?.name));
  if (!pod || !ref?.status || pod.metadata.deletionTimestamp || ref.status.state?.running) return;
  if (pod.status.phase === 'Failed' || pod.status.phase === 'Succeeded') return;
  if (restartSkipped(c, t.key, ref.spec.name)) return;
  pull(c, t.key, { name: ref.spec.name });
}

/** An image changed by update: kill the container (if running) and start it again with the new image. */
function imageChanged(c: Cluster, key: string, name: string): void {
  const pod = fetchPod(c, key);
  const ref = pod && containerRef(pod, name);
  const st = ref?.status;
  if (!pod || !ref || !st || pod.metadata.deletionTimestamp) return;
  const rt = runtimeOf(c.state)[pod.metadata.uid];
  if (rt) delete (rt as { backoff?: Record<string, unknown> }).backoff?.[name];
  if (st.state?.running) {
    recordEvent(c, pod, 'Normal', 'Killing', `Container ${name} definition changed, will be restarted`, source(pod), ref.fieldPath);
    const ctRt = rt?.containers[name];
    if (ctRt) ctRt.exited = { code: 0, at: c.now() };
    st.state = { terminated: { containerID: st.containerID, exitCode: 0, finishedAt: c.isoNow(), reason: 'Completed', startedAt: st.state.running.startedAt } };
    st.ready = false;
    st.started = false;
    refreshReadiness(c, pod);
    c.api.write(POD, pod);
  }
  if (!ref.init || ref.sidecar || st.state?.running) c.schedule(0, 'kubelet-pull', key, { name });
}

function running(pod: KObj): string[] {
  return [...(pod.status.initContainerStatuses ?? []), ...(pod.status.containerStatuses ?? []), ...(pod.status.ephemeralContainerStatuses ?? [])].filter((s: KObj) => s.state?.running).map((s: KObj) => s.name);
}

/** Graceful deletion: preStop, then the stop signal; SIGKILL when the grace period ends. */
async function terminate(c: Cluster, key: string): Promise<void> {
  const pod = fetchPod(c, key);
  if (!pod) return;
  const grace = (pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
  const names = running(pod);
  if (!names.length) {
    c.schedule(0, 'kubelet-terminated', key);
    return;
  }
  for (const name of names) {
    const ref = containerRef(pod, name)!;
    recordEvent(c, pod, 'Normal', 'Killing', `Stopping container ${name}`, source(pod), ref.fieldPath);
    const ms = await runPreStop(c, pod, name);
    if (ms > 0) c.schedule(Math.min(ms, grace), 'kubelet-stop', key, { name, grace: Math.max(0, grace - ms) });
    else await stopGracefully(c, key, pod, name, grace);
  }
  c.schedule(grace, 'kubelet-sigkill', key, {});
}

async function stopAfterHook(c: Cluster, key: string, data: Record<string, unknown>): Promise<void> {
  const pod = fetchPod(c, key);
  if (!pod || !running(pod).includes(String(data.name))) return;
  await stopGracefully(c, key, pod, String(data.name), Number(data.grace));
}

/** The grace period ended: whatever still runs gets SIGKILL (exit 137). */
function sigkill(c: Cluster, key: string, data: Record<string, unknown>): void {
  const pod = fetchPod(c, key);
  if (!pod) return;
  const rt = PodRuntime.of(c, pod);
  for (const name of running(pod)) {
    if (data.name && data.name !== name) continue;
    if (data.cid && containerRef(pod, name)?.status?.containerID !== data.cid) continue;
    rt.killContainer(name);
  }
}

/** Every container has stopped: a deleted pod goes away. */
function terminated(c: Cluster, key: string): void {
  const pod = fetchPod(c, key);
  if (!pod || !pod.metadata.deletionTimestamp || running(pod).length) return;
  if (pod.metadata.finalizers?.length) {
    // finalizers hold it: the API server removes it when the last one goes
    if (pod.metadata.deletionGracePeriodSeconds !== 0) c.api.write(POD, { ...pod, metadata: { ...pod.metadata, deletionGracePeriodSeconds: 0 } });
    return;
  }
  c.api.remove(POD, pod.metadata.namespace, pod.metadata.name);
}

async function deadline(c: Cluster, key: string): Promise<void> {
  const pod = fetchPod(c, key);
  if (!pod || pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed') return;
  const msg = 'Pod was active on the node longer than the specified deadline';
  pod.status.phase = 'Failed';
  pod.status.reason = 'DeadlineExceeded';
  pod.status.message = msg;
  recordEvent(c, pod, 'Normal', 'DeadlineExceeded', msg, source(pod));
  for (const st of [...(pod.status.initContainerStatuses ?? []), ...(pod.status.containerStatuses ?? [])]) st.ready = false;
  refreshReadiness(c, pod);
  c.api.write(POD, pod);
  for (const name of running(pod)) await stopGracefully(c, key, pod, name);
}

async function wake(c: Cluster, key: string): Promise<void> {
  const pod = fetchPod(c, key);
  if (!pod) return;
  await PodRuntime.of(c, c.api.peek(POD, pod.metadata.namespace, pod.metadata.name)!).advance(c.now());
}

function volumeSync(c: Cluster, key: string): void {
  const pod = c.api.peek(POD, ...(key.split('/').slice(1) as [string, string]));
  if (!pod || pod.metadata.deletionTimestamp) return;
  PodRuntime.of(c, pod).syncMounted();
  // users change nothing during a catch-up: one sync stands for all up to the last before the target
  // (a source the simulation itself changes meanwhile shows from the next sync after it)
  const behind = closedForm.on && c.target > c.now() ? Math.floor((c.target - c.now()) / VOLUME_SYNC_MS) : 0;
  c.schedule(VOLUME_SYNC_MS * Math.max(1, behind), 'kubelet-volume-sync', key);
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
      if (pod.spec?.nodeName && pod.status?.startTime) c.schedule(0, 'kubelet-terminate', key);
      else c.schedule(0, 'kubelet-terminated', key);
    }
    if (ev.old && pod.status?.startTime && !pod.metadata.deletionTimestamp) {
      watchEphemeral(c, pod, ev.old);
      for (const ct of [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])]) {
        const before = [...(ev.old.spec?.initContainers ?? []), ...(ev.old.spec?.containers ?? [])].find((x: KObj) => x.name === ct.name);
        if (before && before.image !== ct.image) c.schedule(0, 'kubelet-image-changed', key, { name: ct.name });
      }
    }
  },
  timers: {
    'kubelet-admit': (c: Cluster, t: TimerArg) => podAdmitted(c, t.key),
    'kubelet-mount': (c: Cluster, t: TimerArg) => mountVolumes(c, t.key, Number(t.data?.attempt ?? 0), t.data?.cycles as Record<string, Cycle> | undefined),
    'kubelet-sandbox': (c: Cluster, t: TimerArg) => sandboxReady(c, t.key),
    'kubelet-pull': (c: Cluster, t: TimerArg) => pull(c, t.key, t.data ?? {}),
    'kubelet-pulled': (c: Cluster, t: TimerArg) => pulled(c, t.key, t.data ?? {}),
    'kubelet-pull-failed': failedPull,
    'kubelet-pull-backoff': (c: Cluster, t: TimerArg) => pullBackoff(c, t.key, String(t.data?.name), Number(t.data?.attempt ?? 0), Number(t.data?.delay), t.data?.error as string | undefined),
    'kubelet-start': (c: Cluster, t: TimerArg) => start(c, t.key, t.data ?? {}),
    'kubelet-init-progress': (c: Cluster, t: TimerArg) => initProgress(c, t.key),
    'kubelet-exited': (c: Cluster, t: TimerArg) => containerExited(c, t.key, String(t.data?.name)),
    'kubelet-restart': restartDue,
    [BACKOFF_SYNC]: (c: Cluster, t: TimerArg) => backoffSync(c, t.key, String(t.data?.name), t.data?.cid),
    'kubelet-image-changed': (c: Cluster, t: TimerArg) => imageChanged(c, t.key, String(t.data?.name)),
    'kubelet-probe': (c: Cluster, t: TimerArg) => probeTick(c, t.key, t.data ?? {}),
    'kubelet-deadline': (c: Cluster, t: TimerArg) => deadline(c, t.key),
    'kubelet-volume-sync': (c: Cluster, t: TimerArg) => volumeSync(c, t.key),
    'runtime-wake': (c: Cluster, t: TimerArg) => wake(c, t.key),
    'kubelet-terminate': (c: Cluster, t: TimerArg) => terminate(c, t.key),
    'kubelet-stop': (c: Cluster, t: TimerArg) => stopAfterHook(c, t.key, t.data ?? {}),
    'kubelet-sigkill': (c: Cluster, t: TimerArg) => sigkill(c, t.key, t.data ?? {}),
    'kubelet-terminated': (c: Cluster, t: TimerArg) => terminated(c, t.key),
    [EPHEMERAL_TIMER]: (c: Cluster, t: TimerArg) => startEphemeral(c, t.key, String(t.data?.name)),
  },
};
