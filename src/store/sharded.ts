// A record (`key → value`) kept on disk in shards that are read only when first touched, so a command
// about one object reads one shard whatever the number of objects. It is handed to the simulation as
// a Proxy that behaves as the plain object it replaces (get, set, delete, `in`, Object.keys/values/
// entries in insertion order), because values are also changed in place (a pod's status) after they
// are read; a shard is therefore known to have changed only by serialising it again at save time, and
// only the shards that were read are ever serialised.
//
// On disk a shard is `[[key, seq, value], …]` in insertion order: seq is a store-wide insertion counter,
// which keeps the plain object's iteration order (insertion order) across shards.

import { fnv1a } from '../api/fnv.js';

/**
 * Where shards come from: a shard file's text and its rows, or undefined when the shard has none.
 * Called again (for the text) when a save needs to know whether a shard changed.
 */
export type ShardReader = (shard: number, textOnly?: boolean) => { text: string; rows: [string, number, unknown][] } | undefined;

interface Entry<T> {
  seq: number;
  v: T;
}

interface Shard<T> {
  entries: Map<string, Entry<T>>;
  /**
   * the length of the text it was read from (0 when new); beyond KEEP_TEXT the text itself is not
   * kept (it would double what a big list holds in memory) but read again from its file when a save
   * compares
   */
  textLength: number;
  /** the text it was read as, kept while the texts kept stay within KEEP_TEXT (see same) */
  text?: string;
  /** the text it was saved as in this process, when it was */
  saved?: string;
}

/**
 * Texts of shards read are kept up to this many characters in all (per process), so that a save
 * compares with them instead of reading the files again; a listing of a big kind reads more than
 * that, and its shards' files are read again only if a save needs them.
 */
const KEEP_TEXT = 16_000_000;
let keptText = 0;

export interface ShardedOptions {
  /** how many shards the record has (more once it grows: see reshard) */
  shards: number;
  /** the part of a key that chooses its shard (keys with the same part share a shard) */
  shardKey?: (key: string) => string;
  /** when entries next need attention (an event's expiry), if known: a shard's earliest is kept with it */
  due?: () => ((value: unknown) => number) | undefined;
}

/** The store-wide insertion counter, shared by every sharded record of one state. */
export interface SeqSource {
  seq: number;
}

export class ShardedRecord<T> {
  private readonly loaded = new Map<number, Shard<T>>();
  private all = false;
  /** every entry in insertion order, once all shards are read (until an entry comes or goes) */
  private order?: [string, Entry<T>][];

  constructor(
    /** (`shards` changes when the record is resharded) */
    readonly opts: ShardedOptions,
    /** the shards that exist on disk */
    readonly present: Set<number>,
    private readonly read: ShardReader,
    private readonly seqs: SeqSource,
    /** each shard's earliest `due` as last saved (shards without one are always due) */
    readonly marks: Map<number, number> = new Map(),
  ) {}

  /** shards of the keys looked up so far: a catch-up looks the same keys up thousands of times */
  private shardOfKey = new Map<string, number>();

  shardOf(key: string): number {
    let i = this.shardOfKey.get(key);
    if (i === undefined) {
      i = fnv1a(this.opts.shardKey ? this.opts.shardKey(key) : key) % this.opts.shards;
      this.shardOfKey.set(key, i);
    }
    return i;
  }

  private shard(i: number): Shard<T> {
    let s = this.loaded.get(i);
    if (s) return s;
    s = { entries: new Map(), textLength: 0 };
    if (this.present.has(i)) {
      const got = this.read(i);
      if (got) {
        s.textLength = got.text.length;
        if (keptText + got.text.length <= KEEP_TEXT) {
          s.text = got.text;
          keptText += got.text.length;
        }
        for (const [k, seq, v] of got.rows) s.entries.set(k, { seq, v: v as T });
      }
    }
    this.loaded.set(i, s);
    return s;
  }

  get(key: string): T | undefined {
    return this.shard(this.shardOf(key)).entries.get(key)?.v;
  }

  has(key: string): boolean {
    return this.shard(this.shardOf(key)).entries.has(key);
  }

  set(key: string, v: T): void {
    const entries = this.shard(this.shardOf(key)).entries;
    const e = entries.get(key);
    if (e) e.v = v;
    else {
      entries.set(key, { seq: ++this.seqs.seq, v });
      this.order = undefined;
    }
  }

  delete(key: string): void {
    if (this.shard(this.shardOf(key)).entries.delete(key)) this.order = undefined;
  }

  /** The values of the shard `shardKey` chooses (what shares it with that key), in insertion order. */
  valuesNear(shardKey: string): T[] {
    const i = fnv1a(shardKey) % this.opts.shards;
    return [...this.shard(i).entries.values()].sort((a, b) => a.seq - b.seq).map((e) => e.v);
  }

  /**
   * The entries of every shard that may hold one due by `now` (the shards read so far, and those
   * whose earliest due is past): callers check each entry.
   */
  entriesDue(now: number): [string, T][] {
    for (const i of this.present) if (!this.loaded.has(i) && (this.marks.get(i) ?? -Infinity) <= now) this.shard(i);
    const out: [string, T][] = [];
    for (const s of this.loaded.values()) for (const [k, e] of s.entries) out.push([k, e.v]);
    return out;
  }

  /** The earliest due of the shards not read (Infinity when every shard was read). */
  unreadDue(): number {
    let min = Infinity;
    for (const i of this.present) if (!this.loaded.has(i)) min = Math.min(min, this.marks.get(i) ?? -Infinity);
    return min;
  }

  /** A shard's earliest due (undefined without a `due` option or entries). */
  markOf(values: T[]): number | undefined {
    const due = this.opts.due?.();
    if (!due || !values.length) return undefined;
    let min = Infinity;
    for (const v of values) min = Math.min(min, due(v));
    return Number.isFinite(min) ? min : -1;
  }

  /** Every entry, reading every shard, in insertion order (kept while no entry comes or goes). */
  private sorted(): [string, Entry<T>][] {
    if (!this.all) {
      for (const i of this.present) this.shard(i);
      this.all = true;
    }
    if (!this.order) {
      const es: [string, Entry<T>][] = [];
      for (const s of this.loaded.values()) for (const kv of s.entries) es.push(kv);
      this.order = es.sort((a, b) => a[1].seq - b[1].seq);
    }
    return this.order;
  }

  /** Every value, reading every shard: in insertion order, or (`ordered` false) as the shards hold them. */
  values(ordered = true): T[] {
    if (ordered) return this.sorted().map(([, e]) => e.v);
    if (!this.all) {
      for (const i of this.present) this.shard(i);
      this.all = true;
    }
    const out: T[] = [];
    for (const s of this.loaded.values()) for (const e of s.entries.values()) out.push(e.v);
    return out;
  }

  /** Every key, reading every shard, in insertion order. */
  keys(): string[] {
    return this.sorted().map(([k]) => k);
  }

  /** Shards that were read or created, with their text now and whether it differs from what was read. */
  *touched(): Generator<{ shard: number; text: string; changed: boolean; values: T[]; rows: [string, number, T][] }> {
    for (const [i, s] of this.loaded) {
      const rows = [...s.entries].sort((a, b) => a[1].seq - b[1].seq).map(([k, e]): [string, number, T] => [k, e.seq, e.v]);
      const text = rows.length ? JSON.stringify(rows) : '';
      yield { shard: i, text, changed: !this.same(i, s, text), values: rows.map((r) => r[2]), rows };
    }
  }

  /**
   * Every value as `brief` makes it, not ordered: the shards read so far from their values, the others
   * from `stored(shard)` (their brief rows kept on disk) when it has them, else read and briefed.
   */
  briefed<B>(brief: (v: T) => B, stored: (shard: number) => [string, number, unknown][] | undefined): B[] {
    const out: B[] = [];
    for (const s of this.loaded.values()) for (const e of s.entries.values()) out.push(brief(e.v));
    for (const i of this.present) {
      if (this.loaded.has(i)) continue;
      const rows = stored(i);
      if (rows) for (const r of rows) out.push(r[2] as B);
      else for (const e of this.shard(i).entries.values()) out.push(brief(e.v));
    }
    return out;
  }

  /** Whether `text` is what the shard was read (or last saved) as. */
  private same(i: number, s: Shard<T>, text: string): boolean {
    if (s.saved !== undefined) return text === s.saved;
    if (text.length !== s.textLength) return false;
    if (!text) return true;
    if (s.text !== undefined) return s.text === text;
    try {
      return this.read(i, true)?.text === text;
    } catch {
      return false;
    }
  }

  /** Forgets what was read (after a save: the texts now on disk are the new ones). */
  settle(saved: Map<number, string>): void {
    for (const [i, text] of saved) {
      const s = this.loaded.get(i);
      if (s) {
        s.textLength = text.length;
        s.saved = text;
        s.text = undefined;
      }
      if (text) this.present.add(i);
      else this.present.delete(i);
    }
  }

  /** Whether every shard on disk has been read (a reshard needs every entry). */
  allRead(): boolean {
    for (const i of this.present) if (!this.loaded.has(i)) return false;
    return true;
  }

  /**
   * Spreads the entries over `shards` shards (every shard must have been read): the new shards are
   * all changed for the next save. Returns the shards on disk before, for the save to drop those
   * left without entries.
   */
  reshard(shards: number): Set<number> {
    const before = new Set(this.present);
    const entries: [string, Entry<T>][] = [];
    for (const s of this.loaded.values()) for (const kv of s.entries) entries.push(kv);
    entries.sort((a, b) => a[1].seq - b[1].seq);
    this.opts.shards = shards;
    this.shardOfKey.clear();
    this.loaded.clear();
    this.present.clear();
    this.marks.clear();
    for (const [k, e] of entries) {
      const i = this.shardOf(k);
      let s = this.loaded.get(i);
      // a text length no text has: the shard is changed
      if (!s) this.loaded.set(i, (s = { entries: new Map(), textLength: -1 }));
      s.entries.set(k, e);
    }
    this.all = true;
    return before;
  }

  /** Records a shard's earliest due as saved. */
  setMark(i: number, mark: number | undefined): void {
    if (mark === undefined) this.marks.delete(i);
    else this.marks.set(i, mark);
  }
}

const RECORDS = new WeakMap<object, ShardedRecord<unknown>>();

/** The sharded record behind a proxy made by `recordProxy`, or undefined for a plain object. */
export function shardedOf<T>(o: object | undefined): ShardedRecord<T> | undefined {
  return o ? (RECORDS.get(o) as ShardedRecord<T> | undefined) : undefined;
}

/** A plain-object view of a sharded record. */
export function recordProxy<T>(rec: ShardedRecord<T>): Record<string, T> {
  const p = new Proxy({} as Record<string, T>, {
    get: (_t, k) => (typeof k === 'string' && k !== 'toJSON' ? rec.get(k) : undefined),
    set: (_t, k, v) => {
      if (typeof k !== 'string') return false;
      rec.set(k, v);
      return true;
    },
    deleteProperty: (_t, k) => {
      if (typeof k === 'string') rec.delete(k);
      return true;
    },
    has: (_t, k) => typeof k === 'string' && rec.has(k),
    ownKeys: () => rec.keys(),
    getOwnPropertyDescriptor: (_t, k) => {
      if (typeof k !== 'string' || !rec.has(k)) return undefined;
      return { value: rec.get(k), writable: true, enumerable: true, configurable: true };
    },
    defineProperty: (_t, k, d) => {
      if (typeof k !== 'string' || !('value' in d)) return false;
      rec.set(k, d.value);
      return true;
    },
  });
  RECORDS.set(p, rec as ShardedRecord<unknown>);
  return p;
}

/**
 * The values stored near `shardKey` in `record` (a sharded proxy: one shard; a plain object: all of
 * them). Callers filter: a shard holds other keys too.
 */
export function valuesNear<T>(record: Record<string, T> | undefined, shardKey: string): T[] {
  const rec = shardedOf<T>(record);
  return rec ? rec.valuesNear(shardKey) : Object.values(record ?? {});
}

/** Entries of `record` that may be due by `now` (a sharded proxy: see entriesDue; a plain object: all). */
export function entriesDue<T>(record: Record<string, T> | undefined, now: number): [string, T][] {
  const rec = shardedOf<T>(record);
  return rec ? rec.entriesDue(now) : Object.entries(record ?? {});
}

/** The earliest due among the entries `entriesDue` did not return (Infinity for a plain object: it returned all). */
export function unreadDue<T>(record: Record<string, T> | undefined): number {
  return shardedOf<T>(record)?.unreadDue() ?? Infinity;
}

/** Object.values(record), without a sharded proxy's per-key traps; `ordered` false skips insertion order. */
export function valuesOf<T>(record: Record<string, T> | undefined, ordered = true): T[] {
  const rec = shardedOf<T>(record);
  return rec ? rec.values(ordered) : Object.values(record ?? {});
}
