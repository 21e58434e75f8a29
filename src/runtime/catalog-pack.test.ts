import { mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a build script (plain JavaScript, no types)
import { packCatalog } from '../tools/catalog-pack.mjs';
import { catalogFromJson, catalogFromPack } from './catalog.js';

const source = join(import.meta.dirname, '..', '..', 'fixtures', 'images.json');

describe('the image catalog pack', () => {
  it('gives every image and the rest of the catalog as the JSON does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubesim-catalog-'));
    const pack = join(dir, 'images.pack');
    writeFileSync(pack, packCatalog(readFileSync(source, 'utf8'), statSync(source)));
    const fromPack = catalogFromPack(pack, source)!;
    const fromJson = catalogFromJson(source);
    expect(fromPack).toBeDefined();
    expect(fromPack.core).toEqual(fromJson.core);
    const images = Object.values(JSON.parse(readFileSync(source, 'utf8')).images as Record<string, { registry: string }>);
    expect(images.length).toBeGreaterThan(40);
    for (const { registry } of images) expect(fromPack.image(registry)).toEqual(fromJson.image(registry));
    expect(fromPack.image('docker.io/library/no-such-image')).toBeUndefined();
    expect(fromPack.image('constructor')).toBeUndefined();
  });

  it('is not used once the catalog it was made from changed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubesim-catalog-'));
    const copy = join(dir, 'images.json');
    writeFileSync(copy, readFileSync(source));
    const pack = join(dir, 'images.pack');
    writeFileSync(pack, packCatalog(readFileSync(copy, 'utf8'), statSync(copy)));
    expect(catalogFromPack(pack, copy)).toBeDefined();
    utimesSync(copy, new Date(), new Date(Date.now() + 5000));
    expect(catalogFromPack(pack, copy)).toBeUndefined();
    expect(catalogFromPack(join(dir, 'missing.pack'), copy)).toBeUndefined();
  });
});
