// The kubelet's node status reports and node lease (pkg/kubelet/kubelet_node_status.go,
// pkg/kubelet/nodelease): the kubelet looks at its node every nodeStatusUpdateFrequency (10 s) and
// posts the status when it changed or when nodeStatusReportFrequency (5 min) has passed since the
// last report; every post moves each condition's lastHeartbeatTime (the setters set it to now) and
// keeps lastTransitionTime. Its Lease kube-node-lease/<node> is renewed every 10 s
// (leaseDurationSeconds 40). One timer per node; a catch-up far behind its target jumps straight to
// the last report before the replayed window instead of running every report.
import type { ChangeEvent } from '../../api/server.js';
import type { KObj } from '../../api/types.js';
import type { Timer } from '../../store/state.js';
import { isoTime } from '../clock.js';
import type { Cluster, Controller } from '../engine.js';
import { recordEvent } from '../events.js';
import { NODE } from '../keys.js';
import { periodsBehind } from '../skip.js';

/** nodeStatusReportFrequency */
export const NODE_STATUS_REPORT_MS = 5 * 60_000;
/** the node lease controller's renew interval (leaseDurationSeconds 40 × 0.25) */
export const NODE_LEASE_RENEW_MS = 10_000;
export const NODE_LEASE_DURATION_SECONDS = 40;

const TIMER = 'node-status-report';
const SYNC = 'node-status-sync';

/** Starts the periodic reports of a node whose last status post was at `lastReport` (simulated ms). */
export function startNodeReports(c: Cluster, nodeName: string, lastReport: number): void {
  c.cancel(nodeName, TIMER);
  c.schedule(lastReport + NODE_STATUS_REPORT_MS - c.now(), TIMER, nodeName);
}

function report(c: Cluster, t: Timer): void {
  const node = c.api.peek(NODE, undefined, t.key);
  if (!node) return;
  // far behind the catch-up's target: the reports in between leave nothing but the last one
  const at = c.now() + periodsBehind(c, NODE_STATUS_REPORT_MS) * NODE_STATUS_REPORT_MS;
  const updated: KObj = structuredClone(node);
  const stamp = isoTime(at);
  for (const cond of (updated.status?.conditions ?? []) as KObj[]) cond.lastHeartbeatTime = stamp;
  c.api.write(NODE, updated);
  c.schedule(at + NODE_STATUS_REPORT_MS - c.now(), TIMER, t.key);
}

/** The node's Lease as its kubelet keeps it: renewed every 10 s since the kubelet registered the node. */
export function nodeLease(node: KObj, now: number): KObj {
  const name = node.metadata.name;
  const start = Date.parse(node.metadata.creationTimestamp ?? '') || now;
  const renew = now >= start ? start + Math.floor((now - start) / NODE_LEASE_RENEW_MS) * NODE_LEASE_RENEW_MS : start;
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name,
      namespace: 'kube-node-lease',
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid }],
    },
    spec: { holderIdentity: name, leaseDurationSeconds: NODE_LEASE_DURATION_SECONDS, renewTime: isoTime(renew).replace(/Z$/, '.000000Z') },
  };
}

/** The kubelet's node reference: the node's name stands in for its uid (kubelet.go nodeRef). */
function kubeletRef(name: string): KObj {
  return { kind: 'Node', metadata: { name, uid: name } };
}

/** Where the kubelet's 10 s loop is on the node's grid (it started when the node registered). */
function nextTick(c: Cluster, node: KObj): number {
  const start = Date.parse(node.metadata.creationTimestamp ?? '') || c.now();
  const into = (((c.now() - start) % NODE_LEASE_RENEW_MS) + NODE_LEASE_RENEW_MS) % NODE_LEASE_RENEW_MS;
  return NODE_LEASE_RENEW_MS - into;
}

/** recordNodeSchedulableEvent: each status sync compares spec.unschedulable with what it last saw. */
function sync(c: Cluster, t: Timer): void {
  const node = c.api.peek(NODE, undefined, t.key);
  if (!node) return;
  const key = `kubelet-unschedulable/${t.key}`;
  const now = node.spec?.unschedulable ? 1 : 0;
  if ((c.state.counters[key] ?? 0) === now) return;
  if (now) c.state.counters[key] = 1;
  else delete c.state.counters[key];
  const reason = now ? 'NodeNotSchedulable' : 'NodeSchedulable';
  recordEvent(c, kubeletRef(t.key), 'Normal', reason, `Node ${t.key} status is now: ${reason}`, { component: 'kubelet', host: t.key });
}

function onChange(c: Cluster, ev: ChangeEvent): void {
  if (ev.def.kind !== 'Node' || ev.type !== 'MODIFIED' || !ev.old) return;
  const { obj, old } = ev;
  if (!!obj.spec?.unschedulable !== !!old.spec?.unschedulable && !c.hasTimer(obj.metadata.name, SYNC)) {
    c.schedule(nextTick(c, obj), SYNC, obj.metadata.name);
  }
  // the kubelet posted a changed status (its images): every condition's heartbeat is this post's,
  // and the next forced report is 5 minutes from it
  if (JSON.stringify(obj.status?.images ?? []) !== JSON.stringify(old.status?.images ?? [])) {
    const stamp = c.isoNow();
    for (const cond of (obj.status?.conditions ?? []) as KObj[]) cond.lastHeartbeatTime = stamp;
    startNodeReports(c, obj.metadata.name, c.now());
  }
}

export const nodeHeartbeatController: Controller = {
  name: 'node-heartbeat',
  onChange,
  timers: { [TIMER]: report, [SYNC]: sync },
};
