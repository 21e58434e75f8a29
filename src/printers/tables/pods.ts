// `get pods` (printers.go printPod): READY, STATUS, RESTARTS with init containers and sidecars.

import type { KObj } from '../../api/types.js';
import { humanDuration, parseTime } from '../duration.js';
import { age, ageCol, nameCol, type Cell, type KindTable } from './common.js';

const isRestartable = (c: KObj | undefined) => c?.restartPolicy === 'Always';

/**
 * What a pod's row shows that does not depend on the time: READY, STATUS, the restart count and the
 * time of the last restart (RESTARTS adds how long ago), READINESS GATES.
 */
export type PodCells = [ready: string, reason: string, restarts: number, lastRestart: number | null, gates: string];

/** The STATUS, READY and RESTARTS cells of a pod (or of its brief copy, which holds them computed). */
export function podStatusCells(pod: KObj, now: number): { ready: string; reason: string; restarts: string } {
  const [ready, reason, restarts, lastRestart] = cellsOf(pod);
  return { ready, reason, restarts: restartsCell(restarts, lastRestart, now) };
}

/** RESTARTS: the count, with how long ago the last restart was (`4 (45s ago)`) when there was one. */
const restartsCell = (restarts: number, lastRestart: number | null, now: number): string =>
  restarts !== 0 && lastRestart !== null ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);

const cellsOf = (pod: KObj): PodCells => (pod['@cells'] as PodCells | undefined) ?? podCells(pod);

/** A pod's PodCells (printers.go printPod, less what depends on the time). */
export function podCells(pod: KObj): PodCells {
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
  return [`${ready}/${total}`, reason, restarts, lastRestart ?? null, gates];
}

/** The version of podBrief's shape (a store's briefs of another version are not used). */
export const POD_BRIEF_VERSION = 3;

/**
 * A pod as `get pods` reads it: the store keeps this brief beside each shard of pods (a tenth of the
 * bytes), with the row's time-independent cells computed (PodCells). Whatever podsTable, the table's
 * NAMESPACE/label columns or get's frozen-clock hint start reading must be kept here too (and the
 * version bumped); test/pod-brief.test.ts prints every row from both and compares.
 */
export function podBrief(pod: KObj): KObj {
  const m = pod.metadata ?? {};
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const metadata: KObj = { name: m.name, namespace: m.namespace, creationTimestamp: m.creationTimestamp };
  if (m.labels) metadata.labels = m.labels;
  // apiVersion and kind are the listing's to put back (ApiServer.listBrief)
  const brief: KObj = { metadata, '@cells': podCells(pod) };
  if (spec.nodeName) brief.spec = { nodeName: spec.nodeName };
  if (status.podIPs?.length || status.nominatedNodeName) {
    brief.status = {};
    if (status.podIPs?.length) brief.status.podIPs = [{ ip: status.podIPs[0].ip }];
    if (status.nominatedNodeName) brief.status.nominatedNodeName = status.nominatedNodeName;
  }
  return brief;
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
    const [ready, reason, restarts, lastRestart, gates] = cellsOf(pod);
    const spec = pod.spec ?? {};
    const status = pod.status ?? {};
    const podIP = (status.podIPs ?? [])[0]?.ip || '<none>';
    return [pod.metadata?.name, ready, reason, restartsCell(restarts, lastRestart, now), age(pod, now), podIP, spec.nodeName || '<none>', status.nominatedNodeName || '<none>', gates];
  },
};
