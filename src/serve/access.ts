// How the server reaches the cluster: every request runs through the CLI's own withCluster (store
// lock, resourceVersions, simulation catch-up and saving are shared with concurrent CLI commands),
// one request at a time in this process, each with a fresh read of the store.
import type { IO } from '../cli/io.js';
import { withCluster, type Session } from '../cli/session.js';

export class ClusterAccess {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly base: IO) {}

  /** A quiet IO for one request (what a verb would print is not the server's to print). */
  private requestIO(): IO {
    const sink = { write: () => undefined };
    return { ...this.base, stdout: sink, stderr: sink, readStdin: async () => '' };
  }

  /** Runs `fn` on the cluster after every earlier request has finished. */
  run<T>(mode: 'read' | 'write', fn: (s: Session) => Promise<T> | T): Promise<T> {
    const next = this.tail.then(() => withCluster(this.requestIO(), undefined, mode, fn));
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Runs a whole CLI command in this process (it opens the cluster itself), after every earlier request. */
  command(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const next = this.tail.then(async () => {
      let stdout = '';
      let stderr = '';
      const io: IO = { ...this.base, stdout: { write: (s) => void (stdout += s) }, stderr: { write: (s) => void (stderr += s) }, readStdin: async () => '', stdinIsTTY: false, waitForInterrupt: undefined };
      const { dispatch } = await import('../cli/dispatch.js');
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
