// kubectl edit (TYPE NAME… | TYPE/NAME | TYPE | -f FILE): the objects as YAML (or JSON) under kubectl's
// commented header in a temp file, the user's editor on it, then a strategic merge patch of what
// changed. Invalid changes re-open the file with the server's causes; nothing valid saved keeps the
// file. The store is read before and written after the editor runs, never locked while it runs.
import { unlinkSync } from 'node:fs';
import { jsonEqual } from '../api/equal.js';
import { CliError, formatError, StatusError } from '../api/errors.js';
import { qualifiedResource, type KObj, type ResourceDef } from '../api/types.js';
import { editHeader, crlf, type EditReason } from '../printers/edit-header.js';
import { NO_RESOURCES } from './common.js';
import { aggregateText } from './aggregate.js';
import { withLastApplied } from './apply-annotation.js';
import { parseResourceArgs, resolveSelections, type Found } from './builder.js';
import { editorFromEnv, hasLines, launchTempFile, manualStrip, stripComments } from './editor.js';
import { FILE_FLAGS, manifestArgs } from './files.js';
import { bool, list, parseFlags, str, type Parsed } from './flags.js';
import type { IO } from './io.js';
import { loadDocs, settleNamespace, VALIDATE_FLAG, validateMode } from './objects.js';
import { OUTPUT_FLAGS, printResult } from './output.js';
import { withCluster } from './session.js';
import { checkSubresource, readSubresource, SCALE_DEF, writeSubresource } from './subresource.js';

const FLAGS = [
  ...OUTPUT_FLAGS,
  ...FILE_FLAGS,
  VALIDATE_FLAG,
  { name: 'output-patch', type: 'bool' as const, default: false },
  { name: 'windows-line-endings', type: 'bool' as const, default: false },
  { name: 'save-config', type: 'bool' as const, default: false },
  { name: 'field-manager', type: 'string' as const, default: 'kubectl-edit' },
  { name: 'record', type: 'bool' as const, default: false, hidden: true, deprecated: '--record will be removed in the future' },
  { name: 'subresource', type: 'string' as const, default: '' },
];

/** kubectl's preservedFile: names the kept copy, then the error. */
function preserved(io: IO, err: Error, file: string): Error {
  if (file) io.stderr.write(`A copy of your changes has been stored to "${file}"\n`);
  return err;
}

function stripManaged(obj: KObj): KObj {
  const o = structuredClone(obj);
  if (o.metadata?.managedFields) delete o.metadata.managedFields;
  return o;
}

/** The objects to edit, read from the cluster as they are now. */
async function gather(io: IO, p: Parsed): Promise<{ items: Found[]; namespace: string }> {
  const files = manifestArgs(p);
  if (!files.length && !p.args.length) throw new CliError(NO_RESOURCES);
  const docs = files.length ? await loadDocs(io, files, bool(p, 'recursive'), 'editing', 'ignore') : [];
  return withCluster(io, p, 'read', (s) => {
    const errors: Error[] = [];
    const items: Found[] = [];
    if (files.length) {
      for (const d of docs) {
        if (d.error) throw d.error;
        settleNamespace(d, s.namespace, s.namespaceExplicit);
        const r = resolveSelections(s.cluster, [{ def: d.def!, names: [d.obj!.metadata.name ?? ''] }], { namespace: d.obj!.metadata.namespace, allNamespaces: false });
        items.push(...r.items);
        errors.push(...r.errors);
      }
    }
    if (p.args.length) {
      const r = resolveSelections(s.cluster, parseResourceArgs(p.args, 'edit'), { namespace: s.namespace, allNamespaces: false });
      items.push(...r.items);
      errors.push(...r.errors);
    }
    if (errors.length) throw errors.length === 1 ? errors[0] : new CliError(aggregateText(errors), 1, true);
    if (!items.length) throw new CliError('edit cancelled, no objects found');
    const sub = str(p, 'subresource');
    return { items: items.map((i) => ({ def: i.def, obj: stripManaged(readSubresource(i.obj, checkSubresource(i.def, sub))) })), namespace: s.namespace };
  });
}

/** The file's object: the one object, or a List of them. */
function fileObject(items: Found[]): KObj {
  if (items.length === 1) return items[0].obj;
  return { apiVersion: 'v1', items: items.map((i) => i.obj), kind: 'List', metadata: {} };
}

interface Results {
  reasons: EditReason[];
  retryable: number;
  notfound: number;
  invalid: number;
  file: string;
}

const fresh = (file = ''): Results => ({ reasons: [], retryable: 0, notfound: 0, invalid: 0, file });

export default async function edit(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'edit');
  for (const w of p.warnings) io.stderr.write(`${w}\n`);
  const output = str(p, 'output');
  const fileFormat = output === 'json' ? 'json' : 'yaml';
  validateMode(str(p, 'validate'));
  const { items: infos, namespace } = await gather(io, p);
  // the editor's printer takes only json and yaml; kubectl finds out when it prints the file
  if (output && output !== 'json' && output !== 'yaml') {
    throw new CliError(`unable to match a printer suitable for the output format "${output}", allowed formats are: json,yaml`);
  }
  const pr = await import('../printers/index.js');
  const editor = editorFromEnv(io.env);
  const windows = bool(p, 'windows-line-endings');
  const ext = fileFormat === 'json' ? '.json' : '.yaml';

  let results = fresh();
  let original = '';
  let edited = '';
  let containsError = false;
  for (;;) {
    let buf = fileFormat === 'yaml' ? editHeader(results.reasons) : '';
    if (!containsError) {
      const obj = fileObject(infos);
      buf += fileFormat === 'json' ? pr.toJson(obj) : pr.toYaml(obj);
      original = windows ? crlf(buf) : buf;
    } else {
      buf = (windows ? crlf(buf) : buf) + manualStrip(edited);
    }
    const content = containsError ? buf : windows ? crlf(buf) : buf;
    const previous = edited;
    let file: string;
    try {
      ({ edited, file } = await launchTempFile(io, editor, 'kubectl-edit-', ext, content));
    } catch (e) {
      throw preserved(io, e as Error, results.file);
    }
    if (containsError && stripComments(previous) === stripComments(edited)) {
      throw preserved(io, new CliError('Edit cancelled, no valid changes were saved.'), file);
    }
    if (results.file) removeQuietly(results.file);

    if (stripComments(original) === stripComments(edited)) {
      removeQuietly(file);
      io.stderr.write('Edit cancelled, no changes made.\n');
      return 0;
    }
    if (!hasLines(edited)) {
      removeQuietly(file);
      io.stderr.write('Edit cancelled, saved file was empty.\n');
      return 0;
    }
    results = fresh(file);

    const { parseManifests } = await import('../api/manifest.js');
    const parsed = parseManifests(edited, 'edited-file', { validate: false });
    const syntax = parsed.find((d) => d.error)?.error;
    if (syntax) {
      containsError = true;
      results.reasons.push({ head: `The edited file had a syntax error: ${syntax.message}`, other: [] });
      continue;
    }
    containsError = false;
    const updated = parsed.map((d) => d.obj!);
    try {
      checkNamespaces(updated, infos, namespace);
      if (bool(p, 'save-config')) updated.forEach((o, i) => (updated[i] = withLastApplied(o)));
      await patchAll(io, p, infos, updated, results);
    } catch (e) {
      throw preserved(io, e as Error, results.file);
    }
    if (results.retryable > 0) {
      io.stderr.write(`You can run \`kubectl replace -f ${file}\` to try this update again.\n`);
      return 1;
    }
    if (results.notfound > 0) {
      io.stderr.write(`The edits you made on deleted resources have been saved to "${file}"\n`);
      return 1;
    }
    if (results.invalid === 0) {
      removeQuietly(file);
      return 0;
    }
    if (results.reasons.length) containsError = true;
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** kubectl's RequireNamespace on the edited objects: a namespaced object stays in the command's namespace. */
function checkNamespaces(updated: KObj[], infos: Found[], namespace: string): void {
  for (const o of updated) {
    const info = infos.find((i) => i.obj.metadata.uid && i.obj.metadata.uid === o.metadata?.uid);
    const def = info?.def;
    if (def && !def.namespaced) continue;
    const ns = o.metadata?.namespace;
    if (!ns) continue;
    if (ns !== namespace) {
      throw new CliError(`the namespace from the provided object "${ns}" does not match the namespace "${namespace}". You must pass '--namespace=${ns}' to perform this operation.`);
    }
  }
}

/** kubectl's editResults.addError: the line printed, and what the loop does next. */
function addError(err: Error, def: ResourceDef, name: string, r: Results): string {
  const res = qualifiedResource(def);
  if (err instanceof StatusError && err.reason === 'Invalid') {
    r.invalid++;
    r.reasons.push({ head: `${res} "${name}" was not valid`, other: (err.details?.causes ?? []).map((c) => `${c.field}: ${c.message}`) });
    return `error: ${res} "${name}" is invalid`;
  }
  if (err instanceof StatusError && err.reason === 'NotFound') {
    r.notfound++;
    return `error: ${res} "${name}" could not be found on the server`;
  }
  r.retryable++;
  const msg = err instanceof StatusError ? err.message : formatError(err).replace(/^error: /, '');
  return `error: ${res} "${name}" could not be patched: ${msg}`;
}

/** kubectl's visitToPatch: each edited object patched against the one it was read as. */
async function patchAll(io: IO, p: Parsed, infos: Found[], updated: KObj[], results: Results): Promise<void> {
  const patchLib = await import('../api/patch/index.js');
  const { schemaCheck } = await import('../api/validation/schema.js');
  const { toCompactJson } = await import('../printers/index.js');
  const strict = validateMode(str(p, 'validate')) === 'strict';
  await withCluster(io, p, 'write', async (s) => {
    for (const obj of updated) {
      const uid = obj.metadata?.uid;
      const info = infos.find((i) => uid && i.obj.metadata.uid === uid);
      if (!info) throw new CliError(`no original object found for ${toCompactJson(obj)}`);
      const { def } = info;
      const sub = checkSubresource(def, str(p, 'subresource'));
      const shown = sub === 'scale' ? SCALE_DEF : def;
      if (jsonEqual(info.obj, obj)) {
        await printResult(io, p, { def: shown, obj }, 'skipped', 'none');
        continue;
      }
      const patch = patchLib.createTwoWayMergePatch(info.obj, obj, shown.kind) as Record<string, unknown>;
      const meta = patch.metadata as Record<string, unknown> | undefined;
      if ('apiVersion' in patch || 'kind' in patch || (meta && ('name' in meta || 'managedFields' in meta))) {
        throw new CliError('At least one of apiVersion, kind and name was changed');
      }
      if (bool(p, 'output-patch')) io.stdout.write(`Patch: ${toCompactJson(patch)}\n`);
      const name = info.obj.metadata.name;
      try {
        const current = readSubresource(s.cluster.api.get(def, info.obj.metadata.namespace, name), sub);
        const next = patchLib.strategicMergePatch(current, patch as KObj, shown.kind);
        if (sub) {
          await printResult(io, p, { def: shown, obj: writeSubresource(s.cluster.api, def, next, sub) }, 'edited', 'none');
          continue;
        }
        const checked = schemaCheck(next, { validate: strict });
        if (checked.error) throw new StatusError('BadRequest', checked.error.replace(/^.* cannot be handled as a [^:]*: (?=strict decoding error)/, ''));
        const result = s.cluster.api.update(def, checked.obj);
        await printResult(io, p, { def, obj: result }, 'edited', 'none');
      } catch (e) {
        io.stderr.write(`${addError(e as Error, def, name, results)}\n`);
      }
    }
  });
}
