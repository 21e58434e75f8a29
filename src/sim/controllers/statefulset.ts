// The StatefulSet controller (pkg/controller/statefulset): pods `<set>-0…N-1` with stable identity and
// storage, created in order (each Running and Ready before the next) and removed in reverse order
// under OrderedReady, all at once under Parallel; claims from volumeClaimTemplates created before
// their pod and kept; RollingUpdate from the highest ordinal down to the partition, OnDelete; the
// ControllerRevisions and the status fields `kubectl rollout` reads.
import type { KObj } from '../../api/types.js';
import type { ChangeEvent } from '../../api/server.js';
import type { Cluster, Controller } from '../engine.js';
import { recordEvent } from '../events.js';
import { POD } from '../keys.js';
import { PVC } from './storage-keys.js';
import {
  availableIn,
  claimsFor,
  isFailedOrSucceeded,
  isRunningAndReady,
  isTerminating,
  newStatefulPod,
  ordinalOf,
  REVISION_LABEL,
} from './statefulset-pods.js';
import { adoptOrphanRevisions, CONTROLLER_REVISION, ensureUpdateRevision, listRevisions, ownerRef, STATEFULSET, truncateHistory } from './statefulset-revisions.js';

const SOURCE = { component: 'statefulset-controller' };
const SYNC = 'statefulset-sync';
const MEMO_PODS = 'statefulset/pods';
const MEMO_PENDING = 'statefulset/pending';
const MEMO_ORPHANS = 'statefulset/orphans';
const RETRY = 'statefulset-retry';
const RETRY_MS = 30_000;

const setKey = (ns: string, name: string) => `statefulsets.apps/${ns}/${name}`;

/** Pod names by owning set (`ns/name`), built once per invocation and kept current by changes. */
function podIndex(c: Cluster): Map<string, Set<string>> {
  let idx = c.memo.get(MEMO_PODS) as Map<string, Set<string>> | undefined;
  if (!idx) {
    idx = new Map();
    for (const p of c.listAll('pods')) {
      const owner = setOwner(p);
      if (owner) addTo(idx, `${p.metadata.namespace}/${owner}`, p.metadata.name);
    }
    c.memo.set(MEMO_PODS, idx);
  }
  return idx;
}

/** `ns/parent` of a pod no controller owns whose name ends in an ordinal (a set's orphan), else undefined. */
function orphanKey(pod: KObj): string | undefined {
  if ((pod.metadata?.ownerReferences ?? []).some((r: KObj) => r.controller)) return undefined;
  const m = /^(.+)-(0|[1-9][0-9]*)$/.exec(pod.metadata?.name ?? '');
  return m ? `${pod.metadata.namespace}/${m[1]}` : undefined;
}

/** Orphaned pods by the set name their own name gives (getParentName), built once per invocation. */
function orphanIndex(c: Cluster): Map<string, Set<string>> {
  let idx = c.memo.get(MEMO_ORPHANS) as Map<string, Set<string>> | undefined;
  if (!idx) {
    idx = new Map();
    for (const p of c.listAll('pods')) {
      const k = orphanKey(p);
      if (k) addTo(idx, k, p.metadata.name);
    }
    c.memo.set(MEMO_ORPHANS, idx);
  }
  return idx;
}

function addTo(idx: Map<string, Set<string>>, k: string, name: string): void {
  const s = idx.get(k);
  if (s) s.add(name);
  else idx.set(k, new Set([name]));
}

function setOwner(pod: KObj): string | undefined {
  const r = (pod.metadata?.ownerReferences ?? []).find((o: KObj) => o.controller && o.kind === 'StatefulSet');
  return r?.name;
}

function requestSync(c: Cluster, ns: string, name: string, delayMs = 0): void {
  const key = setKey(ns, name);
  const pending = (c.memo.get(MEMO_PENDING) as Set<string> | undefined) ?? new Set<string>();
  c.memo.set(MEMO_PENDING, pending);
  if (delayMs === 0) {
    if (pending.has(key)) return;
    pending.add(key);
  }
  c.schedule(delayMs, SYNC, key);
}

/** The set's pods by ordinal (those it owns). */
function ownedPods(c: Cluster, sts: KObj): Map<number, KObj> {
  const out = new Map<number, KObj>();
  const ns = sts.metadata.namespace;
  const names = podIndex(c).get(`${ns}/${sts.metadata.name}`);
  for (const name of names ?? []) {
    const p = c.api.peek(POD, ns, name);
    if (!p) continue;
    const owned = (p.metadata.ownerReferences ?? []).some((r: KObj) => r.controller && r.uid === sts.metadata.uid);
    const ord = ordinalOf(sts, name);
    if (owned && ord >= 0) out.set(ord, p);
  }
  return out;
}

function podEvent(c: Cluster, sts: KObj, verb: 'create' | 'delete', pod: KObj, err?: string): void {
  const Verb = verb[0].toUpperCase() + verb.slice(1);
  if (err) recordEvent(c, sts, 'Warning', `Failed${Verb}`, `${verb} Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} failed error: ${err}`, SOURCE);
  else recordEvent(c, sts, 'Normal', `Successful${Verb}`, `${verb} Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} successful`, SOURCE);
}

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** createPersistentVolumeClaims: the pod's missing claims, each with its event. */
function createClaims(c: Cluster, sts: KObj, ordinal: number, podName: string): string | undefined {
  for (const { claim } of claimsFor(sts, ordinal)) {
    if (c.api.peek(PVC, claim.metadata.namespace, claim.metadata.name)) continue;
    try {
      c.api.create(PVC, claim);
      recordEvent(c, sts, 'Normal', 'SuccessfulCreate', `create Claim ${claim.metadata.name} Pod ${podName} in StatefulSet ${sts.metadata.name} success`, SOURCE);
    } catch (e) {
      const msg = `create Claim ${claim.metadata.name} for Pod ${podName} in StatefulSet ${sts.metadata.name} failed error: ${errText(e)}`;
      recordEvent(c, sts, 'Warning', 'FailedCreate', msg, SOURCE);
      return `failed to create PVC ${claim.metadata.name}: ${errText(e)}`;
    }
  }
  return undefined;
}

/** ClaimPods: an orphan of the set's name and selector (left by --cascade=orphan) is adopted. */
function adopt(c: Cluster, sts: KObj, name: string): boolean {
  const existing = c.api.peek(POD, sts.metadata.namespace, name);
  if (!existing) return false;
  const controlled = (existing.metadata.ownerReferences ?? []).some((r: KObj) => r.controller);
  const labels: Record<string, string> = existing.metadata.labels ?? {};
  const matches = Object.entries(sts.spec?.selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  if (!controlled && matches && !existing.metadata.deletionTimestamp) {
    const next = structuredClone(existing);
    next.metadata.ownerReferences = [...(next.metadata.ownerReferences ?? []), ownerRef(sts)];
    c.api.write(POD, next);
    requestSync(c, sts.metadata.namespace, sts.metadata.name);
  }
  return true;
}

function createPod(c: Cluster, sts: KObj, ordinal: number, revision: KObj): boolean {
  if (adopt(c, sts, `${sts.metadata.name}-${ordinal}`)) return false;
  const pod = newStatefulPod(sts, revision.data?.spec?.template ?? sts.spec.template, ordinal, revision.metadata.name);
  const claimErr = createClaims(c, sts, ordinal, pod.metadata.name);
  if (claimErr) return false;
  try {
    c.api.create(POD, pod);
    podEvent(c, sts, 'create', pod);
    return true;
  } catch (e) {
    podEvent(c, sts, 'create', pod, errText(e));
    return false;
  }
}

function deletePod(c: Cluster, sts: KObj, pod: KObj): void {
  try {
    c.api.delete(POD, pod.metadata.namespace, pod.metadata.name);
    podEvent(c, sts, 'delete', pod);
  } catch (e) {
    podEvent(c, sts, 'delete', pod, errText(e));
  }
}

/** whenScaled: Delete — a condemned pod's claims are given the pod as owner, so they go with it. */
function ownClaimsByPod(c: Cluster, sts: KObj, ordinal: number, pod: KObj): void {
  for (const { claim } of claimsFor(sts, ordinal)) {
    const stored = c.api.peek(PVC, claim.metadata.namespace, claim.metadata.name);
    if (!stored || (stored.metadata.ownerReferences ?? []).some((r: KObj) => r.uid === pod.metadata.uid)) continue;
    const next = structuredClone(stored);
    next.metadata.ownerReferences = [...(next.metadata.ownerReferences ?? []), { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid }];
    c.api.write(PVC, next);
  }
}

/** A failed create is retried (the controller's rate-limited requeue; a quota may have room later). */
function retryLater(c: Cluster, sts: KObj): void {
  const key = setKey(sts.metadata.namespace, sts.metadata.name);
  if (!c.hasTimer(key, RETRY)) c.schedule(RETRY_MS, RETRY, key);
}

function revisionOf(revisions: KObj[], name: string | undefined): KObj | undefined {
  return name ? revisions.find((r) => r.metadata.name === name) : undefined;
}

/** One pass of the controller's update (stateful_set_control.go's updateStatefulSet). */
function sync(c: Cluster, key: string): void {
  const [, ns, name] = key.split('/');
  (c.memo.get(MEMO_PENDING) as Set<string> | undefined)?.delete(key);
  const found = c.api.peek(STATEFULSET, ns, name);
  if (!found || found.metadata.deletionTimestamp) return;
  const sts = found;
  adoptOrphanRevisions(c, sts);
  let revisions = listRevisions(c, sts);
  const update = ensureUpdateRevision(c, sts, revisions);
  revisions = listRevisions(c, sts);
  const current = revisionOf(revisions, sts.status?.currentRevision) ?? update;
  const spec = sts.spec;
  const replicas = Number(spec.replicas ?? 1);
  const monotonic = spec.podManagementPolicy !== 'Parallel';
  const minReady = Number(spec.minReadySeconds ?? 0);
  const rolling = spec.updateStrategy?.type !== 'OnDelete';
  const partition = rolling ? Number(spec.updateStrategy?.rollingUpdate?.partition ?? 0) : 0;
  // getPodsForStatefulSet/ClaimPods: orphans of the set's name and selector are adopted whatever
  // their ordinal (one beyond the set's size is then condemned like any other)
  for (const orphan of [...(orphanIndex(c).get(`${ns}/${name}`) ?? [])]) adopt(c, sts, orphan);
  const pods = ownedPods(c, sts);

  const step = (): void => {
    // pods within the set's size: create the missing ones, replace failed ones, wait on unhealthy ones
    for (let i = 0; i < replicas; i++) {
      const pod = pods.get(i);
      if (!pod) {
        const rev = rolling && current.metadata.name !== update.metadata.name && i < partition ? current : update;
        if (!createPod(c, sts, i, rev) && !c.api.peek(POD, sts.metadata.namespace, `${sts.metadata.name}-${i}`)) retryLater(c, sts);
        if (monotonic) return;
        continue;
      }
      if (isFailedOrSucceeded(pod) && !isTerminating(pod)) {
        deletePod(c, sts, pod);
        if (monotonic) return;
        continue;
      }
      // a pod whose claims were deleted gets them back (identity and storage are enforced)
      if (!isTerminating(pod)) createClaims(c, sts, i, pod.metadata.name);
      if (monotonic && (isTerminating(pod) || availableIn(pod, minReady, c.now()) !== 0)) return;
    }
    // pods beyond it: the highest ordinal first, one at a time under OrderedReady
    const condemned = [...pods.keys()].filter((i) => i >= replicas).sort((a, b) => b - a);
    for (const i of condemned) {
      const pod = pods.get(i)!;
      if (isTerminating(pod)) {
        if (monotonic) return;
        continue;
      }
      if (monotonic) {
        const unhealthy = [...pods.values()].find((p) => !isRunningAndReady(p) || isTerminating(p));
        if (unhealthy && unhealthy !== pod) return;
      }
      if (spec.persistentVolumeClaimRetentionPolicy?.whenScaled === 'Delete') ownClaimsByPod(c, sts, i, pod);
      deletePod(c, sts, pod);
      if (monotonic) return;
    }
    if (!rolling) return;
    // rolling update: from the highest ordinal down to the partition, one pod at a time
    for (let i = replicas - 1; i >= partition; i--) {
      const pod = pods.get(i);
      if (!pod) return;
      if (pod.metadata.labels?.[REVISION_LABEL] !== update.metadata.name && !isTerminating(pod)) {
        deletePod(c, sts, pod);
        return;
      }
      if (!isRunningAndReady(pod) || isTerminating(pod)) return;
    }
  };
  step();
  writeStatus(c, sts, current, update, revisions);
}

function writeStatus(c: Cluster, sts: KObj, current: KObj, update: KObj, revisions: KObj[]): void {
  const pods = ownedPods(c, sts);
  const minReady = Number(sts.spec.minReadySeconds ?? 0);
  let replicas = 0;
  let ready = 0;
  let available = 0;
  let currentN = 0;
  let updated = 0;
  let nextCheck: number | undefined;
  const live = new Set<string>([current.metadata.name, update.metadata.name]);
  for (const pod of pods.values()) {
    replicas++;
    const rev = pod.metadata.labels?.[REVISION_LABEL];
    if (rev) live.add(rev);
    if (isRunningAndReady(pod)) {
      ready++;
      const wait = availableIn(pod, minReady, c.now());
      if (wait === 0) available++;
      else if (wait !== undefined) nextCheck = Math.min(nextCheck ?? wait, wait);
    }
    if (!isTerminating(pod)) {
      if (rev === current.metadata.name) currentN++;
      if (rev === update.metadata.name) updated++;
    }
  }
  const status: KObj = {
    availableReplicas: available,
    collisionCount: Number(sts.status?.collisionCount ?? 0),
    observedGeneration: sts.metadata.generation,
    replicas,
  };
  if (ready) status.readyReplicas = ready;
  let currentRevision = current.metadata.name;
  if (currentN) status.currentReplicas = currentN;
  if (updated) status.updatedReplicas = updated;
  if (sts.spec.updateStrategy?.type !== 'OnDelete' && updated === replicas && ready === replicas) {
    currentRevision = update.metadata.name;
    if (updated) status.currentReplicas = updated;
    else delete status.currentReplicas;
  }
  status.currentRevision = currentRevision;
  status.updateRevision = update.metadata.name;
  const stored = c.api.peek(STATEFULSET, sts.metadata.namespace, sts.metadata.name);
  if (stored && JSON.stringify(sortKeys(stored.status ?? {})) !== JSON.stringify(sortKeys(status))) {
    const next = structuredClone(stored);
    next.status = status;
    c.api.write(STATEFULSET, next);
  }
  truncateHistory(c, sts, revisions, live);
  if (nextCheck !== undefined) requestSync(c, sts.metadata.namespace, sts.metadata.name, nextCheck);
}

function sortKeys(o: KObj): KObj {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

const podStateChanged = (a: KObj | undefined, b: KObj) =>
  !a ||
  a.status?.phase !== b.status?.phase ||
  isRunningAndReady(a) !== isRunningAndReady(b) ||
  Boolean(a.metadata?.deletionTimestamp) !== Boolean(b.metadata?.deletionTimestamp) ||
  a.metadata?.labels?.[REVISION_LABEL] !== b.metadata?.labels?.[REVISION_LABEL];

export const statefulSetController: Controller = {
  name: 'statefulset',
  onChange(c: Cluster, ev: ChangeEvent) {
    const kind = ev.def.kind;
    if (kind === 'StatefulSet') {
      if (ev.type === 'DELETED') return;
      // the controller's own status writes do not need another pass
      if (ev.type === 'MODIFIED' && ev.old && JSON.stringify(ev.old.spec) === JSON.stringify(ev.obj.spec) && ev.old.metadata.deletionTimestamp === ev.obj.metadata.deletionTimestamp) return;
      requestSync(c, ev.obj.metadata.namespace, ev.obj.metadata.name);
      return;
    }
    if (kind === 'Pod') {
      const orphans = c.memo.get(MEMO_ORPHANS) as Map<string, Set<string>> | undefined;
      const before = ev.type === 'DELETED' ? (ev.old ?? ev.obj) : ev.old;
      const wasOrphan = before ? orphanKey(before) : undefined;
      const orphan = ev.type === 'DELETED' ? undefined : orphanKey(ev.obj);
      if (orphans && wasOrphan && wasOrphan !== orphan) orphans.get(wasOrphan)?.delete(ev.obj.metadata.name);
      if (orphans && orphan) addTo(orphans, orphan, ev.obj.metadata.name);
      // a pod that became an orphan (or was made as one) may belong to a set of its name
      if (orphan && orphan !== wasOrphan) {
        const [ons, parent] = [ev.obj.metadata.namespace, orphan.slice(ev.obj.metadata.namespace.length + 1)];
        if (c.api.peek(STATEFULSET, ons, parent)) requestSync(c, ons, parent);
      }
      const owner = setOwner(ev.obj);
      if (!owner) return;
      const idx = c.memo.get(MEMO_PODS) as Map<string, Set<string>> | undefined;
      const k = `${ev.obj.metadata.namespace}/${owner}`;
      if (idx && ev.type !== 'DELETED') addTo(idx, k, ev.obj.metadata.name);
      if (idx && ev.type === 'DELETED') idx.get(k)?.delete(ev.obj.metadata.name);
      if (ev.type === 'MODIFIED' && !podStateChanged(ev.old, ev.obj) && setOwner(ev.old ?? {}) === owner) return;
      requestSync(c, ev.obj.metadata.namespace, owner);
      return;
    }
    if (kind === 'ControllerRevision' && ev.type === 'DELETED') {
      const r = (ev.obj.metadata.ownerReferences ?? []).find((o: KObj) => o.controller && o.kind === 'StatefulSet');
      if (r) requestSync(c, ev.obj.metadata.namespace, r.name);
    }
  },
  timers: {
    [SYNC]: (c: Cluster, t: { key: string }) => sync(c, t.key),
    [RETRY]: (c: Cluster, t: { key: string }) => sync(c, t.key),
  },
};

export { CONTROLLER_REVISION };
