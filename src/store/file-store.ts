// The JSON store in $KUBESIM_HOME: store.json (a small manifest) and the segments it names in
// store.d/ (see segments.ts), read lazily. A write puts the changed segments in new files, then
// replaces store.json atomically (temp file + rename), so readers never see a half-written state;
// writers hold the exclusive lock across read-modify-write. Each write keeps the manifest it replaces
// as store.json.bak (a hard link: no copy). A store that cannot be read is reported with the file,
// the reason and the way out (kubesim repair / reset), never used.
import { chmodSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError } from '../api/errors.js';
import { gunzip, gzip } from './gzip.js';
import { acquireLock, LockTimeout, tryLock } from './lock.js';
import { garbageFiles, lazyState, planSave, segmentFiles, toLazy, type Manifest, type SegmentReader } from './segments.js';
import { buildPack, isGzip, PACK_MIN, packFile, packHeader, packPlaces, placeIn, readPlace, segmentText, type PackHeader, type PackUse } from './packs.js';
import { segmentProblem, stateProblem, truncated } from './state-check.js';
import type { StoreState } from './state.js';

export interface StorePaths {
  home: string;
  file: string;
  backup: string;
  /** the segment files */
  segdir: string;
}

export function storePaths(home: string): StorePaths {
  const file = join(home, 'store.json');
  return { home, file, backup: `${file}.bak`, segdir: join(home, 'store.d') };
}

/** A file no manifest names is deleted this long after (a reader that read an older manifest is done by then). */
const GARBAGE_GRACE_MS = 60_000;
/** Expired garbage files deleted by one write, at most. */
const GARBAGE_PER_WRITE = 128;

/** Unlinks the first of `names` that exists in `dir` (one unlink when it is the first). */
function unlinkFirst(dir: string, names: string[]): void {
  for (const n of names) {
    try {
      unlinkSync(join(dir, n));
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return;
    }
  }
}

/** Files no manifest names that are not on the garbage list (a writer that died) are swept this old. */
const ORPHAN_AGE_MS = 10 * 60_000;

/** The text of a failed file operation, as the OS names it (`no space left on device`). */
export function osReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const known: Record<string, string> = {
    ENOSPC: 'no space left on device',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    EDQUOT: 'disk quota exceeded',
    EISDIR: 'it is a directory',
    ENOTDIR: 'a part of its path is not a directory',
    EIO: 'input/output error',
  };
  return (err.code && known[err.code]) || err.message || String(e);
}

/** A store file that exists but cannot be used. */
export class BrokenStore extends CliError {
  constructor(
    readonly paths: StorePaths,
    readonly reason: string,
    readonly newer = false,
  ) {
    super(`the cluster state in ${paths.file} cannot be read: ${reason}\n${brokenHint(paths, newer)}`);
  }
}

function brokenHint(paths: StorePaths, newer: boolean): string {
  const reset = `'kubesim reset' starts a new cluster (keeping the broken file as ${basename(paths.file)}.broken-<time>)`;
  if (newer) return `Use that kubesim with this KUBESIM_HOME, or ${reset}.`;
  if (readable(paths.backup)) return `The state before the last write is in ${paths.backup}: 'kubesim repair' restores it; ${reset}.`;
  return `'kubesim repair' salvages the objects that can still be read; ${reset}.`;
}

function readable(file: string): boolean {
  try {
    return verifyStore(storePaths(dirname(file)), readFileSync(file, 'utf8')).state !== undefined;
  } catch {
    return false;
  }
}

function currentGen(paths: StorePaths): number | undefined {
  try {
    return (JSON.parse(readFileSync(paths.file, 'utf8')) as Manifest).gen;
  } catch {
    return undefined;
  }
}

/** Segment files read by this process, by record (for tests that bound what a command reads). */
export const segmentReads = new Map<string, number>();

/** A segment file's text (inflated when its name ends in .gz). */
export function readSegmentText(file: string): string {
  return file.endsWith('.gz') ? gunzip(readFileSync(file)).toString('utf8') : readFileSync(file, 'utf8');
}

/**
 * Segments this size or more are written compressed: smaller ones gain little, and cost more to
 * inflate and deflate than to read and write plainly (a command that changes 1,000 pods rewrites
 * about 1,250 segments of 4–25 KiB), and a small cluster never runs zlib (gzip.ts). A shard of 10,000
 * pods (85 KiB) shrinks twentyfold; one of their events (35 KiB), eightfold.
 */
const GZ_MIN = 32_768;

/** A segment file named by a manifest that is gone: a writer replaced that manifest and its garbage went since. */
const CHANGED_TWICE = 'the cluster state changed twice while this command was reading it: run it again';

/** Reads a manifest's segments from store.d; a missing or damaged one throws BrokenStore. */
function segmentReader(paths: StorePaths, gen: number, gzFrom: number | undefined): SegmentReader {
  // each pack's header, read once
  const headers = new Map<number, PackHeader>();
  const reader: SegmentReader = (record, shard, segGen, textOnly, pack) => {
    if (!textOnly) segmentReads.set(record, (segmentReads.get(record) ?? 0) + 1);
    if (pack) return packedSegment(paths, gen, `${record}.${shard}`, segGen, pack, headers, textOnly);
    const names = segmentFiles(`${record}.${shard}`, segGen, gzFrom);
    let text: string | undefined;
    let name = names[names.length - 1];
    for (const n of names) {
      name = n;
      try {
        text = readSegmentText(join(paths.segdir, n));
        break;
      } catch (e) {
        const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
        if (missing && n !== names[names.length - 1]) continue;
        if (missing && currentGen(paths) !== gen) throw new CliError(CHANGED_TWICE);
        throw new BrokenStore(paths, `its segment store.d/${n} ${missing ? 'is missing' : unreadable(e)}`);
      }
    }
    if (text === undefined) throw new BrokenStore(paths, `its segment store.d/${name} is missing`);
    return checked(paths, text, record, `its segment store.d/${name}`, textOnly);
  };
  reader.sizeOf = (seg, g) => {
    const h = headers.get(g);
    return h && placeIn(h, seg)?.[1];
  };
  return reader;
}

/** Why a segment's bytes could not be read or inflated. */
function unreadable(e: unknown): string {
  const code = (e as { code?: string }).code ?? '';
  if (code === 'Z_BUF_ERROR') return 'ends in the middle of its gzip data (the file is truncated)';
  return code.startsWith('Z_') ? `is not gzip data (${(e as Error).message})` : `cannot be read (${osReason(e)})`;
}

/** A segment kept in a pack file: its text and rows, or BrokenStore naming the segment and the pack. */
function packedSegment(paths: StorePaths, gen: number, seg: string, segGen: number, pack: PackUse, known: Map<number, PackHeader>, textOnly?: boolean) {
  const file = packFile(segGen);
  const what = `its segment ${seg} in store.d/${file}`;
  let text: string;
  try {
    let header = known.get(segGen);
    if (!header) {
      header = packHeader(join(paths.segdir, file), pack[2]);
      if (!header) throw new BrokenStore(paths, `its pack store.d/${file} has no readable header (the file is damaged)`);
      known.set(segGen, header);
    }
    const place = placeIn(header, seg);
    if (!place) throw new BrokenStore(paths, `${what} is not in the pack's header (the file is damaged)`);
    const bytes = readPlace(join(paths.segdir, file), place);
    if (bytes.length < place[1]) throw new BrokenStore(paths, `${what} is cut short (the file is truncated)`);
    text = segmentText(bytes);
  } catch (e) {
    if (e instanceof BrokenStore) throw e;
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    if (missing && currentGen(paths) !== gen) throw new CliError(CHANGED_TWICE);
    throw new BrokenStore(paths, missing ? `its pack store.d/${file} is missing` : `${what} ${unreadable(e)}`);
  }
  return checked(paths, text, seg, what, textOnly);
}

/**
 * A segment's rows (none when only its text is wanted), or BrokenStore naming it as `what`; segments
 * of API objects (not `@…` records) must hold objects.
 */
function checked(paths: StorePaths, text: string, segment: string, what: string, textOnly?: boolean): { text: string; rows: [string, number, unknown][] } {
  if (textOnly) return { text, rows: [] };
  const r = segmentProblem(text, !segment.startsWith('@'));
  if (!r.rows) throw new BrokenStore(paths, `${what} ${r.problem}`);
  return { text, rows: r.rows };
}

/** Parses a store's text: the state (segments read on first touch), or why it cannot be used. */
export function parseState(text: string, paths?: StorePaths): { state?: StoreState; reason?: string; newer?: boolean } {
  if (!/\S/.test(text)) return { reason: 'it is empty' }; // stops at the first character, no copy
  if (text.charCodeAt(0) === 0xfeff) return { reason: 'it starts with a byte-order mark (U+FEFF), which JSON does not allow' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    if (truncated(e, text)) return { reason: 'it ends in the middle of the JSON (the file is truncated)' };
    return { reason: `it is not valid JSON (${(e as Error).message})` };
  }
  const problem = stateProblem(json);
  if (problem) return problem;
  const doc = json as Manifest & StoreState;
  // schema 1 held everything in the one file: it is split into segments at the next write
  if (doc.segments === undefined) return { state: toLazy(doc) };
  return { state: lazyState(doc, segmentReader(paths ?? storePaths('.'), doc.gen, doc.gzFrom)) };
}

/** Parses a store's text and reads every segment it names: the state, or why it cannot be used. */
export function verifyStore(paths: StorePaths, text: string): { state?: StoreState; reason?: string; newer?: boolean } {
  const r = parseState(text, paths);
  if (!r.state) return r;
  try {
    for (const byKey of Object.values(r.state.objects)) Object.keys(byKey);
    Object.keys(r.state.runtime ?? {});
    Object.keys(r.state.eventSpam ?? {});
  } catch (e) {
    if (e instanceof BrokenStore) return { reason: e.reason };
    throw e;
  }
  return r;
}

/** Reads the state, or undefined when no cluster exists yet; throws BrokenStore for a damaged one. */
export function readState(paths: StorePaths): StoreState | undefined {
  let text: string;
  try {
    text = readFileSync(paths.file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') throw new CliError(`kubesim's home ${paths.home} (KUBESIM_HOME) is not a directory`);
    throw new BrokenStore(paths, osReason(e));
  }
  const r = parseState(text, paths);
  if (!r.state) throw new BrokenStore(paths, r.reason!, r.newer);
  return r.state;
}

/** Creates $KUBESIM_HOME private (it holds Secrets). */
export function ensureHome(home: string): void {
  try {
    statSync(home);
  } catch {
    mkdirSync(home, { recursive: true, mode: 0o700 });
    chmodSync(home, 0o700); // whatever the umask
  }
}

/** Links the current store (known good: it was read under the lock) as the backup. */
function keepBackup(paths: StorePaths, tag: string): void {
  const tmp = `${paths.backup}.${tag}`;
  try {
    linkSync(paths.file, tmp);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // first write
    throw e;
  }
  renameSync(tmp, paths.backup);
}

/** The highest generation of any segment file in store.d (0 when none): a new state's files come after it. */
function lastGen(paths: StorePaths): number {
  let max = 0;
  let names: string[] = [];
  try {
    names = readdirSync(paths.segdir);
  } catch {
    return 0;
  }
  for (const n of names) {
    const m = /\.(\d+)\.(json(\.gz)?|pack)$/.exec(n);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return max;
}

/** Deletes old files in store.d that neither manifest names nor the garbage list holds (a writer died). */
function sweepOrphans(paths: StorePaths, manifest: Manifest, wallNow: number): void {
  const named = new Set<string>();
  const add = (m: Partial<Manifest> | undefined) => {
    for (const [seg, gen] of Object.entries(m?.segments ?? {})) for (const f of segmentFiles(seg, gen, m?.gzFrom)) named.add(f);
    for (const [entry] of m?.garbage ?? []) for (const f of garbageFiles(entry)) named.add(f);
    for (const g of Object.keys(m?.packs ?? {})) named.add(packFile(Number(g)));
  };
  add(manifest);
  try {
    add(JSON.parse(readFileSync(paths.backup, 'utf8')) as Manifest);
  } catch {
    /* no sound backup: nothing more to keep */
  }
  let names: string[];
  try {
    names = readdirSync(paths.segdir);
  } catch {
    return; // no segments yet
  }
  for (const n of names) {
    if (named.has(n)) continue;
    try {
      if (wallNow - statSync(join(paths.segdir, n)).mtimeMs > ORPHAN_AGE_MS) rmSync(join(paths.segdir, n), { force: true });
    } catch {
      /* gone meanwhile */
    }
  }
}

/**
 * Writes a save's segments: as one pack when there are PACK_MIN or more (after moving in the segments
 * still kept in packs mostly replaced), else one file each; the files written are added to `written`.
 */
function writeSegments(paths: StorePaths, plan: ReturnType<typeof planSave>, written: string[]): void {
  for (const [g, use, kept] of plan.sparse()) {
    const file = join(paths.segdir, packFile(g));
    let places;
    try {
      places = packPlaces(file, use[2]);
    } catch {
      /* a pack that cannot be read stays where repair finds it */
    }
    for (const seg of places ? kept : []) {
      const place = places!.get(seg);
      let bytes: Buffer | undefined;
      try {
        bytes = place && readPlace(file, place);
      } catch {
        break;
      }
      if (bytes && bytes.length === place![1]) plan.move(seg, bytes); // a segment cut short stays too
    }
  }
  const gen = plan.manifest.gen;
  const bytesOf = (text: string | Buffer) => (typeof text !== 'string' ? text : text.length >= GZ_MIN ? gzip(text, 1) : Buffer.from(text));
  if (plan.files.size >= PACK_MIN) {
    const bodies = new Map<string, Buffer>();
    for (const [seg, text] of plan.files) bodies.set(seg, bytesOf(text));
    const { data, header } = buildPack(bodies);
    const file = join(paths.segdir, packFile(gen));
    written.push(file);
    writeFileSync(file, data, { mode: 0o600 });
    plan.packed(header, data.length - header);
    return;
  }
  for (const [seg, text] of plan.files) {
    const bytes = bytesOf(text);
    const file = join(paths.segdir, `${seg}.${gen}.json${isGzip(bytes) ? '.gz' : ''}`);
    written.push(file);
    writeFileSync(file, bytes, { mode: 0o600 });
  }
}

/**
 * Saves the state: its changed segments to new files, then the manifest to a temp file renamed over
 * the store. Throws CliError (`could not save the cluster state: …`) when it cannot land; the old
 * store is then unchanged.
 */
export function writeState(paths: StorePaths, state: StoreState, opts: { backup?: boolean } = {}): void {
  const tag = `${process.pid}.${Date.now()}.tmp`;
  const tmp = `${paths.file}.${tag}`;
  const written: string[] = [];
  const wallNow = Date.now();
  let fresh = false;
  try {
    ensureHome(paths.home);
    const plan = planSave(toLazy(state), () => {
      fresh = true;
      return lastGen(paths);
    });
    if (plan.files.size) mkdirSync(paths.segdir, { recursive: true, mode: 0o700 });
    // (packs emptied by moving their last segments are dropped here too)
    writeSegments(paths, plan, written);
    const garbage = [...(plan.manifest.garbage ?? []), ...plan.dropped.map((f): [string, number] => [f, wallNow])];
    // at most GARBAGE_PER_WRITE expired files go per write (a write that replaced every segment leaves
    // thousands, which would otherwise all be unlinked by the one command that finds them expired)
    const expired = garbage.filter(([, since]) => wallNow - since >= GARBAGE_GRACE_MS).slice(0, GARBAGE_PER_WRITE);
    const gone = new Set(expired);
    const kept = garbage.filter((g) => !gone.has(g));
    if (kept.length) plan.manifest.garbage = kept;
    else delete plan.manifest.garbage;
    writeFileSync(tmp, JSON.stringify(plan.manifest), { mode: 0o600 });
    if (opts.backup !== false) keepBackup(paths, tag);
    renameSync(tmp, paths.file);
    written.length = 0;
    plan.settle();
    for (const [entry] of expired) unlinkFirst(paths.segdir, garbageFiles(entry));
    if (fresh || plan.manifest.gen % 64 === 0) sweepOrphans(paths, plan.manifest, wallNow);
  } catch (e) {
    rmSync(tmp, { force: true });
    for (const f of written) rmSync(f, { force: true });
    if (e instanceof CliError) throw e;
    throw new CliError(`could not save the cluster state to ${paths.file}: ${osReason(e)}`);
  }
}

/** Runs `fn` holding the store lock (read-modify-write section). */
export async function withLock<T>(paths: StorePaths, fn: () => Promise<T>): Promise<T> {
  let lock;
  try {
    ensureHome(paths.home);
    lock = await acquireLock(paths.home, { progress: () => storeStamp(paths) });
  } catch (e) {
    if (e instanceof LockTimeout) throw new CliError(`could not save the cluster state: ${e.message}`);
    throw new CliError(`could not lock the cluster state in ${paths.home}: ${osReason(e)}`);
  }
  try {
    return await fn();
  } finally {
    lock.release();
  }
}

/** Identity of the store file as last written (changes with every write). */
export function storeStamp(paths: StorePaths): string {
  try {
    const st = statSync(paths.file);
    return `${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch {
    return '';
  }
}

/**
 * A reader that ran the simulation forward saves it, but only when no writer holds the lock and
 * nobody wrote since it read (so nothing is lost); otherwise it just leaves it to the next command.
 */
export async function saveIfUnchanged(paths: StorePaths, stamp: string, state: StoreState): Promise<boolean> {
  const lock = await tryLock(paths.home).catch(() => undefined);
  if (!lock) return false;
  try {
    if (storeStamp(paths) !== stamp) return false;
    writeState(paths, state);
    return true;
  } catch {
    return false; // a reader's save is an optimisation: the next command catches up again
  } finally {
    lock.release();
  }
}

/** Moves a damaged file aside as `<file>.broken-<UTC time>` and returns the new name. */
export function moveAside(file: string, wallNow: number): string {
  const stamp = new Date(wallNow).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  let target = `${file}.broken-${stamp}`;
  for (let n = 2; existsSync(target); n++) target = `${file}.broken-${stamp}-${n}`;
  renameSync(file, target);
  return target;
}

/** Moves a damaged store aside (its manifest, and its segments as `store.d.broken-<time>`); returns the manifest's new name. */
export function moveBrokenAside(paths: StorePaths, wallNow: number): string {
  const kept = moveAside(paths.file, wallNow);
  if (existsSync(paths.segdir)) moveAside(paths.segdir, wallNow);
  return kept;
}
