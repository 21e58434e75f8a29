// Patch types of `kubectl patch` and apply: strategic (default), merge (RFC 7386), json (RFC 6902).
import { parse } from 'yaml';
import { CliError } from '../errors.js';
import type { KObj } from '../types.js';

export { applyJsonPatch } from './json-patch.js';
export { createThreeWayMergePatch, createTwoWayMergePatch, strategicMergePatch } from './strategic.js';

/** RFC 7386 JSON merge patch. */
export function applyMergePatch(target: KObj, patch: KObj): KObj {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: KObj = target && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v as KObj);
  }
  return out;
}

/** `-p` / `--patch-file` text: JSON or YAML. */
export function parsePatchArg(text: string): KObj {
  try {
    return JSON.parse(text);
  } catch {
    try {
      const v = parse(text);
      if (v !== null && typeof v === 'object') return v;
    } catch {
      /* fall through */
    }
    throw new CliError(`unable to parse "${text}": yaml: did not find expected node content`);
  }
}
