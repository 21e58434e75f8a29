// kubesim cluster create [NAME] [--nodes N] | list | delete NAME. Without a name, `create` starts the
// cluster of the context in use afresh (the default one in $KUBESIM_HOME, or a named one): one node is
// minikube-like (the default); N > 1 is kind-like: kind-control-plane (tainted NoSchedule) and N-1
// workers kind-worker, kind-worker2… With a name, it makes a named cluster beside the others (its
// own store in $KUBESIM_HOME/clusters/NAME and a context NAME in kubesim's kubeconfig, made current,
// as `minikube start -p NAME` does); `kubectl config use-context` switches between them.
import { existsSync, rmSync } from 'node:fs';
import { CliError } from '../api/errors.js';
import { freshState } from '../sim/bootstrap.js';
import { simNow } from '../sim/clock.js';
import { CLUSTER_NAME, clusterDir, contextCluster, namedClusters, withClusterContext, withoutClusterContext } from '../store/clusters.js';
import { BrokenStore, moveBrokenAside, readState, storePaths, withLock, writeState, type StorePaths } from '../store/file-store.js';
import { CONTEXT_NAME, kubesimHome, loadKubeconfig, ownKubeconfig, saveKubeconfig } from '../store/kubeconfig.js';
import { parseFlags, type Parsed } from './flags.js';
import type { IO } from './io.js';
import { clusterStore } from './session.js';

const FLAGS = [
  { name: 'nodes', type: 'int' as const, default: 1 },
  { name: 'no-metrics', type: 'bool' as const, default: false },
  { name: 'force', type: 'bool' as const, default: false },
];

const USAGE = 'usage: kubesim cluster create [NAME] [--nodes N] | kubesim cluster list | kubesim cluster delete NAME';

export default async function cluster(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'cluster');
  const [sub, name, ...rest] = p.args;
  if (rest.length) throw new CliError(USAGE);
  if (sub === 'list' && !name) return list(io);
  if (sub === 'delete' && name) return remove(io, name);
  if (sub !== 'create') throw new CliError(USAGE);
  const nodes = Number(p.flags.nodes);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 50) throw new CliError(`invalid --nodes ${p.flags.nodes}: between 1 and 50`);
  if (name !== undefined && !CLUSTER_NAME.test(name)) {
    throw new CliError(`invalid cluster name "${name}": lowercase letters, digits and '-', starting and ending with a letter or digit`);
  }
  if (name === CONTEXT_NAME) throw new CliError(`"${CONTEXT_NAME}" is the default cluster: kubesim cluster create (without a name) starts it afresh`);
  const paths = name ? storePaths(clusterDir(io.env, name)) : clusterStore(io, p);
  const note = await create(io, p, paths, nodes);
  if (note === undefined) return 1;
  io.stdout.write(note);
  const what = nodes > 1 ? `kind-control-plane and ${nodes - 1} worker node(s)` : 'minikube';
  if (!name) {
    io.stdout.write(`cluster created: ${what}\n`);
    return 0;
  }
  const file = ownKubeconfig(io.env);
  const cfg = withClusterContext(loadKubeconfig(file, io.env), name);
  cfg['current-context'] = name;
  saveKubeconfig(file, cfg);
  io.stdout.write(`cluster "${name}" created: ${what}\nSwitched to context "${name}".\n`);
  return 0;
}

/** Writes a fresh cluster in `paths` (after the guard's confirmation); undefined when not confirmed. */
async function create(io: IO, p: Parsed, paths: StorePaths, nodes: number): Promise<string | undefined> {
  // a cluster holding objects someone made is replaced only when that is meant (cluster-guard.ts)
  {
    const guard = await import('./cluster-guard.js');
    let current;
    try {
      current = readState(paths);
    } catch (e) {
      if (!(e instanceof BrokenStore)) throw e;
    }
    if (current && !(await guard.confirmReplace(io, paths.home, guard.userObjects(current), Boolean(p.flags.force)))) return undefined;
  }
  return withLock(paths, async () => {
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
}

/** The clusters, the one the current context uses marked with `*` (as kubectl config get-contexts marks it). */
function list(io: IO): number {
  let current: string | undefined;
  try {
    current = contextCluster(loadKubeconfig(ownKubeconfig(io.env), io.env));
  } catch {
    current = undefined;
  }
  const names = namedClusters(io.env);
  const rows = [[CONTEXT_NAME, kubesimHome(io.env)], ...names.map((n) => [n, clusterDir(io.env, n)])];
  const onNamed = current !== undefined && names.includes(current);
  const width = Math.max(4, ...rows.map((r) => r[0].length)) + 3;
  io.stdout.write(`CURRENT   ${'NAME'.padEnd(width)}STORE\n`);
  for (const [n, dir] of rows) {
    const mark = (n === CONTEXT_NAME ? !onNamed : n === current) ? '*' : ' ';
    io.stdout.write(`${mark.padEnd(10)}${n.padEnd(width)}${dir}\n`);
  }
  return 0;
}

async function remove(io: IO, name: string): Promise<number> {
  if (name === CONTEXT_NAME) throw new CliError(`"${CONTEXT_NAME}" is the default cluster and cannot be deleted: kubesim reset forgets its objects`);
  const dir = clusterDir(io.env, name);
  if (!CLUSTER_NAME.test(name) || !existsSync(dir)) throw new CliError(`cluster "${name}" not found (kubesim cluster list shows the clusters)`);
  // under its lock, so no command of that cluster is half-way through a write
  await withLock(storePaths(dir), async () => rmSync(dir, { recursive: true, force: true }));
  const file = ownKubeconfig(io.env);
  const cfg = loadKubeconfig(file, io.env);
  const switched = cfg['current-context'] === name;
  saveKubeconfig(file, withoutClusterContext(cfg, name));
  io.stdout.write(`cluster "${name}" deleted${switched ? `\nSwitched to context "${CONTEXT_NAME}".` : ''}\n`);
  return 0;
}
