// `get pods` (printers.go printPod): READY, STATUS, RESTARTS with init containers and sidecars.

import type { KObj } from '../../api/types.js';
import { humanDuration, parseTime } from '../duration.js';
import { age, ageCol, nameCol, type Cell, type KindTable } from './common.js';

const isRestartable = (c: KObj | undefined) => c?.restartPolicy === 'Always';

/** The STATUS, READY and RESTARTS cells of a pod. */
export function podStatusCells(pod: KObj, now: number): { ready: string; reason: string; restarts: string } {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  let restarts = 0;
  let sidecarRestarts = 0;
  let total = (spec.containers ?? []).length;
  let ready = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;
  const podPhase = String(status.phase ?? '');
  let reason = podPhase;
  if (status.reason) reason = String(status.reason);
  for (const c of (status.conditions ?? []) as KObj[]) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }
  const initSpecs = new Map<string, KObj>();
  for (const c of (spec.initContainers ?? []) as KObj[]) {
    initSpecs.set(c.name, c);
    if (isRestartable(c)) total++;
  }
  const later = (cur: number | undefined, ts: unknown) => {
    const t = parseTime(ts);
    return t !== undefined && (cur === undefined || cur < t) ? t : cur;
  };
  let initializing = false;
  const initStatuses = (status.initContainerStatuses ?? []) as KObj[];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    restarts += Number(c.restartCount ?? 0);
    const lastTerm = c.lastState?.terminated;
    if (lastTerm) lastRestart = later(lastRestart, lastTerm.finishedAt);
    const sidecar = isRestartable(initSpecs.get(c.name));
    if (sidecar) {
      sidecarRestarts += Number(c.restartCount ?? 0);
      if (lastTerm) lastSidecarRestart = later(lastSidecarRestart, lastTerm.finishedAt);
    }
    const term = c.state?.terminated;
    const wait = c.state?.waiting;
    if (term && Number(term.exitCode ?? 0) === 0) continue;
    if (sidecar && c.started === true) {
      if (c.ready) ready++;
      continue;
    }
    if (term) {
      if (!term.reason) reason = Number(term.signal ?? 0) !== 0 ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode ?? 0}`;
      else reason = `Init:${term.reason}`;
    } else if (wait && wait.reason && wait.reason !== 'PodInitializing') {
      reason = `Init:${wait.reason}`;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }
  const initializedTrue = ((status.conditions ?? []) as KObj[]).some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initializedTrue) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const cs = (status.containerStatuses ?? []) as KObj[];
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i];
      restarts += Number(c.restartCount ?? 0);
      if (c.lastState?.terminated) lastRestart = later(lastRestart, c.lastState.terminated.finishedAt);
      const wait = c.state?.waiting;
      const term = c.state?.terminated;
      if (wait && wait.reason) reason = String(wait.reason);
      else if (term && term.reason) reason = String(term.reason);
      else if (term) reason = Number(term.signal ?? 0) !== 0 ? `Signal:${term.signal}` : `ExitCode:${term.exitCode ?? 0}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const podReady = ((status.conditions ?? []) as KObj[]).some((c) => c.type === 'Ready' && c.status === 'True');
      reason = podReady ? 'Running' : 'NotReady';
    }
  }
  const deleting = Boolean(pod.metadata?.deletionTimestamp);
  if (deleting && status.reason === 'NodeLost') reason = 'Unknown';
  else if (deleting && podPhase !== 'Succeeded' && podPhase !== 'Failed') reason = 'Terminating';

  let restartsStr = String(restarts);
  if (restarts !== 0 && lastRestart !== undefined) restartsStr = `${restarts} (${humanDuration(now - lastRestart)} ago)`;
  return { ready: `${ready}/${total}`, reason, restarts: restartsStr };
}

/** The version of podBrief's shape (a store's briefs of another version are not used). */
export const POD_BRIEF_VERSION = 1;

const stateBrief = (st: KObj | undefined): KObj | undefined => {
  if (!st) return undefined;
  const out: KObj = {};
  if (st.waiting) out.waiting = st.waiting.reason === undefined ? {} : { reason: st.waiting.reason };
  if (st.running) out.running = {};
  if (st.terminated) {
    const t: KObj = { exitCode: st.terminated.exitCode };
    for (const k of ['reason', 'signal', 'finishedAt']) if (st.terminated[k] !== undefined) t[k] = st.terminated[k];
    out.terminated = t;
  }
  return out;
};

const statusBrief = (c: KObj): KObj => {
  const out: KObj = { name: c.name, ready: c.ready, restartCount: c.restartCount };
  if (c.started !== undefined) out.started = c.started;
  const state = stateBrief(c.state);
  if (state) out.state = state;
  const last = stateBrief(c.lastState);
  if (last) out.lastState = last;
  return out;
};

/**
 * A pod as its table (and `get`'s frozen-clock hint and watch) reads it: the store keeps this brief
 * beside each shard of pods, so `get pods` reads a tenth of the bytes. Whatever podsTable, podStatusCells
 * or the table's NAMESPACE/label columns start reading must be kept here too (and the version bumped);
 * pods.test.ts prints every row from both and compares.
 */
export function podBrief(pod: KObj): KObj {
  const m = pod.metadata ?? {};
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const metadata: KObj = { name: m.name, namespace: m.namespace, creationTimestamp: m.creationTimestamp, resourceVersion: m.resourceVersion };
  if (m.labels) metadata.labels = m.labels;
  if (m.deletionTimestamp) metadata.deletionTimestamp = m.deletionTimestamp;
  const bs: KObj = { containers: (spec.containers ?? []).map((c: KObj) => ({ name: c.name })) };
  if (spec.initContainers) bs.initContainers = spec.initContainers.map((c: KObj) => (c.restartPolicy === undefined ? { name: c.name } : { name: c.name, restartPolicy: c.restartPolicy }));
  if (spec.nodeName) bs.nodeName = spec.nodeName;
  if (spec.readinessGates) bs.readinessGates = spec.readinessGates;
  const bst: KObj = {};
  for (const k of ['phase', 'reason', 'nominatedNodeName']) if (status[k] !== undefined) bst[k] = status[k];
  if (status.podIPs) bst.podIPs = status.podIPs.slice(0, 1);
  if (status.conditions) bst.conditions = status.conditions.map((c: KObj) => (c.reason === undefined ? { type: c.type, status: c.status } : { type: c.type, status: c.status, reason: c.reason }));
  if (status.initContainerStatuses) bst.initContainerStatuses = status.initContainerStatuses.map(statusBrief);
  if (status.containerStatuses) bst.containerStatuses = status.containerStatuses.map(statusBrief);
  return { apiVersion: pod.apiVersion, kind: pod.kind, metadata, spec: bs, status: bst };
}

export const podsTable: KindTable = {
  columns: [
    nameCol,
    { name: 'Ready' },
    { name: 'Status' },
    { name: 'Restarts' },
    ageCol,
    { name: 'IP', priority: 1 },
    { name: 'Node', priority: 1 },
    { name: 'Nominated Node', priority: 1 },
    { name: 'Readiness Gates', priority: 1 },
  ],
  row(pod: KObj, now: number): Cell[] {
    const { ready, reason, restarts } = podStatusCells(pod, now);
    const spec = pod.spec ?? {};
    const status = pod.status ?? {};
    const podIP = (status.podIPs ?? [])[0]?.ip || '<none>';
    let gates = '<none>';
    const rg = (spec.readinessGates ?? []) as KObj[];
    if (rg.length) {
      let trueCount = 0;
      for (const g of rg) {
        const cond = ((status.conditions ?? []) as KObj[]).find((c) => c.type === g.conditionType);
        if (cond && cond.status === 'True') trueCount++;
      }
      gates = `${trueCount}/${rg.length}`;
    }
    return [pod.metadata?.name, ready, reason, restarts, age(pod, now), podIP, spec.nodeName || '<none>', status.nominatedNodeName || '<none>', gates];
  },
};
