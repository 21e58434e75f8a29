// kubectl delete (TYPE NAME… | TYPE/NAME | -f | -l | --all) [--grace-period] [--force] [--now] [--wait]
import { CliError, formatError, StatusError } from '../api/errors.js';
import type { PropagationPolicy } from '../api/server.js';
import { resourceForKind } from '../api/registry.js';
import { kindPrefix } from '../api/types.js';
import type { Cluster } from '../sim/engine.js';
import { NO_RESOURCES } from './common.js';
import { parseResourceArgs, resolveSelections, type Found, type Selection } from './builder.js';
import { FILE_FLAGS, manifestArgs, readManifests } from './files.js';
import { bool, int, list, parseFlags, str, type Parsed } from './flags.js';
import type { IO } from './io.js';
import { DRY_RUN_FLAG, dryRunMode } from './output.js';
import { selectorFilters } from './selectors.js';
import { withCluster } from './session.js';
import { advanceUntil, waitUntil } from './waiting.js';

const FLAGS = [
  ...FILE_FLAGS,
  DRY_RUN_FLAG,
  { name: 'output', short: 'o', type: 'string' as const, default: '' },
  { name: 'all', type: 'bool' as const, default: false },
  { name: 'all-namespaces', short: 'A', type: 'bool' as const, default: false },
  { name: 'selector', short: 'l', type: 'string' as const, default: '' },
  { name: 'field-selector', type: 'string' as const, default: '' },
  { name: 'grace-period', type: 'int' as const, default: -1 },
  { name: 'force', type: 'bool' as const, default: false },
  { name: 'now', type: 'bool' as const, default: false },
  { name: 'wait', type: 'bool' as const, default: true },
  { name: 'timeout', type: 'duration' as const, default: '0s' },
  { name: 'ignore-not-found', type: 'bool' as const, default: false },
  { name: 'cascade', type: 'string' as const, default: 'background', noOptDefault: 'background' },
  { name: 'interactive', short: 'i', type: 'bool' as const, default: false },
  { name: 'raw', type: 'string' as const, default: '' },
];

/** kubectl's grace-period rules: --now = 1, --force alone = 0, 0 without --force = 1. */
function gracePeriod(p: Parsed): number | undefined {
  let g = int(p, 'grace-period');
  const force = bool(p, 'force');
  if (bool(p, 'now')) {
    if (g !== -1) throw new CliError('--now and --grace-period cannot be specified together');
    g = 1;
  }
  if (force && g > 0) throw new CliError('--force and --grace-period greater than 0 cannot be specified together');
  if (force && g < 0) g = 0;
  if (!force && g === 0) g = 1;
  return g < 0 ? undefined : g;
}

async function gather(io: IO, p: Parsed): Promise<{ sels: Selection[]; namespaces: (string | undefined)[]; errors: Error[] }> {
  const files = manifestArgs(p);
  if (files.length) {
    const docs = await readManifests(io, files, bool(p, 'recursive'));
    const sels: Selection[] = [];
    const namespaces: (string | undefined)[] = [];
    const errors: Error[] = [];
    for (const d of docs) {
      if (d.error) {
        errors.push(d.error);
        continue;
      }
      const def = resourceForKind(d.obj!.apiVersion ?? '', d.obj!.kind ?? '');
      if (!def) {
        errors.push(new CliError(`resource mapping not found for name: "${d.obj!.metadata?.name ?? ''}" namespace: "${d.obj!.metadata?.namespace ?? ''}" from "${d.source}": no matches for kind "${d.obj!.kind}" in version "${d.obj!.apiVersion}"\nensure CRDs are installed first`));
        continue;
      }
      sels.push({ def, names: [d.obj!.metadata?.name ?? ''] });
      namespaces.push(d.obj!.metadata?.namespace);
    }
    return { sels, namespaces, errors };
  }
  if (p.args.length === 0) throw new CliError(NO_RESOURCES);
  const sels = parseResourceArgs(p.args, 'delete');
  const selecting = bool(p, 'all') || str(p, 'selector') || str(p, 'field-selector');
  if (!selecting && sels.some((s) => !s.names)) throw new CliError('resource(s) were provided, but no name was specified');
  if (selecting && sels.some((s) => s.names)) {
    throw new CliError("name cannot be provided when a selector is specified");
  }
  return { sels, namespaces: sels.map(() => undefined), errors: [] };
}

/** kubectl's --cascade values (booleans are deprecated spellings of background and orphan). */
export function cascadePolicy(p: Parsed, io: IO): PropagationPolicy {
  const v = str(p, 'cascade');
  const named: Record<string, PropagationPolicy> = { orphan: 'Orphan', foreground: 'Foreground', background: 'Background' };
  if (named[v]) return named[v];
  const bools: Record<string, boolean> = { '1': true, t: true, T: true, true: true, TRUE: true, True: true, '0': false, f: false, F: false, false: false, FALSE: false, False: false };
  if (!(v in bools)) throw new CliError(`invalid cascade value (${v}). Must be "background", "foreground", or "orphan"`);
  const to = bools[v] ? 'background' : 'orphan';
  io.stderr.write(`warning: --cascade=${v} is deprecated (boolean value) and can be replaced with --cascade=${to}.\n`);
  return bools[v] ? 'Background' : 'Orphan';
}

/** With a frozen clock, deletion runs the simulation forward until the objects are gone. */
const stillThere = (o: { metadata?: { uid?: string } } | undefined, f: Found) => Boolean(o) && (!f.obj.metadata.uid || o!.metadata?.uid === f.obj.metadata.uid);

/** Runs a frozen clock forward until the deleted objects are gone (or the limit); returns those left. */
export async function settleFrozen(c: Cluster, gone: Found[], limitMs: number): Promise<Found[]> {
  // kubectl waits on the deleted object's uid: a controller's replacement of the same name (a
  // StatefulSet's pod) does not keep it waiting
  const remaining = () => gone.filter((f) => stillThere(c.api.peek(f.def, f.obj.metadata.namespace, f.obj.metadata.name), f));
  await advanceUntil(c, () => (remaining().length ? undefined : true), limitMs);
  return remaining();
}

/** What kubectl's wait for the deletion says of an object still there when it gives up. */
function deletionTimeout(f: Found): CliError {
  return new CliError(`timed out waiting for the condition on ${f.def.plural}/${f.obj.metadata.name}`);
}

/** kubectl delete --interactive's question; the first word read must be y or Y. */
async function confirmed(io: IO, items: Found[]): Promise<boolean> {
  io.stdout.write(`You are about to delete the following ${items.length} resource(s):\n`);
  for (const { def, obj } of items) io.stdout.write(`${def.kind.toLowerCase()}${def.group ? `.${def.group}` : ''}/${obj.metadata.name}\n`);
  io.stdout.write('Do you want to continue? (y/n): ');
  const word = (await io.readStdin()).trim().split(/\s+/)[0] ?? '';
  return word.toLowerCase() === 'y';
}

export default async function del(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'delete');
  const grace = gracePeriod(p);
  const propagationPolicy = cascadePolicy(p, io);
  const dryRun = dryRunMode(p, io);
  const { sels, namespaces, errors } = await gather(io, p);
  const filters = await selectorFilters(p);
  const force = bool(p, 'force') && grace === 0;
  if (force && dryRun === 'none') {
    io.stderr.write('Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n');
  }
  const waitFor: Found[] = [];
  let frozen = true;
  const code = await withCluster(io, p, 'write', async (s) => {
    const items: Found[] = [];
    sels.forEach((sel, i) => {
      const r = resolveSelections(s.cluster, [sel], {
        namespace: namespaces[i] ?? s.namespace,
        allNamespaces: bool(p, 'all-namespaces'),
        ...filters,
      });
      items.push(...r.items);
      for (const e of r.errors) {
        if (!(bool(p, 'ignore-not-found') && e instanceof StatusError && e.reason === 'NotFound')) errors.push(e);
      }
    });
    // (files that hold no object are found nothing in, as kubectl's DeleteResult counts)
    const selecting = bool(p, 'all') || str(p, 'selector') || str(p, 'field-selector') || manifestArgs(p).length > 0;
    if (!items.length && selecting && !errors.length) {
      io.stdout.write('No resources found\n');
      return 0;
    }
    if (bool(p, 'interactive')) {
      // kubectl lists what it would delete and goes on only on y (its preview stops at an error)
      if (errors.length) return 1;
      if (!items.length) {
        io.stdout.write('No resources found\n');
        return 0;
      }
      if (!(await confirmed(io, items))) {
        io.stdout.write('deletion is cancelled\n');
        return 0;
      }
    }
    for (const it of items) {
      const { def, obj } = it;
      try {
        s.cluster.api.delete(def, obj.metadata.namespace, obj.metadata.name, {
          gracePeriodSeconds: grace,
          propagationPolicy,
          dryRun: dryRun !== 'none',
        });
      } catch (e) {
        errors.push(e as Error);
        continue;
      }
      if (str(p, 'output') === 'name') io.stdout.write(`${kindPrefix(def)}/${obj.metadata.name}\n`);
      else {
        const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
        io.stdout.write(`${kindPrefix(def)} "${obj.metadata.name}" ${force ? 'force deleted' : 'deleted'}${suffix}\n`);
      }
      if (dryRun === 'none') waitFor.push(it);
    }
    frozen = s.cluster.state.clock.mode === 'frozen';
    // kubectl waits up to a week; a frozen clock is run forward ten minutes at most
    if (bool(p, 'wait') && frozen && waitFor.length) for (const f of await settleFrozen(s.cluster, waitFor, 10 * 60_000)) errors.push(deletionTimeout(f));
    return 0;
  });
  if (bool(p, 'wait') && !frozen && waitFor.length) for (const f of await waitGone(io, p, waitFor)) errors.push(deletionTimeout(f));
  for (const e of errors) io.stderr.write(`${formatError(e)}\n`);
  return errors.length ? 1 : code;
}

/** Following wall time: wait until the deleted objects are gone. */
export async function waitGone(io: IO, p: Parsed, items: Found[]): Promise<Found[]> {
  let left: Found[] = items;
  await waitUntil(io, p, {
    check: (c) => {
      left = items.filter((f) => stillThere(c.api.peek(f.def, f.obj.metadata.namespace, f.obj.metadata.name), f));
      return left.length ? undefined : true;
    },
    timeoutMs: 10 * 60_000,
  });
  return left;
}
