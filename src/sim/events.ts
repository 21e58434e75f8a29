// Event recording as client-go's recorder does it (tools/record/events_cache.go): each observation
// is counted by the recorder's eventLogger first (count, firstTimestamp, the event's name), then the
// EventSourceObjectSpamFilter decides whether it reaches the API server. A dropped observation still
// counts: the next one let through carries the whole count (`x288 over 24h`). Events expire an hour
// after their last write (the API server's --event-ttl). Observations are remembered for the
// invocation so a catch-up can replay a repeating loop's events arithmetically (replayTurns).
import { resourceForKind } from '../api/registry.js';
import type { KObj } from '../api/types.js';
import { isoTime } from './clock.js';
import type { Cluster } from './engine.js';
import { involvedObject } from './event-ref.js';
import { registerDue } from '../store/segments.js';
import { entriesDue, unreadDue, valuesNear } from '../store/sharded.js';
import { skipDraws } from './random-skip.js';
import { recordSeriesEvent, seriesEntryDue } from './event-series.js';

/** random draws of an object's uid (random.ts randomUid) */
const UID_DRAWS = 32;

export interface EventSource {
  component: string;
  host?: string;
}

const EVENT_TTL_MS = 60 * 60 * 1000;

/**
 * The recorder's cache entries the API does not show yet (observations the spam filter dropped), kept
 * beside the spam buckets under `PENDING + aggregation key`: [count, first seen, event name, last seen].
 */
const PENDING = '\u0001';
type Pending = [number, number, string, number];
type Records = Record<string, [number, number] | Pending>;

function records(c: Cluster): Records {
  return (c.state.eventSpam ??= {}) as Records;
}

export interface Observation {
  at: number;
  obj: KObj;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  source: EventSource;
  fieldPath?: string;
  /** its recorder and spam-filter keys once computed (see keyed); copies made by spreading keep them */
  keys?: [string, string];
}

/** An observation's recorder (aggregation) key and spam-filter key, computed once per observation. */
function keysOf(o: Observation): [string, string] {
  return (o.keys ??= [aggKeyOf(o.obj.metadata.uid, o.type, o.reason, o.message, o.source, o.fieldPath), spamKey(o.obj, o.source)]);
}

/**
 * Gives observations their keys before copies of them are made (a replay of a day's crash loop copies
 * a few observations into thousands; their keys were each built again from the event's message).
 */
export function keyed(obs: Observation[]): Observation[] {
  for (const o of obs) keysOf(o);
  return obs;
}

/** this invocation's observations by involved object uid, and when the first one was made */
function observed(c: Cluster): { since: number; byUid: Map<string, Observation[]> } {
  let o = c.memo.get('events/observed') as { since: number; byUid: Map<string, Observation[]> } | undefined;
  if (!o) c.memo.set('events/observed', (o = { since: c.now(), byUid: new Map() }));
  return o;
}

function aggKeyOf(uid: string, type: string, reason: string, message: string, source: EventSource, fieldPath?: string): string {
  return [uid, reason, message, type, source.component, fieldPath ?? ''].join('\u0000');
}

export function recordEvent(
  c: Cluster,
  obj: KObj,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
  source: EventSource,
  fieldPath?: string,
): void {
  if (source.component === 'default-scheduler') {
    // kube-scheduler records through the events.k8s.io API: series, not counts, and no spam filter
    recordSeriesEvent(c, obj, type, reason, message, source.component);
    sweepBy(c, c.now() + 12 * 60_000);
    return;
  }
  const log = observed(c);
  const list = log.byUid.get(obj.metadata.uid) ?? [];
  list.push({ at: c.now(), obj, type, reason, message, source, fieldPath });
  log.byUid.set(obj.metadata.uid, list);
  const st = seriesState(c, obj, type, reason, message, source, fieldPath);
  st.count++;
  if (spamAllowed(c, obj, source, c.now())) pass(st, c.now());
  else st.last = c.now();
  commit(c, obj, type, reason, message, source, fieldPath, st);
}

interface SeriesState {
  key: string;
  name: string;
  first: number;
  count: number;
  /** the API object as it is (undefined: none) */
  existing?: KObj;
  /** the last observation let through in this step (what the API object will say) */
  passed?: { count: number; at: number };
  /** the last observation dropped */
  last?: number;
  /** when the API object was last written (undefined: there is none) */
  lastWrite?: number;
  /** objects made for it in this step (a first one, or again after the API server let it expire) */
  creations: number;
}

/** An observation let through at `at`: the recorder patches the event, or creates it when there is none (any more). */
function pass(st: SeriesState, at: number): void {
  if (st.lastWrite === undefined || st.lastWrite + EVENT_TTL_MS < at) st.creations++;
  st.lastWrite = at;
  st.passed = { count: st.count, at };
}

/** The recorder's view of one event: its cache entry, or the API object, or a new event. */
function seriesState(c: Cluster, obj: KObj, type: string, reason: string, message: string, source: EventSource, fieldPath?: string, aggKey?: string): SeriesState {
  const def = resourceForKind('v1', 'Event')!;
  const ns = obj.metadata.namespace ?? 'default';
  const key = aggKey ?? aggKeyOf(obj.metadata.uid, type, reason, message, source, fieldPath);
  const held = records(c)[PENDING + key] as Pending | undefined;
  const existingName = aggregationIndex(c, obj).get(key) ?? held?.[2];
  const existing = existingName ? c.api.peek(def, ns, existingName) : undefined;
  const lastWrite = existing ? Date.parse(existing.lastTimestamp ?? existing.metadata.creationTimestamp) : undefined;
  if (held) return { key, name: held[2], first: held[1], count: held[0], existing, lastWrite, creations: 0 };
  if (existing) return { key, name: existing.metadata.name, first: Date.parse(existing.firstTimestamp ?? existing.metadata.creationTimestamp), count: existing.count ?? 1, existing, lastWrite, creations: 0 };
  // client-go names an event when it is made (`<object>.<unix nanos in hex>`), whether or not it is sent
  const seq = (c.state.counters.events = (c.state.counters.events ?? 0) + 1);
  const nameSuffix = (BigInt(c.now()) * 1_000_000n + BigInt(seq % 1_000_000)).toString(16);
  return { key, name: `${obj.metadata.name}.${nameSuffix}`, first: c.now(), count: 0, creations: 0 };
}

/** Writes what the observations of a step left: the API object (when one was let through) and the recorder's pending count. */
function commit(c: Cluster, obj: KObj, type: 'Normal' | 'Warning', reason: string, message: string, source: EventSource, fieldPath: string | undefined, st: SeriesState): void {
  const recs = records(c);
  if (st.passed && st.passed.count === st.count) delete recs[PENDING + st.key];
  else {
    const last = st.last ?? c.now();
    recs[PENDING + st.key] = [st.count, st.first, st.name, last];
    sweepBy(c, last + EVENT_TTL_MS);
  }
  if (!st.passed) return;
  sweepBy(c, st.passed.at + EVENT_TTL_MS);
  const def = resourceForKind('v1', 'Event')!;
  const at = isoTime(st.passed.at);
  if (st.existing && st.creations) {
    // it had expired (the API server's TTL) before the recorder's next patch: gone, and made again
    c.api.remove(def, st.existing.metadata.namespace, st.existing.metadata.name);
    delete st.existing;
  }
  // the objects made and expired again in between took their uids
  if (st.creations > 1) skipDraws(c, UID_DRAWS * (st.creations - 1));
  if (st.existing) {
    // a new object for the API server's write; only its count, last time and resourceVersion change
    const updated: KObj = { ...st.existing, metadata: { ...st.existing.metadata } };
    updated.count = st.passed.count;
    updated.lastTimestamp = at;
    c.api.write(def, updated);
    return;
  }
  // created (or, after the API server let it expire, created again under its name: the recorder's patch found nothing)
  const involved = involvedObject(obj, fieldPath);
  const ev: KObj = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: st.name, namespace: obj.metadata.namespace ?? 'default' },
    count: st.passed.count,
    eventTime: null,
    firstTimestamp: isoTime(st.first),
    involvedObject: involved,
    lastTimestamp: at,
    message,
    reason,
    reportingComponent: source.component,
    reportingInstance: source.host ?? '',
    source: source.host ? { component: source.component, host: source.host } : { component: source.component },
    type,
  };
  try {
    c.api.create(def, ev);
    aggregationIndex(c, obj).set(st.key, st.name);
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
function spamAllowed(c: Cluster, obj: KObj, source: EventSource, now: number): boolean {
  const buckets = records(c);
  const key = spamKey(obj, source);
  const b = buckets[key] as [number, number] | undefined;
  const tokens = b ? tokensAt(b, now) : SPAM_BURST;
  if (tokens < 1) return false;
  buckets[key] = [tokens - 1, now];
  sweepBy(c, fullAt(buckets[key] as [number, number]));
  return true;
}

/** When a bucket has filled up again. */
function fullAt(b: [number, number]): number {
  return b[1] + Math.ceil((SPAM_BURST - b[0]) / SPAM_PER_MS);
}

/**
 * The earliest time expireEvents may have something to do (an event to expire, a bucket full again, a
 * pending count to forget), so an invocation before it reads neither the events nor the buckets.
 */
const SWEEP = 'eventSweep';

function sweepBy(c: Cluster, at: number): void {
  const cur = c.state.counters[SWEEP];
  if (cur === undefined || at < cur) c.state.counters[SWEEP] = at;
}

function eventKey(e: KObj): string {
  return [e.involvedObject?.uid, e.reason, e.message, e.type, e.source?.component, e.involvedObject?.fieldPath ?? ''].join('\u0000');
}

/**
 * aggregation key → event name for the events about objects named as `obj` (built once per
 * invocation from the one shard of the store that keeps them: events are named `<object>.<suffix>`)
 */
function aggregationIndex(c: Cluster, obj: KObj): Map<string, string> {
  const near = `${obj.metadata.namespace ?? 'default'}/${obj.metadata.name}`;
  const memo = `events/aggregation/${near}`;
  let index = c.memo.get(memo) as Map<string, string> | undefined;
  if (!index) {
    index = new Map();
    // the shard also holds other objects' events: only those named for this object (`<name>.<suffix>`) are keyed
    const name = obj.metadata.name;
    for (const e of valuesNear(c.state.objects['events'], near)) {
      const n: string = e.metadata.name;
      if (n.length > name.length && n.charCodeAt(name.length) === 46 && n.startsWith(name) && n.indexOf('.', name.length + 1) < 0) index.set(eventKey(e), n);
    }
    c.memo.set(memo, index);
  }
  return index;
}

/** The observations of one object made in this invocation after `since` (undefined: some may predate it). */
export function observationsAfter(c: Cluster, uid: string, since: number, which?: string | ((o: Observation) => boolean)): Observation[] | undefined {
  const log = observed(c);
  if (since <= log.since) return undefined;
  const keep = typeof which === 'function' ? which : (o: Observation) => which === undefined || o.fieldPath === which;
  return (log.byUid.get(uid) ?? []).filter((o) => o.at > since && keep(o));
}

/** Cycles replayed one by one before a steady pattern is extrapolated. */
const MAX_REPLAYED_TURNS = 20_000;

/**
 * A loop's turn (its observations `turn`, made in the turn that ended now) repeats `turns` more times,
 * each `len` ms after the one before: the recorder counts each observation and the spam filter lets
 * through what its bucket allows, as stepping through the turns would, without any API write until
 * the last. Once a turn leaves the buckets as the turn before did, the rest repeat it exactly.
 */
export function replayTurns(c: Cluster, turn: Observation[], turns: number, len: number, prefix: Observation[] = [], suffix: Observation[] = []): void {
  if ((!turns || !turn.length) && !prefix.length && !suffix.length) return;
  const recs = records(c);
  // one recorder state per event (a turn may observe one several times), by index
  const byKey = new Map<string, number>();
  const states: SeriesState[] = [];
  const stateOf = (o: Observation) => {
    const key = keysOf(o)[0];
    let s = byKey.get(key);
    if (s === undefined) {
      byKey.set(key, (s = states.length));
      states.push(seriesState(c, o.obj, o.type, o.reason, o.message, o.source, o.fieldPath, key));
    }
    return s;
  };
  const slot = Int32Array.from(turn, stateOf);
  const before = prefix.map(stateOf);
  const after = suffix.map(stateOf);
  // the buckets the observations take from, as flat arrays (tokens, time of the last take; NaN: none)
  const bucketKeyOf = new Map<Observation, string>([...prefix, ...turn, ...suffix].map((o) => [o, keysOf(o)[1]]));
  const keys = [...new Set(bucketKeyOf.values())];
  const bucketOf = Int32Array.from(turn, (o) => keys.indexOf(bucketKeyOf.get(o)!));
  const b0 = Float64Array.from(keys, (k) => (recs[k] ? (recs[k] as [number, number])[0] : Number.NaN));
  const b1 = Float64Array.from(keys, (k) => (recs[k] ? (recs[k] as [number, number])[1] : Number.NaN));
  // each event's recorder state as flat arrays while the turns are counted (NaN: none), written back at the end
  const count = Float64Array.from(states, (st) => st.count);
  const last = Float64Array.from(states, (st) => st.last ?? Number.NaN);
  const lastWrite = Float64Array.from(states, (st) => st.lastWrite ?? Number.NaN);
  const creations = Float64Array.from(states, (st) => st.creations);
  const passedCount = Float64Array.from(states, (st) => st.passed?.count ?? Number.NaN);
  const passedAt = Float64Array.from(states, (st) => st.passed?.at ?? Number.NaN);
  const ats = Float64Array.from(turn, (o) => o.at);
  /** one observation: counted, then let through when its bucket has a token (as pass() records it) */
  const observe = (s: number, k: number, at: number): number => {
    count[s]++;
    const tokens = Number.isNaN(b0[k]) ? SPAM_BURST : Math.min(SPAM_BURST, b0[k] + (at - b1[k]) * SPAM_PER_MS);
    if (tokens < 1) {
      last[s] = at;
      return 0;
    }
    b0[k] = tokens - 1;
    b1[k] = at;
    if (Number.isNaN(lastWrite[s]) || lastWrite[s] + EVENT_TTL_MS < at) creations[s]++;
    lastWrite[s] = at;
    passedCount[s] = count[s];
    passedAt[s] = at;
    return 1;
  };
  // observations due once, in order, before the repeating turns
  prefix.forEach((o, j) => observe(before[j], keys.indexOf(bucketKeyOf.get(o)!), o.at));
  const prev0 = new Float64Array(keys.length).fill(Number.NaN);
  const prev1 = new Float64Array(keys.length).fill(Number.NaN);
  let prevPattern = -1;
  const half = MAX_REPLAYED_TURNS / 2;
  const m = turn.length;
  for (let i = 1; i <= turns; i++) {
    if (i === half + 1 && turns > 2 * half) {
      // a pattern that drifts (a bucket gaining a little each turn): the middle turns are counted, not
      // replayed; the last ones are replayed again from a bucket in the same phase of its turn
      const skipped = turns - 2 * half;
      for (let j = 0; j < m; j++) count[slot[j]] += skipped;
      for (let k = 0; k < keys.length; k++) b1[k] += skipped * len;
      i += skipped;
      prevPattern = -1;
    }
    const shift = i * len;
    let pattern = 0;
    for (let j = 0; j < m; j++) pattern = pattern * 2 + observe(slot[j], bucketOf[j], ats[j] + shift);
    // steady: the same observations let through, each bucket as seen from the turn's start the same as a turn before
    let steady = pattern === prevPattern;
    for (let k = 0; k < keys.length && steady; k++) steady = Math.abs(b0[k] - prev0[k]) < 1e-6 && Math.abs(b1[k] - shift - prev1[k]) < 1e-6;
    if (steady && i < turns) {
      // the rest repeat this turn: counts grow by the turns left, times move on by their length
      const rest = turns - i;
      const seen = new Set<number>();
      for (let j = 0; j < m; j++) {
        const s = slot[j];
        if (seen.has(s)) continue;
        seen.add(s);
        let perTurn = 0;
        for (let x = 0; x < m; x++) if (slot[x] === s) perTurn++;
        const passedNow = !Number.isNaN(passedAt[s]) && passedAt[s] >= ats[0] + shift;
        const countAtPass = Number.isNaN(passedCount[s]) ? 0 : passedCount[s];
        count[s] += perTurn * rest;
        if (passedNow) {
          passedCount[s] = countAtPass + perTurn * rest;
          passedAt[s] += rest * len;
          lastWrite[s] = passedAt[s];
          if (len > EVENT_TTL_MS) creations[s] += rest;
        }
        if (!Number.isNaN(last[s])) last[s] += rest * len;
      }
      for (let k = 0; k < keys.length; k++) b1[k] += rest * len;
      break;
    }
    prevPattern = pattern;
    for (let k = 0; k < keys.length; k++) {
      prev0[k] = b0[k];
      prev1[k] = b1[k] - shift;
    }
  }
  // observations due once, in order, after the repeated turns
  suffix.forEach((o, j) => observe(after[j], keys.indexOf(bucketKeyOf.get(o)!), o.at));
  states.forEach((st, s) => {
    st.count = count[s];
    st.last = Number.isNaN(last[s]) ? undefined : last[s];
    st.lastWrite = Number.isNaN(lastWrite[s]) ? undefined : lastWrite[s];
    st.creations = creations[s];
    st.passed = Number.isNaN(passedAt[s]) ? undefined : { count: passedCount[s], at: passedAt[s] };
  });
  keys.forEach((k, i) => {
    if (Number.isNaN(b0[i])) return;
    recs[k] = [b0[i], b1[i]];
    sweepBy(c, fullAt([b0[i], b1[i]]));
  });
  const done = new Set<number>();
  [...prefix, ...turn, ...suffix].forEach((o, j) => {
    const s = j < prefix.length ? before[j] : j < prefix.length + turn.length ? slot[j - prefix.length] : after[j - prefix.length - turn.length];
    if (done.has(s)) return;
    done.add(s);
    commit(c, o.obj, o.type, o.reason, o.message, o.source, o.fieldPath, states[s]);
  });
}

/**
 * When an event expires (the API server's TTL after its last write): its last time, or for an
 * events.k8s.io event its series' last observation or its eventTime.
 */
function eventDue(e: KObj): number {
  const t = Date.parse(e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp);
  return (Number.isNaN(t) ? Date.parse(e.metadata.creationTimestamp) : t) + EVENT_TTL_MS;
}

/** When a spam bucket is full again, a pending count is forgotten, or a scheduler event series has ended. */
function recordDue(_k: string, b: unknown): number {
  if (!Array.isArray(b)) return -Infinity;
  if (b.length === 5) return seriesEntryDue(b);
  return b.length === 4 ? (b as Pending)[3] + EVENT_TTL_MS : fullAt(b as [number, number]);
}

// the store keeps each shard's earliest, so a sweep reads only the shards with something due
registerDue('events', (e) => eventDue(e as KObj));
registerDue('@spam', (b) => recordDue('', b));

/** Events expire an hour after they were last written, as the API server's event TTL does. */
export function expireEvents(c: Cluster): void {
  const now = c.now();
  const due = c.state.counters[SWEEP];
  if (due !== undefined && due > now) return;
  // only the store's shards that may hold something due are read (each keeps its earliest)
  const recs = c.state.eventSpam as Records | undefined;
  const events = c.state.objects['events'];
  const spamDue = entriesDue(recs, now);
  const eventsDue = entriesDue(events, now);
  let next = Math.min(unreadDue(recs), unreadDue(events));
  // a spam bucket that has filled up again is the same as none; a pending count an hour old is forgotten
  for (const [k, b] of spamDue) {
    const until = recordDue(k, b);
    if (until < now || (until === now && b.length !== 4)) delete recs![k];
    else next = Math.min(next, until);
  }
  const def = resourceForKind('v1', 'Event')!;
  for (const [, e] of eventsDue) {
    const until = eventDue(e);
    if (until < now) c.api.remove(def, e.metadata.namespace, e.metadata.name);
    else next = Math.min(next, until);
  }
  if (Number.isFinite(next)) c.state.counters[SWEEP] = next;
  else delete c.state.counters[SWEEP];
}
