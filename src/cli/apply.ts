// kubectl apply -f FILE|DIR|- : client-side apply with the last-applied annotation and a three-way merge.
import { CliError, formatError, StatusError } from '../api/errors.js';
import { applyMerge, emptyNameError } from './apply-merge.js';
import { FILE_FLAGS, manifestArgs } from './files.js';
import { parseLabelSelector } from '../api/selectors.js';
import { pruneAfterApply } from './apply-prune.js';
import { pruneResources } from './diff-prune.js';
import { bool, list, parseFlags, str, type Parsed } from './flags.js';
import type { IO } from './io.js';
import { loadDocs, settleNamespace, VALIDATE_FLAG, validateMode } from './objects.js';
import { DRY_RUN_FLAG, dryRunMode, OUTPUT_FLAGS, printResult } from './output.js';
import { withCluster } from './session.js';
import { RECORD_FLAG, record, recordedCommand } from './workload-common.js';

const FLAGS = [
  ...OUTPUT_FLAGS,
  ...FILE_FLAGS,
  DRY_RUN_FLAG,
  VALIDATE_FLAG,
  { name: 'server-side', type: 'bool' as const, default: false },
  { name: 'force-conflicts', type: 'bool' as const, default: false },
  { name: 'field-manager', type: 'string' as const, default: 'kubectl-client-side-apply' },
  { name: 'prune', type: 'bool' as const, default: false },
  { name: 'selector', short: 'l', type: 'string' as const, default: '' },
  { name: 'all', type: 'bool' as const, default: false },
  { name: 'overwrite', type: 'bool' as const, default: true },
  { name: 'force', type: 'bool' as const, default: false },
  { name: 'grace-period', type: 'int' as const, default: -1 },
  { name: 'wait', type: 'bool' as const, default: false },
  { name: 'timeout', type: 'duration' as const, default: '0s' },
  { name: 'cascade', type: 'string' as const, default: 'background', noOptDefault: 'background' },
  { name: 'openapi-patch', type: 'bool' as const, default: true },
  { name: 'prune-allowlist', type: 'stringArray' as const, default: [] as string[] },
  { name: 'subresource', type: 'string' as const, default: '' },
  RECORD_FLAG,
];

/** kubectl's ApplyOptions.Validate, in its order. */
function validate(p: Parsed, dryRun: string): void {
  const serverSide = bool(p, 'server-side');
  const force = bool(p, 'force');
  if (bool(p, 'force-conflicts') && !serverSide) throw new CliError('--force-conflicts only works with --server-side');
  if (dryRun === 'client' && serverSide) throw new CliError("--dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)");
  if (serverSide && force) throw new CliError('--force cannot be used with --server-side');
  if (dryRun === 'server' && force) throw new CliError('--dry-run=server cannot be used with --force');
  if (bool(p, 'all') && str(p, 'selector')) throw new CliError('cannot set --all and --selector at the same time');
  if (bool(p, 'prune')) {
    if (force) throw new CliError('--force cannot be used with --prune');
    if (!bool(p, 'all') && !str(p, 'selector')) {
      throw new CliError('all resources selected for prune without explicitly passing --all. To prune all resources, pass the --all flag. If you did not mean to prune all resources, specify a label selector');
    }
    if (serverSide) throw new CliError("--prune is in alpha and doesn't currently work on objects created by server-side apply");
  }
  if (str(p, 'subresource') && !serverSide) throw new CliError('--subresource can only be specified for --server-side');
}

export default async function apply(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'apply');
  for (const w of p.warnings) io.stderr.write(`${w}\n`);
  const files = manifestArgs(p);
  if (!files.length && !str(p, 'kustomize')) {
    throw new CliError("error: must specify one of -f and -k\nSee 'kubectl apply -h' for help and examples", 1, true);
  }
  if (p.args.length) throw new CliError(`Unexpected args: [${p.args.join(' ')}]\nSee 'kubectl apply -h' for help and examples`, 1, true);
  const dryRun = dryRunMode(p, io);
  const serverSide = bool(p, 'server-side');
  const prune = bool(p, 'prune') ? pruneResources(list(p, 'prune-allowlist')) : undefined;
  validate(p, dryRun);
  const selector = str(p, 'selector') ? parseLabelSelector(str(p, 'selector')) : undefined;
  const docs = await loadDocs(io, files, bool(p, 'recursive'), 'creating', validateMode(str(p, 'validate')));
  if (!docs.some((d) => d.error || !selector || selector.matches(d.obj?.metadata?.labels))) throw new CliError('no objects passed to apply');
  let failed = false;
  await withCluster(io, p, 'write', async (s) => {
    const api = s.cluster.api;
    const visitedNamespaces = new Set<string>(s.namespaceExplicit ? [s.namespace] : []);
    const visitedUids = new Set<string>();
    for (const doc of docs) {
      let verb = 'creating';
      try {
        if (doc.error) throw doc.error;
        // -l keeps the file's objects whose labels match
        if (selector && !selector.matches(doc.obj!.metadata?.labels)) continue;
        settleNamespace(doc, s.namespace, s.namespaceExplicit);
        const def = doc.def!;
        const obj = doc.obj!;
        if (!obj.metadata?.name) throw emptyNameError(def, obj, doc.source);
        record(obj, p, () => recordedCommand(['apply'], argv, FLAGS, p));
        if (api.peek(def, obj.metadata.namespace, obj.metadata.name)) verb = 'patching';
        const out = await applyMerge(api, def, obj, { dryRun, serverSide, warn: (t) => io.stderr.write(t) });
        if (def.namespaced) visitedNamespaces.add(obj.metadata.namespace);
        if (out.obj.metadata?.uid) visitedUids.add(out.obj.metadata.uid);
        await printResult(io, p, { def, obj: out.obj }, serverSide ? 'serverside-applied' : out.op, dryRun);
      } catch (e) {
        failed = true;
        const err = e instanceof StatusError ? e.wrap(`error when ${verb} "${doc.source}": `) : e;
        io.stderr.write(`${formatError(err)}\n`);
      }
    }
    // kubectl prunes only when every object applied
    if (prune && !failed) await pruneAfterApply(io, p, s.cluster, prune, { namespaces: visitedNamespaces, uids: visitedUids, selector, dryRun });
  });
  return failed ? 1 : 0;
}
