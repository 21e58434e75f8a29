// Watches (?watch=1): one poller for the whole server follows the store (the simulation runs forward
// to wall time on every look) and turns what changed into ADDED/MODIFIED/DELETED events for every
// subscriber whose path, selectors and resourceVersion they concern; chunked JSON events, one per line,
// as Tables when the client asked for server-side printing. Every kind is followed from the server's
// start (the last 2,000 events each); a watch from a version older than that is the API server's
// ERROR event with 410 Expired, `too old resource version`, so clients list again.
import { StatusError } from '../api/errors.js';
import { allResources, resourceKey } from '../api/registry.js';
import type { KObj, ResourceDef } from '../api/types.js';
import { goJson } from '../printers/wire-json.js';
import type { ChangeEvent } from '../api/server.js';
import { registerController, type Cluster } from '../sim/engine.js';
import type { ClusterAccess } from './access.js';
import { badRequest, statusOf, JSON_TYPE, type ApiRequest, type ApiResponse, type Sink } from './http-types.js';
import type { ResourcePath } from './route.js';
import { buildTable, wantsTable } from './table.js';

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

interface WatchEvent {
  type: EventType;
  obj: KObj;
  rv: number;
}

interface Tracked {
  def: ResourceDef;
  /** object key → stored object, as last seen */
  seen: Map<string, KObj>;
  /** the store's resourceVersion when tracking began */
  since: number;
  history: WatchEvent[];
}

interface Subscriber {
  def: ResourceDef;
  deliver(events: WatchEvent[], c: Cluster): void;
}

const HISTORY = 2000;
const BOOKMARK_MS = 60_000;
const PENDING_MAX = 20_000;
const POLL_MS = 500;

const keyOf = (o: KObj) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** The hubs hearing the API's change stream (every change any request or catch-up of this process makes). */
const hubs = new Set<WatchHub>();
let observing = false;

function observe(): void {
  if (observing) return;
  observing = true;
  registerController({ name: 'serve-watch', onChange: (_c, ev) => hubs.forEach((h) => h.heard(ev)) });
}

export class WatchHub {
  private tracked = new Map<string, Tracked>();
  private subs = new Set<Subscriber>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  /** changes heard since the last look, for the tracked kinds */
  private pending: { type: EventType; key: string; obj: KObj }[] = [];
  private overflow = false;

  constructor(private readonly access: ClusterAccess) {
    hubs.add(this);
    observe();
  }

  /** A change made in this process: kept (as it was then) for the next look. */
  heard(ev: ChangeEvent): void {
    const key = resourceKey(ev.def);
    if (!this.tracked.has(key)) return;
    // a bound on what waits for the next look: past it the intermediate states are given up (the
    // store's diff still tells the final ones) and the memory starts anew (older versions: 410 Gone)
    if (this.pending.length < PENDING_MAX) this.pending.push({ type: ev.type, key, obj: structuredClone(ev.obj) });
    else this.overflow = true;
  }

  /** Takes what changed since the last look from the cluster and hands it to the subscribers. */
  private look(c: Cluster): void {
    const lost = this.overflow;
    const heard = lost ? [] : this.pending;
    this.pending = [];
    this.overflow = false;
    if (lost) for (const t of this.tracked.values()) (t.history = []), (t.since = c.state.rv);
    for (const t of this.tracked.values()) {
      const events: WatchEvent[] = [];
      // the change stream first: every state an object went through, once (a reader's catch-up that
      // was not saved is run again by the next one, with the same resourceVersions)
      for (const h of heard) {
        if (h.key !== resourceKey(t.def)) continue;
        const k = keyOf(h.obj);
        const prev = t.seen.get(k);
        const rv = Number(h.obj.metadata.resourceVersion);
        if (h.type === 'DELETED') {
          if (prev && prev.metadata.uid === h.obj.metadata.uid) {
            events.push({ type: 'DELETED', obj: h.obj, rv: Math.max(rv, Number(prev.metadata.resourceVersion)) });
            t.seen.delete(k);
          }
          continue;
        }
        if (prev && prev.metadata.uid === h.obj.metadata.uid && Number(prev.metadata.resourceVersion) >= rv) continue;
        events.push({ type: prev ? 'MODIFIED' : 'ADDED', obj: h.obj, rv });
        t.seen.set(k, h.obj);
      }
      // then what the store shows that the stream did not (writes by other processes)
      const now = new Map<string, KObj>();
      for (const o of c.listAll(resourceKey(t.def))) now.set(keyOf(o), o);
      for (const [k, o] of now) {
        const before = t.seen.get(k);
        if (!before) events.push({ type: 'ADDED', obj: o, rv: Number(o.metadata.resourceVersion) });
        else if (before.metadata.resourceVersion !== o.metadata.resourceVersion || before.metadata.uid !== o.metadata.uid) {
          if (before.metadata.uid !== o.metadata.uid) events.push({ type: 'DELETED', obj: before, rv: Number(o.metadata.resourceVersion) - 0.5 }, { type: 'ADDED', obj: o, rv: Number(o.metadata.resourceVersion) });
          else events.push({ type: 'MODIFIED', obj: o, rv: Number(o.metadata.resourceVersion) });
        }
      }
      for (const [k, o] of t.seen) if (!now.has(k)) events.push({ type: 'DELETED', obj: o, rv: c.state.rv });
      t.seen = now;
      if (!events.length) continue;
      t.history.push(...events);
      if (t.history.length > HISTORY) t.history.splice(0, t.history.length - HISTORY);
      for (const s of this.subs) if (s.def === t.def) s.deliver(events, c);
    }
  }

  private track(c: Cluster, def: ResourceDef): Tracked {
    const k = resourceKey(def);
    let t = this.tracked.get(k);
    if (!t) {
      t = { def, seen: new Map(c.listAll(k).map((o) => [keyOf(o), o])), since: c.state.rv, history: [] };
      this.tracked.set(k, t);
    }
    return t;
  }

  private schedule(): void {
    if (this.timer || (!this.subs.size && this.pending.length < PENDING_MAX / 2)) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.polling) return this.schedule();
      this.polling = true;
      this.access
        .run('read', (s) => this.look(s.cluster))
        .catch(() => undefined)
        .finally(() => {
          this.polling = false;
          this.schedule();
        });
    }, POLL_MS);
  }

  private ready: Promise<void> = Promise.resolve();

  /** Follows every served kind from now on, so any version a list of this server gave can be watched from. */
  start(): void {
    this.ready = this.access
      .run('read', (s) => {
        for (const d of allResources()) this.track(s.cluster, d);
      })
      .catch(() => undefined);
  }

  /** Looks at the store now (after a write through the server, watchers hear of it at once). */
  poke(): void {
    if (!this.subs.size) return;
    void this.access.run('read', (s) => this.look(s.cluster)).catch(() => undefined);
  }

  stop(): void {
    hubs.delete(this);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.subs.clear();
  }

  /** The watch request on `rp`: a streamed answer, or a Status when it cannot start. */
  async watch(rp: ResourcePath, req: ApiRequest): Promise<ApiResponse> {
    const q = req.query;
    const rvText = q.get('resourceVersion') ?? '';
    if (rvText !== '' && !/^\d+$/.test(rvText)) return statusOf(badRequest(`resourceVersion: Invalid value: ${JSON.stringify(rvText)}: must be an integer`), rp.def);
    const table = wantsTable(String(req.headers.accept ?? ''));
    const include = q.get('includeObject') ?? 'Metadata';
    let matches: (o: KObj) => boolean;
    try {
      matches = await matcher(rp, q);
    } catch (e) {
      return statusOf(e, rp.def);
    }
    const timeout = Number(q.get('timeoutSeconds') ?? '0');
    let headersSent = false;
    const encode = (ev: { type: EventType; obj: KObj }, c: Cluster): string => {
      let object: KObj = ev.obj;
      if (table) {
        object = buildTable(rp.def, [ev.obj], c.now(), { resourceVersion: ev.obj.metadata.resourceVersion }, include, table);
        if (headersSent) delete object.columnDefinitions;
        headersSent = true;
      }
      return `${goJson({ type: ev.type, object })}\n`;
    };
    // the events owed from before the subscription: every object (no resourceVersion or 0), or what
    // changed after the given one
    await this.ready;
    const start = await this.access.run('read', (s) => {
      const c = s.cluster;
      const t = this.track(c, rp.def);
      this.look(c);
      const requested = rvText === '' ? 0 : Number(rvText);
      let owed: WatchEvent[];
      if (requested === 0) owed = [...t.seen.values()].filter(matches).map((o) => ({ type: 'ADDED' as const, obj: o, rv: Number(o.metadata.resourceVersion) }));
      else {
        // a version older than the server remembers: the API server's 410 Gone (clients list again)
        const oldest = t.history.length >= HISTORY ? t.history[0].rv : t.since;
        if (requested < oldest) return { gone: `too old resource version: ${requested} (${Math.max(t.since, oldest)})` };
        owed = t.history.filter((e) => e.rv > requested && matches(e.obj));
      }
      owed.sort((a, b) => a.rv - b.rv);
      return { text: owed.map((e) => encode(e, c)).join('') };
    });
    if ('gone' in start) {
      const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: start.gone, reason: 'Expired', code: 410 };
      return { status: 200, body: `${goJson({ type: 'ERROR', object: status })}\n`, type: JSON_TYPE };
    }
    return {
      status: 200,
      body: start.text,
      type: JSON_TYPE,
      headers: { 'Transfer-Encoding': 'chunked' },
      stream: (sink: Sink) =>
        new Promise<void>((resolve) => {
          const sub: Subscriber = {
            def: rp.def,
            deliver: (events, c) => {
              if (sink.closed) return;
              const text = events
                .filter((e) => matches(e.obj))
                .map((e) => encode(e, c))
                .join('');
              if (text) sink.write(text);
            },
          };
          this.subs.add(sub);
          this.schedule();
          let bookmarks: NodeJS.Timeout | undefined;
          const end = () => {
            if (bookmarks) clearInterval(bookmarks);
            this.subs.delete(sub);
            resolve();
          };
          if (timeout > 0) setTimeout(end, timeout * 1000);
          // allowWatchBookmarks: the resourceVersion the watch has reached, once a minute (not for Tables)
          if (q.get('allowWatchBookmarks') === 'true' && !table) {
            bookmarks = setInterval(() => {
              const t = this.tracked.get(resourceKey(rp.def));
              const rv = t ? Math.max(t.since, ...t.history.slice(-1).map((e) => Math.floor(e.rv))) : 0;
              sink.write(`${goJson({ type: 'BOOKMARK', object: { kind: rp.def.kind, apiVersion: rp.def.group ? `${rp.def.group}/${rp.def.version}` : rp.def.version, metadata: { resourceVersion: String(rv) } } })}\n`);
            }, BOOKMARK_MS);
          }
          void sink.gone.then(end);
        }),
    };
  }
}

/** The namespace, name and selectors a watch is limited to. */
async function matcher(rp: ResourcePath, q: URLSearchParams): Promise<(o: KObj) => boolean> {
  const sel = await import('../api/selectors.js');
  const label = q.get('labelSelector') ? sel.parseLabelSelector(q.get('labelSelector')!) : undefined;
  const field = q.get('fieldSelector') ? sel.fieldSelectorMatcher(rp.def.kind, sel.parseFieldSelector(q.get('fieldSelector')!), rp.def.plural, rp.def.group, rp.def.version) : undefined;
  const ns = rp.def.namespaced ? rp.namespace : undefined;
  const name = rp.name;
  if (name !== undefined && q.get('fieldSelector') && !/^metadata\.name=/.test(q.get('fieldSelector')!)) throw new StatusError('BadRequest', 'fieldSelector metadata.name doesn\'t match requested name');
  return (o) =>
    (ns === undefined || o.metadata.namespace === ns) &&
    (name === undefined || o.metadata.name === name) &&
    (!label || label.matches(o.metadata.labels)) &&
    (!field || field.matches(o));
}
