// A parsed copy of a kubeconfig as JSON, so a command does not parse YAML at every start (11-17 ms
// with the yaml library). Kept in $KUBESIM_HOME/.cache, one file per kubeconfig path, keyed by the
// file's device, inode, size, mtime and ctime. It is never wrong when the file is edited:
//  - any write changes the ctime (also a `touch -d` that sets the mtime back), a rename the inode;
//  - a write in the same clock tick as the one the copy was made from (same size, same times: the
//    kernel's file times are coarse) is ruled out as git rules out its "racily clean" entries: a copy
//    is used only when the file's times are older, by a margin, than the moment the copy was made.
// Only what JSON keeps exactly is cached (strings, finite numbers, booleans, null, plain objects
// and arrays); a kubeconfig with anything else is parsed every time.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { KObj } from '../api/types.js';
import { fnv1a } from '../api/fnv.js';

/** file times this close to the moment a copy is made may hide another write in the same tick */
const RACY_MS = 2_000;

interface Entry {
  path: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  /** wall time the copy was made */
  at: number;
  cfg: KObj;
}

function cacheFile(home: string, path: string): string {
  return join(home, '.cache', `kubeconfig-${fnv1a(path).toString(16).padStart(8, '0')}.json`);
}

const same = (e: Entry, path: string, st: Stats): boolean =>
  e.path === path && e.dev === st.dev && e.ino === st.ino && e.size === st.size && e.mtimeMs === st.mtimeMs && e.ctimeMs === st.ctimeMs;

/** The cached parse of the kubeconfig at `path` (whose stat is `st`), if it is sound; a fresh object. */
export function cachedKubeconfig(home: string, path: string, st: Stats): KObj | undefined {
  let e: Entry;
  try {
    e = JSON.parse(readFileSync(cacheFile(home, path), 'utf8')) as Entry;
  } catch {
    return undefined;
  }
  if (!e || typeof e !== 'object' || !same(e, path, st)) return undefined;
  if (Math.max(st.mtimeMs, st.ctimeMs) > e.at - RACY_MS) return undefined;
  return e.cfg;
}

/** Only values JSON gives back exactly. */
function jsonExact(v: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  if (Array.isArray(v)) return v.every((x) => jsonExact(x, depth + 1));
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.entries(v as object).every(([k, x]) => k !== '__proto__' && jsonExact(x, depth + 1));
  }
  return false;
}

/** Keeps the parse of the kubeconfig at `path` for later commands, when it may be trusted later. */
export function keepKubeconfig(home: string, path: string, st: Stats, cfg: KObj, now = Date.now()): void {
  // a file written within the margin could be rewritten unseen in the same tick: parse it again next time
  if (Math.max(st.mtimeMs, st.ctimeMs) > now - RACY_MS) return;
  if (!jsonExact(cfg)) return;
  const entry: Entry = { path, dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, at: now, cfg };
  const file = cacheFile(home, path);
  try {
    mkdirSync(join(home, '.cache'), { mode: 0o700 });
  } catch {
    /* exists, or no home yet */
  }
  try {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(entry), { mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    /* read-only home: parse each time */
  }
}

/** stat of `path`, or undefined. */
export function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
