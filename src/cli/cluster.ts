// kubesim cluster create [--nodes N]: a fresh cluster. One node is minikube-like (the default);
// N > 1 is kind-like: kind-control-plane (tainted NoSchedule) and N-1 workers kind-worker, kind-worker2…
import { CliError } from '../api/errors.js';
import { freshState } from '../sim/bootstrap.js';
import { simNow } from '../sim/clock.js';
import { BrokenStore, moveBrokenAside, readState, storePaths, withLock, writeState } from '../store/file-store.js';
import { kubesimHome } from '../store/kubeconfig.js';
import { parseFlags } from './flags.js';
import type { IO } from './io.js';

export default async function cluster(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, [{ name: 'nodes', type: 'int', default: 1 }, { name: 'no-metrics', type: 'bool', default: false }, { name: 'force', type: 'bool', default: false }], 'cluster');
  if (p.args[0] !== 'create') throw new CliError('usage: kubesim cluster create [--nodes N]');
  const nodes = Number(p.flags.nodes);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 50) throw new CliError(`invalid --nodes ${p.flags.nodes}: between 1 and 50`);
  const paths = storePaths(kubesimHome(io.env));
  // a cluster holding objects someone made is replaced only when that is meant (cluster-guard.ts)
  {
    const guard = await import('./cluster-guard.js');
    let current;
    try {
      current = readState(paths);
    } catch (e) {
      if (!(e instanceof BrokenStore)) throw e;
    }
    if (current && !(await guard.confirmReplace(io, paths.home, guard.userObjects(current), Boolean(p.flags.force)))) return 1;
  }
  const note = await withLock(paths, async () => {
    let old;
    let kept = '';
    try {
      old = readState(paths);
    } catch (e) {
      if (!(e instanceof BrokenStore)) throw e;
      kept = `the unreadable cluster state is kept as ${moveBrokenAside(paths, io.wallNow())}\n`;
    }
    const now = old ? simNow(old.clock, io.wallNow()) : io.wallNow();
    const state = freshState(now, nodes - 1);
    if (old) state.clock = { ...old.clock };
    // no metrics-server: kubectl top finds no metrics.k8s.io group
    if (p.flags['no-metrics']) state.counters.noMetrics = 1;
    writeState(paths, state);
    return kept;
  });
  io.stdout.write(note);
  io.stdout.write(nodes > 1 ? `cluster created: kind-control-plane and ${nodes - 1} worker node(s)\n` : 'cluster created: minikube\n');
  return 0;
}
