// Pack files. A save that writes many segments (a command that moved a thousand crash-looping pods on
// rewrites about 1,500: pods, their briefs, runtime records, events, the spam filter) writes them into
// one file, `@pack.<gen>.pack`, instead of one file each: creating a file in store.d costs 30 µs when
// the disk is idle and about 230 µs while the previous command's files are written back, so 1,500
// creates took 300 ms where one file of the same bytes takes a few.
//
// A pack is a header line, `{"pack":1,"segments":{"pods.17":[offset, length], …}}` (offsets counted
// from the end of that line), then each segment's bytes as a segment file would hold them: plain JSON,
// or gzip data (which starts with 1f 8b; JSON never does). The manifest names the packs by generation
// with the length of their header line (a segment whose generation has a pack is kept in it), so a
// reader reads the header once, then each segment's bytes alone; the places are not in the manifest,
// which every command reads (at 10,000 pods they were 44 of its 100 KB). Like a segment file, a pack is
// never changed: it is garbage once no segment of the manifest is kept in it, and a pack mostly
// replaced by later saves has its remaining segments copied (their bytes, not parsed) into the next
// save, so a few old segments never hold a big file.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { gunzip } from './gzip.js';

/** A save that writes this many segments or more writes them as one pack. */
export const PACK_MIN = 64;

/** A segment's place in its pack: [offset from the start of the file, length]. */
export type PackPlace = [number, number];

/**
 * The manifest's entry for a pack: [segments still kept in it, segments written in it, length of its
 * header line, their bytes still kept (as known: see planSave), the bytes written].
 */
export type PackUse = [number, number, number, number, number];

export function packFile(gen: number): string {
  return `@pack.${gen}.pack`;
}

const PACK_NAME = /^@pack\.(\d+)\.pack$/;

/** The generation of a pack file's name (undefined for another file). */
export function packGen(file: string): number | undefined {
  const m = PACK_NAME.exec(file);
  return m ? Number(m[1]) : undefined;
}

/** A pack of `bodies` (segment → its bytes): the file's bytes and the length of its header line. */
export function buildPack(bodies: Map<string, Buffer>): { data: Buffer; header: number } {
  const rel: Record<string, PackPlace> = {};
  let off = 0;
  for (const [seg, b] of bodies) {
    rel[seg] = [off, b.length];
    off += b.length;
  }
  const header = Buffer.from(`${JSON.stringify({ pack: 1, segments: rel })}\n`);
  return { data: Buffer.concat([header, ...bodies.values()], header.length + off), header: header.length };
}

/**
 * The places of a pack's segments, from its header line (`header` bytes long); undefined when the
 * header cannot be read whole.
 */
export function packPlaces(file: string, header: number): Map<string, PackPlace> | undefined {
  const h = packHeader(file, header);
  return h && placesOf(h);
}

/**
 * A pack's header line as read, for looking segments up in (see placeIn): a command that reads a
 * few segments of a big pack finds them in the text instead of parsing 1,700 entries.
 */
export interface PackHeader {
  text: string;
  length: number;
  lookups: number;
  places?: Map<string, PackPlace>;
  /** places found in the text so far */
  found?: Map<string, PackPlace>;
}

const HEADER_START = '{"pack":1,"segments":{';

/** A pack's header line (`header` bytes long), or undefined when it cannot be read whole. */
export function packHeader(file: string, header: number): PackHeader | undefined {
  const bytes = readPlace(file, [0, header]);
  const text = bytes.toString('utf8');
  if (bytes.length < header || !text.startsWith(HEADER_START) || !text.endsWith('}}\n')) return undefined;
  return { text, length: header, lookups: 0 };
}

function placesOf(h: PackHeader): Map<string, PackPlace> | undefined {
  if (h.places) return h.places;
  let parsed: { segments?: Record<string, PackPlace> };
  try {
    parsed = JSON.parse(h.text) as typeof parsed;
  } catch {
    return undefined;
  }
  const places = new Map<string, PackPlace>();
  for (const [seg, p] of Object.entries(parsed.segments ?? {})) {
    if (Array.isArray(p) && Number.isInteger(p[0]) && Number.isInteger(p[1])) places.set(seg, [h.length + p[0], p[1]]);
  }
  return (h.places = places);
}

const PLACE = /(\d+),(\d+)\]/y;

/**
 * Lookups in a header's text before it is parsed whole. A search of the 10,000-pod store's 48 KB
 * header takes about 16 us; parsing it into a map of its 1,700 places, 3 to 4 ms (cold code). So a
 * command parses a header only once it has searched it about as many times as that costs: one that
 * reads most of a pack (get pods), not one that reads and rewrites a few dozen of its segments.
 */
const lookupsBeforeParse = (h: PackHeader) => Math.max(32, h.text.length / 240);

/** A segment's place in its pack: found in the header's text, or from the header parsed whole (see above). */
export function placeIn(h: PackHeader, seg: string): PackPlace | undefined {
  const known = h.places ?? h.found;
  if (known?.has(seg)) return known.get(seg);
  if (h.places || ++h.lookups > lookupsBeforeParse(h)) return placesOf(h)?.get(seg);
  // segment names are plain (letters, digits, dots, @, -): `"<name>":[` occurs only as its key
  const key = `"${seg}":[`;
  const at = h.text.indexOf(key);
  if (at < 0) return undefined;
  PLACE.lastIndex = at + key.length;
  const m = PLACE.exec(h.text);
  if (!m) return undefined;
  const place: PackPlace = [h.length + Number(m[1]), Number(m[2])];
  (h.found ??= new Map()).set(seg, place);
  return place;
}

/** The bytes at `place` in a pack file (fewer when the file is cut short). */
export function readPlace(file: string, place: PackPlace): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(place[1]);
    let got = 0;
    while (got < place[1]) {
      const n = readSync(fd, buf, got, place[1] - got, place[0] + got);
      if (n === 0) break;
      got += n;
    }
    return got < place[1] ? buf.subarray(0, got) : buf;
  } finally {
    closeSync(fd);
  }
}

/** Whether a segment's bytes are gzip data. */
export function isGzip(b: Buffer): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** A segment's text from its bytes (inflated when they are gzip data). */
export function segmentText(b: Buffer): string {
  return (isGzip(b) ? gunzip(b) : b).toString('utf8');
}

/**
 * The segments a pack file holds, by its header (for salvage and for reading a store whole): segment →
 * its bytes (cut short where the file is); undefined when the header cannot be read.
 */
export function packContents(file: string): Map<string, Buffer> | undefined {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return undefined;
  }
  const nl = data.indexOf(10);
  if (nl < 0) return undefined;
  const places = placesOf({ text: data.subarray(0, nl + 1).toString('utf8'), length: nl + 1, lookups: 0 });
  if (!places) return undefined;
  const out = new Map<string, Buffer>();
  for (const [seg, [start, length]] of places) {
    if (start < data.length) out.set(seg, data.subarray(start, Math.min(data.length, start + length)));
  }
  return out;
}
