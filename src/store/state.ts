// The persisted shape of a simulated cluster.
import type { KObj } from '../api/types.js';
import type { PodRt } from '../runtime/state.js';

/**
 * 3: store.json is a manifest of segment files, some of them kept in pack files and some records with
 * more shards than 256 (segments.ts, packs.ts); 2 (the same without packs or grown records) and 1
 * (one file) are still read, and written as 3 at their next write.
 */
export const SCHEMA_VERSION = 3;

export interface ClockState {
  /** `wall`: simulated now = wall now + offsetMs. `frozen`: simulated now = frozenAt. */
  mode: 'wall' | 'frozen';
  offsetMs: number;
  frozenAt: number;
}

/** A pending piece of simulation work, run when simulated time reaches `at`. */
export interface Timer {
  at: number;
  seq: number;
  type: string;
  /** the object it concerns: `<resource>/<namespace>/<name>` */
  key: string;
  data?: Record<string, unknown>;
}

export interface StoreState {
  schemaVersion: number;
  clock: ClockState;
  /** how far the simulation has been run */
  simTime: number;
  /** last resourceVersion handed out */
  rv: number;
  /** deterministic random source (names, uids, IPs) */
  rand: number;
  /** objects by resource (`pods`, `deployments.apps`) then by `namespace/name` (or `name`) */
  objects: Record<string, Record<string, KObj>>;
  timers: Timer[];
  timerSeq: number;
  counters: Record<string, number>;
  /** container runtime data by pod uid (files, processes, logs) */
  runtime?: Record<string, PodRt>;
  /** event spam filter buckets (source + object → [tokens, at]), as the recorders keep them */
  eventSpam?: Record<string, [number, number]>;
  /** the API server's indexes (api/owner-index.ts): owner uid → dependents, uid → where stored */
  owners?: Record<string, string[]>;
  uids?: Record<string, string>;
  nodePods?: Record<string, string[]>;
  /** each simulated node's own files (hostPath volumes) */
  nodeFiles?: Record<string, Record<string, string | null>>;
}

export function emptyState(now: number, seed: number): StoreState {
  return {
    schemaVersion: SCHEMA_VERSION,
    clock: { mode: 'wall', offsetMs: 0, frozenAt: now },
    simTime: now,
    rv: 100,
    rand: seed | 0,
    objects: {},
    timers: [],
    timerSeq: 0,
    // a new store is indexed from its first object
    counters: { ownerIndex: 2 }, // api/owner-index.ts INDEX_VERSION
  };
}
