// kubectl taint nodes NODE key[=value]:Effect … | key[:Effect]- [--overwrite]
import { CliError } from '../api/errors.js';
import type { KObj } from '../api/types.js';
import { NODE } from '../sim/keys.js';
import { bool, parseFlags, str, type FlagSpec } from './flags.js';
import type { IO } from './io.js';
import { getNode } from './node-verbs.js';
import { VALIDATE_FLAG, validateMode } from './objects.js';
import { checkMutatingOutput, DRY_RUN_FLAG, dryRunMode, OUTPUT_FLAGS, printResult } from './output.js';
import { usageError } from './pod-target.js';
import { withCluster } from './session.js';

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

interface Spec {
  key: string;
  value?: string;
  effect?: string;
  remove: boolean;
}

function parseSpec(arg: string): Spec {
  const remove = arg.endsWith('-');
  const text = remove ? arg.slice(0, -1) : arg;
  const [kv, effect] = text.split(':');
  const [key, value] = kv.split('=');
  if (!remove && !effect) {
    throw usageError(
      'taint',
      `invalid taint spec: ${arg}, name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    );
  }
  if (effect && !EFFECTS.includes(effect)) throw usageError('taint', `invalid taint effect: ${effect}, unsupported taint effect`);
  return { key, value, effect, remove };
}

/** kubectl 1.32's taint flags: the printing flags, dry run, field manager and validation too. */
const FLAGS: FlagSpec[] = [
  ...OUTPUT_FLAGS,
  DRY_RUN_FLAG,
  { name: 'field-manager', type: 'string', default: 'kubectl-taint' },
  VALIDATE_FLAG,
  { name: 'overwrite', type: 'bool', default: false },
  { name: 'all', type: 'bool', default: false },
  { name: 'selector', short: 'l', type: 'string', default: '' },
];

export default async function taint(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'taint');
  checkMutatingOutput(p);
  validateMode(str(p, 'validate'));
  const [kind, name, ...rest] = p.args;
  if (!kind) throw new CliError('one or more resources must be specified as <resource> <name>');
  if (!name || !rest.length) throw new CliError('at least one taint update is required');
  if (!/^(node|nodes|no)$/.test(kind)) throw new CliError(`invalid resource type ${kind}, only node types are supported`);
  const specs = rest.map(parseSpec);
  const dryRun = dryRunMode(p, io);
  return withCluster(io, p, dryRun === 'none' ? 'write' : 'read', async (s) => {
    const node = structuredClone(getNode(s.cluster, name));
    let taints: KObj[] = node.spec?.taints ?? [];
    let removed = false;
    let added = false;
    for (const sp of specs) {
      if (sp.remove) {
        const before = taints.length;
        taints = taints.filter((t) => !(t.key === sp.key && (!sp.effect || t.effect === sp.effect)));
        if (taints.length === before) throw new CliError(`taint "${sp.key}${sp.effect ? `:${sp.effect}` : ''}" not found`);
        removed = true;
        continue;
      }
      const i = taints.findIndex((t) => t.key === sp.key && t.effect === sp.effect);
      if (i >= 0 && !bool(p, 'overwrite')) throw new CliError(`node ${name} already has ${sp.key} taint(s) with same effect(s) and --overwrite is false`);
      const t: KObj = { effect: sp.effect, key: sp.key };
      if (sp.value) t.value = sp.value;
      if (sp.effect === 'NoExecute') t.timeAdded = s.cluster.isoNow();
      if (i >= 0) taints[i] = t;
      else taints.push(t);
      added = true;
    }
    node.spec ??= {};
    if (taints.length) node.spec.taints = taints;
    else delete node.spec.taints;
    const result = dryRun === 'client' ? node : s.cluster.api.update(NODE, node, { dryRun: dryRun === 'server' });
    await printResult(io, p, { def: NODE, obj: result }, added && !removed ? 'tainted' : removed && !added ? 'untainted' : 'modified', dryRun);
    return 0;
  });
}
