// The store's exclusive inter-process lock.
//
// On Linux the lock is a name in the kernel's abstract Unix-socket namespace, derived from the store
// directory's real path: binding it succeeds for one process at a time, the kernel keeps it bound for
// exactly as long as the owning process lives and frees it when that process ends, however it ends
// (kill -9 included). So a live owner's lock can never be broken, a dead owner's lock is never left
// behind, and no lock file exists that a reboot or a reused pid could make lie.
//
// Elsewhere (no abstract namespace) it falls back to a lock file created whole with link(2), holding
// the owner's pid and a token: it is broken only when that pid is gone or the file predates the last
// boot, and `release()` removes the file only while it still holds the owner's own token.
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { uptime } from 'node:os';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { getSystemErrorName } from 'node:util';
import { nodeBinding } from './node-binding.js';

export interface Lock {
  release(): void;
}

export type LockKind = 'socket' | 'file';

export interface LockOptions {
  /** give up after waiting this long with nothing changing (see `progress`) */
  timeoutMs?: number;
  /** a value that changes whenever an owner finished some work: waiting restarts its timeout */
  progress?: () => string;
  kind?: LockKind;
}

export class LockTimeout extends Error {}

export function defaultLockKind(): LockKind {
  return process.platform === 'linux' ? 'socket' : 'file';
}

/**
 * The lock's name: sha256 of the store directory's real path (as every kubesim version names it).
 * The hash is @noble/hashes' rather than node:crypto's, whose load costs a write command 3 to 5 ms.
 */
export function socketName(dir: string): string {
  const hash = bytesToHex(sha256(utf8ToBytes(realpathSync(dir)))).slice(0, 40);
  return `\0kubesim-store-${hash}`;
}

interface PipeHandle {
  bind(name: string): number;
  listen(backlog: number): number;
  unref(): void;
  close(): void;
}

/**
 * The socket bound through Node's pipe handle, as net.Server.listen binds it (same name, same
 * kernel object), without loading net and the stream modules (3 to 5 ms of every write command);
 * null when that handle is not to be had (node-binding.ts).
 */
function bindSocketNow(name: string): Lock | undefined | null {
  const pipes = nodeBinding('pipe_wrap') as { Pipe?: new (type: number) => PipeHandle; constants?: { SERVER?: number } } | undefined;
  if (typeof pipes?.Pipe !== 'function' || typeof pipes.constants?.SERVER !== 'number') return null;
  let handle: PipeHandle | undefined;
  let err: unknown;
  try {
    handle = new pipes.Pipe(pipes.constants.SERVER);
    err = handle.bind(name);
    if (err === 0) err = handle.listen(1);
  } catch {
    try {
      handle?.close();
    } catch {
      /* not a handle after all */
    }
    return null;
  }
  // a handle that answers otherwise than with an errno (another Node's) leaves the work to net
  if (typeof err !== 'number') {
    handle.close();
    return null;
  }
  if (err !== 0) {
    handle.close();
    const code = getSystemErrorName(err);
    if (code === 'EADDRINUSE') return undefined;
    throw Object.assign(new Error(`${code}: cannot bind the store's lock socket`), { code });
  }
  handle.unref(); // the lock never keeps the process alive; it ends with it
  let released = false;
  const bound = handle;
  return {
    release() {
      if (released) return;
      released = true;
      bound.close();
    },
  };
}

function bindSocket(name: string): Promise<Lock | undefined> {
  const now = bindSocketNow(name);
  if (now !== null) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const server: Server = createServer();
    server.once('error', (e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' ? resolve(undefined) : reject(e)));
    server.listen({ path: name, exclusive: true }, () => {
      server.unref(); // the lock never keeps the process alive; it ends with it
      let released = false;
      resolve({
        release() {
          if (released) return;
          released = true;
          server.close();
        },
      });
    });
  });
}

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a lock file's owner still runs: its pid lives, and the file was written since boot. */
function ownerLives(lockPath: string, owner: string): boolean {
  const bootedAt = Date.now() - uptime() * 1000;
  try {
    if (statSync(lockPath).mtimeMs < bootedAt - 1000) return false; // left from before a reboot
  } catch {
    return false;
  }
  return pidAlive(Number.parseInt(owner, 10));
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** One attempt at the file lock: created complete (link of a written temp file), never empty. */
function takeFile(lockPath: string): Lock | undefined {
  const token = `${process.pid} ${randomBytes(8).toString('hex')}`;
  const tmp = `${lockPath}.${token.replace(' ', '.')}`;
  writeFileSync(tmp, token, { mode: 0o600 });
  try {
    linkSync(tmp, lockPath);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const owner = readText(lockPath);
    if (owner !== undefined && !ownerLives(lockPath, owner)) breakStale(lockPath, owner);
    return undefined;
  } finally {
    unlinkSync(tmp);
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      if (readText(lockPath) === token) unlinkSync(lockPath);
    },
  };
}

/** Moves a dead owner's lock aside; should another process have re-taken it meanwhile, puts it back. */
function breakStale(lockPath: string, owner: string): void {
  const aside = `${lockPath}.stale.${process.pid}`;
  try {
    renameSync(lockPath, aside);
  } catch {
    return; // someone else broke it
  }
  if (readText(aside) !== owner) {
    try {
      linkSync(aside, lockPath);
    } catch {
      /* taken again already */
    }
  }
  unlinkSync(aside);
}

function take(dir: string, kind: LockKind): Promise<Lock | undefined> {
  return kind === 'socket' ? bindSocket(socketName(dir)) : Promise.resolve(takeFile(join(dir, 'store.lock')));
}

/** Takes the lock on the store directory `dir` (which must exist), waiting while others hold it. */
export async function acquireLock(dir: string, opts: LockOptions = {}): Promise<Lock> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const kind = opts.kind ?? defaultLockKind();
  let seen = opts.progress?.();
  let deadline = Date.now() + timeoutMs;
  let delay = 1;
  for (;;) {
    const lock = await take(dir, kind);
    if (lock) return lock;
    const now = opts.progress?.();
    if (now !== seen) {
      // the owner before us finished: we are moving up the queue
      seen = now;
      deadline = Date.now() + timeoutMs;
    }
    if (Date.now() > deadline) {
      throw new LockTimeout(`another kubesim command has held the store lock for ${Math.round(timeoutMs / 1000)}s without finishing`);
    }
    await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
    delay = Math.min(delay * 2, 20);
  }
}

/** Takes the lock only if it is free right now. */
export function tryLock(dir: string, kind: LockKind = defaultLockKind()): Promise<Lock | undefined> {
  return take(dir, kind);
}
