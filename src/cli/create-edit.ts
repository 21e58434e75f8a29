// kubectl create -f FILE --edit (kubectl's EditBeforeCreateMode): each object of the files opens in
// the editor under kubectl's edit header, one at a time; an unchanged or emptied file cancels that
// object, and what was saved is created instead of the file's text. (kubectl reopens a file whose
// edit does not parse; kubesim reports the error for that object instead.)
import { CliError } from '../api/errors.js';
import { resourceForKind } from '../api/registry.js';
import { crlf, editHeader } from '../printers/edit-header.js';
import { editorFromEnv, hasLines, launchTempFile, stripComments } from './editor.js';
import { bool, str, type Parsed } from './flags.js';
import type { IO } from './io.js';
import type { Doc } from './objects.js';

export async function editDocs(io: IO, p: Parsed, docs: Doc[]): Promise<Doc[]> {
  const pr = await import('../printers/index.js');
  const { parseManifests } = await import('../api/manifest.js');
  const editor = editorFromEnv(io.env);
  const json = str(p, 'output') === 'json';
  const windows = bool(p, 'windows-line-endings');
  const out: Doc[] = [];
  for (const doc of docs) {
    if (doc.error || !doc.obj) {
      out.push(doc);
      continue;
    }
    let original = (json ? '' : editHeader([])) + (json ? pr.toJson(doc.obj) : pr.toYaml(doc.obj));
    if (windows) original = crlf(original);
    const { edited } = await launchTempFile(io, editor, 'kubectl-edit-', json ? '.json' : '.yaml', original);
    if (stripComments(original) === stripComments(edited)) {
      io.stderr.write('Edit cancelled, no changes made.\n');
      continue;
    }
    if (!hasLines(edited)) {
      io.stderr.write('Edit cancelled, saved file was empty.\n');
      continue;
    }
    for (const d of parseManifests(edited, 'edited-file', { validate: false })) {
      if (d.error || !d.obj) {
        out.push({ source: doc.source, error: d.error ?? new CliError('the edited file holds no object') });
        continue;
      }
      const def = resourceForKind(String(d.obj.apiVersion ?? ''), String(d.obj.kind ?? ''));
      out.push(def ? { source: doc.source, def, obj: d.obj } : { source: doc.source, error: new CliError(`no matches for kind "${d.obj.kind}" in version "${d.obj.apiVersion}"`) });
    }
  }
  return out;
}
