// The generic describer (any kind without its own): header, then every other field of the object.

import type { KObj } from '../../api/types.js';
import { goSprint } from '../gofmt.js';
import { byteSort, maybeEvents, printAnnotationsMultiline, printLabelsMultiline, v, type DescribeContext } from './common.js';
import { LEVEL_0, tabbedString, type Writer } from './writer.js';

/** github.com/fatih/camelcase Split. */
export function camelSplit(src: string): string[] {
  const runs: string[][] = [];
  let last = 0;
  for (const ch of src) {
    const cls = /\p{Ll}/u.test(ch) ? 1 : /\p{Lu}/u.test(ch) ? 2 : /\p{Nd}/u.test(ch) ? 3 : 4;
    if (cls === last && runs.length) runs[runs.length - 1].push(ch);
    else runs.push([ch]);
    last = cls;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    if (/\p{Lu}/u.test(runs[i][0]) && /\p{Ll}/u.test(runs[i + 1][0])) {
      runs[i + 1].unshift(runs[i].pop()!);
    }
  }
  return runs.filter((r) => r.length).map((r) => r.join(''));
}

const ACRONYMS = new Set(['API', 'URL', 'UID', 'OSB', 'GUID']);

/** smartLabelFor: `apiVersion` → `API Version`, `podCIDR` → `Pod CIDR`; fields with other characters stay. */
export function smartLabelFor(field: string): string {
  if ([...field].some((ch) => !/\p{L}/u.test(ch) && ch !== '-')) return field;
  return camelSplit(field)
    .filter((p) => p !== '_')
    .map((p) => (ACRONYMS.has(p.toUpperCase()) ? p.toUpperCase() : p.replace(/(^|[^\p{L}\p{N}'])(\p{L})/gu, (_m, a: string, c: string) => a + c.toUpperCase())))
    .join(' ');
}

const isMap = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

function printUnstructured(w: Writer, level: number, content: Record<string, unknown>, skipPrefix: string, skip: Set<string>): void {
  for (const field of Object.keys(content).sort(byteSort)) {
    const value = content[field];
    const skipExpr = `${skipPrefix}.${field}`;
    if (skip.has(skipExpr)) continue;
    if (isMap(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      printUnstructured(w, level + 1, value, skipExpr, skip);
    } else if (Array.isArray(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      for (const child of value) {
        if (isMap(child)) printUnstructured(w, level + 1, child, skipExpr, skip);
        else w.write(level + 1, `${goSprint(child)}\n`);
      }
    } else {
      w.write(level, `${smartLabelFor(field)}:\t${goSprint(value)}\n`);
    }
  }
}

const SKIP = new Set(['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']);

export function describeGeneric(obj: KObj, ctx: DescribeContext): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${v(obj.metadata?.name)}\n`);
    w.write(LEVEL_0, `Namespace:\t${v(obj.metadata?.namespace)}\n`);
    printLabelsMultiline(w, 'Labels', obj.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', obj.metadata?.annotations);
    printUnstructured(w, LEVEL_0, obj, '', SKIP);
    maybeEvents(ctx, w);
  });
}
