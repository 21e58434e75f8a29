// kubectl set image | resources | selector | serviceaccount (kubectl/pkg/cmd/set/set_{image,resources,selector,serviceaccount}.go).
import { CliError } from '../api/errors.js';
import type { KObj } from '../api/types.js';
import { resourcesAndPairs } from './common.js';
import { parseFlags, str, bool, type FlagSpec } from './flags.js';
import type { IO } from './io.js';
import { dryRunMode } from './output.js';
import { ChangeError, checkSetFlags, runSet, SET_FLAGS } from './set.js';
import { goTypeName, podSpecHolder } from './workload-common.js';

/** The pod spec of an object, or kubectl's error for a kind without one. */
export function podSpecOf(obj: KObj): KObj {
  const h = podSpecHolder(obj);
  if (!h) throw new ChangeError(`the object is not a pod or does not have a pod template: ${goTypeName(obj)}`);
  return h.spec;
}

/** helper.go selectString: `*` matches any run of characters (non-greedy). */
export function selectString(s: string, spec: string): boolean {
  if (spec === '*') return true;
  if (!spec.includes('*')) return s === spec;
  const re = new RegExp(`^${spec.split('*').map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*?')}$`);
  return re.test(s);
}

export async function setImage(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, SET_FLAGS, 'set image');
  const { resources, pairs } = resourcesAndPairs(p.args, 'image');
  const images = new Map<string, string>();
  const invalid = pairs.filter((x) => !(x.includes('=') && x[0] !== '='));
  if (invalid.length) throw new CliError(`invalid image format: ${invalid.join(', ')}`);
  for (const x of pairs) images.set(x.slice(0, x.indexOf('=')), x.slice(x.indexOf('=') + 1));
  const dryRun = dryRunMode(p, io);
  return runSet(io, p, resources, {
    argv,
    verb: 'image',
    operation: 'image updated',
    patchFailure: 'failed to patch image update to pod template: ',
    validate() {
      const errs: string[] = [];
      if (bool(p, 'all') && str(p, 'selector')) errs.push('cannot set --all and --selector at the same time');
      if (!images.size) errs.push('at least one image update is required');
      if (bool(p, 'local') && dryRun === 'server') errs.push('cannot specify --local and --dry-run=server - did you mean --dry-run=client?');
      else if (images.size > 1 && images.has('*')) errs.push('all containers are already specified by *, but saw more than one container_name=container_image pairs');
      if (errs.length) throw new CliError(errs.length === 1 ? `error: ${errs[0]}` : errs.join('\n'), 1, true);
    },
    mutate(obj, errs) {
      const spec = podSpecOf(obj);
      for (const [name, image] of images) {
        let found = false;
        for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])] as KObj[]) {
          if (c.name === name || name === '*') {
            c.image = image;
            found = true;
          }
        }
        if (!found) errs.push(new Error(`error: unable to find container named "${name}"`));
      }
    },
  }, dryRun);
}

/** HandleResourceRequirementsV1: `cpu=100m,memory=256Mi` into a ResourceList. */
async function resourceList(text: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (!text) return out;
  const { parseQuantity, canonicalQuantity } = await import('../printers/quantity.js');
  for (const part of text.split(',')) {
    const kv = part.split('=');
    if (kv.length !== 2) throw new CliError(`Invalid argument syntax ${part}, expected <resource>=<value>`);
    if (!parseQuantity(kv[1])) throw new CliError('quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'');
    out[kv[0]] = canonicalQuantity(kv[1]);
  }
  return out;
}

export async function setResources(argv: string[], io: IO): Promise<number> {
  const flags: FlagSpec[] = [...SET_FLAGS, { name: 'containers', short: 'c', type: 'string', default: '*' }, { name: 'limits', type: 'string', default: '' }, { name: 'requests', type: 'string', default: '' }];
  const p = parseFlags(argv, flags, 'set resources');
  const dryRun = dryRunMode(p, io);
  let limits: Record<string, string> = {};
  let requests: Record<string, string> = {};
  const selector = str(p, 'containers');
  // Validate runs after Complete found the objects
  const validate = async () => {
    if (bool(p, 'local') && dryRun === 'server') throw new CliError('cannot specify --local and --dry-run=server - did you mean --dry-run=client?');
    if (bool(p, 'all') && str(p, 'selector')) throw new CliError('cannot set --all and --selector at the same time');
    if (!str(p, 'limits') && !str(p, 'requests')) throw new CliError('you must specify an update to requests or limits (in the form of --requests/--limits)');
    limits = await resourceList(str(p, 'limits'));
    requests = await resourceList(str(p, 'requests'));
  };
  return runSet(io, p, p.args, {
    argv,
    flags,
    verb: 'resources',
    validate,
    operation: 'resource requirements updated',
    patchFailure: 'failed to patch resources update to pod template ',
    mutate(obj, errs) {
      const spec = podSpecOf(obj);
      const chosen = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].filter((c: KObj) => selectString(c.name, selector));
      if (!chosen.length) {
        errs.push(new Error(`error: unable to find container named ${selector}`));
        return;
      }
      for (const c of chosen as KObj[]) {
        c.resources ??= {};
        if (Object.keys(limits).length) c.resources.limits = { ...(c.resources.limits ?? {}), ...limits };
        if (Object.keys(requests).length) c.resources.requests = { ...(c.resources.requests ?? {}), ...requests };
      }
    },
  }, dryRun);
}

export async function setServiceAccount(argv: string[], io: IO): Promise<number> {
  // kubectl's set serviceaccount has no --selector
  const flags = SET_FLAGS.filter((f) => f.name !== 'selector');
  const p = parseFlags(argv, flags, 'set serviceaccount');
  const dryRun = checkSetFlags(p, io);
  if (!p.args.length) throw new CliError('serviceaccount is required');
  const sa = p.args[p.args.length - 1];
  return runSet(io, p, p.args.slice(0, -1), {
    argv,
    verb: 'serviceaccount',
    flags,
    operation: 'serviceaccount updated',
    patchFailure: 'failed to patch ServiceAccountName ',
    alwaysPrint: true,
    mutate(obj) {
      podSpecOf(obj).serviceAccountName = sa;
    },
  }, dryRun);
}

export async function setSelector(argv: string[], io: IO): Promise<number> {
  const flags: FlagSpec[] = [...SET_FLAGS.filter((f) => f.name !== 'selector' && f.name !== 'recursive' && f.name !== 'kustomize'), { name: 'recursive', short: 'R', type: 'bool', default: true }, { name: 'resource-version', type: 'string', default: '' }];
  const p = parseFlags(argv, flags, 'set selector');
  const dryRun = checkSetFlags(p, io);
  if (!p.args.length) throw new CliError('one selector is required');
  const { parseLabelSelector } = await import('../api/selectors.js');
  const selectorText = p.args[p.args.length - 1];
  let parsed;
  try {
    parsed = parseLabelSelector(selectorText);
  } catch (e) {
    // metav1.ParseToLabelSelector fails on the client
    throw new CliError(`couldn't parse the selector string "${selectorText}": ${(e as Error).message}`);
  }
  return runSet(io, p, p.args.slice(0, -1), {
    argv,
    flags,
    verb: 'selector',
    operation: 'selector updated',
    patchFailure: '',
    alwaysPrint: true,
    mutate(obj) {
      if (obj.kind !== 'Service') throw new CliError('setting a selector is only supported for Services');
      const labels: Record<string, string> = {};
      // ParseToLabelSelector: equality (and `in` with one value) are matchLabels, the rest expressions
      const OPS: Record<string, string> = { '!=': 'NotIn', in: 'In', notin: 'NotIn', exists: 'Exists', '!': 'DoesNotExist' };
      const exprs = parsed.requirements.filter((r) => !(r.op === '=' || (r.op === 'in' && r.values.length === 1)));
      if (exprs.length) throw new CliError(`match expression [${exprs.map((r) => `{${r.key} ${OPS[r.op]} [${r.values.join(' ')}]}`).join(' ')}] not supported on this object`);
      for (const r of parsed.requirements) labels[r.key] = r.values[0];
      obj.spec = { ...(obj.spec ?? {}), selector: labels };
    },
  }, dryRun);
}
