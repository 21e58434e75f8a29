import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readState, storePaths, writeState } from './file-store.js';
import { packContents, packHeader, PACK_MIN, packFile, packPlaces, placeIn, segmentText } from './packs.js';
import { salvageSegments } from './salvage.js';
import { SHARDS } from './segments.js';
import { fnv1a } from '../api/fnv.js';
import { emptyState } from './state.js';
import { homes, manifest, pod, T, withPods } from './test-stores.js';

const { home, clear } = homes('pack');
afterEach(() => {
  vi.useRealTimers();
  clear();
});

/** Changes the pods of p-0 … p-(n-1) that `pick` picks, in a state read back from the store. */
function touch(paths: ReturnType<typeof storePaths>, pick: (i: number) => boolean, n: number, mark: string): void {
  const s = readState(paths)!;
  for (let i = 0; i < n; i++) if (pick(i)) s.objects.pods[`default/p-${i}`].status = { phase: mark };
  writeState(paths, s);
}

describe('pack files', () => {
  it('hold a save of many segments in one file, each read alone at its place', () => {
    const paths = home();
    writeState(paths, withPods(3000));
    const m = manifest(paths);
    expect(readdirSync(paths.segdir)).toEqual([packFile(m.gen)]);
    const pods = Object.keys(m.segments).filter((n) => n.startsWith('pods.'));
    expect(pods.length).toBeGreaterThanOrEqual(PACK_MIN);
    const n = Object.keys(m.segments).length;
    const size = statSync(join(paths.segdir, packFile(m.gen))).size;
    expect(m.packs).toEqual({ [m.gen]: [n, n, expect.any(Number), size - m.packs![m.gen][2], size - m.packs![m.gen][2]] });
    // the manifest names the pack and its header's length, not each segment's place
    expect(readFileSync(join(paths.segdir, packFile(m.gen))).indexOf(10)).toBe(m.packs![m.gen][2] - 1);
    expect(statSync(paths.file).size).toBeLessThan(n * 30);
    const s = readState(paths)!;
    expect(s.objects.pods['default/p-2999'].metadata.name).toBe('p-2999');
    expect(Object.keys(s.objects.pods)).toHaveLength(3000);
    // the header names every segment, for salvage
    const contents = packContents(join(paths.segdir, packFile(m.gen)))!;
    expect([...contents.keys()].sort()).toEqual(Object.keys(m.segments).sort());
    expect(segmentText(contents.get(pods[0])!)).toMatch(/^\[\["default\/p-/);
  });

  it('stay while a segment is kept in them, then go a minute later as garbage', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T);
    const paths = home();
    writeState(paths, withPods(300));
    const first = manifest(paths).gen;
    // a small save writes plain files; the pack keeps the other segments
    touch(paths, (i) => i < 3, 300, 'Running');
    let m = manifest(paths);
    expect(Object.values(m.segments).filter((g) => g === m.gen).length).toBeLessThan(PACK_MIN);
    expect(m.packs![first][0]).toBe(Object.values(m.segments).filter((g) => g === first).length);
    expect(m.packs![first][1]).toBeGreaterThan(m.packs![first][0]);
    expect(existsSync(join(paths.segdir, packFile(first)))).toBe(true);
    // a save of everything writes a new pack; the first one has nothing left and goes a minute later
    touch(paths, () => true, 300, 'Failed');
    m = manifest(paths);
    expect(Object.keys(m.packs!)).toEqual([String(m.gen)]);
    expect(m.garbage!.map(([e]) => e)).toContain(packFile(first));
    vi.setSystemTime(T + 61_000);
    touch(paths, (i) => i === 7, 300, 'Succeeded');
    expect(existsSync(join(paths.segdir, packFile(first)))).toBe(false);
    const s = readState(paths)!;
    expect(s.objects.pods['default/p-7'].status).toEqual({ phase: 'Succeeded' });
    expect(s.objects.pods['default/p-8'].status).toEqual({ phase: 'Failed' });
  });

  it('mostly replaced have the segments left in them moved, as they were stored, into the next save', () => {
    const paths = home();
    const s0 = withPods(2000);
    // one big pod makes a gzip-compressed segment, moved as its bytes
    s0.objects.pods['default/p-1'] = pod('p-1', { data: 'x'.repeat(40_000) });
    writeState(paths, s0);
    const first = manifest(paths).gen;
    // the pods of about two thirds of the shards change (not p-1's): more than half the pack is replaced
    const s = readState(paths)!;
    const shardOf = (key: string) => fnv1a(key) % SHARDS;
    for (const key of Object.keys(s.objects.pods)) {
      if (shardOf(key) < 180 && shardOf(key) !== shardOf('default/p-1')) s.objects.pods[key].status = { phase: 'Running' };
    }
    writeState(paths, s);
    // the save that replaced most of the first pack moved the rest into its own
    const m = manifest(paths);
    expect(Object.keys(m.packs!)).toEqual([String(m.gen)]);
    expect(Object.values(m.segments)).not.toContain(first);
    expect(m.garbage!.map(([e]) => e)).toContain(packFile(first));
    // and so do saves too small to be packs, once they have replaced more than half of one
    touch(paths, (i) => i === 5, 2000, 'Failed');
    const small = manifest(paths);
    for (let k = 0; small.packs![m.gen] && k < 2000; k += 40) touch(paths, (i) => i >= k && i < k + 40, 2000, `Failed-${k}`);
    expect(manifest(paths).packs?.[m.gen]).toBeUndefined();
    const back = readState(paths)!;
    expect((back.objects.pods['default/p-1'] as unknown as { data: string }).data).toHaveLength(40_000);
    expect(back.objects.pods['default/p-5'].status).toEqual({ phase: 'Failed-0' });
    expect(Object.keys(back.objects.pods)).toHaveLength(2000);
  });

  it('cut short name the segment and the pack, and repair salvages the segments before the cut', () => {
    const paths = home();
    writeState(paths, withPods(1000));
    const m = manifest(paths);
    const file = join(paths.segdir, packFile(m.gen));
    const size = statSync(file).size;
    writeFileSync(file, readFileSync(file).subarray(0, Math.floor(size / 2)));
    expect(() => Object.keys(readState(paths)!.objects.pods)).toThrow(/: its segment pods\.\d+ in store\.d\/@pack\.\d+\.pack is cut short \(the file is truncated\)\n'kubesim repair' salvages/);
    const fresh = emptyState(T, 1);
    const n = salvageSegments(paths.segdir, fresh);
    expect(n).toBeGreaterThan(300);
    expect(n).toBeLessThan(1000);
  });

  it('find a segment in the header text, as parsing the header whole does', () => {
    const paths = home();
    writeState(paths, withPods(3000));
    const m = manifest(paths);
    const file = join(paths.segdir, packFile(m.gen));
    const whole = packPlaces(file, m.packs![m.gen][2])!;
    const h = packHeader(file, m.packs![m.gen][2])!;
    // the first lookups search the text, the rest use the header parsed whole; names that contain another's too
    const names = ['pods.1', '@brief3.pods.1', 'pods.11', 'pods.111', ...whole.keys()];
    for (const seg of names.slice(0, 4)) expect(placeIn(h, seg)).toEqual(whole.get(seg));
    expect(h.places).toBeUndefined();
    for (const seg of names) expect(placeIn(h, seg)).toEqual(whole.get(seg));
    expect(h.places?.size).toBe(whole.size);
    expect(placeIn(packHeader(file, m.packs![m.gen][2])!, 'pods.999')).toBeUndefined();
  });

  it('with a damaged header are named as such', () => {
    const paths = home();
    writeState(paths, withPods(1000));
    const m = manifest(paths);
    const file = join(paths.segdir, packFile(m.gen));
    const bytes = readFileSync(file);
    bytes.write('@@', 10);
    writeFileSync(file, bytes);
    expect(() => readState(paths)!.objects.pods['default/p-1']).toThrow(`its pack store.d/${packFile(m.gen)} has no readable header (the file is damaged)`);
  });

  it('missing is named as the pack', () => {
    const paths = home();
    writeState(paths, withPods(1000));
    const m = manifest(paths);
    rmSync(join(paths.segdir, packFile(m.gen)));
    expect(() => readState(paths)!.objects.pods['default/p-1']).toThrow(`its pack store.d/${packFile(m.gen)} is missing`);
  });
});
