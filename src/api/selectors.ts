// TEMPORARY STUB written by the lead; the selectors owner replaces this file.
import type { KObj } from './types.js';

export function parseLabelSelector(text: string) {
  const reqs = text.split(',').map((r) => r.split('='));
  return { matches: (labels: Record<string, string> | undefined) => reqs.every(([k, v]) => (labels ?? {})[k] === v) };
}

export function parseFieldSelector(text: string) {
  return text.split(',').map((r) => r.split('='));
}

export function fieldSelectorMatcher(_kind: string, sel: string[][]) {
  const get = (o: KObj, path: string) => path.split('.').reduce((a: KObj | undefined, k) => a?.[k], o);
  return { matches: (o: KObj) => sel.every(([k, v]) => String(get(o, k)) === v) };
}
