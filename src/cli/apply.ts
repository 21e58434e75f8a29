// kubectl apply -f FILE|DIR|- : client-side apply with the last-applied annotation and a three-way merge.
import { CliError, formatError, StatusError } from '../api/errors.js';
import { qualifiedResource } from '../api/types.js';
import { LAST_APPLIED, withLastApplied } from './apply-annotation.js';
import { FILE_FLAGS } from './files.js';
import { bool, list, parseFlags, str } from './flags.js';
import type { IO } from './io.js';
import { loadDocs, settleNamespace, VALIDATE_FLAG, validateMode } from './objects.js';
import { DRY_RUN_FLAG, dryRunMode, OUTPUT_FLAGS, printResult } from './output.js';
import { withCluster } from './session.js';

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
  { name: 'timeout', type: 'string' as const, default: '0s' },
  { name: 'cascade', type: 'string' as const, default: 'background' },
  { name: 'openapi-patch', type: 'bool' as const, default: true },
];

export default async function apply(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'apply');
  const files = list(p, 'filename');
  if (!files.length && !str(p, 'kustomize')) {
    throw new CliError("error: must specify one of -f and -k\nSee 'kubectl apply -h' for help and examples", 1, true);
  }
  if (p.args.length) throw new CliError(`Unexpected args: [${p.args.join(' ')}]\nSee 'kubectl apply -h' for help and examples`, 1, true);
  const dryRun = dryRunMode(p, io);
  const serverSide = bool(p, 'server-side');
  const docs = await loadDocs(io, files, bool(p, 'recursive'), 'creating', validateMode(str(p, 'validate')));
  const patch = await import('../api/patch/index.js');
  let failed = false;
  await withCluster(io, p, 'write', async (s) => {
    const api = s.cluster.api;
    for (const doc of docs) {
      let verb = 'creating';
      try {
        if (doc.error) throw doc.error;
        settleNamespace(doc, s.namespace, s.namespaceExplicit);
        const def = doc.def!;
        const obj = doc.obj!;
        const name = obj.metadata?.name;
        if (!name) {
          throw new CliError(
            `error when retrieving current configuration of:\nResource: "${def.group}/${def.version}, Resource=${def.plural}", GroupVersionKind: "${def.group}/${def.version}, Kind=${def.kind}"\nName: "", Namespace: "${obj.metadata?.namespace ?? ''}"\nfrom server for: "${doc.source}": resource name may not be empty`,
          );
        }
        const current = api.peek(def, obj.metadata.namespace, name);
        const modified = serverSide ? obj : withLastApplied(obj);
        if (!current) {
          const created = dryRun === 'client' ? modified : api.create(def, modified, { dryRun: dryRun === 'server' });
          await printResult(io, p, { def, obj: created }, serverSide ? 'serverside-applied' : 'created', dryRun);
          continue;
        }
        verb = 'patching';
        const lastText = current.metadata.annotations?.[LAST_APPLIED];
        if (!lastText && !serverSide) {
          io.stderr.write(
            `Warning: resource ${qualifiedResource(def)}/${name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n`,
          );
        }
        let original: Record<string, unknown> = {};
        try {
          original = lastText ? JSON.parse(lastText) : {};
        } catch {
          original = {};
        }
        const delta = patch.createThreeWayMergePatch(original, modified, current, def.kind);
        if (!delta || Object.keys(delta).length === 0) {
          await printResult(io, p, { def, obj: current }, serverSide ? 'serverside-applied' : 'unchanged', dryRun);
          continue;
        }
        const merged = patch.strategicMergePatch(current, delta, def.kind);
        const result = dryRun === 'client' ? merged : api.update(def, merged, { dryRun: dryRun === 'server' });
        await printResult(io, p, { def, obj: result }, serverSide ? 'serverside-applied' : 'configured', dryRun);
      } catch (e) {
        failed = true;
        const err = e instanceof StatusError ? e.wrap(`error when ${verb} "${doc.source}": `) : e;
        io.stderr.write(`${formatError(err)}\n`);
      }
    }
  });
  return failed ? 1 : 0;
}
