// How a fresh cluster's nodes came up: the events their start left (kubelet, kube-proxy,
// node-controller), kind's workers joining after the control plane, the Ready transition where the
// node waited for its CNI, and the last status report the heartbeats go on from.
//
// kubelet (pkg/kubelet/kubelet.go, nodestatus/setters.go): "Starting kubelet.", then while it
// registers, each condition setter records NodeHasSufficientMemory / NodeHasNoDiskPressure /
// NodeHasSufficientPID as the condition goes from Unknown to False (the first kubelet start of
// minikube's and kind's kubeadm bootstrap retries that until the API server answers: x8, x8, x7),
// NodeAllocatableEnforced "Updated Node Allocatable limit across pods", and NodeReady only when a
// Ready condition already posted as False turns True (kind's nodes wait for kindnet).
// kube-proxy (cmd/kube-proxy/app/server.go) reports `Starting` through events.k8s.io/v1 with no
// note, so the core view of its event has only eventTime. The node lifecycle controller records
// RegisteredNode "Node X event: Registered Node X in Controller".
// Nothing here draws on the main random stream: the names every fresh cluster shows stay the same.
import type { KObj } from '../api/types.js';
import { isoTime, microTime } from './clock.js';
import type { Cluster } from './engine.js';
import { EVENT, NODE, POD } from './keys.js';
import { randomUid } from './random.js';
import { startNodeReports } from './controllers/node-heartbeat.js';

export interface BootNode {
  name: string;
  controlPlane: boolean;
  kind: boolean;
}

/** kind's workers join this long after the control plane registered (kubeadm join after init) */
const KIND_JOIN_MS = [18_000, 19_000];
/** the node is Ready once the CNI (kindnet) is up on it */
const KIND_READY_AFTER_MS = 15_000;
/** minikube's first status update after registration (images, addresses settled) */
const FIRST_UPDATE_MS = 10_000;

interface Ev {
  at: number;
  first?: number;
  count?: number;
  reason: string;
  message: string;
  component: 'kubelet' | 'node-controller' | 'kube-proxy';
}

function kubeletStart(name: string, at: number, retries: boolean): Ev[] {
  const status = (cond: string, count: number): Ev => ({ at, count, reason: cond, message: `Node ${name} status is now: ${cond}`, component: 'kubelet' });
  const starting: Ev = { at, reason: 'Starting', message: 'Starting kubelet.', component: 'kubelet' };
  const enforced: Ev = { at, reason: 'NodeAllocatableEnforced', message: 'Updated Node Allocatable limit across pods', component: 'kubelet' };
  return retries
    ? [starting, status('NodeHasSufficientMemory', 8), status('NodeHasNoDiskPressure', 8), status('NodeHasSufficientPID', 7), enforced]
    : [starting, enforced, status('NodeHasSufficientMemory', 1), status('NodeHasNoDiskPressure', 1), status('NodeHasSufficientPID', 1)];
}

function nodeEvents(n: BootNode, registered: number): Ev[] {
  const evs: Ev[] = [];
  // control planes: the kubelet kubeadm starts before the API server is up, then the one it restarts
  if (n.controlPlane) evs.push(...kubeletStart(n.name, registered - 6_000, true));
  evs.push(...kubeletStart(n.name, registered, false));
  evs.push({ at: registered + 4_000, reason: 'RegisteredNode', message: `Node ${n.name} event: Registered Node ${n.name} in Controller`, component: 'node-controller' });
  evs.push({ at: registered + 7_000, reason: 'Starting', message: '', component: 'kube-proxy' });
  if (n.kind) evs.push({ at: registered + KIND_READY_AFTER_MS, reason: 'NodeReady', message: `Node ${n.name} status is now: NodeReady`, component: 'kubelet' });
  return evs;
}

function createEvent(c: Cluster, node: KObj, e: Ev, side: number): void {
  const seq = (c.state.counters.events = (c.state.counters.events ?? 0) + 1);
  const name = `${node.metadata.name}.${(BigInt(e.at) * 1_000_000n + BigInt(seq % 1_000_000)).toString(16)}`;
  const proxy = e.component === 'kube-proxy';
  // the kubelet's and kube-proxy's node reference carries the node's name as its uid; the node
  // lifecycle controller's the real one
  const involved =
    e.component === 'node-controller'
      ? { apiVersion: 'v1', kind: 'Node', name: node.metadata.name, uid: node.metadata.uid }
      : { kind: 'Node', name: node.metadata.name, uid: node.metadata.name };
  const ev: KObj = {
    metadata: { name, namespace: 'default' },
    involvedObject: involved,
    reason: e.reason,
    message: e.message,
    type: 'Normal',
    count: proxy ? undefined : e.count ?? 1,
    firstTimestamp: proxy ? null : isoTime(e.first ?? e.at),
    lastTimestamp: proxy ? null : isoTime(e.at),
    eventTime: proxy ? microTime(e.at) : null,
    source: proxy ? {} : e.component === 'kubelet' ? { component: 'kubelet', host: node.metadata.name } : { component: 'node-controller' },
    reportingComponent: proxy ? 'kube-proxy' : e.component === 'kubelet' ? 'kubelet' : 'node-controller',
    reportingInstance: proxy ? `kube-proxy-${node.metadata.name}` : e.component === 'kubelet' ? node.metadata.name : '',
    ...(proxy ? { action: 'StartKubeProxy' } : {}),
  };
  if (ev.count === undefined) delete ev.count;
  c.api.create(EVENT, ev);
  const stored = c.api.peek(EVENT, 'default', name);
  if (!stored) return;
  stored.metadata.creationTimestamp = isoTime(e.at);
  stored.metadata.uid = randomUid({ ...c.state, rand: c.state.rand ^ side });
}

function shiftIso(v: unknown, ms: number): unknown {
  return typeof v === 'string' && v ? isoTime(Date.parse(v) + ms) : v;
}

/** kind's worker joined `ms` after the control plane: the node and the pods the DaemonSets put on it are that much younger. */
function joinLater(c: Cluster, node: KObj, ms: number): void {
  node.metadata.creationTimestamp = shiftIso(node.metadata.creationTimestamp, ms);
  for (const cond of (node.status?.conditions ?? []) as KObj[]) {
    cond.lastTransitionTime = shiftIso(cond.lastTransitionTime, ms);
    cond.lastHeartbeatTime = shiftIso(cond.lastHeartbeatTime, ms);
  }
  for (const pod of c.api.list(POD)) {
    if (pod.spec?.nodeName !== node.metadata.name) continue;
    const stored = c.api.peek(POD, pod.metadata.namespace, pod.metadata.name)!;
    stored.metadata.creationTimestamp = shiftIso(stored.metadata.creationTimestamp, ms);
    const st = stored.status ?? {};
    st.startTime = shiftIso(st.startTime, ms);
    for (const cond of (st.conditions ?? []) as KObj[]) cond.lastTransitionTime = shiftIso(cond.lastTransitionTime, ms);
    for (const cs of (st.containerStatuses ?? []) as KObj[]) if (cs.state?.running) cs.state.running.startedAt = shiftIso(cs.state.running.startedAt, ms);
  }
}

/**
 * Gives the fresh cluster's nodes their start-up history. Runs last in the bootstrap (after its timers
 * are cleared), at the cluster's birth; leaves the main random stream where it was.
 */
export function bootNodes(c: Cluster, nodes: BootNode[]): void {
  const rand = c.state.rand;
  const birth = c.now();
  let side = 0x2545f491;
  let worker = 0;
  const all: { node: KObj; e: Ev }[] = [];
  for (const n of nodes) {
    const node = c.api.peek(NODE, undefined, n.name);
    if (!node) continue;
    const joined = n.kind && !n.controlPlane ? KIND_JOIN_MS[Math.min(worker++, KIND_JOIN_MS.length - 1)] : 0;
    if (joined) joinLater(c, node, joined);
    const registered = birth + joined;
    let lastReport = registered + FIRST_UPDATE_MS;
    if (n.kind) {
      // registered NotReady (no CNI yet); the post that turned it Ready is its last report so far
      lastReport = registered + KIND_READY_AFTER_MS;
      for (const cond of (node.status?.conditions ?? []) as KObj[]) {
        if (cond.type === 'Ready') cond.lastTransitionTime = isoTime(lastReport);
      }
    }
    for (const cond of (node.status?.conditions ?? []) as KObj[]) cond.lastHeartbeatTime = isoTime(lastReport);
    startNodeReports(c, n.name, lastReport);
    for (const e of nodeEvents(n, registered)) all.push({ node, e });
  }
  // recorded in the order they happened, so equal times list as a real cluster lists them
  all.sort((a, b) => a.e.at - b.e.at);
  for (const { node, e } of all) createEvent(c, node, e, (side = (side * 1103515245 + 12345) | 0));
  c.state.rand = rand;
}
