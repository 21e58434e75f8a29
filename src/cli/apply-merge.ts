// What client-side `kubectl apply` makes of one manifest against the live object: a create, or the
// three-way merge of the last-applied annotation, the manifest and the live object. `kubectl diff`
// runs it as a server dry run to get its MERGED side, without writing the annotation (its
// GetModifiedConfiguration(…, annotate=false)): a new object is created as the file has it, an
// existing one merged with the manifest minus the annotation.
import { CliError } from '../api/errors.js';
import type { ApiServer } from '../api/server.js';
import { qualifiedResource, type KObj, type ResourceDef } from '../api/types.js';
import { LAST_APPLIED, withLastApplied } from './apply-annotation.js';

export interface ApplyOutcome {
  op: 'created' | 'configured' | 'unchanged';
  obj: KObj;
}

/** The name-less manifest error of apply's builder (`error when retrieving current configuration of:`). */
export function emptyNameError(def: ResourceDef, obj: KObj, source: string): CliError {
  return new CliError(
    `error when retrieving current configuration of:\nResource: "${def.group}/${def.version}, Resource=${def.plural}", GroupVersionKind: "${def.group}/${def.version}, Kind=${def.kind}"\nName: "", Namespace: "${obj.metadata?.namespace ?? ''}"\nfrom server for: "${source}": resource name may not be empty`,
  );
}

/**
 * Apply of `obj` (namespace settled), a client or server dry run when asked: client-side (the
 * last-applied annotation and its three-way merge), or server-side as kubesim's apply does it (the
 * manifest merged onto the live object, no annotation).
 */
export async function applyMerge(api: ApiServer, def: ResourceDef, obj: KObj, opts: { dryRun: 'none' | 'client' | 'server'; serverSide?: boolean; annotate?: boolean; warn?(text: string): void }): Promise<ApplyOutcome> {
  const { serverSide } = opts;
  const client = opts.dryRun === 'client';
  const dryRun = opts.dryRun === 'server';
  const name = obj.metadata.name;
  const current = api.peek(def, obj.metadata.namespace, name);
  const annotate = opts.annotate !== false && !serverSide;
  const modified = annotate ? withLastApplied(obj) : serverSide ? obj : withoutLastApplied(obj);
  if (!current) return { op: 'created', obj: client ? modified : api.create(def, annotate || serverSide ? modified : obj, { dryRun }) };
  // kubectl's client dry run of an existing object neither warns nor patches: `configured (dry run)`
  // with the live object
  if (client) return { op: 'configured', obj: structuredClone(current) };
  const lastText = current.metadata.annotations?.[LAST_APPLIED];
  if (!lastText && !serverSide) {
    opts.warn?.(
      `Warning: resource ${qualifiedResource(def)}/${name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n`,
    );
  }
  let original: Record<string, unknown> = {};
  try {
    original = lastText ? JSON.parse(lastText) : {};
  } catch {
    original = {};
  }
  const patch = await import('../api/patch/index.js');
  const delta = patch.createThreeWayMergePatch(original, modified, current, def.kind);
  if (!delta || Object.keys(delta).length === 0) return { op: 'unchanged', obj: structuredClone(current) };
  const merged = patch.strategicMergePatch(current, delta, def.kind);
  // annotations are omitempty: an empty map merged in is not kept
  const annotations = merged.metadata?.annotations;
  if (annotations && typeof annotations === 'object' && !Object.keys(annotations).length) delete merged.metadata.annotations;
  return { op: 'configured', obj: api.update(def, merged, { dryRun }) };
}

/** The manifest as GetModifiedConfiguration(…, annotate=false) encodes it: annotations without the last-applied one (an empty map when none is left). */
function withoutLastApplied(obj: KObj): KObj {
  const copy = structuredClone(obj);
  copy.metadata ??= {};
  const annotations = { ...(copy.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  copy.metadata.annotations = annotations;
  return copy;
}
