// kubectl rollout undo (TYPE NAME | TYPE/NAME | -f FILE) [--to-revision=N] [--dry-run=…]
// (kubectl/pkg/cmd/rollout/rollout_undo.go, polymorphichelpers/rollback.go).
import { manifestArgs } from './files.js';
import { CliError } from '../api/errors.js';
import { equalIgnoreHash } from '../api/pod-template.js';
import type { KObj } from '../api/types.js';
import { podTemplateText } from '../printers/rollout.js';
import type { Found } from './builder.js';
import { int, parseFlags, type FlagSpec } from './flags.js';
import type { IO } from './io.js';
import { DRY_RUN_FLAG, dryRunMode, OUTPUT_FLAGS, printResult } from './output.js';
import { noViewerError, REVISION_ANNOTATION, revisionsOf, type Revision } from './rollout-revisions.js';
import { withCluster, type Session } from './session.js';
import { FILE_FLAGS, resolveTargets, SELECTOR_FLAG, serverMessage } from './workload-common.js';

const FLAGS: FlagSpec[] = [...OUTPUT_FLAGS, ...FILE_FLAGS, SELECTOR_FLAG, DRY_RUN_FLAG, { name: 'to-revision', type: 'int', default: 0 }];

/** Annotations a rollback keeps from the deployment rather than taking from the ReplicaSet. */
const SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);


export default async function rolloutUndo(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'rollout undo');
  if (!p.args.length && !manifestArgs(p).length) throw new CliError('required resource not specified');
  const dryRun = dryRunMode(p, io);
  const to = int(p, 'to-revision');
  return withCluster(io, p, dryRun === 'none' ? 'write' : 'read', async (s) => {
    const { items, errors } = await resolveTargets(io, p, s, p.args, { verb: 'rollout undo', requireNames: false });
    for (const f of items) {
      const revs = revisionsOf(s.cluster, f.obj);
      if (!revs) throw noViewerError(f.def, 'rollbacker');
      if (to < 0) throw new CliError(`unable to find specified revision ${to} in history`);
      const result = f.obj.kind === 'Deployment' ? rollbackDeployment(s, f, revs, to, dryRun) : rollbackHistory(s, f, revs, to, dryRun);
      await printResult(io, p, f, result, dryRun);
    }
    if (errors.length) throw errors[0];
    return 0;
  });
}

function rollbackDeployment(s: Session, f: Found, revs: Revision[], to: number, dryRun: string): string {
  const dep = s.cluster.api.get(f.def, f.obj.metadata.namespace, f.obj.metadata.name);
  let target: Revision | undefined;
  if (to > 0) {
    target = revs.find((r) => r.revision === to);
    if (!target) throw new CliError(`unable to find specified revision ${to} in history`);
  } else {
    // the second-highest revision (revision 0, an RS without the annotation, takes part as in kubectl)
    const sorted = [...revs].sort((a, b) => a.revision - b.revision);
    target = sorted.length > 1 ? sorted[sorted.length - 2] : undefined;
    if (!target) throw new CliError(`no rollout history found for deployment "${dep.metadata.name}"`);
  }
  if (dryRun === 'client') return podTemplateText(target.template, s.cluster.now());
  if (dep.spec?.paused) throw new CliError("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
  if (equalIgnoreHash(target.template, dep.spec?.template)) return `skipped rollback (current template already matches revision ${to})`;
  const template = structuredClone(target.template);
  if (template.metadata?.labels) delete template.metadata.labels['pod-template-hash'];
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries((dep.metadata.annotations ?? {}) as Record<string, string>)) if (SKIP.has(k)) annotations[k] = v;
  for (const [k, v] of Object.entries((target.source.metadata?.annotations ?? {}) as Record<string, string>)) if (!SKIP.has(k)) annotations[k] = v;
  dep.spec.template = template;
  dep.metadata.annotations = annotations;
  try {
    s.cluster.api.update(f.def, dep, { dryRun: dryRun === 'server' });
  } catch (e) {
    throw new CliError(`failed restoring revision ${to}: ${serverMessage(e, f.def)}`);
  }
  return 'rolled back';
}

function rollbackHistory(s: Session, f: Found, revs: Revision[], to: number, dryRun: string): string {
  if (to === 0 && revs.length <= 1) throw new CliError('no last revision to roll back to');
  const target = to === 0 ? revs[revs.length - 2] : revs.find((r) => r.revision === to);
  if (!target) throw new CliError(`unable to find specified revision ${to} in history`);
  if (dryRun === 'client') return `will roll back to ${podTemplateText(target.template, s.cluster.now())}`;
  const obj = s.cluster.api.get(f.def, f.obj.metadata.namespace, f.obj.metadata.name);
  if (equalIgnoreHash(target.template, obj.spec?.template)) return `skipped rollback (current template already matches revision ${to})`;
  obj.spec.template = structuredClone(target.template);
  try {
    s.cluster.api.update(f.def, obj, { dryRun: dryRun === 'server' });
  } catch (e) {
    throw new CliError(`failed restoring revision ${to}: ${serverMessage(e, f.def)}`);
  }
  return 'rolled back';
}
