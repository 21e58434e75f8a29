// kubectl scale [--resource-version=V] [--current-replicas=N] --replicas=N (-f FILE | TYPE NAME | TYPE -l SEL | TYPE --all)
// (kubectl/pkg/cmd/scale/scale.go and pkg/scale/scale.go: a merge patch of the scale subresource,
// preconditions read from it first, the object printed as it was read, `scaled`).
import { NO_RESOURCES } from './common.js';
import { manifestArgs } from './files.js';
import { CliError, StatusError } from '../api/errors.js';
import type { Found } from './builder.js';
import { bool, int, parseFlags, str, type FlagSpec } from './flags.js';
import type { IO } from './io.js';
import { DRY_RUN_FLAG, dryRunMode, OUTPUT_FLAGS, printResult } from './output.js';
import { withCluster, type Session } from './session.js';
import { waitUntil } from './waiting.js';
import { FILE_FLAGS, goDurationFlag, RECORD_FLAG, record, recordedCommand, requiredFlagMissing, resolveTargets, SELECTOR_FLAG } from './workload-common.js';

const FLAGS: FlagSpec[] = [
  ...OUTPUT_FLAGS,
  ...FILE_FLAGS,
  DRY_RUN_FLAG,
  SELECTOR_FLAG,
  { name: 'all', type: 'bool', default: false },
  { name: 'resource-version', type: 'string', default: '' },
  { name: 'current-replicas', type: 'int', default: -1 },
  { name: 'replicas', type: 'int', default: 0 },
  { name: 'timeout', type: 'duration', default: '0s' },
  RECORD_FLAG,
];

/** Kinds served with a scale subresource (apps/v1 and the core group). */
const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']);

export default async function scale(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'scale');
  for (const w of p.warnings) io.stderr.write(`${w}\n`);
  if (!p.changed.has('replicas')) return requiredFlagMissing(io, 'replicas');
  const timeoutMs = goDurationFlag(p, 'timeout', 'scale');
  const dryRun = dryRunMode(p, io);
  const replicas = int(p, 'replicas');
  const current = int(p, 'current-replicas');
  if (replicas < 0) throw new CliError('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  if (current < -1) throw new CliError('The --current-replicas must specify an integer of -1 or greater');
  if (!p.args.length && !manifestArgs(p).length) throw new CliError(NO_RESOURCES);
  const rv = str(p, 'resource-version');
  const waiting = timeoutMs > 0 && dryRun === 'none';
  // without --timeout one write does it all; with it each object is scaled, waited for, then printed
  const scaleOne = (s: Session, f: Found): void => {
    if (!SCALABLE.has(f.def.kind)) {
      // no scale subresource: the API server's plain 404, which client-go names after the request
      const verb = current !== -1 || rv ? 'get' : 'patch';
      const resource = f.def.group ? `${f.def.plural}.${f.def.group}` : f.def.plural;
      throw new StatusError('NotFound', `the server could not find the requested resource (${verb} ${resource} ${f.obj.metadata.name})`);
    }
    const live = s.cluster.api.get(f.def, f.obj.metadata.namespace, f.obj.metadata.name);
    const have = live.spec?.replicas ?? 1;
    if (current !== -1 && have !== current) throw new CliError(`Expected replicas to be ${current}, was ${have}`);
    if (rv && live.metadata.resourceVersion !== rv) throw new CliError(`Expected resource version to be ${rv}, was ${live.metadata.resourceVersion}`);
    live.spec = { ...(live.spec ?? {}), replicas };
    record(live, p, () => recordedCommand(['scale'], argv, FLAGS, p));
    s.cluster.api.update(f.def, live, { dryRun: dryRun === 'server' });
  };
  const found = await withCluster(io, p, dryRun === 'none' && !waiting ? 'write' : 'read', async (s) => {
    const { items, errors } = await resolveTargets(io, p, s, p.args, { verb: 'scale', all: bool(p, 'all') });
    if (rv && items.length > 1) throw new CliError('cannot use --resource-version with multiple resources');
    if (!items.length) {
      if (errors.length) throw new CliError(`no objects passed to scale ${errors.map((e) => e.message).join(', ')}`);
      throw new CliError('no objects passed to scale');
    }
    if (!waiting) {
      for (const f of items) {
        if (dryRun !== 'client') scaleOne(s, f);
        await printResult(io, p, f, 'scaled', dryRun);
      }
    }
    return { items, errors };
  });
  if (waiting) {
    for (const f of found.items) {
      await withCluster(io, p, 'write', (s) => scaleOne(s, f));
      // WaitForScaleHasDesiredReplicas: spec and status agree (or someone else changed the spec)
      const r = await waitUntil(io, p, {
        timeoutMs,
        check: (c) => {
          const o = c.api.peek(f.def, f.obj.metadata.namespace, f.obj.metadata.name);
          if (!o) return true;
          const want = o.spec?.replicas ?? 1;
          if (want !== replicas) return true;
          return (o.status?.replicas ?? 0) === want ? true : undefined;
        },
      });
      if (r.timedOut) throw new CliError(`timed out waiting for "${f.obj.metadata.name}" to be synced`);
      await printResult(io, p, f, 'scaled', dryRun);
    }
  }
  if (found.errors.length) throw found.errors[0];
  return 0;
}
