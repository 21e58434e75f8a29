// `kubectl events` (kubectl/pkg/cmd/events): its own printer (event_printer.go) and its sort by the
// time an event was last seen (SortableEvents, Go's sort.Sort).
import type { KObj } from '../api/types.js';
import { humanDuration, isSetTime, parseTime } from './duration.js';
import { goSort } from './sort.js';
import { TabWriter } from './tabwriter.js';

/** cli-runtime's printers.EscapeTerminal. */
const escapeTerminal = (s: unknown): string => String(s ?? '').replace(/\x1b/g, '^[').replace(/\r/g, '\\r');

/** translateTimestampSince / translateMicroTimestampSince: `<unknown>` for a zero time. */
function since(ts: unknown, now: number): string {
  if (!isSetTime(ts)) return '<unknown>';
  return humanDuration(now - parseTime(ts)!);
}

/** The LAST SEEN cell: `5m`, or `2m (x4 over 10m)` for a repeated event (getInterval). */
export function eventInterval(e: KObj, now: number): string {
  const first = isSetTime(e.eventTime) ? since(e.eventTime, now) : since(e.firstTimestamp, now);
  if (e.series) return `${since(e.series.lastObservedTime, now)} (x${Number(e.series.count ?? 0)} over ${first})`;
  const count = Number(e.count ?? 0);
  if (count > 1) return `${since(e.lastTimestamp, now)} (x${count} over ${first})`;
  return first;
}

/** eventTime(): the series' last observation, else lastTimestamp, else eventTime. */
function sortTime(e: KObj): number {
  if (e.series) return parseTime(e.series.lastObservedTime) ?? -Infinity;
  if (isSetTime(e.lastTimestamp)) return parseTime(e.lastTimestamp)!;
  return isSetTime(e.eventTime) ? parseTime(e.eventTime)! : -Infinity;
}

/** sort.Sort(SortableEvents(items)): Go's unstable sort, so equal times keep Go's order. */
export function sortEvents(items: KObj[]): KObj[] {
  const out = [...items];
  const times = out.map(sortTime);
  goSort(
    out.length,
    (i, j) => times[i] < times[j],
    (i, j) => {
      [out[i], out[j]] = [out[j], out[i]];
      [times[i], times[j]] = [times[j], times[i]];
    },
  );
  return out;
}

/** One EventPrinter's lines: the header once (unless noHeaders), then a row per event. */
export class EventPrinter {
  private headerPrinted = false;
  // printers.GetNewTabWriter: minwidth 6, tabwidth 4, padding 3, RememberWidths (one writer per run)
  private readonly tw = new TabWriter({ minwidth: 6, padding: 3, rememberWidths: true });

  constructor(
    private readonly noHeaders: boolean,
    private readonly allNamespaces: boolean,
  ) {}

  /** The text of one PrintObj call followed by the tabwriter's Flush (kubectl flushes after each). */
  print(events: KObj[], now: number): string {
    let text = '';
    if (!this.noHeaders && !this.headerPrinted) {
      text += `${this.allNamespaces ? 'NAMESPACE\t' : ''}LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n`;
      this.headerPrinted = true;
    }
    for (const e of events) {
      const io = e.involvedObject ?? {};
      const ns = this.allNamespaces ? `${e.metadata?.namespace ?? ''}\t` : '';
      text += `${ns}${eventInterval(e, now)}\t${escapeTerminal(e.type)}\t${escapeTerminal(e.reason)}\t${escapeTerminal(io.kind)}/${escapeTerminal(io.name)}\t${escapeTerminal(String(e.message ?? '').trim())}\n`;
    }
    return this.tw.write(text).flush();
  }
}

const EVENT_ORDER = ['kind', 'apiVersion', 'metadata', 'involvedObject', 'reason', 'message', 'source', 'firstTimestamp', 'lastTimestamp', 'count', 'type', 'eventTime', 'series', 'action', 'related', 'reportingComponent', 'reportingInstance'];
const META_ORDER = ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'];
const REF_ORDER = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'];

function ordered(obj: KObj | undefined, order: string[]): KObj | undefined {
  if (!obj || typeof obj !== 'object') return obj;
  const out: KObj = {};
  for (const k of [...order.filter((k) => k in obj), ...Object.keys(obj).filter((k) => !order.includes(k))]) out[k] = obj[k];
  return out;
}

/** A corev1.Event as encoding/json writes the typed struct (kubectl events prints typed objects). */
export function typedEvent(e: KObj): KObj {
  const o = ordered({ ...e, kind: 'Event', apiVersion: 'v1' }, EVENT_ORDER)!;
  o.metadata = ordered(e.metadata, META_ORDER);
  if (e.involvedObject) o.involvedObject = ordered(e.involvedObject, REF_ORDER);
  if (e.source) o.source = ordered(e.source, ['component', 'host']);
  o.reportingComponent ??= '';
  o.reportingInstance ??= '';
  return o;
}

/** The corev1.EventList kubectl events builds: only its type set, an empty ListMeta. */
export function typedEventList(items: KObj[]): KObj {
  return { kind: 'EventList', apiVersion: 'v1', metadata: {}, items: items.map(typedEvent) };
}
