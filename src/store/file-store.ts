// The JSON store: one file in $KUBESIM_HOME, replaced atomically (temp file + rename) so readers
// never see a half-written state; writers hold the exclusive lock across read-modify-write. Each write
// keeps the state it replaces as store.json.bak (a hard link: no copy). A store that cannot be read
// is reported with the file, the reason and the way out (kubesim repair / reset), never used.
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CliError } from '../api/errors.js';
import { acquireLock, LockTimeout, tryLock } from './lock.js';
import { stateProblem } from './state-check.js';
import type { StoreState } from './state.js';

export interface StorePaths {
  home: string;
  file: string;
  backup: string;
}

export function storePaths(home: string): StorePaths {
  const file = join(home, 'store.json');
  return { home, file, backup: `${file}.bak` };
}

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
    return parseState(readFileSync(file, 'utf8')).state !== undefined;
  } catch {
    return false;
  }
}

/** Parses a store's text: the state, or why it cannot be used. */
export function parseState(text: string): { state?: StoreState; reason?: string; newer?: boolean } {
  if (!/\S/.test(text)) return { reason: 'it is empty' }; // stops at the first character, no copy
  if (text.charCodeAt(0) === 0xfeff) return { reason: 'it starts with a byte-order mark (U+FEFF), which JSON does not allow' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    if (/end of JSON input|Unterminated/.test(msg)) return { reason: 'it ends in the middle of the JSON (the file is truncated)' };
    return { reason: `it is not valid JSON (${msg})` };
  }
  const problem = stateProblem(json);
  return problem ? problem : { state: json as StoreState };
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
  const r = parseState(text);
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

/**
 * Saves the state: written whole to a temp file, then renamed over the store. Throws CliError
 * (`could not save the cluster state: …`) when it cannot land; the old store is then unchanged.
 */
export function writeState(paths: StorePaths, state: StoreState, opts: { backup?: boolean } = {}): void {
  const tag = `${process.pid}.${Date.now()}.tmp`;
  const tmp = `${paths.file}.${tag}`;
  try {
    ensureHome(paths.home);
    writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
    if (opts.backup !== false) keepBackup(paths, tag);
    renameSync(tmp, paths.file);
  } catch (e) {
    rmSync(tmp, { force: true });
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
