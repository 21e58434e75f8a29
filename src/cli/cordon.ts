// kubectl cordon NODE…: marks nodes unschedulable.
import { parseFlags } from './flags.js';
import type { IO } from './io.js';
import { nodeArgs, setUnschedulable } from './node-verbs.js';
import { usageError } from './pod-target.js';
import { withCluster } from './session.js';

export async function cordonVerb(verb: 'cordon' | 'uncordon', argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, [{ name: 'selector', short: 'l', type: 'string', default: '' }, { name: 'dry-run', type: 'string', default: 'none', noOptDefault: 'unchanged' }], verb);
  if (!p.args.length) throw usageError(verb, 'USAGE: ' + verb + ' NODE [flags]');
  return withCluster(io, p, 'write', (s) => {
    for (const name of nodeArgs(p.args)) {
      const changed = setUnschedulable(s.cluster, name, verb === 'cordon');
      io.stdout.write(`node/${name} ${changed ? '' : 'already '}${verb}ed\n`);
    }
    return 0;
  });
}

export default (argv: string[], io: IO): Promise<number> => cordonVerb('cordon', argv, io);
