// Checks that a parsed store has the shape the simulation relies on, so a damaged file is reported as
// such instead of failing somewhere inside a verb (or running a catch-up from a nonsense clock).
import type { KObj } from '../api/types.js';
import { SCHEMA_VERSION } from './state.js';

/** Times the simulation accepts: 2000-01-01 up to the end of year 9999 (epoch ms). */
const MIN_TIME = 946_684_800_000;
const MAX_TIME = 253_402_300_799_999;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function kindOf(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'a list';
  if (typeof x === 'object') return 'an object';
  return `a ${typeof x}`;
}

/** Whether `x` can be kept as a stored API object under `key`. */
export function validObject(x: unknown): x is KObj {
  if (!isRecord(x) || typeof x.kind !== 'string' || typeof x.apiVersion !== 'string') return false;
  const md = x.metadata;
  return isRecord(md) && typeof md.name === 'string' && md.name !== '';
}

function time(x: unknown): boolean {
  return typeof x === 'number' && x >= MIN_TIME && x <= MAX_TIME;
}

function int(x: unknown): boolean {
  return typeof x === 'number' && Number.isSafeInteger(x);
}

/** Whether every value of `o` is an integer (a loop: a manifest names thousands of segments). */
function everyInt(o: Record<string, unknown>): boolean {
  for (const k in o) if (!Number.isSafeInteger(o[k])) return false;
  return true;
}

/** Field problems of a store's top level, each `field "name" …`; empty when the shape is right. */
export function fieldProblems(s: Record<string, unknown>): string[] {
  const bad: string[] = [];
  const need = (ok: boolean, field: string, what: string) => {
    if (!ok) bad.push(`field "${field}" is not ${what}`);
  };
  const clock = s.clock;
  if (!isRecord(clock)) bad.push(`field "clock" is ${kindOf(clock)}, not an object`);
  else {
    need(clock.mode === 'wall' || clock.mode === 'frozen', 'clock.mode', '"wall" or "frozen"');
    need(typeof clock.offsetMs === 'number' && Math.abs(clock.offsetMs) <= MAX_TIME - MIN_TIME, 'clock.offsetMs', 'a time offset');
    need(time(clock.frozenAt), 'clock.frozenAt', 'a time between the years 2000 and 9999');
  }
  need(time(s.simTime), 'simTime', 'a time between the years 2000 and 9999');
  need(int(s.rv), 'rv', 'an integer');
  need(int(s.rand), 'rand', 'an integer');
  need(int(s.timerSeq), 'timerSeq', 'an integer');
  need(isRecord(s.counters), 'counters', 'an object');
  need(s.runtime === undefined || isRecord(s.runtime), 'runtime', 'an object');
  need(s.nodeFiles === undefined || isRecord(s.nodeFiles), 'nodeFiles', 'an object');
  if (!Array.isArray(s.timers)) bad.push(`field "timers" is ${kindOf(s.timers)}, not a list`);
  else {
    const i = s.timers.findIndex((t) => !isRecord(t) || !time(t.at) || typeof t.type !== 'string' || typeof t.key !== 'string');
    if (i >= 0) bad.push(`field "timers[${i}]" is not a timer`);
  }
  if (s.segments !== undefined || s.objects === undefined) {
    need(int(s.gen) && (s.gen as number) >= 0, 'gen', 'a generation number');
    need(int(s.seq), 'seq', 'an integer');
    if (!isRecord(s.segments)) bad.push(`field "segments" is ${kindOf(s.segments)}, not an object`);
    else if (!everyInt(s.segments)) bad.push('field "segments" holds a segment without a generation');
    const pair = (v: unknown, n: number) => Array.isArray(v) && v.length === n && v.every(int);
    if (s.packs !== undefined && (!isRecord(s.packs) || !Object.values(s.packs).every((p) => pair(p, 5)))) bad.push('field "packs" holds a pack without its use');
    if (s.shards !== undefined && (!isRecord(s.shards) || !Object.values(s.shards).every((n) => int(n) && (n as number) > 0))) bad.push('field "shards" holds a record without its number of shards');
  } else if (!isRecord(s.objects)) bad.push(`field "objects" is ${kindOf(s.objects)}, not an object`);
  else {
    for (const [resource, byKey] of Object.entries(s.objects)) {
      if (!isRecord(byKey)) {
        bad.push(`field "objects.${resource}" is ${kindOf(byKey)}, not an object`);
        continue;
      }
      const key = Object.keys(byKey).find((k) => !validObject(byKey[k]));
      if (key !== undefined) bad.push(`field "objects.${resource}" holds "${key}", which is not an API object`);
    }
  }
  return bad;
}

/** Why a parsed store cannot be used, or undefined when it can. */
export function stateProblem(s: unknown): { reason: string; newer?: boolean } | undefined {
  if (!isRecord(s)) return { reason: `it holds ${kindOf(s)}, not a cluster state` };
  if (typeof s.schemaVersion !== 'number') return { reason: 'it has no schema version' };
  if (s.schemaVersion > SCHEMA_VERSION) {
    return { reason: `it was written by a newer kubesim (schema version ${s.schemaVersion}; this kubesim reads ${SCHEMA_VERSION})`, newer: true };
  }
  if (s.schemaVersion !== SCHEMA_VERSION && s.schemaVersion !== 2 && s.schemaVersion !== 1) return { reason: `it has schema version ${s.schemaVersion}, which this kubesim does not read (${SCHEMA_VERSION})` };
  const bad = fieldProblems(s);
  if (!bad.length) return undefined;
  return { reason: `its ${bad[0]}${bad.length > 1 ? ` (and ${bad.length - 1} more problem${bad.length > 2 ? 's' : ''})` : ''}` };
}

/** A segment file's rows (`[[key, seq, value], …]`), or what is wrong with it. */
export function segmentProblem(text: string, objects: boolean): { rows?: [string, number, unknown][]; problem?: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return truncated(e, text) ? { problem: 'ends in the middle of the JSON (the file is truncated)' } : { problem: `is not valid JSON (${(e as Error).message})` };
  }
  if (!Array.isArray(json)) return { problem: `holds ${kindOf(json)}, not a list of entries` };
  for (const row of json) {
    if (!Array.isArray(row) || row.length !== 3 || typeof row[0] !== 'string' || !int(row[1])) return { problem: 'holds an entry that is not [key, seq, value]' };
    if (objects && !validObject(row[2])) return { problem: `holds "${row[0]}", which is not an API object` };
  }
  return { rows: json as [string, number, unknown][] };
}

/** Whether JSON.parse stopped because the text ended (a cut-off file) rather than at a wrong character. */
export function truncated(e: unknown, text: string): boolean {
  const msg = (e as Error).message;
  if (/end of JSON input|Unterminated/.test(msg)) return true;
  const at = /at position (\d+)/.exec(msg);
  return at !== null && Number(at[1]) >= text.trimEnd().length;
}
