import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readSegmentText, readState, storePaths, writeState } from './file-store.js';
import { garbageFiles, lazyState, segmentFiles, type Manifest } from './segments.js';
import { segmentProblem } from './state-check.js';
import { packFile, packPlaces, readPlace, segmentText } from './packs.js';
import { emptyState } from './state.js';
import { homes, pod, T, withPods } from './test-stores.js';

const stores = homes('seg');
/** A throw-away home directory. */
const home = () => stores.home().home;
afterEach(() => {
  vi.useRealTimers();
  stores.clear();
});

/** The file a segment of a generation was written as. */
function segmentFile(dir: string, seg: string, gen: number, gzFrom?: number): string {
  const names = segmentFiles(seg, gen, gzFrom);
  return names.find((n) => existsSync(join(dir, n))) ?? names[names.length - 1];
}

/** The state in `h`, with a count of the segment files it reads. */
function counted(h: string) {
  const paths = storePaths(h);
  const m = JSON.parse(readFileSync(paths.file, 'utf8')) as Manifest;
  const reads: string[] = [];
  const state = lazyState(m, (record, shard, gen, _textOnly, pack) => {
    const name = pack ? packFile(gen) : segmentFile(paths.segdir, `${record}.${shard}`, gen, m.gzFrom);
    reads.push(name);
    const place = pack && packPlaces(join(paths.segdir, name), pack[2])!.get(`${record}.${shard}`)!;
    const text = place ? segmentText(readPlace(join(paths.segdir, name), place)) : readSegmentText(join(paths.segdir, name));
    return { text, rows: segmentProblem(text, true).rows! };
  });
  return { state, reads };
}

describe('the segmented store', () => {
  it('reads one segment for one object, whatever the number of objects', () => {
    for (const n of [10, 3000]) {
      const h = home();
      writeState(storePaths(h), withPods(n));
      const { state, reads } = counted(h);
      expect(state.objects.pods['default/p-7']?.metadata.name).toBe('p-7');
      expect(state.objects.pods['default/nope']).toBeUndefined();
      expect(reads.length).toBeLessThanOrEqual(2);
      expect(state.objects.services['default/x']).toBeUndefined();
      expect(reads.length).toBeLessThanOrEqual(2); // a kind with nothing stored reads nothing
    }
  });

  it('keeps insertion order across shards, as the one-object store did', () => {
    const h = home();
    const s = withPods(600);
    delete s.objects.pods['default/p-3'];
    s.objects.pods['default/p-3'] = pod('p-3');
    writeState(storePaths(h), s);
    const back = readState(storePaths(h))!;
    const keys = Object.keys(back.objects.pods);
    expect(keys).toEqual(Object.keys(s.objects.pods));
    expect(keys.at(-1)).toBe('default/p-3');
    // a re-set keeps its place, a delete and re-add goes last (plain-object semantics)
    back.objects.pods['default/p-0'] = pod('p-0');
    delete back.objects.pods['default/p-1'];
    back.objects.pods['default/p-1'] = pod('p-1');
    writeState(storePaths(h), back);
    const again = Object.keys(readState(storePaths(h))!.objects.pods);
    expect(again[0]).toBe('default/p-0');
    expect(again.slice(-2)).toEqual(['default/p-3', 'default/p-1']);
  });

  it('writes only the segments that changed, in place changes included', () => {
    const h = home();
    const paths = storePaths(h);
    writeState(paths, withPods(2000));
    const before = readdirSync(paths.segdir).length;
    expect(before).toBe(1); // one pack of all the shards
    const s = readState(paths)!;
    s.objects.pods['default/p-9'].status = { phase: 'Running' }; // changed in place, not set
    writeState(paths, s);
    const m = JSON.parse(readFileSync(paths.file, 'utf8')) as Manifest;
    const newer = Object.entries(m.segments).filter(([, g]) => g === m.gen);
    expect(newer.map(([n]) => n)).toEqual([expect.stringMatching(/^pods\.\d+$/)]);
    expect(readState(paths)!.objects.pods['default/p-9'].status).toEqual({ phase: 'Running' });
    expect(readdirSync(paths.segdir).length).toBe(before + 1); // the replaced file waits a minute
  });

  it('deletes replaced files a minute later, keeping those the backup names until then', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T);
    const h = home();
    const paths = storePaths(h);
    writeState(paths, withPods(5));
    const s = readState(paths)!;
    s.objects.pods['default/p-1'].status = { phase: 'Running' };
    writeState(paths, s);
    const bak = JSON.parse(readFileSync(paths.backup, 'utf8')) as Manifest;
    const old = Object.entries(bak.segments).map(([n, g]) => join(paths.segdir, segmentFile(paths.segdir, n, g, bak.gzFrom)));
    expect(old.every((f) => existsSync(f))).toBe(true);
    vi.setSystemTime(T + 61_000);
    const t = readState(paths)!;
    t.objects.pods['default/p-2'].status = { phase: 'Running' };
    writeState(paths, t);
    const m = JSON.parse(readFileSync(paths.file, 'utf8')) as Manifest;
    const named = new Set(Object.entries(m.segments).map(([n, g]) => segmentFile(paths.segdir, n, g, m.gzFrom)));
    const b2 = JSON.parse(readFileSync(paths.backup, 'utf8')) as Manifest;
    for (const [n, g] of Object.entries(b2.segments)) named.add(segmentFile(paths.segdir, n, g, b2.gzFrom));
    for (const [e] of m.garbage ?? []) for (const f of garbageFiles(e)) named.add(f);
    expect(readdirSync(paths.segdir).filter((f) => !named.has(f))).toEqual([]);
  });

  it('compresses big segments only, and names a damaged compressed one', () => {
    const paths = storePaths(home());
    const s = withPods(2);
    for (let i = 0; i < 200; i++) s.objects.pods[`default/p-0`] = { ...pod('p-0'), data: 'x'.repeat(200 * i) };
    writeState(paths, s);
    const files = readdirSync(paths.segdir);
    expect(files.filter((f) => f.endsWith('.json.gz')).length).toBe(1);
    expect(files.filter((f) => f.endsWith('.json')).length).toBeGreaterThan(0);
    const big = files.find((f) => f.endsWith('.json.gz'))!;
    expect(readSegmentText(join(paths.segdir, big))).toContain('x'.repeat(19_000));
    writeFileSync(join(paths.segdir, big), readFileSync(join(paths.segdir, big)).subarray(0, 40));
    expect(() => Object.keys(readState(paths)!.objects.pods)).toThrow(`its segment store.d/${big} ends in the middle of its gzip data (the file is truncated)`);
  });

  it('reads a one-file store (schema 1) and splits it at the next write', () => {
    const h = home();
    const paths = storePaths(h);
    const v1 = { ...withPods(3), schemaVersion: 1 };
    writeState(paths, emptyState(T, 1)); // makes the home
    writeFileSync(paths.file, JSON.stringify(v1));
    const s = readState(paths)!;
    expect(Object.keys(s.objects.pods)).toEqual(['default/p-0', 'default/p-1', 'default/p-2']);
    writeState(paths, s);
    const m = JSON.parse(readFileSync(paths.file, 'utf8')) as Manifest;
    expect(m.schemaVersion).toBe(3);
    expect(Object.keys(m.segments).some((n) => n.startsWith('pods.'))).toBe(true);
    expect(Object.keys(readState(paths)!.objects.pods)).toHaveLength(3);
  });
});
