// kubectl drain NODE [--ignore-daemonsets] [--delete-emptydir-data] [--force] [--grace-period N]:
// cordons the node, refuses (with kubectl's texts) pods it may not evict, evicts the rest and waits
// until they are gone (in simulated time when the clock is frozen); --pod-selector narrows the pods,
// --dry-run lists what would be evicted and changes nothing.
import { CliError } from '../api/errors.js';
import { parseLabelSelector } from '../api/selectors.js';
import type { KObj } from '../api/types.js';
import { POD } from '../sim/keys.js';
import { settleFrozen, waitGone } from './delete.js';
import { bool, parseFlags, str } from './flags.js';
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
  if (p.args.length !== 1) throw usageError('drain', 'USAGE: drain NODE [flags]');
  const dryRun = dryRunMode(p, io);
  const podSelector = str(p, 'pod-selector') ? parsePodSelector(str(p, 'pod-selector')) : undefined;
  const name = nodeArgs(p.args)[0];
  const grace = Number(p.flags['grace-period']);
  const evicted: { def: typeof POD; obj: KObj }[] = [];
  let frozen = true;
  const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
  const code = await withCluster(io, p, dryRun === 'none' ? 'write' : 'read', async (s) => {
    const c = s.cluster;
    frozen = c.state.clock.mode === 'frozen';
    const changed = dryRun === 'none' ? setUnschedulable(c, name, true) : !getNode(c, name).spec?.unschedulable;
    io.stdout.write(`node/${name} ${changed ? '' : 'already '}cordoned${suffix}\n`);
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
      const errs = [...fatal.entries()].map(([k, v]) => `cannot delete ${k}: ${v.join(', ')}`);
      const joined = errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
      io.stderr.write(`error: unable to drain node "${name}" due to error: ${joined}, continuing command...\n`);
      io.stderr.write(`There are pending nodes to be drained:\n ${name}\n${errs.join('\n')}\n`);
      return 1;
    }
    if (warn.size) io.stderr.write(`Warning: ${[...warn.entries()].map(([k, v]) => `${k}: ${v.join(', ')}`).join('; ')}\n`);
    if (dryRun !== 'none') {
      // kubectl lists what it would evict and changes nothing
      for (const pod of take) io.stdout.write(`evicting pod ${pod.metadata.namespace}/${pod.metadata.name} (dry run)\n`);
      return 0;
    }
    for (const pod of take) io.stdout.write(`evicting pod ${pod.metadata.namespace}/${pod.metadata.name}\n`);
    for (const pod of take) {
      c.api.delete(POD, pod.metadata.namespace, pod.metadata.name, grace >= 0 ? { gracePeriodSeconds: grace } : {});
      evicted.push({ def: POD, obj: pod });
    }
    if (frozen) await settleFrozen(c, evicted as never, 10 * 60_000);
    return 0;
  });
  if (code !== 0) return code;
  if (!frozen && evicted.length) await waitGone(io, p, evicted as never);
  for (const e of evicted) io.stdout.write(`pod/${e.obj.metadata.name} evicted\n`);
  io.stdout.write(`node/${name} drained${suffix}\n`);
  return 0;
}
