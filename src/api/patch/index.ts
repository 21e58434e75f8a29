// TEMPORARY STUB written by the lead; the patch owner replaces this file.
import { parse } from 'yaml';
import type { KObj } from '../types.js';

export function applyMergePatch(target: KObj, patch: KObj): KObj {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: KObj = target && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v as KObj);
  }
  return out;
}

export const strategicMergePatch = (o: KObj, p: KObj, _kind: string): KObj => applyMergePatch(o, p);

export function applyJsonPatch(obj: KObj, _ops: unknown): KObj {
  return obj;
}

export function createThreeWayMergePatch(_last: KObj, modified: KObj, current: KObj, _kind: string): KObj {
  const diff = (a: KObj, b: KObj): KObj | undefined => {
    if (JSON.stringify(a) === JSON.stringify(b)) return undefined;
    if (!a || !b || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) || Array.isArray(b)) return b;
    const out: KObj = {};
    for (const k of Object.keys(b)) {
      const d = diff(a[k], b[k]);
      if (d !== undefined) out[k] = d;
    }
    return Object.keys(out).length ? out : undefined;
  };
  return diff(current, modified) ?? {};
}

export function parsePatchArg(text: string): KObj {
  return parse(text);
}
