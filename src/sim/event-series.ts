// Events recorded through the events.k8s.io/v1 API, as kube-scheduler 1.32 records its Scheduled and
// FailedScheduling events (client-go tools/events): an event is one object per isomorphic key (the
// object it is about, reason, action, reporting controller — not the message), made at the first
// observation with `eventTime` and no count; the second observation makes it a series ({count: 2,
// lastObservedTime}) at once; later ones are only counted in the broadcaster's cache, which writes
// the series every 30 minutes (refreshExistingEventSeries) and a last time when the series ends (no
// observation for 6 minutes, finishSeries' 6-minute tick), then forgets it: the next observation
// starts a new event. Seen through core/v1, such an event has no source, count or first/last
// timestamps; kubectl prints it from eventTime and series.
import { resourceForKind } from '../api/registry.js';
import type { KObj } from '../api/types.js';
import { microTime } from './clock.js';
import type { Cluster } from './engine.js';
import { involvedObject } from './event-ref.js';
import { NODE } from './keys.js';

const FINISH_MS = 6 * 60_000;
const REFRESH_MS = 30 * 60_000;
export const SERIES_TIMER = 'event-series';

/**
 * The broadcaster's cache entries, beside the spam buckets: [count, count written, event name, last
 * observed, 0] (five long: told apart from the recorder's pending counts, which are four).
 */
const SERIES = '\u0002';
type Entry = [number, number, string, number, 0];

function cache(c: Cluster): Record<string, Entry> {
  return (c.state.eventSpam ??= {}) as unknown as Record<string, Entry>;
}

/** The tick of finishSeries (every 6 minutes) that sees a series last observed at `last` as ended. */
export function finishedAt(last: number): number {
  return (Math.floor((last + FINISH_MS) / FINISH_MS) + 1) * FINISH_MS;
}

const ACTIONS: Record<string, string> = { Scheduled: 'Binding', FailedScheduling: 'Scheduling', Preempted: 'Preempting' };

/**
 * Reasons observed at most once per object (a pod is bound once): the broadcaster's cache entry of
 * such an event is never looked up by an isomorphic one before finishSeries forgets it, so none is
 * kept (nor looked for).
 */
const ONCE = new Set(['Scheduled']);

/** `<component>-<hostname>`: the scheduler runs on the control plane node. */
function instanceOf(c: Cluster, component: string): string {
  let host = c.memo.get('events/control-plane') as string | undefined;
  if (host === undefined) {
    const nodes = c.api.list(NODE);
    host = (nodes.find((n) => n.metadata.labels?.['node-role.kubernetes.io/control-plane'] !== undefined) ?? nodes[0])?.metadata.name ?? '';
    c.memo.set('events/control-plane', host);
  }
  return host ? `${component}-${host}` : component;
}

export function recordSeriesEvent(c: Cluster, obj: KObj, type: 'Normal' | 'Warning', reason: string, message: string, component: string): void {
  const def = resourceForKind('v1', 'Event')!;
  const ns = obj.metadata.namespace ?? 'default';
  const action = ACTIONS[reason] ?? reason;
  const key = SERIES + [obj.metadata.uid, reason, action, component].join('\u0000');
  const once = ONCE.has(reason);
  const entries = cache(c);
  const now = c.now();
  let entry: Entry | undefined = once ? undefined : entries[key];
  if (entry && finishedAt(entry[3]) <= now) {
    // the series ended at a finishSeries tick before this observation: written then, forgotten
    settle(c, ns, entry);
    delete entries[key];
    entry = undefined;
  }
  if (!entry) {
    const seq = (c.state.counters.events = (c.state.counters.events ?? 0) + 1);
    const name = `${obj.metadata.name}.${(BigInt(now) * 1_000_000n + BigInt(seq % 1_000_000)).toString(16)}`;
    if (!once) entries[key] = [1, 1, name, now, 0];
    const involved = involvedObject(obj);
    const ev: KObj = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: ns },
      involvedObject: involved,
      reason,
      message,
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      type,
      eventTime: microTime(now),
      action,
      reportingComponent: component,
      reportingInstance: instanceOf(c, component),
    };
    try {
      c.api.create(def, ev);
    } catch {
      /* the namespace is gone: events are best-effort */
    }
    return;
  }
  entry[0]++;
  entry[3] = now;
  if (entry[0] === 2) {
    // an isomorphic event: now a series, written at once
    write(c, ns, entry);
    return;
  }
  if (entry[0] === 3) c.schedule(nextFlush(now, entry[3]) - now, SERIES_TIMER, `events/${ns}/${entry[2]}`, { key });
}

function nextFlush(now: number, last: number): number {
  return Math.min((Math.floor(now / REFRESH_MS) + 1) * REFRESH_MS, finishedAt(last));
}

/** Writes the series as the cache has it (a patch; a create again when the event has expired meanwhile). */
function write(c: Cluster, ns: string, entry: Entry): void {
  const def = resourceForKind('v1', 'Event')!;
  const ev = c.api.peek(def, ns, entry[2]);
  entry[1] = entry[0];
  if (!ev) return; // expired: the recorder would create it again; kept simple, the series is not shown again
  const updated = structuredClone(ev);
  updated.series = { count: entry[0], lastObservedTime: microTime(entry[3]) };
  c.api.write(def, updated);
}

/** The series' last write when it ended, if anything is left unwritten. */
function settle(c: Cluster, ns: string, entry: Entry): void {
  if (entry[0] > entry[1]) write(c, ns, entry);
}

/** The cache entry of an object's series (count, count written, event name, last observed), if any. */
export function seriesEntry(c: Cluster, uid: string, reason: string, component: string): readonly [number, number, string, number, 0] | undefined {
  return cache(c)[SERIES + [uid, reason, ACTIONS[reason] ?? reason, component].join('\u0000')];
}

/**
 * Repeats of a series in being counted elsewhere (scheduler-queue.ts: the retries of pods that fail
 * alike), applied at their times as recordSeriesEvent would have applied them; none writes to the API.
 */
export function repeatSeries(c: Cluster, uid: string, ns: string, reason: string, component: string, times: number[]): void {
  const key = SERIES + [uid, reason, ACTIONS[reason] ?? reason, component].join('\u0000');
  const entry = cache(c)[key];
  if (!entry) return;
  for (const at of times) {
    entry[0]++;
    entry[3] = at;
    if (entry[0] === 3) c.schedule(nextFlush(at, at) - c.now(), SERIES_TIMER, `events/${ns}/${entry[2]}`, { key });
  }
}

/** Brings a series up to date before its periodic work reads it (the uid of the object it is about). */
let beforeFlush: ((c: Cluster, uid: string, reason: string) => void) | undefined;
export function onSeriesFlush(fn: (c: Cluster, uid: string, reason: string) => void): void {
  beforeFlush = fn;
}

/** The broadcaster's periodic work for one series: a refresh, or its end. */
export function flushSeries(c: Cluster, t: { key: string; data?: Record<string, unknown> }): void {
  const key = String(t.data?.key);
  const entries = cache(c);
  if (beforeFlush) {
    const [uid, reason] = key.slice(SERIES.length).split('\u0000');
    beforeFlush(c, uid, reason);
  }
  const entry = entries[key];
  const [, ns, name] = t.key.split('/');
  if (!entry || entry[2] !== name) return;
  const now = c.now();
  if (finishedAt(entry[3]) <= now) {
    settle(c, ns, entry);
    delete entries[key];
    return;
  }
  if (entry[0] > entry[1]) write(c, ns, entry);
  c.schedule(nextFlush(now + 1, entry[3]) - now, SERIES_TIMER, t.key, { key });
}

/** When a cache entry may be forgotten: the series has ended (its last write is due by then). */
export function seriesEntryDue(entry: unknown[]): number {
  return finishedAt(entry[3] as number);
}
