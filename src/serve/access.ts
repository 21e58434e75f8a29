// How the server reaches the cluster: every request runs through the CLI's own withCluster (store
// lock, resourceVersions, simulation catch-up and saving are shared with concurrent CLI commands),
// one request at a time in this process. A reader reuses the cluster the last reader opened while
// the store is the one it read (nobody wrote since: the store's stamp is unchanged), running the
// simulation on from there in memory; any write, here or by another process, makes the next request
// read the store again.
import type { IO } from '../cli/io.js';
import { clusterStore, withCluster, type Session } from '../cli/session.js';
import { simNow } from '../sim/clock.js';
import type { Cluster } from '../sim/engine.js';
import { storeStamp } from '../store/file-store.js';

export class ClusterAccess {
  private tail: Promise<unknown> = Promise.resolve();
  private cached: { stamp: string; cluster: Cluster } | undefined;

  constructor(private readonly base: IO) {}

  /** A quiet IO for one request (what a verb would print is not the server's to print). */
  private requestIO(): IO {
    const sink = { write: () => undefined };
    return { ...this.base, stdout: sink, stderr: sink, readStdin: async () => '' };
  }

  /** Runs `fn` on the cluster after every earlier request has finished. */
  run<T>(mode: 'read' | 'write', fn: (s: Session) => Promise<T> | T): Promise<T> {
    const next = this.tail.then(() => (mode === 'read' ? this.read(fn) : this.write(fn)));
    this.tail = next.catch(() => undefined);
    return next;
  }

  private stamp(): string {
    // the store withCluster opens: the current context's cluster (named clusters), else $KUBESIM_HOME
    return storeStamp(clusterStore(this.base, undefined));
  }

  private async write<T>(fn: (s: Session) => Promise<T> | T): Promise<T> {
    this.cached = undefined;
    return withCluster(this.requestIO(), undefined, 'write', fn);
  }

  private async read<T>(fn: (s: Session) => Promise<T> | T): Promise<T> {
    const io = this.requestIO();
    const before = this.stamp();
    const hit = this.cached;
    if (hit && before && hit.stamp === before) {
      const c = hit.cluster;
      await c.runUntil(simNow(c.state.clock, io.wallNow()));
      return fn({ cluster: c, namespace: 'default', namespaceExplicit: false, io });
    }
    this.cached = undefined;
    let opened: Cluster | undefined;
    const out = await withCluster(io, undefined, 'read', (s) => {
      opened = s.cluster;
      return fn(s);
    });
    // kept only when the store is still the one read (a reader that saved its catch-up changed it)
    if (opened && before && this.stamp() === before) this.cached = { stamp: before, cluster: opened };
    return out;
  }

  /** Runs a whole CLI command in this process (it opens the cluster itself), after every earlier request. */
  command(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const next = this.tail.then(async () => {
      let stdout = '';
      let stderr = '';
      const io: IO = { ...this.base, stdout: { write: (s) => void (stdout += s) }, stderr: { write: (s) => void (stderr += s) }, readStdin: async () => '', stdinIsTTY: false, waitForInterrupt: undefined };
      const { dispatch } = await import('../cli/dispatch.js');
      // a command that writes changes the store's stamp, which is what the cached reader checks
      const code = await dispatch(argv, io);
      return { code, stdout, stderr };
    });
    this.tail = next.catch(() => undefined);
    return next;
  }

  wallNow(): number {
    return this.base.wallNow();
  }
}
