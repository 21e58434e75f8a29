// kubectl rollout status (TYPE NAME | TYPE/NAME | -f FILE | TYPE -l SEL) [--watch=false] [--revision=N] [--timeout=D]
// (kubectl/pkg/cmd/rollout/rollout_status.go): the StatusViewer's line for each change of the
// object until it reports done, an error, or the timeout.
import { manifestArgs } from './files.js';
import { CliError } from '../api/errors.js';
import type { KObj } from '../api/types.js';
import { rolloutStatus } from '../printers/rollout.js';
import type { Found } from './builder.js';
import { bool, int, parseFlags, type FlagSpec } from './flags.js';
import type { IO } from './io.js';
import { groupKind } from './rollout-revisions.js';
import { withCluster } from './session.js';
import { waitUntil } from './waiting.js';
import { FILE_FLAGS, goDurationFlag, resolveTargets, SELECTOR_FLAG } from './workload-common.js';

const FLAGS: FlagSpec[] = [
  ...FILE_FLAGS,
  SELECTOR_FLAG,
  { name: 'watch', short: 'w', type: 'bool', default: true },
  { name: 'revision', type: 'int', default: 0 },
  { name: 'timeout', type: 'duration', default: '0s' },
];

type Outcome = { error?: string };

export default async function rolloutStatusVerb(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'rollout status');
  const timeoutMs = goDurationFlag(p, 'timeout', 'rollout status');
  if (!p.args.length && !manifestArgs(p).length) throw new CliError('required resource not specified');
  const revision = int(p, 'revision');
  if (revision < 0) throw new CliError(`revision must be a positive integer: ${revision}`);
  const watch = bool(p, 'watch');
  const found = await withCluster(io, p, 'read', async (s) => {
    const r = await resolveTargets(io, p, s, p.args, { verb: 'rollout status', requireNames: false });
    return { ...r, namespace: s.namespace };
  });
  for (const f of found.items) await watchOne(io, p, f, revision, watch, timeoutMs);
  if (found.errors.length) throw found.errors[0];
  if (!found.items.length) io.stderr.write(`No resources found in ${found.namespace} namespace.\n`);
  return 0;
}

async function watchOne(io: IO, p: Parameters<typeof waitUntil>[1], f: Found, revision: number, watch: boolean, timeoutMs: number): Promise<void> {
  if (!rolloutStatus(f.obj, revision)) throw new CliError(`no status viewer has been implemented for ${groupKind(f.def)}`);
  let lastRv: string | undefined;
  const check = (obj: KObj | undefined): Outcome | undefined => {
    if (!obj) return { error: 'object has been deleted' };
    if (obj.metadata.resourceVersion === lastRv) return undefined;
    lastRv = obj.metadata.resourceVersion;
    const st = rolloutStatus(obj, revision)!;
    if (st.error) return { error: st.error };
    // every watch event (each write of the object) prints the viewer's line, as kubectl does
    io.stdout.write(st.message);
    return st.done || !watch ? {} : undefined;
  };
  const r = await waitUntil(io, p, {
    timeoutMs,
    check: (c) => check(c.api.peek(f.def, f.obj.metadata.namespace, f.obj.metadata.name)),
  });
  if (r.timedOut) throw new CliError('timed out waiting for the condition');
  if (r.value?.error) throw new CliError(r.value.error);
}
