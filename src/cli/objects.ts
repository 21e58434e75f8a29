// Documents from -f files made ready for the API: kind resolved, schema-checked, namespace settled.
import { toStoredVersion } from '../api/defaults/hpa.js';
import { CliError, StatusError } from '../api/errors.js';
import { resourceForKind } from '../api/registry.js';
import type { KObj, ResourceDef } from '../api/types.js';
import { readManifests } from './files.js';
import type { IO } from './io.js';

export interface Doc {
  source: string;
  def?: ResourceDef;
  obj?: KObj;
  error?: Error;
}

export type ValidateMode = 'strict' | 'warn' | 'ignore';

export function validateMode(v: string): ValidateMode {
  if (v === 'true' || v === 'strict' || v === '') return 'strict';
  if (v === 'false' || v === 'ignore') return 'ignore';
  if (v === 'warn') return 'warn';
  throw new CliError(`invalid - validate option "${v}"; must be one of: strict (or true), warn, ignore (or false)`);
}

/** Reads -f arguments into documents; each carries its own error so one bad document spares the rest. */
export async function loadDocs(io: IO, files: string[], recursive: boolean, verb: string, mode: ValidateMode): Promise<Doc[]> {
  const raw = await readManifests(io, files, recursive, mode !== 'ignore');
  const { schemaCheck } = await import('../api/validation/schema.js');
  return raw.map((d): Doc => {
    if (d.error) return { source: d.source, error: d.error };
    // autoscaling/v1 HPAs are served too: converted to the stored version as the server does
    const obj = toStoredVersion(d.obj!);
    const def = resourceForKind(obj.apiVersion ?? '', obj.kind ?? '');
    if (!def) {
      return {
        source: d.source,
        error: new CliError(
          `resource mapping not found for name: "${obj.metadata?.name ?? ''}" namespace: "${obj.metadata?.namespace ?? ''}" from "${d.source}": no matches for kind "${obj.kind}" in version "${obj.apiVersion}"\nensure CRDs are installed first`,
        ),
      };
    }
    let checked = schemaCheck(obj, { validate: mode !== 'ignore' });
    if (checked.error && checked.warnings && mode === 'warn') {
      for (const w of checked.warnings) io.stderr.write(`Warning: ${w}\n`);
      checked = schemaCheck(obj, { validate: false });
    }
    if (checked.error) {
      return { source: d.source, def, error: new StatusError('BadRequest', checked.error) };
    }
    return { source: d.source, def, obj: checked.obj };
  });
}

/** Settles a document's namespace against -n, as kubectl does. */
export function settleNamespace(doc: Doc, namespace: string, explicit: boolean): void {
  const obj = doc.obj!;
  obj.metadata ??= {};
  if (!doc.def!.namespaced) {
    delete obj.metadata.namespace;
    return;
  }
  const own = obj.metadata.namespace;
  if (own && explicit && own !== namespace) {
    throw new CliError(
      `the namespace from the provided object "${own}" does not match the namespace "${namespace}". You must pass '--namespace=${own}' to perform this operation.`,
    );
  }
  obj.metadata.namespace = own || namespace;
}

export const VALIDATE_FLAG = { name: 'validate', type: 'string' as const, default: 'strict', noOptDefault: 'strict' };
