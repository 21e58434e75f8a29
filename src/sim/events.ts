// Event recording with the aggregation kubelet's and controllers' recorders do (count, first/last seen).
import { resourceForKind } from '../api/registry.js';
import type { KObj } from '../api/types.js';
import type { Cluster } from './engine.js';

export interface EventSource {
  component: string;
  host?: string;
}

const EVENT_TTL_MS = 60 * 60 * 1000;

export function recordEvent(
  c: Cluster,
  obj: KObj,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
  source: EventSource,
  fieldPath?: string,
): void {
  if (!spamAllowed(c, obj, source)) return;
  const def = resourceForKind('v1', 'Event')!;
  const ns = obj.metadata.namespace ?? 'default';
  const now = c.isoNow();
  const index = aggregationIndex(c);
  const aggKey = [obj.metadata.uid, reason, message, type, source.component, fieldPath ?? ''].join('\u0000');
  const existingName = index.get(aggKey);
  const existing = existingName ? c.api.peek(def, ns, existingName) : undefined;
  if (existing) {
    const updated = structuredClone(existing);
    updated.count = (updated.count ?? 1) + 1;
    updated.lastTimestamp = now;
    c.api.write(def, updated);
    return;
  }
  const involved: KObj = {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    name: obj.metadata.name,
    namespace: obj.metadata.namespace,
    resourceVersion: obj.metadata.resourceVersion,
    uid: obj.metadata.uid,
  };
  if (!obj.metadata.namespace) delete involved.namespace;
  if (fieldPath) involved.fieldPath = fieldPath;
  const seq = (c.state.counters.events = (c.state.counters.events ?? 0) + 1);
  const nameSuffix = (BigInt(c.now()) * 1_000_000n + BigInt(seq % 1_000_000)).toString(16);
  const ev: KObj = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${obj.metadata.name}.${nameSuffix}`, namespace: ns },
    count: 1,
    eventTime: null,
    firstTimestamp: now,
    involvedObject: involved,
    lastTimestamp: now,
    message,
    reason,
    reportingComponent: source.component,
    reportingInstance: source.host ?? '',
    source: source.host ? { component: source.component, host: source.host } : { component: source.component },
    type,
  };
  try {
    c.api.create(def, ev);
    index.set(aggKey, ev.metadata.name);
  } catch {
    /* the namespace is gone: events are best-effort */
  }
}

/** client-go's EventSourceObjectSpamFilter: 25 events per source and object, then one per 5 minutes. */
const SPAM_BURST = 25;
const SPAM_PER_MS = 1 / 300_000;

function spamKey(obj: KObj, source: EventSource): string {
  return [source.component, source.host ?? '', obj.kind, obj.metadata.namespace ?? '', obj.metadata.name, obj.metadata.uid, obj.apiVersion].join('\u0000');
}

function tokensAt(bucket: [number, number], now: number): number {
  return Math.min(SPAM_BURST, bucket[0] + (now - bucket[1]) * SPAM_PER_MS);
}

/** Takes a token of the source's bucket for the object; false (the event is dropped) when there is none. */
function spamAllowed(c: Cluster, obj: KObj, source: EventSource): boolean {
  const buckets = (c.state.eventSpam ??= {});
  const key = spamKey(obj, source);
  const now = c.now();
  const b = buckets[key];
  const tokens = b ? tokensAt(b, now) : SPAM_BURST;
  if (tokens < 1) return false;
  buckets[key] = [tokens - 1, now];
  return true;
}

function eventKey(e: KObj): string {
  return [e.involvedObject?.uid, e.reason, e.message, e.type, e.source?.component, e.involvedObject?.fieldPath ?? ''].join('\u0000');
}

/** aggregation key → event name, built once per invocation */
function aggregationIndex(c: Cluster): Map<string, string> {
  let index = c.memo.get('events/aggregation') as Map<string, string> | undefined;
  if (!index) {
    index = new Map();
    for (const e of Object.values(c.state.objects['events'] ?? {})) index.set(eventKey(e), e.metadata.name);
    c.memo.set('events/aggregation', index);
  }
  return index;
}

/** Events expire an hour after they were last seen, as the API server's event TTL does. */
export function expireEvents(c: Cluster): void {
  // a spam bucket that has filled up again is the same as none
  const spam = c.state.eventSpam;
  if (spam) for (const [k, b] of Object.entries(spam)) if (tokensAt(b, c.now()) >= SPAM_BURST) delete spam[k];
  const bucket = c.state.objects['events'];
  if (!bucket) return;
  const cutoff = c.now() - EVENT_TTL_MS;
  for (const [k, e] of Object.entries(bucket)) {
    if (Date.parse(e.lastTimestamp ?? e.metadata.creationTimestamp) < cutoff) delete bucket[k];
  }
}
