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
  const bucket = c.state.objects['events'];
  if (!bucket) return;
  const cutoff = c.now() - EVENT_TTL_MS;
  for (const [k, e] of Object.entries(bucket)) {
    if (Date.parse(e.lastTimestamp ?? e.metadata.creationTimestamp) < cutoff) delete bucket[k];
  }
}
