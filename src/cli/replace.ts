// kubectl replace -f FILE|DIR|- [--force [--grace-period N] [--cascade] [--timeout]] [--save-config]:
// a full update (PUT) of each object in the file; --force deletes them, waits until they are gone and
// creates them anew.
import { CliError, StatusError } from '../api/errors.js';
import { kindPrefix, type KObj } from '../api/types.js';
import { parseDuration } from '../sim/clock.js';
import { aggregateText } from './aggregate.js';
import { LAST_APPLIED, withLastApplied } from './apply-annotation.js';
import { cascadePolicy } from './delete.js';
import { FILE_FLAGS, manifestArgs } from './files.js';
import { bool, int, list, parseFlags, str, type Parsed } from './flags.js';
import type { IO } from './io.js';
import { loadDocs, settleNamespace, VALIDATE_FLAG, validateMode, type Doc } from './objects.js';
import { checkMutatingOutput, DRY_RUN_FLAG, dryRunMode, OUTPUT_FLAGS, printResult } from './output.js';
import { withCluster } from './session.js';
import { checkSubresource, writeSubresource } from './subresource.js';
import { waitUntil } from './waiting.js';

const FLAGS = [
  ...OUTPUT_FLAGS,
  ...FILE_FLAGS,
  DRY_RUN_FLAG,
  VALIDATE_FLAG,
  { name: 'save-config', type: 'bool' as const, default: false },
  { name: 'field-manager', type: 'string' as const, default: 'kubectl-replace' },
  { name: 'force', type: 'bool' as const, default: false },
  { name: 'grace-period', type: 'int' as const, default: -1 },
  { name: 'cascade', type: 'string' as const, default: 'background', noOptDefault: 'background' },
  { name: 'timeout', type: 'duration' as const, default: '0s' },
  { name: 'wait', type: 'bool' as const, default: false },
  { name: 'raw', type: 'string' as const, default: '' },
  { name: 'subresource', type: 'string' as const, default: '' },
];

/** kubectl's CreateOrUpdateAnnotation: --save-config writes it, an object that has it gets it refreshed. */
function annotated(obj: KObj, save: boolean): KObj {
  return save || obj.metadata?.annotations?.[LAST_APPLIED] !== undefined ? withLastApplied(obj) : obj;
}

export default async function replace(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'replace');
  const files = manifestArgs(p);
  const force = bool(p, 'force');
  // kubectl turns --grace-period=0 into 1 (and waits for the deletion, as --force always does here)
  const grace = int(p, 'grace-period') === 0 ? 1 : int(p, 'grace-period');
  const timeoutText = str(p, 'timeout');
  const timeoutMs = parseDuration(timeoutText);
  if (timeoutMs === undefined) throw new CliError(`invalid argument "${timeoutText}" for "--timeout" flag: time: invalid duration "${timeoutText}"\nSee 'kubectl replace --help' for usage.`);
  // kubectl's Complete, in its order: --validate, --dry-run, -o, --cascade, then -f
  const mode = validateMode(str(p, 'validate'));
  const dryRun = dryRunMode(p, io);
  checkMutatingOutput(p);
  const cascade = cascadePolicy(p, io);
  if (!list(p, 'filename').length && !str(p, 'kustomize')) throw new CliError('must specify one of -f and -k');
  if (grace >= 0 && !force) throw new CliError('--grace-period must have --force specified');
  if (timeoutMs !== 0 && !force) throw new CliError('--timeout must have --force specified');
  if (force && dryRun !== 'none') throw new CliError('--dry-run can not be used when --force is set');
  if (str(p, 'raw')) throw new CliError('kubesim: --raw is not supported');
  const docs = await loadDocs(io, files, bool(p, 'recursive'), 'replacing', mode);
  if (force) return forceReplace(io, p, docs, { grace, cascade, timeoutMs: timeoutMs || 5 * 60_000 });
  const errors: unknown[] = [];
  await withCluster(io, p, dryRun === 'none' ? 'write' : 'read', async (s) => {
    for (const doc of docs) {
      try {
        if (doc.error) throw doc.error;
        settleNamespace(doc, s.namespace, s.namespaceExplicit);
        const obj = annotated(doc.obj!, bool(p, 'save-config'));
        if (!obj.metadata.name) throw new CliError('resource name may not be empty');
        if (dryRun === 'client') {
          await printResult(io, p, { def: doc.def!, obj }, 'replaced', dryRun);
          continue;
        }
        const sub = checkSubresource(doc.def!, str(p, 'subresource'));
        const result = sub
          ? writeSubresource(s.cluster.api, doc.def!, obj, sub, { dryRun: dryRun === 'server' })
          : s.cluster.api.update(doc.def!, obj, { dryRun: dryRun === 'server' });
        await printResult(io, p, { def: doc.def!, obj: result }, 'replaced', dryRun);
      } catch (e) {
        errors.push(sourced(e, doc));
      }
    }
  });
  io.stderr.write(aggregateText(errors));
  return errors.length ? 1 : 0;
}

/** kubectl's AddSourceToErr for `error when replacing "FILE": …`. */
function sourced(e: unknown, doc: Doc): unknown {
  if (e instanceof StatusError) return e.wrap(`error when replacing "${doc.source}": `);
  return e;
}

interface ForceOptions {
  grace: number;
  cascade: 'Background' | 'Foreground' | 'Orphan';
  timeoutMs: number;
}

/** Delete (what exists), wait until it is gone, create from the file. */
async function forceReplace(io: IO, p: Parsed, docs: Doc[], o: ForceOptions): Promise<number> {
  for (const d of docs) if (d.error) throw d.error;
  const targets = await withCluster(io, p, 'write', (s) => {
    const out: Doc[] = [];
    for (const d of docs) {
      settleNamespace(d, s.namespace, s.namespaceExplicit);
      const { def, obj } = d as Required<Pick<Doc, 'def' | 'obj'>>;
      // a missing object is fine (kubectl ignores NotFound here) and prints nothing
      if (!s.cluster.api.peek(def, obj.metadata.namespace, obj.metadata.name)) continue;
      s.cluster.api.delete(def, obj.metadata.namespace, obj.metadata.name, {
        gracePeriodSeconds: o.grace >= 0 ? o.grace : undefined,
        propagationPolicy: o.cascade,
      });
      if (str(p, 'output') === 'name') io.stdout.write(`${kindPrefix(def)}/${obj.metadata.name}\n`);
      else io.stdout.write(`${kindPrefix(def)} "${obj.metadata.name}" deleted\n`);
      out.push(d);
    }
    return out;
  });
  if (targets.length) {
    const gone = await waitUntil(io, p, {
      timeoutMs: o.timeoutMs,
      check: (c) => (targets.every((d) => !c.api.peek(d.def!, d.obj!.metadata.namespace, d.obj!.metadata.name)) ? true : undefined),
    });
    // wait.PollUntilContextTimeout's error
    if (gone.timedOut) throw new CliError('context deadline exceeded');
  }
  const errors: unknown[] = [];
  let count = 0;
  await withCluster(io, p, 'write', async (s) => {
    for (const doc of docs) {
      try {
        const obj = annotated(doc.obj!, bool(p, 'save-config'));
        const created = s.cluster.api.create(doc.def!, obj);
        count++;
        await printResult(io, p, { def: doc.def!, obj: created }, 'replaced', 'none');
      } catch (e) {
        errors.push(e);
      }
    }
  });
  io.stderr.write(aggregateText(errors));
  if (!errors.length && count === 0) throw new CliError('no objects passed to replace');
  return errors.length ? 1 : 0;
}
