// kubectl drain (NODE... | -l SELECTOR) [--ignore-daemonsets] [--delete-emptydir-data] [--force] [--grace-period N]:
// cordons the node, refuses (with kubectl's texts) pods it may not evict, evicts the rest and waits
// until they are gone (in simulated time when the clock is frozen); --pod-selector narrows the pods,
// --dry-run lists what would be evicted and changes nothing.
import { CliError } from '../api/errors.js';
import { parseLabelSelector } from '../api/selectors.js';
import type { KObj } from '../api/types.js';
import { NODE, POD } from '../sim/keys.js';
import { settleFrozen, waitGone } from './delete.js';
import { bool, parseFlags, str, type Parsed } from './flags.js';
import type { IO } from './io.js';
import { getNode, nodeArgs, setUnschedulable } from './node-verbs.js';
import { dryRunMode } from './output.js';
import { usageError } from './pod-target.js';
import { withCluster } from './session.js';

const FLAGS = [
  { name: 'ignore-daemonsets', type: 'bool' as const, default: false },
  { name: 'delete-emptydir-data', type: 'bool' as const, default: false },
  { name: 'force', type: 'bool' as const, default: false },
  { name: 'grace-period', type: 'int' as const, default: -1 },
  { name: 'timeout', type: 'duration' as const, default: '0s' },
  { name: 'selector', short: 'l', type: 'string' as const, default: '' },
  { name: 'pod-selector', type: 'string' as const, default: '' },
  { name: 'disable-eviction', type: 'bool' as const, default: false },
  { name: 'skip-wait-for-delete-timeout', type: 'int' as const, default: 0 },
  { name: 'dry-run', type: 'string' as const, default: 'none', noOptDefault: 'unchanged' },
  { name: 'chunk-size', type: 'int' as const, default: 500 },
];

/** --pod-selector must parse (kubectl's Complete), else its own error. */
function parsePodSelector(text: string): ReturnType<typeof parseLabelSelector> {
  try {
    return parseLabelSelector(text);
  } catch {
    throw new CliError('--pod-selector=<pod_selector> must be a valid label selector');
  }
}

const DS_FATAL = 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)';
const LOCAL_FATAL = 'Pods with local storage (use --delete-emptydir-data to override)';
const UNMANAGED_FATAL = 'cannot delete Pods that declare no controller (use --force to override)';

export default async function drain(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'drain');
  for (const w of p.warnings) io.stderr.write(`${w}\n`);
  const selector = str(p, 'selector');
  if (!p.args.length && !p.changed.has('selector')) throw usageError('drain', 'USAGE: drain NODE [flags]');
  // kubectl's UsageErrorf text already starts with "error: "
  if (p.args.length && selector) throw usageError('drain', 'error: cannot specify both a node name and a --selector option');
  const dryRun = dryRunMode(p, io);
  const podSelector = str(p, 'pod-selector') ? parsePodSelector(str(p, 'pod-selector')) : undefined;
  const nodeSelector = selector ? parseLabelSelector(selector) : undefined;
  const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
  // every node is cordoned first (kubectl's RunCordonOrUncordon), then drained one after another
  let names: string[] = [];
  await withCluster(io, p, dryRun === 'none' ? 'write' : 'read', (s) => {
    const c = s.cluster;
    names = nodeSelector ? c.api.list(NODE).filter((n) => nodeSelector.matches(n.metadata.labels ?? {})).map((n) => n.metadata.name) : nodeArgs(p.args);
    for (const name of names) getNode(c, name);
    for (const name of names) {
      const changed = dryRun === 'none' ? setUnschedulable(c, name, true) : !getNode(c, name).spec?.unschedulable;
      io.stdout.write(`node/${name} ${changed ? '' : 'already '}cordoned${suffix}\n`);
    }
  });
  const fatalErrors: string[][] = [];
  const remaining: string[] = [];
  for (const name of names) {
    const err = await drainNode(io, p, name, dryRun, podSelector);
    if (err === undefined) {
      io.stdout.write(`node/${name} drained${suffix}\n`);
      continue;
    }
    io.stderr.write(`error: unable to drain node "${name}" due to error: ${aggregate(err)}, continuing command...\n`);
    fatalErrors.push(err);
    remaining.push(name);
  }
  if (!remaining.length) return 0;
  io.stderr.write(`There are pending nodes to be drained:\n${remaining.map((n) => ` ${n}\n`).join('')}`);
  // kubectl's checkErr: an aggregate of one is unwrapped, then each error goes on a line of its own
  const lines = fatalErrors.length === 1 ? fatalErrors[0] : fatalErrors.map(aggregate);
  io.stderr.write(lines.map((l) => `${l}\n`).join(''));
  return 1;
}

/** utilerrors.Aggregate's text: one error as it is, several in brackets. */
const aggregate = (errs: string[]) => (errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);

/** One node's pods evicted (or listed with --dry-run); the errors when some may not be. */
async function drainNode(io: IO, p: Parsed, name: string, dryRun: string, podSelector: ReturnType<typeof parseLabelSelector> | undefined): Promise<string[] | undefined> {
  const grace = Number(p.flags['grace-period']);
  const evicted: { def: typeof POD; obj: KObj }[] = [];
  let frozen = true;
  const failure = await withCluster(io, p, dryRun === 'none' ? 'write' : 'read', async (s): Promise<string[] | undefined> => {
    const c = s.cluster;
    frozen = c.state.clock.mode === 'frozen';
    const pods = c
      .listAll('pods')
      .filter((x) => x.spec?.nodeName === name && !['Succeeded', 'Failed'].includes(x.status?.phase) && !x.metadata.deletionTimestamp)
      .filter((x) => !podSelector || podSelector.matches(x.metadata.labels ?? {}));
    const fatal = new Map<string, string[]>();
    const warn = new Map<string, string[]>();
    const take: KObj[] = [];
    const add = (m: Map<string, string[]>, k: string, pod: KObj) => m.set(k, [...(m.get(k) ?? []), `${pod.metadata.namespace}/${pod.metadata.name}`]);
    for (const pod of pods) {
      const owner = pod.metadata.ownerReferences?.find((o: KObj) => o.controller !== false) ?? pod.metadata.ownerReferences?.[0];
      if (owner?.kind === 'Node' || pod.metadata.annotations?.['kubernetes.io/config.mirror']) continue;
      if (owner?.kind === 'DaemonSet') {
        if (bool(p, 'ignore-daemonsets')) add(warn, 'ignoring DaemonSet-managed Pods', pod);
        else add(fatal, DS_FATAL, pod);
        continue;
      }
      if (!owner) {
        if (bool(p, 'force')) add(warn, 'deleting Pods that declare no controller', pod);
        else {
          add(fatal, UNMANAGED_FATAL, pod);
          continue;
        }
      }
      if ((pod.spec.volumes ?? []).some((v: KObj) => v.emptyDir)) {
        if (bool(p, 'delete-emptydir-data')) add(warn, 'deleting Pods with local storage', pod);
        else {
          add(fatal, LOCAL_FATAL, pod);
          continue;
        }
      }
      take.push(pod);
    }
    if (fatal.size) {
      return [...fatal.entries()].map(([k, v]) => `cannot delete ${k}: ${v.join(', ')}`);
    }
    if (warn.size) io.stderr.write(`Warning: ${[...warn.entries()].map(([k, v]) => `${k}: ${v.join(', ')}`).join('; ')}\n`);
    if (dryRun !== 'none') {
      // kubectl lists what it would evict and changes nothing
      for (const pod of take) io.stdout.write(`evicting pod ${pod.metadata.namespace}/${pod.metadata.name} (dry run)\n`);
      return undefined;
    }
    for (const pod of take) io.stdout.write(`evicting pod ${pod.metadata.namespace}/${pod.metadata.name}\n`);
    for (const pod of take) {
      c.api.delete(POD, pod.metadata.namespace, pod.metadata.name, grace >= 0 ? { gracePeriodSeconds: grace } : {});
      evicted.push({ def: POD, obj: pod });
    }
    if (frozen) await settleFrozen(c, evicted as never, 10 * 60_000);
    return undefined;
  });
  if (failure !== undefined) return failure;
  if (!frozen && evicted.length) await waitGone(io, p, evicted as never);
  for (const e of evicted) io.stdout.write(`pod/${e.obj.metadata.name} evicted\n`);
  return undefined;
}
