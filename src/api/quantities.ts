// The API server decodes every resource.Quantity field and stores it in canonical form, so a pod
// written with `cpu: 0.5` or `memory: 1.5Gi` reads back as `500m` and `1536Mi`. Which fields are
// quantities comes from the kinds' schemas (quantity-paths.ts, generated).
import { formatQuantity, parseQuantity } from './quantity.js';
import { QUANTITY_PATHS } from './quantity-paths.js';
import type { KObj } from './types.js';

function visit(node: unknown, parts: string[], i: number): void {
  if (node === null || typeof node !== 'object') return;
  const rec = node as Record<string, unknown>;
  const keys = parts[i] === '*' ? Object.keys(rec) : [parts[i]];
  for (const k of keys) {
    if (!(k in rec)) continue;
    if (i < parts.length - 1) {
      visit(rec[k], parts, i + 1);
      continue;
    }
    const q = parseQuantity(rec[k]);
    if (q) rec[k] = formatQuantity(q); // an invalid one is left for validation to report
  }
}

/** Rewrites the quantity fields of `obj` (of its apiVersion/kind) in canonical form, in place. */
export function canonicalizeQuantities(obj: KObj): void {
  for (const path of QUANTITY_PATHS[`${obj.apiVersion}/${obj.kind}`] ?? []) visit(obj, path.split('.'), 0);
}
