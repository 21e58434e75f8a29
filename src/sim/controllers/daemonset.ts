// The DaemonSet controller (pkg/controller/daemon): one pod per eligible node, created with the
// node's matchFields affinity for the default scheduler to bind; pods removed from nodes that no
// longer fit; RollingUpdate (maxSurge 0: delete up to maxUnavailable old pods, the next sync puts
// the new one) and OnDelete; ControllerRevisions `<ds>-<hash>` and their history limit; status.
import { canonicalJson } from '../../api/equal.js';
import { resourceForKind } from '../../api/registry.js';
import type { ChangeEvent } from '../../api/server.js';
import type { KObj, ResourceDef } from '../../api/types.js';
import type { Cluster } from '../engine.js';
import { recordEvent } from '../events.js';
import { NODE, POD } from '../keys.js';
import { allowsSurge, surgeExtras, surgePlan } from './daemon-surge.js';
import {
  computeHash,
  controllerRef,
  controllerUid,
  daemonPodSpec,
  GENERATION_LABEL,
  HASH_LABEL,
  nodeShouldRun,
  podAvailable,
  podReady,
  revisionData,
  scaledValue,
  targetNode,
} from './daemon-util.js';

export const DAEMONSET: ResourceDef = resourceForKind('apps/v1', 'DaemonSet')!;
export const CONTROLLERREVISION: ResourceDef = resourceForKind('apps/v1', 'ControllerRevision')!;
const SOURCE = { component: 'daemonset-controller' };
const SYNC = 'daemonset-sync';
const TERMINAL = ['Succeeded', 'Failed'];

const dsKey = (ns: string, name: string) => `daemonsets/${ns}/${name}`;

function queue(c: Cluster, ns: string, name: string, delayMs = 0): void {
  const key = dsKey(ns, name);
  const pending = (c.memo.get('ds/queued') as Set<string> | undefined) ?? new Set<string>();
  c.memo.set('ds/queued', pending);
  if (delayMs === 0 && pending.has(key)) return;
  if (delayMs === 0) pending.add(key);
  c.schedule(delayMs, SYNC, key);
}

/** Daemon pods by their DaemonSet's uid (built once per invocation, kept up to date by onChange). */
function podIndex(c: Cluster): Map<string, Map<string, KObj>> {
  let idx = c.memo.get('ds/pods') as Map<string, Map<string, KObj>> | undefined;
  if (!idx) {
    idx = new Map();
    for (const p of c.listAll('pods')) {
      const ref = (p.metadata.ownerReferences ?? []).find((r: KObj) => r.controller && r.kind === 'DaemonSet');
      if (ref) getOrAdd(idx, ref.uid).set(p.metadata.name, p);
    }
    c.memo.set('ds/pods', idx);
  }
  return idx;
}

function getOrAdd(idx: Map<string, Map<string, KObj>>, uid: string): Map<string, KObj> {
  let m = idx.get(uid);
  if (!m) idx.set(uid, (m = new Map()));
  return m;
}

const byAge = (a: KObj, b: KObj) =>
  a.metadata.creationTimestamp < b.metadata.creationTimestamp ? -1 : a.metadata.creationTimestamp > b.metadata.creationTimestamp ? 1 : a.metadata.name < b.metadata.name ? -1 : 1;

/** constructHistory: the current revision (created or bumped) and the old ones. */
function history(c: Cluster, ds: KObj): { hash: string; old: KObj[] } {
  const ns = ds.metadata.namespace;
  const mine = c.api.list(CONTROLLERREVISION, ns).filter((r) => controllerUid(r) === ds.metadata.uid);
  const data = revisionData(ds);
  const text = canonicalJson(data);
  const maxRev = mine.reduce((m, r) => Math.max(m, Number(r.revision ?? 0)), 0);
  const current = mine.filter((r) => canonicalJson(r.data) === text).sort((a, b) => Number(b.revision) - Number(a.revision))[0];
  if (current) {
    if (Number(current.revision) < maxRev) c.api.write(CONTROLLERREVISION, { ...structuredClone(current), revision: maxRev + 1 });
    return { hash: current.metadata.labels?.[HASH_LABEL] ?? current.metadata.name.slice(ds.metadata.name.length + 1), old: mine.filter((r) => r !== current) };
  }
  let collision = ds.status?.collisionCount ?? 0;
  let hash = computeHash(ds.spec.template, collision);
  while (c.api.peek(CONTROLLERREVISION, ns, `${ds.metadata.name}-${hash}`)) hash = computeHash(ds.spec.template, ++collision);
  c.api.create(CONTROLLERREVISION, {
    metadata: {
      name: `${ds.metadata.name}-${hash}`,
      namespace: ns,
      labels: { ...(ds.spec.template.metadata?.labels ?? {}), [HASH_LABEL]: hash },
      ...(ds.metadata.annotations ? { annotations: { ...ds.metadata.annotations } } : {}),
      ownerReferences: [controllerRef(ds)],
    },
    data,
    revision: maxRev + 1,
  });
  return { hash, old: mine };
}

/** Creates the node's daemon pod; false when the API server refused it (FailedCreate). */
function createPod(c: Cluster, ds: KObj, node: string, hash: string): boolean {
  const t = ds.spec.template;
  const labels = { ...(t.metadata?.labels ?? {}), [GENERATION_LABEL]: templateGeneration(ds), [HASH_LABEL]: hash };
  const spec = daemonPodSpec(ds, node);
  if (spec.priorityClassName === 'system-node-critical') spec.priority ??= 2000001000;
  if (spec.priorityClassName === 'system-cluster-critical') spec.priority ??= 2000000000;
  try {
    const pod = c.api.create(POD, {
      metadata: {
        generateName: `${ds.metadata.name}-`,
        namespace: ds.metadata.namespace,
        labels,
        ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
        ownerReferences: [controllerRef(ds)],
      },
      spec,
    });
    recordEvent(c, ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, SOURCE);
    return true;
  } catch (e) {
    recordEvent(c, ds, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`, SOURCE);
    return false;
  }
}

/** A sync that could not create a pod is retried with the work queue's rate limit (5 ms doubling, at most 1000 s). */
function retryLater(c: Cluster, ds: KObj, failed: boolean): void {
  const key = `ds-backoff/${ds.metadata.uid}`;
  if (!failed) {
    delete c.state.counters[key];
    return;
  }
  const n = c.state.counters[key] ?? 0;
  c.state.counters[key] = n + 1;
  queue(c, ds.metadata.namespace, ds.metadata.name, Math.min(5 * 2 ** n, 1_000_000));
}

function deletePod(c: Cluster, ds: KObj, pod: KObj): void {
  if (!c.api.peek(POD, pod.metadata.namespace, pod.metadata.name)) return;
  c.api.delete(POD, pod.metadata.namespace, pod.metadata.name);
  recordEvent(c, ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, SOURCE);
}

function templateGeneration(ds: KObj): string {
  return String(ds.metadata.annotations?.['deprecated.daemonset.template.generation'] ?? ds.metadata.generation ?? 1);
}

function isUpdated(pod: KObj, hash: string, generation: string): boolean {
  const l = pod.metadata.labels ?? {};
  return l[HASH_LABEL] === hash || l[GENERATION_LABEL] === generation;
}

function sync(c: Cluster, ns: string, name: string): void {
  (c.memo.get('ds/queued') as Set<string> | undefined)?.delete(dsKey(ns, name));
  const ds = c.api.peek(DAEMONSET, ns, name);
  if (!ds || ds.metadata.deletionTimestamp) return;
  const nodes = c.api.list(NODE);
  const owned = [...(podIndex(c).get(ds.metadata.uid)?.values() ?? [])];
  const byNode = new Map<string, KObj[]>();
  for (const p of owned) {
    const n = targetNode(p);
    if (n === undefined) continue;
    if (TERMINAL.includes(p.status?.phase) && p.metadata.deletionTimestamp) continue;
    if (!byNode.has(n)) byNode.set(n, []);
    byNode.get(n)!.push(p);
  }
  const { hash, old } = history(c, ds);
  const desired = nodes.filter((n) => nodeShouldRun(ds, n, c.memo).shouldRun).length;
  const surge = allowsSurge(ds, desired);
  let changed = false;
  let failed = false;
  // manage: create where missing, delete where not wanted / failed / duplicated
  for (const node of nodes) {
    const { shouldRun, shouldContinueRunning } = nodeShouldRun(ds, node, c.memo);
    const pods = (byNode.get(node.metadata.name) ?? []).sort(byAge);
    if (shouldRun && !pods.length) {
      if (!createPod(c, ds, node.metadata.name, hash)) failed = true;
      changed = true;
    } else if (shouldContinueRunning) {
      const running: KObj[] = [];
      for (const p of pods) {
        if (p.metadata.deletionTimestamp) continue;
        if (p.status?.phase === 'Failed') {
          deletePod(c, ds, p);
          changed = true;
        } else running.push(p);
      }
      const extra = surge ? surgeExtras(running, hash) : running.slice(1);
      for (const p of extra) deletePod(c, ds, p);
      if (extra.length) changed = true;
    } else if (pods.length) {
      for (const p of pods) if (!p.metadata.deletionTimestamp) {
        deletePod(c, ds, p);
        changed = true;
      }
    }
  }
  for (const [n, pods] of byNode) {
    if (nodes.some((x) => x.metadata.name === n)) continue;
    for (const p of pods) if (!p.metadata.deletionTimestamp && !p.spec?.nodeName) {
      deletePod(c, ds, p);
      changed = true;
    }
  }
  const minReady = Number(ds.spec.minReadySeconds ?? 0);
  if (!changed && surge) {
    const plan = surgePlan(ds, byNode, (n) => nodes.some((x) => x.metadata.name === n && nodeShouldRun(ds, x, c.memo).shouldRun), desired, hash, minReady, c.now());
    for (const p of plan.deletes) deletePod(c, ds, p);
    for (const n of plan.creates) if (!createPod(c, ds, n, hash)) failed = true;
  } else if (!changed && ds.spec.updateStrategy?.type === 'RollingUpdate') rollingUpdate(c, ds, nodes, byNode, hash, minReady);
  cleanupHistory(c, ds, old, owned);
  updateStatus(c, ds, nodes, byNode, hash, minReady);
  retryLater(c, ds, failed);
}

function rollingUpdate(c: Cluster, ds: KObj, nodes: KObj[], byNode: Map<string, KObj[]>, hash: string, minReady: number): void {
  const desired = nodes.filter((n) => nodeShouldRun(ds, n, c.memo).shouldRun).length;
  const maxUnavailable = scaledValue(ds.spec.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1, desired);
  const now = c.now();
  let unavailable = 0;
  const replace: KObj[] = [];
  const candidates: KObj[] = [];
  for (const n of [...byNode.keys()].sort()) {
    const live = byNode.get(n)!.filter((p) => !p.metadata.deletionTimestamp);
    const fresh = live.filter((p) => isUpdated(p, hash, templateGeneration(ds)));
    const stale = live.filter((p) => !isUpdated(p, hash, templateGeneration(ds)));
    if (fresh.length > 1 || stale.length > 1 || (fresh.length === 0) === (stale.length === 0)) {
      unavailable++;
      continue;
    }
    if (fresh.length) {
      if (!podAvailable(fresh[0], minReady, now)) unavailable++;
    } else if (!podAvailable(stale[0], minReady, now)) replace.push(stale[0]);
    else if (unavailable < maxUnavailable) candidates.push(stale[0]);
  }
  const room = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
  for (const p of [...replace, ...candidates.slice(0, room)]) deletePod(c, ds, p);
}

function cleanupHistory(c: Cluster, ds: KObj, old: KObj[], owned: KObj[]): void {
  const limit = Number(ds.spec.revisionHistoryLimit ?? 10);
  if (old.length <= limit) return;
  const live = new Set(owned.map((p) => p.metadata.labels?.[HASH_LABEL]).filter(Boolean));
  const removable = old.filter((r) => !live.has(r.metadata.labels?.[HASH_LABEL])).sort((a, b) => Number(a.revision) - Number(b.revision));
  for (const r of removable.slice(0, old.length - limit)) c.api.remove(CONTROLLERREVISION, r.metadata.namespace, r.metadata.name);
}

function updateStatus(c: Cluster, ds: KObj, nodes: KObj[], byNode: Map<string, KObj[]>, hash: string, minReady: number): void {
  const now = c.now();
  let desired = 0;
  let current = 0;
  let mis = 0;
  let ready = 0;
  let available = 0;
  let updated = 0;
  let nextCheck = Infinity;
  for (const node of nodes) {
    const { shouldRun } = nodeShouldRun(ds, node, c.memo);
    const pods = [...(byNode.get(node.metadata.name) ?? [])].sort(byAge);
    if (shouldRun) desired++;
    if (!pods.length) continue;
    if (!shouldRun) {
      mis++;
      continue;
    }
    current++;
    const pod = pods[0];
    if (podReady(pod)) {
      ready++;
      if (podAvailable(pod, minReady, now)) available++;
      else {
        const cond = (pod.status.conditions as KObj[]).find((x) => x.type === 'Ready');
        nextCheck = Math.min(nextCheck, Date.parse(cond?.lastTransitionTime) + minReady * 1000 - now);
      }
    }
    if (isUpdated(pod, hash, templateGeneration(ds))) updated++;
  }
  const status: KObj = {
    currentNumberScheduled: current,
    desiredNumberScheduled: desired,
    ...(available ? { numberAvailable: available } : {}),
    numberMisscheduled: mis,
    numberReady: ready,
    ...(desired - available ? { numberUnavailable: desired - available } : {}),
    observedGeneration: ds.metadata.generation ?? 1,
    ...(updated ? { updatedNumberScheduled: updated } : {}),
  };
  if (ds.status?.collisionCount !== undefined) status.collisionCount = ds.status.collisionCount;
  if (canonicalJson(status) !== canonicalJson(ds.status ?? {})) c.api.write(DAEMONSET, { ...structuredClone(ds), status });
  if (Number.isFinite(nextCheck)) queue(c, ds.metadata.namespace, ds.metadata.name, Math.max(1, nextCheck));
}

/** Every DaemonSet (a node changed). */
function queueAll(c: Cluster): void {
  for (const ds of c.listAll('daemonsets.apps')) queue(c, ds.metadata.namespace, ds.metadata.name);
}

function nodeChanged(o: KObj | undefined, n: KObj): boolean {
  if (!o) return true;
  return (
    canonicalJson(o.metadata.labels ?? {}) !== canonicalJson(n.metadata.labels ?? {}) ||
    canonicalJson(o.spec ?? {}) !== canonicalJson(n.spec ?? {}) ||
    podReady({ status: { conditions: o.status?.conditions } }) !== podReady({ status: { conditions: n.status?.conditions } })
  );
}

export const daemonSetController = {
  name: 'daemonset-controller',
  onChange(c: Cluster, ev: ChangeEvent): void {
    const kind = ev.def.kind;
    if (kind === 'DaemonSet') {
      if (ev.type !== 'DELETED') queue(c, ev.obj.metadata.namespace, ev.obj.metadata.name);
      return;
    }
    if (kind === 'Node') {
      if (ev.type !== 'MODIFIED' || nodeChanged(ev.old, ev.obj)) queueAll(c);
      return;
    }
    if (kind !== 'Pod') return;
    const ref = (ev.obj.metadata.ownerReferences ?? []).find((r: KObj) => r.controller && r.kind === 'DaemonSet');
    if (!ref) return;
    const idx = c.memo.get('ds/pods') as Map<string, Map<string, KObj>> | undefined;
    if (idx) {
      if (ev.type === 'DELETED') idx.get(ref.uid)?.delete(ev.obj.metadata.name);
      else getOrAdd(idx, ref.uid).set(ev.obj.metadata.name, ev.obj);
    }
    const o = ev.old;
    const n = ev.obj;
    const relevant =
      ev.type !== 'MODIFIED' ||
      !o ||
      podReady(o) !== podReady(n) ||
      o.status?.phase !== n.status?.phase ||
      o.spec?.nodeName !== n.spec?.nodeName ||
      !!o.metadata.deletionTimestamp !== !!n.metadata.deletionTimestamp;
    if (relevant) queue(c, ev.obj.metadata.namespace, ref.name);
  },
  timers: {
    [SYNC]: (c: Cluster, t: { key: string }) => {
      const [, ns, name] = t.key.split('/');
      sync(c, ns, name);
    },
  },
};
