// kubectl rollout pause | resume | restart (TYPE NAME | TYPE/NAME | -f FILE | TYPE -l SEL)
// (kubectl/pkg/cmd/rollout/rollout_{pause,resume,restart}.go and polymorphichelpers'
// objectpauser/objectresumer/objectrestarter: a patch per object, errors collected).
import { manifestArgs } from './files.js';
import { CliError, formatError, StatusError } from '../api/errors.js';
import type { KObj } from '../api/types.js';
import { setLocalZone, zoneOffsetMinutes } from '../printers/localtime.js';
import { jsonEqual } from '../api/equal.js';
import { parseFlags, type FlagSpec } from './flags.js';
import type { IO } from './io.js';
import { OUTPUT_FLAGS, printResult } from './output.js';
import { withCluster } from './session.js';
import { FILE_FLAGS, resolveTargets, resourceString, SELECTOR_FLAG, serverMessage } from './workload-common.js';

const FLAGS: FlagSpec[] = [...OUTPUT_FLAGS, ...FILE_FLAGS, SELECTOR_FLAG, { name: 'field-manager', type: 'string', default: 'kubectl-rollout' }];

type Mutate = (obj: KObj, now: number) => void;

/** Go's time.Format(time.RFC3339) in the local zone (TZ). */
export function rfc3339Local(ms: number, tz: string | undefined): string {
  setLocalZone(tz);
  const t = Math.floor(ms / 1000) * 1000;
  const off = zoneOffsetMinutes(t);
  const local = new Date(t + off * 60_000).toISOString().replace('.000Z', '');
  if (!off) return `${local}Z`;
  const a = Math.abs(off);
  return `${local}${off < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

const pauser: Mutate = (o) => {
  if (o.kind !== 'Deployment') throw new Error('pausing is not supported');
  if (o.spec?.paused) throw new Error('is already paused');
  o.spec.paused = true;
};

const resumer: Mutate = (o) => {
  if (o.kind !== 'Deployment') throw new Error('resuming is not supported');
  if (!o.spec?.paused) throw new Error('is not paused');
  delete o.spec.paused;
};

function restarter(tz: string | undefined): Mutate {
  return (o, now) => {
    if (!['Deployment', 'DaemonSet', 'StatefulSet'].includes(o.kind)) throw new Error('restarting is not supported');
    if (o.kind === 'Deployment' && o.spec?.paused) throw new Error("can't restart paused deployment (run rollout resume first)");
    const tpl = ((o.spec ??= {}).template ??= {});
    const meta = (tpl.metadata ??= {});
    meta.annotations = { ...(meta.annotations ?? {}), 'kubectl.kubernetes.io/restartedAt': rfc3339Local(now, tz) };
  };
}

async function run(verb: 'pause' | 'resume' | 'restart', argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, `rollout ${verb}`);
  if (!p.args.length && !manifestArgs(p).length) throw new CliError('required resource not specified');
  const mutate = verb === 'pause' ? pauser : verb === 'resume' ? resumer : restarter(io.env.TZ);
  const done = verb === 'pause' ? 'paused' : verb === 'resume' ? 'resumed' : 'restarted';
  return withCluster(io, p, 'write', async (s) => {
    const { items, errors } = await resolveTargets(io, p, s, p.args, { verb: `rollout ${verb}`, requireNames: false });
    const errs: Error[] = [...errors];
    if (!items.length && !errs.length) {
      io.stderr.write(`No resources found in ${s.namespace} namespace.\n`);
      return 0;
    }
    for (const f of items) {
      const obj = structuredClone(f.obj);
      try {
        mutate(obj, s.cluster.now());
      } catch (e) {
        errs.push(new Error(`error: ${resourceString(f)} "${f.obj.metadata.name}" ${(e as Error).message}`));
        continue;
      }
      if (jsonEqual(obj, f.obj)) {
        if (verb === 'restart') {
          errs.push(new Error(`failed to create patch for ${f.obj.metadata.name}: if restart has already been triggered within the past second, please wait before attempting to trigger another`));
        } else await printResult(io, p, f, `already ${done}`, 'none');
        continue;
      }
      try {
        const updated = s.cluster.api.update(f.def, obj);
        await printResult(io, p, { def: f.def, obj: updated }, done, 'none');
      } catch (e) {
        errs.push(new Error(`failed to patch: ${serverMessage(e, f.def)}`));
      }
    }
    if (errs.length === 1) throw new CliError(formatError(errs[0]), 1, true);
    if (errs.length) throw new CliError(errs.map((e) => (e instanceof StatusError ? formatError(e) : e.message)).join('\n'), 1, true);
    return 0;
  });
}

export const pause = (argv: string[], io: IO) => run('pause', argv, io);
export const resume = (argv: string[], io: IO) => run('resume', argv, io);
export const restart = (argv: string[], io: IO) => run('restart', argv, io);
