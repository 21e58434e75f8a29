// Exclusive inter-process lock: a lock file created with O_EXCL holding the owner's pid.
// A lock whose owner is dead is broken; waiting is a short synchronous back-off.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

const sleeper = new Int32Array(new SharedArrayBuffer(4));

function sleepMs(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

function readOwner(lockPath: string): string | undefined {
  try {
    return readFileSync(lockPath, 'utf8');
  } catch {
    return undefined; // vanished: retry at once
  }
}

function pidAlive(text: string): boolean {
  const pid = Number.parseInt(text, 10);
  if (!Number.isFinite(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface Lock {
  release(): void;
}

/** Takes the lock, waiting up to `timeoutMs`; throws when it cannot. */
export function acquireLock(lockPath: string, timeoutMs = 30_000): Lock {
  const deadline = Date.now() + timeoutMs;
  let delay = 1;
  let emptySince = 0;
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            unlinkSync(lockPath);
          } catch {
            /* already broken by someone else */
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = readOwner(lockPath);
    if (owner === undefined) continue;
    // An empty file may be a live owner between open and write: give it a moment first.
    const stale = owner === '' ? emptySince > 0 && Date.now() - emptySince > 1000 : !pidAlive(owner);
    if (owner === '' && !emptySince) emptySince = Date.now();
    if (stale && readOwner(lockPath) === owner) {
      try {
        unlinkSync(lockPath);
      } catch {
        /* someone else broke it */
      }
      continue;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for the store lock ${lockPath}`);
    sleepMs(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 25);
  }
}

/** Takes the lock only if it is free right now. */
export function tryLock(lockPath: string): Lock | undefined {
  try {
    const fd = openSync(lockPath, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
  } catch {
    return undefined;
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      try {
        unlinkSync(lockPath);
      } catch {
        /* already broken by someone else */
      }
    },
  };
}
