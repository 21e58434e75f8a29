// Salvage of a damaged store: a lenient JSON reader that keeps every value completed before the
// point where the text stops being JSON (a truncated write, a stray edit), and the assembly of a
// usable state from what it kept. Written here because the lenient parsers on npm do not tell which
// values were cut short (a pod cut in the middle of its spec looks whole), and a store can use only
// the values that were read whole.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KObj } from '../api/types.js';
import { readSegmentText } from './file-store.js';
import { parseSegmentName } from './segments.js';
import { packContents, packGen, segmentText } from './packs.js';
import { fieldProblems, segmentProblem, validObject } from './state-check.js';
import type { StoreState } from './state.js';

class Stop extends Error {}

const STRING = /"(?:[^"\\\u0000-\u001f]+|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const SCALAR = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;

/**
 * Parses as much of `text` as is JSON. Where the text stops being JSON, every container still open
 * ends there with the members it completed, and is listed in `partial`.
 */
export function parseLenient(text: string): { value: unknown; partial: WeakSet<object> } {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let stopped = false;
  const partial = new WeakSet<object>();
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const expect = (ch: string) => {
    ws();
    if (text[i] !== ch) throw new Stop();
    i++;
  };
  const token = (re: RegExp): string => {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) throw new Stop();
    i += m[0].length;
    return m[0];
  };
  const str = (): string => JSON.parse(token(STRING)) as string;
  /** Members of a container up to `close`; each read by `member`, which returns false once cut short. */
  const members = <T extends object>(into: T, close: string, member: () => void): T => {
    i++;
    try {
      ws();
      if (text[i] === close) {
        i++;
        return into;
      }
      for (;;) {
        member();
        if (stopped) break;
        ws();
        if (text[i] === close) {
          i++;
          return into;
        }
        expect(',');
      }
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
      stopped = true;
    }
    partial.add(into);
    return into;
  };
  const value = (): unknown => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      const obj: Record<string, unknown> = {};
      return members(obj, '}', () => {
        ws();
        const k = str();
        expect(':');
        obj[k] = value();
      });
    }
    if (ch === '[') {
      const arr: unknown[] = [];
      return members(arr, ']', () => void arr.push(value()));
    }
    if (ch === '"') return str();
    return JSON.parse(token(SCALAR));
  };
  try {
    return { value: value(), partial };
  } catch (e) {
    if (e instanceof Stop) return { value: undefined, partial };
    throw e;
  }
}

/**
 * Builds a usable state from a damaged one's salvaged value: the API objects that were read whole,
 * on top of `fresh` (a new cluster), and the damaged state's clock when it is still sound.
 */
export function salvageState(salvaged: ReturnType<typeof parseLenient>, fresh: StoreState): { state: StoreState; objects: number } {
  const damaged = salvaged.value;
  const state = fresh;
  let objects = 0;
  if (typeof damaged !== 'object' || damaged === null || Array.isArray(damaged)) return { state, objects };
  const d = damaged as Record<string, unknown>;
  const sound = (field: string) => !(typeof d[field] === 'object' && d[field] !== null && salvaged.partial.has(d[field] as object)) && !fieldProblems({ ...fresh, [field]: d[field] }).some((p) => p.startsWith(`field "${field}`));
  if (d.clock !== undefined && sound('clock')) state.clock = d.clock as StoreState['clock'];
  if (typeof d.rv === 'number' && sound('rv')) state.rv = Math.max(state.rv, d.rv);
  if (sound('runtime') && d.runtime) state.runtime = d.runtime as StoreState['runtime'];
  if (sound('nodeFiles') && d.nodeFiles) state.nodeFiles = d.nodeFiles as StoreState['nodeFiles'];
  const from = d.objects;
  if (typeof from !== 'object' || from === null) return { state, objects };
  delete state.counters.ownerIndex; // objects added here, not through the API server: indexed on first use
  delete state.counters.pendingIndex; // and the scheduler's queue and node usage (sim/scheduler-queue.ts, node-usage.ts)
  delete state.counters.nodeUsage;
  for (const [resource, byKey] of Object.entries(from as Record<string, unknown>)) {
    if (typeof byKey !== 'object' || byKey === null || Array.isArray(byKey)) continue;
    for (const [key, obj] of Object.entries(byKey as Record<string, unknown>)) {
      if (!validObject(obj) || salvaged.partial.has(obj)) continue;
      (state.objects[resource] ??= {})[key] = obj;
      state.rv = Math.max(state.rv, Number(obj.metadata.resourceVersion) || 0);
      objects++;
    }
  }
  return { state, objects };
}

/**
 * Adds to `state` the entries of the segment files in `segdir` (a store of schema 2): for each
 * segment, the newest of its files that is whole (older generations stay a minute after they are
 * replaced, so a damaged file often has a sound predecessor). API objects and container runtime
 * records are kept; the indexes and the event spam filter are rebuilt. Returns the objects added.
 */
export function salvageSegments(segdir: string, state: StoreState): number {
  let names: string[];
  try {
    names = readdirSync(segdir);
  } catch {
    return 0;
  }
  // each segment's files (and places in packs), by generation, each with how to read its text
  const bySegment = new Map<string, [number, () => string][]>();
  const add = (segment: string, gen: number, text: () => string) => {
    const list = bySegment.get(segment) ?? [];
    list.push([gen, text]);
    bySegment.set(segment, list);
  };
  for (const n of names) {
    const m = /^(.+)\.(\d+)\.json(\.gz)?$/.exec(n);
    if (m) add(m[1], Number(m[2]), () => readSegmentText(join(segdir, n)));
    const g = packGen(n);
    if (g !== undefined) for (const [segment, bytes] of packContents(join(segdir, n)) ?? []) add(segment, g, () => segmentText(bytes));
  }
  let objects = 0;
  delete state.counters.ownerIndex; // objects added here, not through the API server: indexed on first use
  delete state.counters.pendingIndex; // and the scheduler's queue and node usage (sim/scheduler-queue.ts, node-usage.ts)
  delete state.counters.nodeUsage;
  for (const [segment, files] of bySegment) {
    const parsed = parseSegmentName(segment);
    if (!parsed) continue;
    const [record] = parsed;
    if (record.startsWith('@') && record !== '@runtime') continue;
    for (const [, read] of files.sort((a, b) => b[0] - a[0])) {
      let text: string;
      try {
        text = read();
      } catch {
        continue;
      }
      const { rows } = segmentProblem(text, record !== '@runtime');
      if (!rows) continue;
      for (const [key, , value] of rows) {
        if (record === '@runtime') {
          (state.runtime ??= {})[key] = value as NonNullable<StoreState['runtime']>[string];
          continue;
        }
        const obj = value as KObj;
        (state.objects[record] ??= {})[key] = obj;
        state.rv = Math.max(state.rv, Number(obj.metadata.resourceVersion) || 0);
        objects++;
      }
      break;
    }
  }
  return objects;
}
