// TEMPORARY STUB written by the lead; the validation owner replaces this file.
import { parseAllDocuments } from 'yaml';
import { CliError } from './errors.js';
import type { KObj } from './types.js';

export function parseManifests(text: string, source: string): Array<{ obj?: KObj; error?: CliError }> {
  const out: Array<{ obj?: KObj; error?: CliError }> = [];
  for (const d of parseAllDocuments(text)) {
    if (d.errors.length) {
      out.push({ error: new CliError(`error parsing ${source}: ${d.errors[0].message}`) });
      continue;
    }
    const obj = d.toJS() as KObj | null;
    if (!obj) continue;
    if (!obj.kind) {
      out.push({ error: new CliError(`unable to decode "${source}": Object 'Kind' is missing in '${JSON.stringify(obj)}'`) });
      continue;
    }
    if (obj.kind === 'List' || obj.kind.endsWith('List')) for (const i of obj.items ?? []) out.push({ obj: i });
    else out.push({ obj });
  }
  return out;
}
