// kubectl rollout history (TYPE NAME | TYPE/NAME | -f FILE) [--revision=N] [-o FORMAT]
// (kubectl/pkg/cmd/rollout/rollout_history.go, polymorphichelpers/history.go).
import { manifestArgs } from './files.js';
import { CliError } from '../api/errors.js';
import { resourceForKind } from '../api/registry.js';
import type { KObj } from '../api/types.js';
import { historyTable, podTemplateText } from '../printers/rollout.js';
import { int, parseFlags, str, type FlagSpec } from './flags.js';
import type { IO } from './io.js';
import { OUTPUT_FLAGS, printResult, printStructured } from './output.js';
import { appliedRevision, noViewerError, revisionsOf } from './rollout-revisions.js';
import { withCluster } from './session.js';
import { FILE_FLAGS, resolveTargets, SELECTOR_FLAG } from './workload-common.js';

const FLAGS: FlagSpec[] = [...OUTPUT_FLAGS, ...FILE_FLAGS, SELECTOR_FLAG, { name: 'revision', type: 'int', default: 0 }];

export default async function rolloutHistory(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'rollout history');
  if (!p.args.length && !manifestArgs(p).length) throw new CliError('required resource not specified');
  const revision = int(p, 'revision');
  if (revision < 0) throw new CliError(`revision must be a positive integer: ${revision}`);
  return withCluster(io, p, 'read', async (s) => {
    const { items, errors } = await resolveTargets(io, p, s, p.args, { verb: 'rollout history', requireNames: false });
    for (const f of items) {
      const revs = revisionsOf(s.cluster, f.obj);
      if (!revs) throw noViewerError(f.def, 'history viewer');
      if (str(p, 'output')) {
        // GetHistory: the ReplicaSets, or the owner as each ControllerRevision left it
        const objs = (revision > 0 ? revs.filter((r) => r.revision === revision) : revs).map((r) => historyObject(f.obj, r.source));
        for (const obj of objs) await printStructured(io, p, [{ def: resourceForKind(obj.apiVersion, obj.kind) ?? f.def, obj }], true);
        continue;
      }
      let text: string;
      if (!revs.length) text = 'No rollout history found.';
      else if (revision > 0) {
        const r = revs.find((x) => x.revision === revision);
        if (!r) throw new CliError('unable to find the specified revision');
        text = podTemplateText(withChangeCause(r.template, r.changeCause), s.cluster.now());
      } else text = historyTable(revs);
      await printResult(io, p, f, `${revision > 0 ? `with revision #${revision}` : ''}\n${text}`, 'none');
    }
    if (errors.length) throw errors[0];
    return 0;
  });
}

function historyObject(owner: KObj, source: KObj): KObj {
  return source.kind === 'ControllerRevision' ? appliedRevision(owner, source) : source;
}

/** The deployment viewer puts the ReplicaSet's change-cause on the template it prints. */
function withChangeCause(template: KObj, cause: string | undefined): KObj {
  if (!cause) return template;
  const t = structuredClone(template);
  t.metadata = { ...(t.metadata ?? {}), annotations: { ...(t.metadata?.annotations ?? {}), 'kubernetes.io/change-cause': cause } };
  return t;
}
