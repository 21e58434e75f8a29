import { afterEach, describe, expect, it } from 'vitest';
import { readState, segmentReads, writeState } from './file-store.js';
import { briefValues, registerBrief, reshardAt, SHARDS, type Manifest } from './segments.js';
import { homes, manifest, withPods } from './test-stores.js';

const { home, clear } = homes('reshard');
const usual = { ...reshardAt };
afterEach(() => {
  Object.assign(reshardAt, usual);
  clear();
});

const podSegments = (m: Manifest, prefix = 'pods') => Object.keys(m.segments).filter((n) => n.startsWith(`${prefix}.`));

registerBrief('pods', 3, (v) => ({ name: (v as { metadata: { name: string } }).metadata.name }));

describe('a record that grows', () => {
  it('is spread over more shards by a save that read all of it, keeping its order and its briefs', () => {
    const paths = home();
    writeState(paths, withPods(2000));
    expect(manifest(paths).shards).toBeUndefined();
    expect(podSegments(manifest(paths)).length).toBe(SHARDS);
    // shards of ~900 characters each: over the (lowered) limit
    reshardAt.chars = 500;
    const s = readState(paths)!;
    const keys = Object.keys(s.objects.pods);
    s.objects.pods['default/p-3'].status = { phase: 'Running' };
    writeState(paths, s);
    const m = manifest(paths);
    expect(m.shards).toEqual({ pods: 1024 });
    const segs = podSegments(m);
    expect(segs.length).toBeGreaterThan(SHARDS * 3);
    expect(segs.every((n) => Number(n.split('.')[1]) < 1024)).toBe(true);
    expect(podSegments(m, '@brief3.pods').sort()).toEqual(segs.map((n) => `@brief3.${n}`).sort());
    expect(Object.values(m.segments).every((g) => g === m.gen)).toBe(true); // nothing of the old layout is named
    // one object reads one segment; the order and every object are kept
    segmentReads.clear();
    const back = readState(paths)!;
    expect(back.objects.pods['default/p-3'].status).toEqual({ phase: 'Running' });
    expect(segmentReads.get('pods')).toBe(1);
    expect(Object.keys(back.objects.pods)).toEqual(keys);
    const again = readState(paths)!;
    segmentReads.clear();
    expect(briefValues(again, 'pods')!.map((b) => (b as { name: string }).name).sort()).toEqual(keys.map((k) => k.slice(8)).sort());
    expect(segmentReads.get('pods')).toBeUndefined(); // the listing read briefs only
    expect(segmentReads.get('@brief3.pods')).toBe(segs.length);
  });

  it('is not resharded by a save that read only part of it', () => {
    const paths = home();
    writeState(paths, withPods(2000));
    reshardAt.chars = 500;
    const s = readState(paths)!;
    s.objects.pods['default/p-3'].status = { phase: 'Running' };
    writeState(paths, s);
    expect(manifest(paths).shards).toBeUndefined();
    expect(Object.keys(readState(paths)!.objects.pods)).toHaveLength(2000);
  });

  it('is written resharded at once when a new state is that big', () => {
    const paths = home();
    reshardAt.chars = 500;
    writeState(paths, withPods(2000));
    expect(manifest(paths).shards).toEqual({ pods: 1024 });
    const s = readState(paths)!;
    expect(s.objects.pods['default/p-1999'].metadata.name).toBe('p-1999');
    delete s.objects.pods['default/p-1999'];
    writeState(paths, s);
    expect(readState(paths)!.objects.pods['default/p-1999']).toBeUndefined();
    expect(Object.keys(readState(paths)!.objects.pods)).toHaveLength(1999);
  });
});
