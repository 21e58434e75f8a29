// Shared describe helpers (describe.go): labels, annotations, taints, tolerations, events.

import type { KObj } from '../../api/types.js';
import { ageOf, isSetTime, parseTime, rfc1123z } from '../duration.js';
import { goSort } from '../sort.js';
import { LEVEL_0, LEVEL_1, type Writer } from './writer.js';

export interface DescribeContext {
  /** Events about the object (already selected); omitted section when showEvents is false. */
  events: KObj[];
  now: number;
  /** Related objects by plural: pods (node, and the pods of replicasets/statefulsets/daemonsets),
   *  leases (node), resourcequotas/limitranges (namespace), replicasets (deployment),
   *  endpointslices or endpoints (service), secrets (serviceaccount). */
  related?: Record<string, KObj[]>;
  showEvents?: boolean;
}

const MAX_ANNOTATION_LEN = 140;
const ZERO_TIME = -62135596800000;
const SKIP_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

/** Go's time.Format(RFC1123Z); the zero time for a missing value. */
export function timeText(ts: unknown): string {
  if (!isSetTime(ts)) return 'Mon, 01 Jan 0001 00:00:00 +0000';
  return rfc1123z(typeof ts === 'string' ? ts : undefined);
}

/** fmt %v of a scalar value. */
export const v = (x: unknown): string => (x === undefined || x === null ? '' : String(x));
/** fmt %v of a bool field (false when missing). */
export const b = (x: unknown): string => (x ? 'true' : 'false');
/** fmt %d of a number field (0 when missing). */
export const d = (x: unknown): string => String(typeof x === 'number' ? x : Number(x ?? 0) || 0);

/** Go's sort.Strings order (byte-wise). */
export const byteSort = (a: string, c: string) => (Buffer.compare(Buffer.from(a), Buffer.from(c)));

/** printLabelsMultilineWithIndent: `Labels:\tk=v` then `\tk=v` lines, `<none>` when empty. */
export function printLabelsMultiline(w: Writer, title: string, labels: Record<string, unknown> | undefined, initialIndent = '', innerIndent = '\t', skip: Set<string> = new Set()): void {
  w.write(LEVEL_0, `${initialIndent}${title}:${innerIndent}`);
  const keys = Object.keys(labels ?? {}).filter((k) => !skip.has(k));
  if (!keys.length) {
    w.writeLine('<none>');
    return;
  }
  keys.sort(byteSort);
  keys.forEach((k, i) => {
    if (i !== 0) {
      w.write(LEVEL_0, initialIndent);
      w.write(LEVEL_0, innerIndent);
    }
    w.write(LEVEL_0, `${k}=${v(labels![k])}\n`);
  });
}

/** printAnnotationsMultiline: long or multi-line values go on their own lines, cut at 138 bytes. */
export function printAnnotationsMultiline(w: Writer, title: string, annotations: Record<string, unknown> | undefined): void {
  w.write(LEVEL_0, `${title}:\t`);
  const keys = Object.keys(annotations ?? {}).filter((k) => !SKIP_ANNOTATIONS.has(k));
  if (!keys.length) {
    w.writeLine('<none>');
    return;
  }
  keys.sort(byteSort);
  keys.forEach((k, i) => {
    if (i !== 0) w.write(LEVEL_0, '\t');
    const value = v(annotations![k]).replace(/\n$/, '');
    if (Buffer.byteLength(value) + Buffer.byteLength(k) + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(LEVEL_0, `${k}:\n`);
      for (const s of value.split('\n')) w.write(LEVEL_0, `\t  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`);
    } else {
      w.write(LEVEL_0, `${k}: ${value}\n`);
    }
  });
}

/** Cuts a string to maxLength bytes (Go slicing) and appends `...`. */
export function shorten(s: string, maxLength: number): string {
  const buf = Buffer.from(s);
  if (buf.length > maxLength) return `${buf.subarray(0, maxLength).toString()}...`;
  return s;
}

/** Taint.ToString(): `key[=value]:Effect`. */
export function taintString(t: KObj): string {
  const kv = t.value ? `${t.key}=${t.value}` : v(t.key);
  return t.effect ? `${kv}:${t.effect}` : kv;
}

export function printTaintsMultiline(w: Writer, title: string, taints: KObj[] | undefined, initialIndent = '', innerIndent = '\t'): void {
  w.write(LEVEL_0, `${initialIndent}${title}:${innerIndent}`);
  const ts = [...(taints ?? [])];
  if (!ts.length) {
    w.writeLine('<none>');
    return;
  }
  const key = (t: KObj) => `${v(t.effect)},${v(t.key)}`;
  ts.sort((a, c) => byteSort(key(a), key(c)));
  ts.forEach((t, i) => {
    if (i !== 0) {
      w.write(LEVEL_0, initialIndent);
      w.write(LEVEL_0, innerIndent);
    }
    w.write(LEVEL_0, `${taintString(t)}\n`);
  });
}

export function printTolerationsMultiline(w: Writer, title: string, tolerations: KObj[] | undefined, initialIndent = '', innerIndent = '\t'): void {
  w.write(LEVEL_0, `${initialIndent}${title}:${innerIndent}`);
  const ts = [...(tolerations ?? [])];
  if (!ts.length) {
    w.writeLine('<none>');
    return;
  }
  stableSortBy(ts, (t) => v(t.key));
  ts.forEach((t, i) => {
    if (i !== 0) {
      w.write(LEVEL_0, initialIndent);
      w.write(LEVEL_0, innerIndent);
    }
    let s = v(t.key);
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
    w.write(LEVEL_0, `${s}\n`);
  });
}

/** Stable sort by a string key (byte order). */
export function stableSortBy<T>(arr: T[], key: (x: T) => string): T[] {
  return arr.sort((a, c) => byteSort(key(a), key(c)));
}

/** `Kind/name` of the controller owner reference, or ''. */
export function controllerOf(obj: KObj): string {
  const ref = ((obj.metadata?.ownerReferences ?? []) as KObj[]).find((r) => r.controller === true);
  return ref ? `${v(ref.kind)}/${v(ref.name)}` : '';
}

/** DescribeEvents: flushes the writer, then a table sorted by lastTimestamp (`Events:\t<none>` if empty). */
export function describeEvents(events: KObj[], w: Writer, now: number): void {
  if (!events.length) {
    w.write(LEVEL_0, 'Events:\t<none>\n');
    return;
  }
  w.flush();
  const t = (e: KObj) => parseTime(e.lastTimestamp) ?? ZERO_TIME;
  // sort.Sort(event.SortableEvents(...)): Go's unstable sort, so with more than 12 events equal
  // times come out in its order
  const sorted = [...events];
  goSort(sorted.length, (i, j) => t(sorted[i]) < t(sorted[j]), (i, j) => void ([sorted[i], sorted[j]] = [sorted[j], sorted[i]]));
  w.write(LEVEL_0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(LEVEL_1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    const first = isSetTime(e.eventTime) ? ageOf(e.eventTime, now) : ageOf(e.firstTimestamp, now);
    let interval: string;
    if (e.series) interval = `${ageOf(e.series.lastObservedTime, now)} (x${d(e.series.count)} over ${first})`;
    else if (Number(e.count ?? 0) > 1) interval = `${ageOf(e.lastTimestamp, now)} (x${d(e.count)} over ${first})`;
    else interval = first;
    const source = e.source?.component || e.reportingComponent || e.reportingController || '';
    w.write(LEVEL_1, `${v(e.type)}\t${v(e.reason)}\t${interval}\t${v(source)}\t${v(e.message).trim()}\n`);
  }
}

/** Events section unless events are turned off (`--show-events=false`). */
export function maybeEvents(ctx: DescribeContext, w: Writer): void {
  if (ctx.showEvents === false) return;
  describeEvents(ctx.events ?? [], w, ctx.now);
}
