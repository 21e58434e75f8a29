// TEMPORARY façade with minimal printers so the CLI runs end to end; replaced by the printers layer.
import { stringify } from 'yaml';
import type { KObj, ResourceDef } from '../api/types.js';
import { kindPrefix } from '../api/types.js';

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

export const toJson = (o: unknown, opts: { sort?: boolean } = {}) => `${JSON.stringify(opts.sort === false ? o : sortKeys(o), null, 4)}\n`;
export const toYaml = (o: unknown) => stringify(sortKeys(o));
export const listWrap = (items: KObj[]) => ({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } });

export function layoutTable(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 6, c.length + 3)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('') + '\n').join('');
}

function age(ts: string, now: number): string {
  const s = Math.floor((now - Date.parse(ts)) / 1000);
  return s < 120 ? `${s}s` : `${Math.floor(s / 60)}m`;
}

export function printTableGroups(groups: Array<{ def: ResourceDef; objects: KObj[] }>, opts: { now: number; withKind?: boolean; allNamespaces?: boolean; [k: string]: unknown }): string {
  return groups
    .map((g) => {
      const rows = [[...(opts.allNamespaces && g.def.namespaced ? ['NAMESPACE'] : []), 'NAME', ...(g.def.kind === 'Pod' ? ['STATUS'] : []), 'AGE']];
      for (const o of g.objects) {
        rows.push([
          ...(opts.allNamespaces && g.def.namespaced ? [o.metadata.namespace] : []),
          opts.withKind ? `${kindPrefix(g.def)}/${o.metadata.name}` : o.metadata.name,
          ...(g.def.kind === 'Pod' ? [o.status?.phase ?? ''] : []),
          age(o.metadata.creationTimestamp, opts.now),
        ]);
      }
      return layoutTable(rows);
    })
    .join('\n');
}

export function describeObject(_def: ResourceDef, obj: KObj, _ctx: unknown): string {
  return toYaml(obj);
}

export function jsonPathValues(o: KObj, expr: string): unknown[] {
  const path = expr.replace(/^\{|\}$/g, '').replace(/^\./, '').split('.');
  return [path.reduce((a: KObj | undefined, k) => a?.[k], o)];
}

export function jsonPath(template: string, data: KObj, _opts: unknown): string {
  return template.replace(/\{([^}]*)\}/g, (_m, e) => {
    const v = jsonPathValues(data, e)[0];
    return v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  });
}

export function customColumns(spec: string, objs: KObj[], _opts: unknown): string {
  const cols = spec.split(',').map((c) => c.split(':'));
  return layoutTable([cols.map((c) => c[0]), ...objs.map((o) => cols.map((c) => String(jsonPathValues(o, c[1])[0] ?? '<none>')))]);
}
