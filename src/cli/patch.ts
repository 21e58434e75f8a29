// kubectl patch (TYPE NAME | TYPE/NAME | -f FILE) -p PATCH|--patch-file F [--type strategic|merge|json]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { jsonEqual } from '../api/equal.js';
import { CliError, formatError } from '../api/errors.js';
import type { PatchType } from '../api/patch/index.js';
import type { KObj } from '../api/types.js';
import { NO_RESOURCES } from './common.js';
import { parseResourceArgs, resolveSelections, type Found } from './builder.js';
import { FILE_FLAGS, manifestArgs } from './files.js';
import { bool, list, parseFlags, str } from './flags.js';
import { RECORD_FLAG, record, recordedCommand } from './workload-common.js';
import type { IO } from './io.js';
import { loadDocs, settleNamespace } from './objects.js';
import { DRY_RUN_FLAG, dryRunMode, OUTPUT_FLAGS, printResult } from './output.js';
import { withCluster } from './session.js';

const FLAGS = [
  ...OUTPUT_FLAGS,
  ...FILE_FLAGS,
  DRY_RUN_FLAG,
  { name: 'patch', short: 'p', type: 'string' as const, default: '' },
  { name: 'patch-file', type: 'string' as const, default: '' },
  { name: 'type', type: 'string' as const, default: 'strategic' },
  { name: 'local', type: 'bool' as const, default: false },
  { name: 'subresource', type: 'string' as const, default: '' },
  { name: 'field-manager', type: 'string' as const, default: 'kubectl-patch' },
  RECORD_FLAG,
];

export default async function patchVerb(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'patch');
  for (const w of p.warnings) io.stderr.write(`${w}\n`);
  const type = str(p, 'type');
  if (!['json', 'merge', 'strategic'].includes(type)) {
    throw new CliError(`--type must be one of [json merge strategic], not "${type}"\nSee 'kubectl patch -h' for help and examples`);
  }
  let text = str(p, 'patch');
  if (str(p, 'patch-file')) {
    if (text) throw new CliError('cannot specify --patch and --patch-file together');
    try {
      text = readFileSync(resolve(io.cwd, str(p, 'patch-file')), 'utf8');
    } catch {
      throw new CliError(`unable to read patch file: open ${str(p, 'patch-file')}: no such file or directory`);
    }
  }
  if (!text) throw new CliError('must specify --patch or --patch-file containing the contents of the patch');
  const patchLib = await import('../api/patch/index.js');
  const patch = patchLib.parsePatchArg(text);
  const files = manifestArgs(p);
  if (!p.args.length && !files.length) {
    throw new CliError(NO_RESOURCES);
  }
  const dryRun = dryRunMode(p, io);
  const errors: Error[] = [];
  const docs = files.length ? await loadDocs(io, files, bool(p, 'recursive'), 'patching', 'ignore') : [];
  await withCluster(io, p, dryRun === 'none' ? 'write' : 'read', async (s) => {
    let found: Found[] = [];
    if (files.length) {
      for (const d of docs) {
        if (d.error) {
          errors.push(d.error);
          continue;
        }
        settleNamespace(d, s.namespace, s.namespaceExplicit);
        if (!d.obj!.metadata.name) {
          errors.push(new CliError('resource name may not be empty'));
          continue;
        }
        const r = resolveSelections(s.cluster, [{ def: d.def!, names: [d.obj!.metadata.name] }], { namespace: d.obj!.metadata.namespace, allNamespaces: false });
        found.push(...r.items);
        errors.push(...r.errors);
      }
    } else {
      const sels = parseResourceArgs(p.args, 'patch');
      if (sels.some((x) => !x.names)) throw new CliError('resource(s) were provided, but no name was specified');
      const r = resolveSelections(s.cluster, sels, { namespace: s.namespace, allNamespaces: false });
      found = r.items;
      errors.push(...r.errors);
    }
    for (const { def, obj } of found) {
      try {
        const warnings: string[] = [];
        const next: KObj = patchLib.applyPatch(obj, type as PatchType, patch, def.kind, warnings);
        for (const w of warnings) io.stderr.write(`Warning: ${w}\n`);
        const unchanged = jsonEqual(next, obj);
        // --record: kubectl's second (merge) patch with the change-cause
        record(next, p, () => recordedCommand(['patch'], argv, FLAGS, p));
        const result = jsonEqual(next, obj) || dryRun === 'client' ? next : s.cluster.api.update(def, next, { dryRun: dryRun === 'server' });
        const op = unchanged && dryRun !== 'client' ? 'patched (no change)' : 'patched';
        await printResult(io, p, { def, obj: result }, op, dryRun === 'client' ? 'none' : dryRun);
      } catch (e) {
        errors.push(e as Error);
      }
    }
  });
  for (const e of errors) io.stderr.write(`${formatError(e)}\n`);
  return errors.length ? 1 : 0;
}
