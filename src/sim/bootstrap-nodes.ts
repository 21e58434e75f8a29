// How a fresh cluster's nodes came up: the events their start left (kubelet, kube-proxy,
// node-controller), kind's workers joining after the control plane, the Ready transition where the
// node waited for its CNI, and the last status report the heartbeats go on from.
//
// kubelet (pkg/kubelet/kubelet.go, nodestatus/setters.go): "Starting kubelet.", then while it
// registers, each condition setter records NodeHasSufficientMemory / NodeHasNoDiskPressure /
// NodeHasSufficientPID as the condition goes from Unknown to False (a control plane's kubelet,
// started by kubeadm init before its API server answers, retries that: x8, x8, x7),
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
/** minikube's first status update after registration (images, addresses settled) */
const FIRST_UPDATE_MS = 10_000;

interface Ev {
  at: number;
  count?: number;
  reason: string;
  message: string;
  component: 'kubelet' | 'node-controller' | 'kube-proxy';
}

const status = (name: string, at: number, cond: string, count = 1): Ev => ({ at, count, reason: cond, message: `Node ${name} status is now: ${cond}`, component: 'kubelet' });
const starting = (at: number): Ev => ({ at, reason: 'Starting', message: 'Starting kubelet.', component: 'kubelet' });
const enforced = (at: number): Ev => ({ at, reason: 'NodeAllocatableEnforced', message: 'Updated Node Allocatable limit across pods', component: 'kubelet' });
const registeredNode = (name: string, at: number): Ev => ({ at, reason: 'RegisteredNode', message: `Node ${name} event: Registered Node ${name} in Controller`, component: 'node-controller' });
const proxyStarting = (at: number): Ev => ({ at, reason: 'Starting', message: '', component: 'kube-proxy' });

/** When each node turned Ready (kind's wait for kindnet), relative to its registration. */
function readyAfter(n: BootNode): number {
  return !n.kind ? 0 : n.controlPlane ? 25_000 : 12_000;
}

/**
 * The timelines of real start-ups (`describe node` of fresh kubeadm, minikube and kind nodes):
 * a control plane's kubelet starts ~8 s before the node registers and retries while the API server
 * comes up (x8, x8, x7), the node controller registers it once the controller manager leads, then
 * kube-proxy starts; a kind worker's first kubelet run leaves two conditions a couple of seconds
 * before the join's kubelet records each twice, the node controller and kube-proxy follow 2 s later
 * and NodeReady 12 s after the join.
 */
function nodeEvents(n: BootNode, registered: number): Ev[] {
  const name = n.name;
  const evs: Ev[] = [];
  if (n.controlPlane) {
    const s = registered - 8_000;
    evs.push(starting(s), status(name, s, 'NodeHasSufficientMemory', 8), status(name, s, 'NodeHasNoDiskPressure', 8), status(name, s, 'NodeHasSufficientPID', 7), enforced(s));
    evs.push(registeredNode(name, registered + 12_000), proxyStarting(registered + 15_000));
  } else {
    const early = registered - 2_000;
    evs.push(status(name, early, 'NodeHasNoDiskPressure'), status(name, early, 'NodeHasSufficientPID'));
    evs.push(starting(registered), status(name, registered, 'NodeHasSufficientMemory', 2), status(name, registered, 'NodeHasNoDiskPressure', 2), status(name, registered, 'NodeHasSufficientPID', 2), enforced(registered));
    evs.push(registeredNode(name, registered + 2_000), proxyStarting(registered + 2_000));
  }
  if (n.kind) evs.push(status(name, registered + readyAfter(n), 'NodeReady'));
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
    firstTimestamp: proxy ? null : isoTime(e.at),
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
      lastReport = registered + readyAfter(n);
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
