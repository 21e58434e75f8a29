// The kubelet's node status reports and node lease (pkg/kubelet/kubelet_node_status.go,
// pkg/kubelet/nodelease): the kubelet looks at its node every nodeStatusUpdateFrequency (10 s) and
// posts the status when it changed or when nodeStatusReportFrequency (5 min) has passed since the
// last report; every post moves each condition's lastHeartbeatTime (the setters set it to now) and
// keeps lastTransitionTime. Its Lease kube-node-lease/<node> is renewed every 10 s
// (leaseDurationSeconds 40). One timer per node; a catch-up far behind its target jumps straight to
// the last report before the replayed window instead of running every report.
import type { KObj } from '../../api/types.js';
import type { Timer } from '../../store/state.js';
import { isoTime } from '../clock.js';
import type { Cluster, Controller } from '../engine.js';
import { NODE } from '../keys.js';
import { periodsBehind } from '../skip.js';

/** nodeStatusReportFrequency */
export const NODE_STATUS_REPORT_MS = 5 * 60_000;
/** the node lease controller's renew interval (leaseDurationSeconds 40 × 0.25) */
export const NODE_LEASE_RENEW_MS = 10_000;
export const NODE_LEASE_DURATION_SECONDS = 40;

const TIMER = 'node-status-report';

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

export const nodeHeartbeatController: Controller = {
  name: 'node-heartbeat',
  timers: { [TIMER]: report },
};
