// `get events` (printers.go printEvent).

import type { KObj } from '../../api/types.js';
import { ageOf, isSetTime } from '../duration.js';
import type { Cell, KindTable } from './common.js';

export const eventsTable: KindTable = {
  columns: [
    { name: 'Last Seen' },
    { name: 'Type' },
    { name: 'Reason' },
    { name: 'Object' },
    { name: 'Subobject', priority: 1 },
    { name: 'Source', priority: 1 },
    { name: 'Message' },
    { name: 'First Seen', priority: 1 },
    { name: 'Count', priority: 1 },
    { name: 'Name', priority: 1, isName: true },
  ],
  row(ev: KObj, now: number): Cell[] {
    let first = ageOf(ev.firstTimestamp, now);
    if (!isSetTime(ev.firstTimestamp)) first = ageOf(ev.eventTime, now);
    let last = ageOf(ev.lastTimestamp, now);
    if (!isSetTime(ev.lastTimestamp)) last = first;
    let count = Number(ev.count ?? 0);
    if (ev.series) {
      last = ageOf(ev.series.lastObservedTime, now);
      count = Number(ev.series.count ?? 0);
    } else if (count === 0) count = 1;
    const io = ev.involvedObject ?? {};
    const kind = String(io.kind ?? '').toLowerCase();
    const target = io.name ? `${kind}/${io.name}` : kind;
    const component = ev.source?.component || ev.reportingComponent || ev.reportingController || '';
    const host = ev.source?.host || ev.reportingInstance || '';
    const source = host ? `${component}, ${host}` : component;
    return [last, ev.type ?? '', ev.reason ?? '', target, io.fieldPath ?? '', source, String(ev.message ?? '').trim(), first, count, ev.metadata?.name];
  },
};
