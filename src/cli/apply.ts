// kubectl apply -f FILE|DIR|- : client-side apply with the last-applied annotation and a three-way merge.
import { CliError, formatError, StatusError } from '../api/errors.js';
import { applyMerge, emptyNameError } from './apply-merge.js';
import { FILE_FLAGS, manifestArgs } from './files.js';
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
  const files = manifestArgs(p);
  if (!files.length && !str(p, 'kustomize')) {
    throw new CliError("error: must specify one of -f and -k\nSee 'kubectl apply -h' for help and examples", 1, true);
  }
  if (p.args.length) throw new CliError(`Unexpected args: [${p.args.join(' ')}]\nSee 'kubectl apply -h' for help and examples`, 1, true);
  const dryRun = dryRunMode(p, io);
  const serverSide = bool(p, 'server-side');
  const docs = await loadDocs(io, files, bool(p, 'recursive'), 'creating', validateMode(str(p, 'validate')));
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
        if (!obj.metadata?.name) throw emptyNameError(def, obj, doc.source);
        if (api.peek(def, obj.metadata.namespace, obj.metadata.name)) verb = 'patching';
        const out = await applyMerge(api, def, obj, { dryRun, serverSide, warn: (t) => io.stderr.write(t) });
        await printResult(io, p, { def, obj: out.obj }, serverSide ? 'serverside-applied' : out.op, dryRun);
      } catch (e) {
        failed = true;
        const err = e instanceof StatusError ? e.wrap(`error when ${verb} "${doc.source}": `) : e;
        io.stderr.write(`${formatError(err)}\n`);
      }
    }
  });
  return failed ? 1 : 0;
}
