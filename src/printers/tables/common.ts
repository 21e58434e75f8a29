// Shared pieces of the server-side table printers (printers.go).

import type { KObj } from '../../api/types.js';
import { ageOf, humanDuration, parseTime } from '../duration.js';

/** A table column (metav1.TableColumnDefinition): priority > 0 only shows with `-o wide`. */
export interface Column {
  name: string;
  priority?: number;
  /** Format "name": the column that gets the `kind/` prefix. */
  isName?: boolean;
}

export type Cell = string | number | null | undefined;

export interface KindTable {
  columns: Column[];
  /** All cells of a row (wide cells included), in column order. */
  row(obj: KObj, now: number): Cell[];
}

export const nameCol: Column = { name: 'Name', isName: true };
export const ageCol: Column = { name: 'Age' };

/** AGE of an object (creationTimestamp). */
export const age = (obj: KObj, now: number): string => ageOf(obj?.metadata?.creationTimestamp, now);

/** translateTimestampSince for any timestamp field. */
export const since = (ts: unknown, now: number): string => ageOf(typeof ts === 'string' ? ts : undefined, now);

/** HumanDuration between two timestamps (later − earlier). */
export function durationBetween(start: unknown, end: unknown): string {
  const a = parseTime(start);
  const b = parseTime(end);
  if (a === undefined || b === undefined) return '';
  return humanDuration(b - a);
}

/** labels.FormatLabels: sorted `k=v` joined by `,`, `<none>` when empty. */
export function formatLabels(labels: Record<string, unknown> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (!keys.length) return '<none>';
  return keys.map((k) => `${k}=${String(labels![k])}`).join(',');
}

/**
 * metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key; matchLabels as `k=v`,
 * expressions as `k in (a,b)`, `k notin (a)`, `k`, `!k`. Empty for a nil/empty selector;
 * `<error>` for an invalid operator.
 */
export function labelSelectorString(sel: KObj | undefined | null): string {
  if (!sel) return '';
  const reqs: Array<{ key: string; text: string }> = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key: k, text: `${k}=${String(v)}` });
  for (const e of (sel.matchExpressions ?? []) as KObj[]) {
    const key = String(e.key ?? '');
    const values = [...new Set(((e.values ?? []) as unknown[]).map(String))].sort();
    switch (e.operator) {
      case 'In':
        reqs.push({ key, text: `${key} in (${values.join(',')})` });
        break;
      case 'NotIn':
        reqs.push({ key, text: `${key} notin (${values.join(',')})` });
        break;
      case 'Exists':
        reqs.push({ key, text: key });
        break;
      case 'DoesNotExist':
        reqs.push({ key, text: `!${key}` });
        break;
      default:
        return '<error>';
    }
  }
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map((r) => r.text).join(',');
}

/** metav1.FormatLabelSelector: like labelSelectorString but `<none>` when empty. */
export function formatLabelSelector(sel: KObj | undefined | null): string {
  const s = labelSelectorString(sel);
  return s === '' ? '<none>' : s;
}

/** CONTAINERS and IMAGES cells of a pod template. */
export function containerCells(containers: KObj[] | undefined): [string, string] {
  const cs = containers ?? [];
  return [cs.map((c) => String(c.name ?? '')).join(','), cs.map((c) => String(c.image ?? '')).join(',')];
}

/** int64 count of a possibly missing number field. */
export const int = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** printBool / printBoolPtr */
export const boolPtr = (v: unknown): string => (v === undefined || v === null ? '<unset>' : v ? 'True' : 'False');
