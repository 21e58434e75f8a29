// kubectl label / annotate: one implementation over metadata.labels or metadata.annotations.
import { CliError, formatError } from '../api/errors.js';
import { kindPrefix, type KObj } from '../api/types.js';
import { parseResourceArgs, resolveSelections, type Found } from './builder.js';
import { resourcesAndPairs } from './common.js';
import { FILE_FLAGS, manifestArgs } from './files.js';
import { bool, list, parseFlags, str, type FlagSpec, type Parsed } from './flags.js';
import type { IO } from './io.js';
import { loadDocs, settleNamespace } from './objects.js';
import { DRY_RUN_FLAG, dryRunMode, OUTPUT_FLAGS, printStructured } from './output.js';
import { selectorFilters } from './selectors.js';
import { withCluster } from './session.js';
import { RECORD_FLAG, record, recordedCommand } from './workload-common.js';

const CHANGE_CAUSE = 'kubernetes.io/change-cause';

type Kind = 'label' | 'annotate';

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function parsePairs(kind: Kind, pairs: string[]): { set: Record<string, string>; remove: string[] } {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const spec of pairs) {
    if (spec.includes('=')) {
      const parts = kind === 'label' ? spec.split('=') : [spec.slice(0, spec.indexOf('=')), spec.slice(spec.indexOf('=') + 1)];
      if (parts.length !== 2 || (kind === 'annotate' && !parts[0])) throw new CliError(`invalid ${kind === 'label' ? 'label' : 'annotation'} spec: ${spec}`);
      if (kind === 'label' && (parts[1].length > 63 || !LABEL_VALUE.test(parts[1]))) {
        const errs: string[] = [];
        if (parts[1].length > 63) errs.push('must be no more than 63 characters');
        if (!LABEL_VALUE.test(parts[1])) {
          errs.push(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
          );
        }
        throw new CliError(`invalid label value: "${spec}": ${errs.join(';')}`);
      }
      set[parts[0]] = parts[1];
    } else if (spec.endsWith('-')) remove.push(spec.slice(0, -1));
    else throw new CliError(`unknown ${kind === 'label' ? 'label' : 'annotation'} spec: ${spec}`);
  }
  for (const r of remove) {
    if (r in set) throw new CliError(`can not both modify and remove ${kind === 'label' ? 'a label' : 'an annotation'} in the same command`);
  }
  return { set, remove };
}

function change(kind: Kind, obj: KObj, set: Record<string, string>, remove: string[], overwrite: boolean): void {
  const field = kind === 'label' ? 'labels' : 'annotations';
  const current: Record<string, string> = { ...(obj.metadata[field] ?? {}) };
  if (!overwrite) {
    const clashes = Object.keys(set).filter((k) => k in current);
    if (clashes.length) {
      if (kind === 'label') throw new CliError(clashes.map((k) => `'${k}' already has a value (${current[k]}), and --overwrite is false`).join('\n'));
      throw new CliError(
        `--overwrite is false but found the following declared annotation(s): ${clashes.map((k) => `'${k}' already has a value (${current[k]})`).join('; ')}`,
      );
    }
  }
  Object.assign(current, set);
  for (const r of remove) delete current[r];
  if (Object.keys(current).length) obj.metadata[field] = current;
  else delete obj.metadata[field];
}

export async function metadataVerb(kind: Kind, argv: string[], io: IO): Promise<number> {
  const specs: FlagSpec[] = [
    ...OUTPUT_FLAGS,
    ...FILE_FLAGS,
    DRY_RUN_FLAG,
    { name: 'overwrite', type: 'bool', default: false },
    { name: 'all', type: 'bool', default: false },
    { name: 'all-namespaces', short: 'A', type: 'bool', default: false },
    { name: 'selector', short: 'l', type: 'string', default: '' },
    { name: 'field-selector', type: 'string', default: '' },
    { name: 'list', type: 'bool', default: false },
    { name: 'local', type: 'bool', default: false },
    { name: 'resource-version', type: 'string', default: '' },
    { name: 'field-manager', type: 'string', default: `kubectl-${kind}` },
    RECORD_FLAG,
  ];
  const p: Parsed = parseFlags(argv, specs, kind);
  for (const w of p.warnings) io.stderr.write(`${w}\n`);
  const pairType = kind === 'label' ? 'label' : 'annotation';
  const { resources, pairs } = resourcesAndPairs(p.args, pairType);
  const { set, remove } = parsePairs(kind, pairs);
  if (bool(p, 'all') && str(p, 'selector')) throw new CliError('cannot set --all and --selector at the same time');
  const files = manifestArgs(p);
  if (!resources.length && !files.length) throw new CliError('one or more resources must be specified as <resource> <name> or <resource>/<name>');
  if (!Object.keys(set).length && !remove.length && !bool(p, 'list')) throw new CliError(`at least one ${pairType} update is required`);
  const dryRun = dryRunMode(p, io);
  const filters = await selectorFilters(p);
  const docs = files.length ? await loadDocs(io, files, bool(p, 'recursive'), 'patching', 'ignore') : [];
  const errors: Error[] = [];
  await withCluster(io, p, dryRun === 'none' ? 'write' : 'read', async (s) => {
    let found: Found[] = [];
    if (files.length) {
      for (const d of docs) {
        if (d.error) {
          errors.push(d.error);
          continue;
        }
        settleNamespace(d, s.namespace, s.namespaceExplicit);
        const r = resolveSelections(s.cluster, [{ def: d.def!, names: [d.obj!.metadata.name] }], { namespace: d.obj!.metadata.namespace, allNamespaces: false });
        found.push(...r.items);
        errors.push(...r.errors);
      }
    } else {
      const sels = parseResourceArgs(resources, kind);
      const selecting = bool(p, 'all') || str(p, 'selector') || str(p, 'field-selector');
      if (!selecting && sels.some((x) => !x.names)) throw new CliError('resource(s) were provided, but no name was specified');
      const r = resolveSelections(s.cluster, sels, { namespace: s.namespace, allNamespaces: bool(p, 'all-namespaces'), ...filters });
      found = r.items;
      errors.push(...r.errors);
    }
    for (const { def, obj: stored } of found) {
      try {
        const obj = structuredClone(stored);
        if (bool(p, 'list')) {
          const field = kind === 'label' ? 'labels' : 'annotations';
          for (const [k, v] of Object.entries(obj.metadata[field] ?? {})) io.stdout.write(`${k}=${v}\n`);
          continue;
        }
        const field = kind === 'label' ? 'labels' : 'annotations';
        if (kind === 'label' && dryRun === 'none') {
          for (const r of remove) if (!(r in (obj.metadata.labels ?? {}))) io.stdout.write(`label "${r}" not found.\n`);
        }
        const before = JSON.stringify(obj);
        change(kind, obj, set, remove, bool(p, 'overwrite'));
        const after = JSON.stringify(obj);
        let msg = 'annotated';
        if (kind === 'label') {
          msg = before === after ? 'not labeled' : !bool(p, 'overwrite') && after.length < before.length ? 'unlabeled' : 'labeled';
        }
        let result = obj;
        // --record: the change-cause annotation goes with the change (kubectl's Recorder)
        const recording = bool(p, 'record');
        record(obj, p, () => recordedCommand([kind], argv, specs, p));
        if ((before !== after || recording) && dryRun !== 'client') {
          const current = structuredClone(stored);
          current.metadata[field] = obj.metadata[field];
          if (obj.metadata[field] === undefined) delete current.metadata[field];
          if (recording) current.metadata.annotations = { ...(current.metadata.annotations ?? {}), [CHANGE_CAUSE]: obj.metadata.annotations[CHANGE_CAUSE] };
          result = s.cluster.api.update(def, current, { dryRun: dryRun === 'server' });
        }
        if (str(p, 'output') && str(p, 'output') !== 'name') await printStructured(io, p, [{ def, obj: result }], true);
        else if (str(p, 'output') === 'name') io.stdout.write(`${kindPrefix(def)}/${obj.metadata.name}\n`);
        else io.stdout.write(`${kindPrefix(def)}/${obj.metadata.name} ${msg}${dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : ''}\n`);
      } catch (e) {
        errors.push(e as Error);
      }
    }
  });
  for (const e of errors) io.stderr.write(`${formatError(e)}\n`);
  return errors.length ? 1 : 0;
}
