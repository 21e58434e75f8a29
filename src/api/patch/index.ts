// Patch types of `kubectl patch` and apply: strategic (default), merge (RFC 7386), json (RFC 6902).
import { parseDocument } from 'yaml';
import { GO_YAML_OPTIONS, resolvePlainScalars } from '../goyaml.js';
import { CliError, StatusError } from '../errors.js';
import type { KObj } from '../types.js';

import { goJsonKind } from '../manifest-checks.js';
import { goYamlError } from '../manifest.js';
import { applyJsonPatch } from './json-patch.js';
import { decodeFailure } from '../validation/schema.js';
import { decodePatched, type PatchType } from './patched.js';
import { strategicMergePatch } from './strategic.js';

export { applyJsonPatch } from './json-patch.js';
export { createThreeWayMergePatch, createTwoWayMergePatch, strategicMergePatch } from './strategic.js';
export type { PatchType } from './patched.js';

/** RFC 7386 JSON merge patch. */
export function applyMergePatch(target: KObj, patch: KObj): KObj {
  const isMapValue = (v: unknown): v is KObj => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isMapValue(patch)) return patch;
  // iterative: a patch may nest thousands deep
  const root: KObj = isMapValue(target) ? { ...target } : {};
  const stack: [KObj, KObj][] = [[root, patch]];
  while (stack.length) {
    const [out, p] = stack.pop()!;
    for (const [k, v] of Object.entries(p)) {
      if (v === null) delete out[k];
      else if (isMapValue(v)) {
        const child: KObj = isMapValue(out[k]) ? { ...out[k] } : {};
        out[k] = child;
        stack.push([child, v]);
      } else out[k] = v;
    }
  }
  return root;
}

/**
 * `-p` / `--patch-file` text: JSON or YAML, as kubectl's yaml.ToJSON reads it. A YAML scalar (`not
 * json`) is a patch too: the API server refuses it (`json: cannot unmarshal string …`), not kubectl.
 */
export function parsePatchArg(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    let doc;
    try {
      doc = parseDocument(text, GO_YAML_OPTIONS);
    } catch {
      throw new CliError(`unable to parse "${text}": yaml: did not find expected node content`);
    }
    if (doc.errors.length) throw new CliError(`unable to parse "${text}": ${goYamlError(doc.errors[0])}`);
    resolvePlainScalars(doc);
    return doc.toJS({ maxAliasCount: 10_000 }) ?? null;
  }
}

/** the Go type client-go's JSON serializer reads apiVersion and kind into (named in its errors) */
const GVK_STRUCT = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

const isMap = (v: unknown): v is KObj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the API server does with a PATCH request's body of `type` on the stored object. */
export function applyPatch(current: KObj, type: PatchType, patch: unknown, kind: string, warnings: string[] = []): KObj {
  let next: unknown;
  if (type === 'json') {
    next = patch === null ? current : applyJsonPatch(current, patch);
  } else if (type === 'merge') {
    // json-patch's MergePatch: a patch that is null or not an object or array is not a patch at all
    if (!isMap(patch) && !Array.isArray(patch)) throw new StatusError('BadRequest', 'Invalid JSON Patch');
    next = Array.isArray(patch) ? patch.filter((x) => x !== null) : applyMergePatch(current, patch);
  } else {
    if (patch !== null && !isMap(patch)) throw new StatusError('BadRequest', `json: cannot unmarshal ${goJsonKind(patch)} into Go value of type map[string]interface {}`);
    // a top-level `$patch: delete` leaves an empty object
    next = patch === null ? current : strategicMergePatch(current, patch, kind) ?? {};
  }
  if (!isMap(next)) {
    const message = `Invalid value: ${JSON.stringify(JSON.stringify(next))}: couldn't get version/kind; json parse error: json: cannot unmarshal ${goJsonKind(next)} into Go value of type ${GVK_STRUCT}`;
    throw new StatusError('Invalid', `The request is invalid: patch: ${message}`, { causes: [{ field: 'patch', message }] });
  }
  const out = decodePatched(next, current, type, patch, warnings);
  checkName(out, current);
  return out;
}

/** The handler's check that the patched object is still the one named in the request's URL. */
function checkName(obj: KObj, current: KObj): void {
  const meta = isMap(obj.metadata) ? obj.metadata : (obj.metadata = {});
  const name = meta.name ?? '';
  if (name !== current.metadata.name) {
    throw new StatusError('BadRequest', `the name of the object (${name}) does not match the name on the URL (${current.metadata.name})`);
  }
  const ns = current.metadata.namespace;
  if (ns && meta.namespace && meta.namespace !== ns) {
    throw new StatusError('BadRequest', `the namespace of the object (${meta.namespace}) does not match the namespace on the URL (${ns})`);
  }
  if (ns) meta.namespace = ns;
}

/** kubectl's cmdutil.Merge (`run --overrides`): a JSON merge patch on the object, decoded into its Go type. */
export function mergeOverrides(obj: KObj, text: string): KObj {
  let patch: unknown;
  try {
    patch = JSON.parse(text);
  } catch {
    throw new CliError('Invalid JSON Patch');
  }
  if (Array.isArray(patch)) throw new CliError(`couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type ${GVK_STRUCT}`);
  if (!isMap(patch)) throw new CliError('Invalid JSON Patch');
  const merged = applyMergePatch(obj, patch);
  const fail = decodeFailure(merged);
  if (fail) throw new CliError(fail.json);
  return merged;
}
