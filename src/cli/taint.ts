// kubectl taint nodes (NODE… | --all | -l SELECTOR) key[=value]:Effect … | key[:Effect]- [--overwrite]
// [--dry-run] [-o]: kubectl's taint.go, each node changed and printed in turn
import { CliError, formatError } from '../api/errors.js';
import { parseLabelSelector } from '../api/selectors.js';
import type { KObj } from '../api/types.js';
import type { Cluster } from '../sim/engine.js';
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

/** kubectl's Complete: resources first, then the taint changes (an argument with `=`, `:` or a trailing `-`). */
function splitArgs(args: string[]): { resources: string[]; changes: string[] } {
  const resources: string[] = [];
  const changes: string[] = [];
  for (const a of args) {
    const isTaint = a.includes('=') || a.includes(':') || a.endsWith('-');
    if (isTaint) changes.push(a);
    else if (changes.length) throw new CliError(`all resources must be specified before taint changes: ${a}`);
    else resources.push(a);
  }
  return { resources, changes };
}

/** The taints after the changes, and kubectl's operation word; throws kubectl's errors. */
function changeTaints(c: Cluster, node: KObj, specs: Spec[], overwrite: boolean): { taints: KObj[]; operation: string } {
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
    if (i >= 0 && !overwrite) throw new CliError(`node ${node.metadata.name} already has ${sp.key} taint(s) with same effect(s) and --overwrite is false`);
    const t: KObj = { effect: sp.effect, key: sp.key };
    if (sp.value) t.value = sp.value;
    if (sp.effect === 'NoExecute') t.timeAdded = c.isoNow();
    if (i >= 0) taints[i] = t;
    else taints.push(t);
    added = true;
  }
  return { taints, operation: added && !removed ? 'tainted' : removed && !added ? 'untainted' : 'modified' };
}

export default async function taint(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'taint');
  checkMutatingOutput(p);
  const dryRun = dryRunMode(p, io);
  validateMode(str(p, 'validate'));
  const { resources, changes } = splitArgs(p.args);
  if (!resources.length) throw new CliError('one or more resources must be specified as <resource> <name>');
  if (!changes.length) throw new CliError('at least one taint update is required');
  const specs = changes.map(parseSpec);
  const kind = resources[0];
  if (!/^(node|nodes|no)$/i.test(kind)) throw new CliError(`invalid resource type ${kind.toLowerCase()}, only node types are supported`);
  const conflicts = specs
    .filter((r) => r.remove && specs.some((a) => !a.remove && a.key === r.key && (!r.effect || a.effect === r.effect)))
    .map((r) => `${r.key}=${r.effect ?? ''}`);
  if (conflicts.length) throw new CliError(`can not both modify and remove the following taint(s) in the same command: ${conflicts.join(', ')}`);
  const all = bool(p, 'all');
  const selector = str(p, 'selector');
  if (all && selector) throw new CliError("setting 'all' parameter with a non empty selector is prohibited");
  if (!all && !selector && resources.length < 2) throw new CliError("at least one resource name must be specified since 'all' parameter is not set");
  const sel = selector ? parseLabelSelector(selector) : undefined;
  const errors: Error[] = [];
  await withCluster(io, p, dryRun === 'none' ? 'write' : 'read', async (s) => {
    let nodes: KObj[] = [];
    if (all || sel) nodes = s.cluster.api.list(NODE).filter((n) => !sel || sel.matches(n.metadata.labels ?? {}));
    else {
      for (const name of resources.slice(1)) {
        try {
          nodes.push(getNode(s.cluster, name));
        } catch (e) {
          errors.push(e as Error);
        }
      }
    }
    for (const stored of nodes) {
      try {
        const node = structuredClone(stored);
        const { taints, operation } = changeTaints(s.cluster, node, specs, bool(p, 'overwrite'));
        node.spec ??= {};
        if (taints.length) node.spec.taints = taints;
        else delete node.spec.taints;
        const result = dryRun === 'client' ? node : s.cluster.api.update(NODE, node, { dryRun: dryRun === 'server' });
        await printResult(io, p, { def: NODE, obj: result }, operation, dryRun);
      } catch (e) {
        errors.push(e as Error);
      }
    }
  });
  for (const e of errors) io.stderr.write(`${formatError(e)}\n`);
  return errors.length ? 1 : 0;
}
