// The store's layout on disk (schema 3): store.json is a small manifest (the clock, counters, timers
// and the list of segment files) and store.d/ holds the segments, each one shard of a kind's objects
// (or of the container runtime's records, or of the event spam filter), named `<segment>.<gen>.json`
// (`.json.gz` when written compressed: see segmentFiles), or kept with the other segments of a big
// write in its pack file (packs.ts). A kind that grows is spread over more shards (reshardAt).
// A segment file is never changed once written: a write puts the changed shards in new files under
// the next generation and then renames the new manifest over store.json, so a reader that read one
// manifest reads that manifest's files and sees one consistent state, and a failed write leaves the
// old state whole. Files a manifest no longer names are deleted a minute later (a reader is by then
// long done with them); the previous manifest (store.json.bak) keeps its files until then too.
import type { KObj } from '../api/types.js';
import { recordProxy, ShardedRecord, shardedOf, type SeqSource, type ShardedOptions, type ShardReader } from './sharded.js';
import { SCHEMA_VERSION, type StoreState } from './state.js';
import { packFile, type PackUse } from './packs.js';

/** Shards per kind: one command about one object reads about 1/256 of its kind. */
export const SHARDS = 256;

/**
 * A record whose shards hold more than this many characters each on average is resharded (twice as
 * many shards) by a save that has read all of it, so one object's command reads and writes about as
 * much at 30,000 pods as at 10,000 (see planSave). Tests lower it.
 */
export const reshardAt = { chars: 96 * 1024, max: 4096 };

/** What store.json holds (schema 3). */
export interface Manifest {
  schemaVersion: number;
  gen: number;
  clock: StoreState['clock'];
  simTime: number;
  rv: number;
  rand: number;
  timers: StoreState['timers'];
  timerSeq: number;
  counters: Record<string, number>;
  nodeFiles?: StoreState['nodeFiles'];
  /** the store-wide insertion counter (keeps each kind's insertion order across shards) */
  seq: number;
  /** segment name → the generation of its file */
  segments: Record<string, number>;
  /** segment name → its entries' earliest due (records with a due function: events' expiry) */
  marks?: Record<string, number>;
  /** files no manifest names any more, with when they stopped being named (wall ms) */
  garbage?: [string, number][];
  /** segment files of this generation on are gzip-compressed (`.json.gz`); older ones are plain JSON */
  gzFrom?: number;
  /**
   * the pack files segments are kept in, by generation (a segment of a generation with a pack is kept
   * in it): [segments still kept there, segments written there, length of its header line, bytes of
   * the segments still kept there, bytes of the segments written there]
   */
  packs?: Record<string, PackUse>;
  /** records with another number of shards than SHARDS (grown: see reshardAt) */
  shards?: Record<string, number>;
}

/** Sharded records of a state other than the API objects, by segment prefix. */
const EXTRA = { runtime: '@runtime', eventSpam: '@spam', owners: '@owners', uids: '@uids', nodePods: '@nodes' } as const;

/** An event is kept near the other events about the same object (`ns/name.<suffix>` → `ns/name`). */
function eventShardKey(key: string): string {
  const dot = key.lastIndexOf('.');
  return dot > key.indexOf('/') ? key.slice(0, dot) : key;
}

const DUE = new Map<string, (value: unknown) => number>();

/** A record's brief copy: what a listing of it reads, and the segment prefix its shards are kept under. */
interface Brief {
  prefix: string;
  version: number;
  of: (value: unknown) => unknown;
}

const BRIEFS = new Map<string, Brief>();

/**
 * Registers a brief copy of a record's values (e.g. a pod as its table reads it): each save of one of
 * its shards also writes the shard's brief copy, of the same generation, under `@brief<version>.<record>`,
 * so a listing that needs only the brief reads small files (see briefValues). A brief whose generation
 * is not its shard's (written by a process that did not register it, or salvaged apart) is not used,
 * nor is one of another version.
 */
export function registerBrief(record: string, version: number, of: (value: unknown) => unknown): void {
  BRIEFS.set(record, { prefix: `@brief${version}.${record}`, version, of });
}

/**
 * Registers when entries of a record next need attention (`due(value)`, ms); each shard keeps its
 * earliest, so a sweep over what is due (entriesDue) reads only the shards that may hold some.
 */
export function registerDue(record: string, due: (value: unknown) => number): void {
  DUE.set(record, due);
}

function optionsFor(record: string, manifest: Manifest): ShardedOptions {
  return { shards: shardsOf(manifest, record), shardKey: record === 'events' ? eventShardKey : undefined, due: () => DUE.get(record) };
}

/** A record's number of shards (a brief's are its record's). */
function shardsOf(manifest: Manifest, record: string): number {
  const m = /^@brief\d+\.(.+)$/.exec(record);
  return manifest.shards?.[m ? m[1] : record] ?? SHARDS;
}

export function segmentName(record: string, shard: number): string {
  return `${record}.${shard}`;
}

/**
 * The files a segment of a generation may be (the first that exists is it). From the manifest's
 * `gzFrom` generation on, a segment of 32 KiB or more is written gzip-compressed as
 * `pods.17.42.json.gz` (JSON compresses ~20x and inflates at ~600 MB/s) and a smaller one plainly as
 * `pods.17.42.json`, so a small cluster never runs zlib; before it, every segment is plain.
 */
export function segmentFiles(segment: string, gen: number, gzFrom?: number): string[] {
  const base = `${segment}.${gen}.json`;
  // most segments are small and plain: that name is tried first
  return gzFrom !== undefined && gen >= gzFrom ? [base, `${base}.gz`] : [base];
}

/**
 * The files a garbage entry stands for: a segment's `<segment>.<gen>` (whichever of its files was
 * written) or, in stores written before, one file's name.
 */
export function garbageFiles(entry: string): string[] {
  return /\.(json(\.gz)?|pack)$/.test(entry) ? [entry] : [`${entry}.json`, `${entry}.json.gz`];
}

/** `pods.17` → ['pods', 17]; `replicasets.apps.3` → ['replicasets.apps', 3]. */
export function parseSegmentName(segment: string): [string, number] | undefined {
  const dot = segment.lastIndexOf('.');
  const n = Number(segment.slice(dot + 1));
  return dot > 0 && Number.isInteger(n) && n >= 0 ? [segment.slice(0, dot), n] : undefined;
}

/**
 * Reads one segment of a record, from its own file or (`pack` given) from its generation's pack: its
 * text and rows (the reader checks and names a bad file).
 */
export type SegmentReader = ((record: string, shard: number, gen: number, textOnly?: boolean, pack?: PackUse) => { text: string; rows: [string, number, unknown][] }) & {
  /** the stored length of a packed segment, when its pack's header was read */
  sizeOf?: (segment: string, gen: number) => number | undefined;
};

interface Lazy {
  manifest: Manifest;
  seqs: SeqSource;
  records: Map<string, ShardedRecord<unknown>>;
  by: ByRecord;
  read: SegmentReader;
}

const LAZY = new WeakMap<StoreState, Lazy>();

/**
 * Where a manifest's segments (and their marks) are, by record: found for a record when it is first
 * opened, by looking up its 256 possible segment names (a command opens a few records; grouping every
 * name of a big store at start cost milliseconds), and for every record only when all are listed.
 */
interface ByRecord {
  present(name: string): Set<number>;
  marks(name: string): Map<number, number>;
  /** every record with a segment */
  names(): string[];
}

function byRecord(manifest: Manifest): ByRecord {
  let names: string[] | undefined;
  return {
    present(name) {
      const set = new Set<number>();
      const segs = manifest.segments;
      for (let i = 0, n = shardsOf(manifest, name); i < n; i++) if (segs[`${name}.${i}`] !== undefined) set.add(i);
      return set;
    },
    marks(name) {
      const byShard = new Map<number, number>();
      const marks = manifest.marks;
      if (marks) {
        for (let i = 0, n = shardsOf(manifest, name); i < n; i++) {
          const m = marks[`${name}.${i}`];
          if (m !== undefined) byShard.set(i, m);
        }
      }
      return byShard;
    },
    names() {
      if (!names) {
        const set = new Set<string>();
        for (const seg of Object.keys(manifest.segments)) {
          const parsed = parseSegmentName(seg);
          if (parsed) set.add(parsed[0]);
        }
        names = [...set];
      }
      return names;
    },
  };
}

function makeRecord(lazy: Lazy, name: string): ShardedRecord<unknown> {
  let rec = lazy.records.get(name);
  if (rec) return rec;
  const reader: ShardReader = (shard, textOnly) => {
    const seg = segmentName(name, shard);
    const gen = lazy.manifest.segments[seg];
    return gen === undefined ? undefined : lazy.read(name, shard, gen, textOnly, lazy.manifest.packs?.[gen]);
  };
  rec = new ShardedRecord(optionsFor(name, lazy.manifest), lazy.by.present(name), reader, lazy.seqs, lazy.by.marks(name));
  lazy.records.set(name, rec);
  return rec;
}

/**
 * The state a manifest describes, its objects read on first touch. `objects[resource]` is always a
 * (possibly empty) record, so `objects[r] ??= {}` never replaces it.
 */
export function lazyState(manifest: Manifest, read: SegmentReader): StoreState {
  const by = byRecord(manifest);
  const lazy: Lazy = { manifest, seqs: { seq: manifest.seq }, records: new Map(), by, read };
  const proxies = new Map<string, Record<string, unknown>>();
  const view = (name: string) => {
    let p = proxies.get(name);
    if (!p) proxies.set(name, (p = recordProxy(makeRecord(lazy, name))));
    return p;
  };
  // resources with objects, for Object.keys(state.objects)
  const resources = () => {
    const names = new Set<string>();
    for (const name of by.names()) if (!name.startsWith('@')) names.add(name);
    for (const [name] of lazy.records) if (!name.startsWith('@')) names.add(name);
    return [...names];
  };
  const objects = new Proxy({} as Record<string, Record<string, KObj>>, {
    get: (_t, k) => (typeof k === 'string' && k !== 'toJSON' ? view(k) : undefined),
    set: (_t, k, v) => {
      if (typeof k !== 'string') return false;
      const target = view(k);
      if (v !== target) for (const [key, o] of Object.entries(v as object)) target[key] = o;
      return true;
    },
    deleteProperty: (_t, k) => {
      if (typeof k === 'string') for (const key of Object.keys(view(k))) delete view(k)[key];
      return true;
    },
    has: (_t, k) => typeof k === 'string',
    ownKeys: () => resources(),
    getOwnPropertyDescriptor: (_t, k) =>
      typeof k === 'string' && resources().includes(k) ? { value: view(k), writable: true, enumerable: true, configurable: true } : undefined,
  });
  const state: StoreState = {
    schemaVersion: SCHEMA_VERSION,
    clock: manifest.clock,
    simTime: manifest.simTime,
    rv: manifest.rv,
    rand: manifest.rand,
    objects,
    timers: manifest.timers,
    timerSeq: manifest.timerSeq,
    counters: manifest.counters,
    nodeFiles: manifest.nodeFiles,
  };
  // the other records, opened on first use like the objects' (a value set is copied in)
  for (const [field, name] of Object.entries(EXTRA)) {
    Object.defineProperty(state, field, {
      get: () => view(name),
      set: (v: Record<string, unknown> | undefined) => {
        const target = view(name);
        if (v && v !== target) for (const [key, o] of Object.entries(v)) target[key] = o;
      },
      enumerable: true,
      configurable: true,
    });
  }
  LAZY.set(state, lazy);
  return state;
}

const EMPTY_MANIFEST = (s: StoreState): Manifest => ({ ...coreOf(s), gen: 0, seq: 0, segments: {} });

function coreOf(s: StoreState) {
  const core = {
    schemaVersion: SCHEMA_VERSION,
    clock: s.clock,
    simTime: s.simTime,
    rv: s.rv,
    rand: s.rand,
    timers: s.timers,
    timerSeq: s.timerSeq,
    counters: s.counters,
    nodeFiles: s.nodeFiles,
  };
  if (!core.nodeFiles || !Object.keys(core.nodeFiles).length) delete core.nodeFiles;
  return core;
}

/**
 * A lazily stored copy of a plain state (a new cluster, an old single-file store, a salvaged one): all
 * its records in memory, written whole at the next save.
 */
export function toLazy(plain: StoreState): StoreState {
  if (LAZY.has(plain)) return plain;
  const state = lazyState(EMPTY_MANIFEST(plain), () => {
    throw new Error('a new state has no segments');
  });
  for (const [resource, byKey] of Object.entries(plain.objects)) {
    const target = state.objects[resource];
    for (const [key, o] of Object.entries(byKey)) target[key] = o;
  }
  for (const [key, rt] of Object.entries(plain.runtime ?? {})) state.runtime![key] = rt;
  for (const [key, b] of Object.entries(plain.eventSpam ?? {})) state.eventSpam![key] = b;
  for (const [key, v] of Object.entries(plain.owners ?? {})) state.owners![key] = v;
  for (const [key, v] of Object.entries(plain.uids ?? {})) state.uids![key] = v;
  for (const [key, v] of Object.entries(plain.nodePods ?? {})) state.nodePods![key] = v;
  return state;
}

export interface Planned {
  manifest: Manifest;
  /**
   * segments to write (segment → its text, or the bytes of a segment moved from a pack as they were
   * stored): the writer names each file (see segmentFiles), or packs them (see packed)
   */
  files: Map<string, string | Buffer>;
  /** files the new manifest no longer names (`<segment>.<gen>`, a pack's file name: see garbageFiles) */
  dropped: string[];
  /**
   * Packs more than half replaced (by bytes) by later saves, each with its manifest entry and the
   * segments still kept in it: the writer moves those (see move), so the pack can go.
   */
  sparse(): [number, PackUse, string[]][];
  /** Moves a segment kept in a pack into this save, as the bytes it was stored as. */
  move(segment: string, bytes: Buffer): void;
  /** Records that this save's files were written as one pack, whose header line is `header` bytes long and its segments `bytes`. */
  packed(header: number, bytes: number): void;
  /** applied after the manifest landed */
  settle(): void;
}

/** What saving `state` writes: the changed shards as files of the next generation, and the manifest. */
export function planSave(state: StoreState, lastGen: () => number): Planned {
  const lazy = LAZY.get(state)!;
  const old = lazy.manifest;
  // a new state's files come after any left in store.d (its names are then never reused)
  const gen = (old.gen || lastGen()) + 1;
  const gzFrom = old.gzFrom ?? gen;
  const segments = { ...old.segments };
  const marks = { ...(old.marks ?? {}) };
  const packs = { ...(old.packs ?? {}) };
  const files = new Map<string, string | Buffer>();
  const dropped: string[] = [];
  const saved = new Map<ShardedRecord<unknown>, Map<number, string>>();
  /** A segment's file (or place in a pack) stops being named: the file, or a pack left empty, is dropped. */
  const release = (seg: string) => {
    const was = segments[seg];
    if (was === undefined) return;
    const use = packs[was];
    if (!use) dropped.push(`${seg}.${was}`);
    else if (use[0] <= 1) {
      delete packs[was];
      dropped.push(packFile(was));
    } else {
      // its length when this process read the pack's header, else the pack's average
      const bytes = lazy.read.sizeOf?.(seg, was) ?? use[4] / use[1];
      packs[was] = [use[0] - 1, use[1], use[2], Math.max(0, Math.round(use[3] - bytes)), use[4]];
    }
  };
  /** A segment's next file (its text; none: the segment goes), the one it replaces released. */
  const put = (seg: string, text: string | Buffer | undefined) => {
    release(seg);
    if (text) {
      files.set(seg, text);
      segments[seg] = gen;
    } else delete segments[seg];
  };
  // runtime and spam records are always proxies; the objects' records are made on first touch
  const shards = { ...(old.shards ?? {}) };
  for (const [name, rec] of lazy.records) {
    const texts = new Map<number, string>();
    const brief = BRIEFS.get(name);
    let touched = [...rec.touched()];
    // a record read whole whose shards grew big is spread over more (all its shards are then written)
    let before: Set<number> | undefined;
    if (rec.allRead()) {
      let chars = 0;
      for (const t of touched) chars += t.text.length;
      let n = rec.opts.shards;
      while (chars / n > reshardAt.chars && n < reshardAt.max) n *= 2;
      if (n !== rec.opts.shards) {
        before = rec.reshard(n);
        touched = [...rec.touched()];
        shards[name] = n;
      }
    }
    for (const t of touched) {
      before?.delete(t.shard);
      if (!t.changed) continue;
      const seg = segmentName(name, t.shard);
      const mark = rec.markOf(t.values);
      if (mark === undefined) delete marks[seg];
      else marks[seg] = mark;
      rec.setMark(t.shard, mark);
      put(seg, t.text);
      texts.set(t.shard, t.text);
      if (brief) {
        // an earlier version's brief of the shard goes with it
        for (let v = 1; v < brief.version; v++) put(segmentName(`@brief${v}.${name}`, t.shard), undefined);
        put(segmentName(brief.prefix, t.shard), t.text ? JSON.stringify(t.rows.map(([k, seq, v]) => [k, seq, brief.of(v)])) : undefined);
      }
    }
    // shards of the old layout left without entries
    for (const i of before ?? []) {
      const seg = segmentName(name, i);
      delete marks[seg];
      put(seg, undefined);
      if (brief) for (let v = 1; v <= brief.version; v++) put(segmentName(`@brief${v}.${name}`, i), undefined);
    }
    if (texts.size) saved.set(rec, texts);
  }
  const manifest: Manifest = { ...coreOf(state), gen, seq: lazy.seqs.seq, segments, garbage: old.garbage, gzFrom };
  if (Object.keys(marks).length) manifest.marks = marks;
  if (Object.keys(shards).length) manifest.shards = shards;
  const book = () => {
    if (Object.keys(packs).length) manifest.packs = packs;
    else delete manifest.packs;
  };
  book();
  return {
    manifest,
    files,
    dropped,
    sparse() {
      const sparse = Object.entries(packs).filter(([, use]) => use[3] * 2 < use[4]);
      if (!sparse.length) return [];
      const kept = new Map<number, string[]>(sparse.map(([g]) => [Number(g), []]));
      for (const [seg, g] of Object.entries(segments)) kept.get(g)?.push(seg);
      return sparse.map(([g, use]) => [Number(g), use, kept.get(Number(g))!]);
    },
    move(seg, bytes) {
      put(seg, bytes);
      book();
    },
    packed(header, bytes) {
      packs[gen] = [files.size, files.size, header, bytes, bytes];
      book();
    },
    settle() {
      lazy.manifest = manifest;
      for (const [rec, texts] of saved) rec.settle(texts);
    },
  };
}

/**
 * A record's values as its registered brief gives them (undefined without one, or for a plain state):
 * the shards this process has read are briefed from their objects, the others read from their brief
 * copies (or, without a usable one, from the shard). Not ordered.
 */
export function briefValues(state: StoreState, record: string): unknown[] | undefined {
  const lazy = LAZY.get(state);
  const brief = BRIEFS.get(record);
  if (!lazy || !brief) return undefined;
  const rec = makeRecord(lazy, record);
  return rec.briefed(brief.of, (shard) => {
    const segs = lazy.manifest.segments;
    const seg = segmentName(brief.prefix, shard);
    const gen = segs[seg];
    if (gen === undefined || gen !== segs[segmentName(record, shard)]) return undefined;
    try {
      return lazy.read(brief.prefix, shard, gen, false, lazy.manifest.packs?.[gen]).rows;
    } catch {
      return undefined; // a damaged brief: the shard itself says the same
    }
  });
}
