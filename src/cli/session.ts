// Opens the simulated cluster for a verb: resolves kubeconfig and namespace, loads the store, runs
// the simulation up to now, and (for writers, under the lock) saves what changed.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError } from '../api/errors.js';
import { saveIfUnchanged, storePaths, storeStamp, readState, withLock, writeState, type StorePaths } from '../store/file-store.js';
import { namedClusters, storeHome } from '../store/clusters.js';
import { contextNamespace, kubeconfigPath, kubesimHome, loadKubeconfig } from '../store/kubeconfig.js';
import type { StoreState } from '../store/state.js';
import { advance, simNow } from '../sim/clock.js';
import { Cluster } from '../sim/engine.js';
import { freshState } from '../sim/bootstrap.js';
import { registerControllers } from '../sim/controllers.js';
import { str, type Parsed } from './flags.js';
import type { IO } from './io.js';

export interface Session {
  cluster: Cluster;
  /** the namespace from -n, else the context's */
  namespace: string;
  /** -n was given explicitly */
  namespaceExplicit: boolean;
  io: IO;
}

export function resolveNamespace(io: IO, parsed: Parsed): { namespace: string; explicit: boolean; home: string } {
  const flag = str(parsed, 'namespace');
  const ctxName = str(parsed, 'context');
  // with -n the context matters only for which cluster's store (named clusters: store/clusters.ts)
  if (flag && !namedClusters(io.env).length) return { namespace: flag, explicit: true, home: kubesimHome(io.env) };
  const named = str(parsed, 'kubeconfig');
  // kubectl stats a file named by --kubeconfig (KUBECONFIG may name files that do not exist)
  if (named && !existsSync(resolve(io.cwd, named))) throw new CliError(`stat ${named}: no such file or directory`);
  const cfg = loadKubeconfig(resolve(io.cwd, kubeconfigPath(io.env, named)), io.env);
  if (ctxName && !(cfg.contexts ?? []).some((c: { name: string }) => c.name === ctxName)) {
    throw new CliError(`context was not found for specified context: ${ctxName}`);
  }
  const home = storeHome(io.env, cfg, ctxName);
  if (flag) return { namespace: flag, explicit: true, home };
  return { namespace: contextNamespace(cfg, ctxName), explicit: false, home };
}

/** The store of the cluster the kubeconfig's context names (the default one without a parsed command line). */
export function clusterStore(io: IO, parsed: Parsed | undefined): StorePaths {
  return storePaths(parsed ? resolveNamespace(io, parsed).home : currentHome(io));
}

/** The store directory of kubesim's kubeconfig's current context (named clusters), else $KUBESIM_HOME. */
function currentHome(io: IO): string {
  if (!namedClusters(io.env).length) return kubesimHome(io.env);
  try {
    return storeHome(io.env, loadKubeconfig(resolve(io.cwd, kubeconfigPath(io.env, '')), io.env));
  } catch {
    return kubesimHome(io.env);
  }
}

/** Clock advances waiting for the next command that opens a store, by store file (in-process callers). */
const pendingAdvance = new Map<string, number>();

/**
 * Moves the clock of the cluster in `home` forward by `ms` as part of the next command in this
 * process that opens it (that command then writes, under the lock), instead of a write of its own.
 * `kubesim replay` steps the clock between commands this way.
 */
export function advanceOnNextOpen(home: string, ms: number): void {
  const file = storePaths(home).file;
  pendingAdvance.set(file, (pendingAdvance.get(file) ?? 0) + ms);
}

/** The advance still waiting for the cluster in `home` (0 when none). */
export function pendingAdvanceMs(home: string): number {
  return pendingAdvance.get(storePaths(home).file) ?? 0;
}

/** An applied advance leaves the waiting list (what was added meanwhile stays). */
function settle(file: string, ms: number): void {
  const left = (pendingAdvance.get(file) ?? 0) - ms;
  if (left > 0) pendingAdvance.set(file, left);
  else pendingAdvance.delete(file);
}

async function open(state: StoreState, io: IO): Promise<Cluster> {
  registerControllers();
  const c = new Cluster(state);
  await c.runUntil(simNow(state.clock, io.wallNow()));
  return c;
}

/**
 * Runs `fn` against the cluster. Writers hold the store lock and save afterwards; readers load the
 * last saved state without locking and run the (deterministic) simulation in memory only.
 */
export async function withCluster<T>(
  io: IO,
  parsed: Parsed | undefined,
  mode: 'read' | 'write',
  fn: (s: Session) => Promise<T> | T,
): Promise<T> {
  const ns = parsed ? resolveNamespace(io, parsed) : { namespace: 'default', explicit: false, home: currentHome(io) };
  const paths = storePaths(ns.home);
  const session = (c: Cluster): Session => ({ cluster: c, namespace: ns.namespace, namespaceExplicit: ns.explicit, io });
  // a waiting clock advance is saved with this command, so it reads and writes as a writer
  if (mode === 'read' && !pendingAdvance.has(paths.file)) {
    const stamp = storeStamp(paths);
    const state = readState(paths);
    if (state) {
      const c = await open(state, io);
      const out = await fn(session(c));
      // a save writes only the segments the catch-up changed, so it costs what the next command would
      if ((c.timersRun > 0 || c.work > 0) && stamp) await saveIfUnchanged(paths, stamp, c.state);
      return out;
    }
  }
  return withLock(paths, async () => {
    const state = readState(paths) ?? freshState(io.wallNow());
    const step = pendingAdvance.get(paths.file);
    if (step !== undefined) advance(state.clock, step);
    const c = await open(state, io);
    // What the verb prints waits for the save: a write that cannot land says so, and nothing else.
    const held = holdOutput(io);
    try {
      return await fn(session(c));
    } finally {
      try {
        writeState(paths, c.state);
      } catch (e) {
        held.drop();
        throw e;
      }
      if (step !== undefined) settle(paths.file, step);
      held.flush();
    }
  });
}

/** Holds what is written to io.stdout/io.stderr until flush() (in order per stream) or drop(). */
function holdOutput(io: IO): { flush(): void; drop(): void } {
  const out = io.stdout;
  const err = io.stderr;
  const chunks: [typeof out, string][] = [];
  io.stdout = { write: (s) => void chunks.push([out, s]) };
  io.stderr = { write: (s) => void chunks.push([err, s]) };
  const restore = () => {
    io.stdout = out;
    io.stderr = err;
  };
  return {
    flush() {
      restore();
      for (const [stream, s] of chunks) stream.write(s);
    },
    drop: restore,
  };
}
