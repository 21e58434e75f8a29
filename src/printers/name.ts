// `-o name` and the `<kind>[.<group>]/<name> <operation>` lines (cli-runtime NamePrinter).

import type { KObj, ResourceDef } from '../api/types.js';

/** `pod`, `deployment.apps` from an object's apiVersion/kind (GroupKind, lower-cased kind). */
export function groupKindPrefix(obj: KObj): string {
  const kind = String(obj?.kind ?? '') || '<unknown>';
  const apiVersion = String(obj?.apiVersion ?? '');
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return group ? `${kind.toLowerCase()}.${group}` : kind.toLowerCase();
}

/** One `-o name` line (with ` <operation>` when given, e.g. `created`). */
export function nameLine(obj: KObj, opts: { def?: ResourceDef; operation?: string } = {}): string {
  const name = obj?.metadata?.name ? String(obj.metadata.name) : '<unknown>';
  let prefix: string;
  if (opts.def) {
    const k = opts.def.kind.toLowerCase();
    prefix = opts.def.group ? `${k}.${opts.def.group}` : k;
  } else prefix = groupKindPrefix(obj);
  return `${prefix}/${name}${opts.operation ? ` ${opts.operation}` : ''}\n`;
}

/** `-o name` for several objects; a List's items are printed one by one. */
export function printNames(objs: KObj[], opts: { operation?: string } = {}): string {
  let out = '';
  for (const o of objs) {
    if (Array.isArray(o?.items) && String(o?.kind ?? '').endsWith('List')) out += printNames(o.items, opts);
    else out += nameLine(o, opts);
  }
  return out;
}
