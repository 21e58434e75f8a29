// kubectl events (kubectl/pkg/cmd/events, 1.32): the events of a namespace (or all, -A), only those
// of one object with --for TYPE/NAME (a field selector on involvedObject kind, apiVersion and name),
// of some types with --types, sorted by when they were last seen; -w then prints each event that is
// added or changes, as the watch delivers it.
import { CliError } from '../api/errors.js';
import { findResource, resourceForKind } from '../api/registry.js';
import { apiVersionOf, type KObj } from '../api/types.js';
import type { Cluster } from '../sim/engine.js';
import { bool, list, parseFlags, str, type FlagSpec } from './flags.js';
import type { IO } from './io.js';
import { OUTPUT_FLAGS, outputFormat, printStructured } from './output.js';
import { withCluster } from './session.js';

const FLAGS: FlagSpec[] = [
  { name: 'all-namespaces', short: 'A', type: 'bool', default: false },
  ...OUTPUT_FLAGS,
  { name: 'chunk-size', type: 'int', default: 500 },
  { name: 'for', type: 'string', default: '' },
  { name: 'no-headers', type: 'bool', default: false },
  { name: 'types', type: 'stringSlice', default: [] },
  { name: 'watch', short: 'w', type: 'bool', default: false },
];

const FORMATS = ['json', 'yaml', 'name', 'jsonpath', 'jsonpath-file', 'jsonpath-as-json'];

interface ForObject {
  kind: string;
  apiVersion: string;
  name: string;
}

/** decodeResourceTypeName: `TYPE/NAME` through the REST mapper; undefined without a slash. */
function decodeFor(text: string): ForObject | undefined {
  if (!text.includes('/')) return undefined;
  const seg = text.split('/');
  if (seg.length !== 2) throw new CliError('arguments in resource/name form may not have more than one slash');
  const def = findResource(seg[0]);
  // the mapper's NoResourceMatchError names the partial resource as a GroupVersionResource
  if (!def) {
    const [resource, ...group] = seg[0].toLowerCase().split('.');
    throw new CliError(`no matches for ${group.join('.')}/, Resource=${resource}`);
  }
  return { kind: def.kind, apiVersion: apiVersionOf(def), name: seg[1] };
}

function typeFilter(types: string[]): (e: KObj) => boolean {
  if (!types.length) return () => true;
  const wanted = types.map((t) => t.toLowerCase());
  return (e) => wanted.includes(String(e.type ?? '').toLowerCase());
}

function listEvents(c: Cluster, namespace: string | undefined, target: ForObject | undefined): KObj[] {
  const def = resourceForKind('v1', 'Event')!;
  const items = c.api.list(def, namespace);
  if (!target?.name) return items;
  return items.filter((e) => {
    const io = e.involvedObject ?? {};
    return io.kind === target.kind && io.apiVersion === target.apiVersion && io.name === target.name;
  });
}

/** Milliseconds of a Go duration text as time.Duration.String() writes it (`1m5s`, `5s`, `500ms`). */
function goMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  let ms = 0;
  for (const m of text.matchAll(/([\d.]+)(h|ms|m|s)/g)) ms += Number(m[1]) * { h: 3_600_000, ms: 1, m: 60_000, s: 1000 }[m[2] as 'h' | 'ms' | 'm' | 's'];
  return ms;
}

export default async function events(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'events');
  const target = str(p, 'for') ? decodeFor(str(p, 'for')) : undefined;
  if (str(p, 'for') && !target) throw new CliError('--for must be in resource/name form');
  const types = [...new Set(list(p, 'types'))].sort();
  const format = outputFormat(p, FORMATS);
  for (const t of types) {
    if (t.toLowerCase() !== 'normal' && t.toLowerCase() !== 'warning') throw new CliError('valid --types are Normal or Warning');
  }
  const all = bool(p, 'all-namespaces');
  const keep = typeFilter(types);
  const pr = await import('../printers/events-command.js');
  const printer = new pr.EventPrinter(bool(p, 'no-headers'), all);
  const eventDef = resourceForKind('v1', 'Event')!;
  // a watch prints each event as itself, a listing the EventList
  const print = async (items: KObj[], now: number, one = false) => {
    if (!format) io.stdout.write(printer.print(items, now));
    else if (format === 'json' || format === 'yaml') {
      const { toJson, toYaml } = await import('../printers/index.js');
      const data = one ? pr.typedEvent(items[0]) : pr.typedEventList(items);
      io.stdout.write(format === 'json' ? toJson(data, { sort: false }) : toYaml(data));
    } else await printStructured(io, p, items.map((obj) => ({ def: eventDef, obj: pr.typedEvent(obj) })), one);
  };
  const seen = new Map<string, string>();
  let frozen = true;
  await withCluster(io, p, 'read', async (s) => {
    frozen = s.cluster.state.clock.mode === 'frozen';
    const items = listEvents(s.cluster, all ? undefined : s.namespace, target).filter(keep);
    if (bool(p, 'watch')) {
      // a watch from no resource version starts with every existing event, one at a time
      for (const e of items) {
        seen.set(`${e.metadata.namespace}/${e.metadata.name}`, e.metadata.resourceVersion);
        await print([e], s.cluster.now(), true);
      }
      return;
    }
    if (!items.length) {
      io.stderr.write(all ? 'No events found.\n' : `No events found in ${s.namespace} namespace.\n`);
      return;
    }
    // -o prints the EventList as listed, sorted all the same
    await print(pr.sortEvents(items), s.cluster.now());
  });
  if (!bool(p, 'watch') || frozen || !io.sleep) return 0;
  // --request-timeout: the server ends the watch after that long, and kubectl with it (no error)
  const { parseTimeout } = await import('./client-effects.js');
  const limit = goMs(parseTimeout(str(p, 'request-timeout')));
  const started = io.wallNow();
  for (;;) {
    if (limit !== undefined && io.wallNow() - started >= limit) return 0;
    await io.sleep(limit !== undefined ? Math.max(1, Math.min(1000, limit - (io.wallNow() - started))) : 1000);
    await withCluster(io, p, 'read', async (s) => {
      for (const e of listEvents(s.cluster, all ? undefined : s.namespace, target)) {
        const key = `${e.metadata.namespace}/${e.metadata.name}`;
        if (seen.get(key) === e.metadata.resourceVersion) continue;
        seen.set(key, e.metadata.resourceVersion);
        if (keep(e)) await print([e], s.cluster.now(), true);
      }
    });
  }
}
