// Pod status bookkeeping shared by the kubelet's parts: conditions, readiness, phase, and finding a
// container's spec and status (app, init or sidecar) by name.
import type { KObj } from '../api/types.js';
import type { Cluster } from './engine.js';
import { POD, splitKey } from './keys.js';

export function kubeletSource(pod: KObj) {
  return { component: 'kubelet', host: pod.spec.nodeName as string };
}

export function fetchPod(c: Cluster, key: string): KObj | undefined {
  const { namespace, name } = splitKey(key);
  const pod = c.api.peek(POD, namespace, name);
  return pod ? structuredClone(pod) : undefined;
}

/** The stored pod itself, for handlers that only read it (no copy: a crash loop's timers run by the thousand). */
export function peekPod(c: Cluster, key: string): Readonly<KObj> | undefined {
  const { namespace, name } = splitKey(key);
  return c.api.peek(POD, namespace, name);
}

export interface ContainerRef {
  spec: KObj;
  status: KObj | undefined;
  init: boolean;
  sidecar: boolean;
  /** an ephemeral container (kubectl debug): never restarted, not part of the pod's readiness */
  ephemeral?: boolean;
  index: number;
  fieldPath: string;
}

export function containerRef(pod: KObj, name: string): ContainerRef | undefined {
  const inits: KObj[] = pod.spec.initContainers ?? [];
  let index = inits.findIndex((x) => x.name === name);
  if (index >= 0) {
    const spec = inits[index];
    return {
      spec,
      status: (pod.status.initContainerStatuses ?? []).find((s: KObj) => s.name === name),
      init: true,
      sidecar: spec.restartPolicy === 'Always',
      index,
      fieldPath: `spec.initContainers{${name}}`,
    };
  }
  index = (pod.spec.containers ?? []).findIndex((x: KObj) => x.name === name);
  if (index < 0) return ephemeralRef(pod, name);
  return {
    spec: pod.spec.containers[index],
    status: (pod.status.containerStatuses ?? []).find((s: KObj) => s.name === name),
    init: false,
    sidecar: false,
    index,
    fieldPath: `spec.containers{${name}}`,
  };
}

function ephemeralRef(pod: KObj, name: string): ContainerRef | undefined {
  const index = (pod.spec.ephemeralContainers ?? []).findIndex((x: KObj) => x.name === name);
  if (index < 0) return undefined;
  const status = (pod.status.ephemeralContainerStatuses ?? []).find((s: KObj) => s.name === name);
  return { spec: pod.spec.ephemeralContainers[index], status, init: false, sidecar: false, ephemeral: true, index, fieldPath: `spec.ephemeralContainers{${name}}` };
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

/** Init containers not yet done (sidecars count once started). */
export function pendingInits(pod: KObj): string[] {
  return (pod.spec.initContainers ?? [])
    .filter((ct: KObj) => {
      const st = (pod.status.initContainerStatuses ?? []).find((s: KObj) => s.name === ct.name);
      if (ct.restartPolicy === 'Always') return !st?.started;
      return st?.state?.terminated?.exitCode !== 0;
    })
    .map((ct: KObj) => ct.name);
}

export function refreshReadiness(c: Cluster, pod: KObj): void {
  const done = pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed';
  const inits = pendingInits(pod);
  if (pod.spec.initContainers?.length) {
    if (inits.length) setCondition(c, pod, 'Initialized', false, 'ContainersNotInitialized', `containers with incomplete status: [${inits.join(' ')}]`);
    else setCondition(c, pod, 'Initialized', true);
  }
  const sidecars = (pod.status.initContainerStatuses ?? []).filter((s: KObj) => (pod.spec.initContainers ?? []).some((x: KObj) => x.name === s.name && x.restartPolicy === 'Always'));
  const names = [...sidecars, ...(pod.status.containerStatuses ?? [])].filter((s: KObj) => !s.ready).map((s: KObj) => s.name);
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

/** Phase from the containers' states and the restart policy. */
export function updatePhase(pod: KObj): void {
  if (pod.status.phase === 'Failed' && pod.status.reason) return;
  const sts: KObj[] = pod.status.containerStatuses ?? [];
  const policy = pod.spec.restartPolicy ?? 'Always';
  const initFailed = (pod.status.initContainerStatuses ?? []).some(
    (s: KObj) => s.state?.terminated && s.state.terminated.exitCode !== 0 && !(pod.spec.initContainers ?? []).some((x: KObj) => x.name === s.name && x.restartPolicy === 'Always'),
  );
  if (initFailed && policy === 'Never') {
    pod.status.phase = 'Failed';
    return;
  }
  const terminated = sts.filter((s) => s.state?.terminated);
  if (sts.length && terminated.length === sts.length) {
    const failed = terminated.some((s) => s.state.terminated.exitCode !== 0);
    if (policy === 'Never') pod.status.phase = failed ? 'Failed' : 'Succeeded';
    else if (policy === 'OnFailure' && !failed) pod.status.phase = 'Succeeded';
  } else if (sts.some((s) => s.state?.running || s.lastState?.terminated || s.restartCount)) pod.status.phase = 'Running';
}

export function writePod(c: Cluster, pod: KObj): void {
  c.api.write(POD, pod);
}
