// The JSON store: one file in $KUBESIM_HOME, replaced atomically (temp file + rename) so readers
// never see a half-written state; writers hold the exclusive lock across read-modify-write.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acquireLock, tryLock } from './lock.js';
import type { StoreState } from './state.js';
import { SCHEMA_VERSION } from './state.js';

export interface StorePaths {
  home: string;
  file: string;
  lock: string;
}

export function storePaths(home: string): StorePaths {
  return { home, file: join(home, 'store.json'), lock: join(home, 'store.lock') };
}

/** Reads the state, or undefined when no cluster exists yet. */
export function readState(paths: StorePaths): StoreState | undefined {
  let text: string;
  try {
    text = readFileSync(paths.file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const state = JSON.parse(text) as StoreState;
  if (state.schemaVersion !== SCHEMA_VERSION) {
    throw new Error(
      `the store ${paths.file} has schema version ${state.schemaVersion}, this kubesim reads ${SCHEMA_VERSION}; remove it (kubesim reset) to start a new cluster`,
    );
  }
  return state;
}

export function writeState(paths: StorePaths, state: StoreState): void {
  mkdirSync(paths.home, { recursive: true });
  const tmp = `${paths.file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, paths.file);
}

/** Runs `fn` holding the store lock (read-modify-write section). */
export async function withLock<T>(paths: StorePaths, fn: () => Promise<T>): Promise<T> {
  mkdirSync(paths.home, { recursive: true });
  const lock = acquireLock(paths.lock);
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
export function saveIfUnchanged(paths: StorePaths, stamp: string, state: StoreState): boolean {
  const lock = tryLock(paths.lock);
  if (!lock) return false;
  try {
    if (storeStamp(paths) !== stamp) return false;
    writeState(paths, state);
    return true;
  } finally {
    lock.release();
  }
}
