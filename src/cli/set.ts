// kubectl set image | env | resources | selector | serviceaccount (kubectl/pkg/cmd/set/*.go): each
// changes objects through one runner, as kubectl's CalculatePatches does: an object the change
// leaves as it was is skipped silently, a client dry run or --local prints the changed object,
// otherwise it is written and printed with the subcommand's operation (`image updated`).
import { jsonEqual } from '../api/equal.js';
import { CliError } from '../api/errors.js';
import type { KObj } from '../api/types.js';
import type { Cluster } from '../sim/engine.js';
import { NO_RESOURCES } from './common.js';
import type { Found } from './builder.js';
import { bool, str, type FlagSpec, type Parsed } from './flags.js';
import { firstWord, helpText } from './help/entry.js';
import type { IO } from './io.js';
import { readManifests, manifestArgs } from './files.js';
import { resourceForKind } from '../api/registry.js';
import { DRY_RUN_FLAG, dryRunMode, OUTPUT_FLAGS, printResult } from './output.js';
import { withCluster } from './session.js';
import { aggregateError, FILE_FLAGS, RECORD_FLAG, record, recordedCommand, resolveTargets, SELECTOR_FLAG, serverMessage } from './workload-common.js';

export const SET_FLAGS: FlagSpec[] = [
  ...OUTPUT_FLAGS,
  ...FILE_FLAGS,
  DRY_RUN_FLAG,
  SELECTOR_FLAG,
  { name: 'all', type: 'bool', default: false },
  { name: 'local', type: 'bool', default: false },
  { name: 'field-manager', type: 'string', default: 'kubectl-set' },
  RECORD_FLAG,
];

/** An error of the change itself: kubectl prints `error: <resource>/<name> <message>` for it. */
export class ChangeError extends Error {}

export interface SetRun {
  verb: string;
  operation: string;
  /** the prefix of a failed write (`failed to patch image update to pod template: `) */
  patchFailure: string;
  /** changes `obj` in place; throws ChangeError for the object, pushes other errors to `errs` */
  mutate(obj: KObj, errs: Error[], f: Found, cluster?: Cluster): void | Promise<void>;
  /** the arguments and flags as given, for --record's change-cause */
  argv?: string[];
  flags?: FlagSpec[];
  /** print the object even when the change left it as it was (set serviceaccount, set selector) */
  alwaysPrint?: boolean;
  /** checks made once the objects are found (kubectl's Validate after Complete's builder) */
  validate?(): void | Promise<void>;
}

const SUBS: Record<string, () => Promise<(argv: string[], io: IO) => Promise<number>>> = {
  image: async () => (await import('./set-pod.js')).setImage,
  env: async () => (await import('./set-env.js')).default,
  resources: async () => (await import('./set-pod.js')).setResources,
  selector: async () => (await import('./set-pod.js')).setSelector,
  serviceaccount: async () => (await import('./set-pod.js')).setServiceAccount,
  sa: async () => (await import('./set-pod.js')).setServiceAccount,
};

export default async function set(argv: string[], io: IO): Promise<number> {
  // the subcommand is the first word cobra's stripFlags leaves (dispatch has answered a missing one)
  const i = firstWord(argv);
  const word = i >= 0 ? argv[i] : undefined;
  if (word === undefined) {
    io.stderr.write(helpText('set', undefined, io) ?? '');
    return 1;
  }
  const load = SUBS[word];
  if (!load) throw new CliError(`error: unknown command "${word}"\nSee 'kubectl set -h' for help and examples`, 1, true);
  return (await load())([...argv.slice(0, i), ...argv.slice(i + 1)], io);
}

/** kubectl's common checks of the set subcommands (Validate). */
export function checkSetFlags(p: Parsed, io: IO): 'none' | 'client' | 'server' {
  const dryRun = dryRunMode(p, io);
  if (bool(p, 'local') && dryRun === 'server') throw new CliError('cannot specify --local and --dry-run=server - did you mean --dry-run=client?');
  return dryRun;
}

/** Runs a set subcommand over the resources named by `resources`, -f, -l and --all. */
export async function runSet(io: IO, p: Parsed, resources: string[], run: SetRun, dryRun: 'none' | 'client' | 'server'): Promise<number> {
  for (const w of p.warnings) io.stderr.write(`${w}\n`);
  const local = bool(p, 'local');
  const errs: Error[] = [];
  const visit = async (items: Found[], write: ((f: Found, obj: KObj) => KObj) | undefined, cluster?: Cluster) => {
    for (const f of items) {
      const obj = structuredClone(f.obj);
      try {
        await run.mutate(obj, errs, f, cluster);
      } catch (e) {
        if (!(e instanceof ChangeError)) throw e;
        errs.push(new Error(`error: ${f.def.plural}/${f.obj.metadata.name} ${e.message}\n`));
        continue;
      }
      if (!run.alwaysPrint && jsonEqual(obj, f.obj)) continue;
      record(obj, p, () => recordedCommand(['set', run.verb], run.argv ?? [], run.flags ?? SET_FLAGS, p));
      if (!write) {
        await printResult(io, p, { def: f.def, obj }, run.operation, dryRun === 'client' ? 'client' : 'none', { typed: true });
        continue;
      }
      try {
        await printResult(io, p, { def: f.def, obj: write(f, obj) }, run.operation, dryRun, { typed: true });
      } catch (e) {
        errs.push(new Error(`${run.patchFailure}${serverMessage(e, f.def)}`));
      }
    }
  };
  if (local) {
    if (resources.some((r) => r.includes('/')) || (resources.length && !manifestArgs(p).length)) {
      throw new CliError('error: you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   \'-f rsrc.yaml\'\n   \'--filename=rsrc.json\'', 1, true);
    }
    // the files as they are: no server, no defaults, no namespace added
    const docs = await readManifests(io, manifestArgs(p), bool(p, 'recursive'), false);
    const items: Found[] = [];
    for (const d of docs) {
      const def = d.obj ? resourceForKind(d.obj.apiVersion ?? '', d.obj.kind ?? '') : undefined;
      if (d.error || !def) {
        errs.push(d.error ?? new CliError(`no matches for kind "${d.obj?.kind}" in version "${d.obj?.apiVersion}"`));
        continue;
      }
      items.push({ def, obj: d.obj! });
    }
    await run.validate?.();
    await visit(items, undefined);
  } else {
    await withCluster(io, p, dryRun === 'none' ? 'write' : 'read', async (s) => {
      if (!resources.length && !manifestArgs(p).length) throw new CliError(NO_RESOURCES);
      // the builder's errors end the command before anything changes (Complete's Infos())
      const { items, errors } = await resolveTargets(io, p, s, resources, { verb: `set ${run.verb}`, all: bool(p, 'all') });
      const failed = aggregateError(errors);
      if (failed) throw failed;
      await run.validate?.();
      await visit(items, dryRun === 'client' ? undefined : (f, obj) => s.cluster.api.update(f.def, obj, { dryRun: dryRun === 'server' }), s.cluster);
    });
  }
  const err = aggregateError(errs);
  if (err) throw err;
  return 0;
}
