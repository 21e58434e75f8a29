// Indexes the API server keeps beside the objects, as the apiserver's watch cache keeps indexers:
// owner uid → the objects whose ownerReferences name it, uid → where an object is stored, and node
// name → the pods bound to it (spec.nodeName, the kubelet's and the scheduler's view). They
// live in the store (sharded like the objects), so the garbage collector finds what a deletion
// concerns without reading every object. Entries are added on every write and checked on use: an
// entry whose object no longer names the owner (or no longer exists) is dropped when it is found.
import { allResources, resourceKey } from './registry.js';
import type { KObj, ResourceDef } from './types.js';
import type { StoreState } from '../store/state.js';

/** The indexes' version in counters.ownerIndex (a store with another is indexed anew on first use). */
export const INDEX_VERSION = 2;

/** Where an object is stored: `<resource>|<namespace/name or name>`. */
export type StoredAt = string;

function at(def: ResourceDef, key: string): StoredAt {
  return `${resourceKey(def)}|${key}`;
}

function records(state: StoreState): { owners: Record<string, StoredAt[]>; uids: Record<string, StoredAt>; nodes: Record<string, string[]> } {
  return { owners: (state.owners ??= {}), uids: (state.uids ??= {}), nodes: (state.nodePods ??= {}) };
}

/** The indexes exist for this state (a store written before them is indexed on first use). */
function built(state: StoreState): boolean {
  return state.counters.ownerIndex === INDEX_VERSION;
}

function add(state: StoreState, where: StoredAt, obj: KObj): void {
  const { owners, uids, nodes } = records(state);
  const node = obj.kind === 'Pod' ? obj.spec?.nodeName : undefined;
  if (node) {
    const key = where.slice(where.indexOf('|') + 1);
    const list = nodes[node];
    if (!list) nodes[node] = [key];
    else if (!list.includes(key)) list.push(key);
  }
  const uid = obj.metadata?.uid;
  if (uid && uids[uid] !== where) uids[uid] = where;
  for (const r of obj.metadata?.ownerReferences ?? []) {
    if (!r?.uid) continue;
    const list = owners[r.uid];
    if (!list) owners[r.uid] = [where];
    else if (!list.includes(where)) list.push(where);
  }
}

/** Keeps the indexes in step with a stored object (`obj` undefined: it was removed). */
export function indexChange(state: StoreState, def: ResourceDef, key: string, old: KObj | undefined, obj: KObj | undefined): void {
  if (def.kind === 'Event' || !built(state)) return;
  if (obj) add(state, at(def, key), obj);
  else if (old?.metadata?.uid) delete records(state).uids[old.metadata.uid];
}

/** Indexes every stored object (once, for a store written before the indexes). */
function build(state: StoreState): void {
  if (built(state)) return;
  state.counters.ownerIndex = INDEX_VERSION;
  for (const def of allResources()) {
    if (def.kind === 'Event') continue;
    for (const [key, o] of Object.entries(state.objects[resourceKey(def)] ?? {})) add(state, at(def, key), o);
  }
}

const DEFS = new Map<string, ResourceDef>();

function resolve(state: StoreState, where: StoredAt): { def: ResourceDef; key: string; obj: KObj } | undefined {
  const bar = where.indexOf('|');
  const resource = where.slice(0, bar);
  const key = where.slice(bar + 1);
  if (!DEFS.size) for (const d of allResources()) DEFS.set(resourceKey(d), d);
  const def = DEFS.get(resource);
  const obj = def && state.objects[resource]?.[key];
  return def && obj ? { def, key, obj } : undefined;
}

/** The stored object with this uid, and where it is. */
export function findByUid(state: StoreState, uid: string): { def: ResourceDef; key: string; obj: KObj } | undefined {
  build(state);
  const { uids } = records(state);
  const where = uids[uid];
  if (where === undefined) return undefined;
  const found = resolve(state, where);
  if (found && found.obj.metadata.uid === uid) return found;
  delete uids[uid];
  return undefined;
}

/** The objects `find` still gives for the entries of `index[key]`; entries it no longer finds are dropped. */
function liveEntries<T>(index: Record<string, string[]>, key: string, find: (entry: string) => T | undefined): T[] {
  const list = index[key];
  if (!list) return [];
  const out: T[] = [];
  const live: string[] = [];
  for (const entry of list) {
    const found = find(entry);
    if (found === undefined) continue;
    live.push(entry);
    out.push(found);
  }
  if (live.length !== list.length) {
    if (live.length) index[key] = live;
    else delete index[key];
  }
  return out;
}

/** The stored objects whose ownerReferences name `ownerUid` (each once), in the order they were indexed. */
export function dependentsByUid(state: StoreState, ownerUid: string): { def: ResourceDef; key: string; obj: KObj }[] {
  build(state);
  return liveEntries(records(state).owners, ownerUid, (where) => {
    const found = resolve(state, where);
    return found && (found.obj.metadata.ownerReferences ?? []).some((r: KObj) => r?.uid === ownerUid) ? found : undefined;
  });
}

/** The pods bound to `node` (spec.nodeName), in the order they were bound. Not copies. */
export function podsOnNode(state: StoreState, node: string): KObj[] {
  build(state);
  const pods = state.objects.pods ?? {};
  return liveEntries(records(state).nodes, node, (key) => {
    const p = pods[key];
    return p && p.spec?.nodeName === node ? p : undefined;
  });
}

/** Every pod bound to a node (what has a node, an IP, containers), without reading unbound ones. */
export function boundPods(state: StoreState): KObj[] {
  build(state);
  return Object.keys(records(state).nodes).flatMap((n) => podsOnNode(state, n));
}
