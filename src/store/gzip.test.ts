import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzip, gzip } from './gzip.js';

describe('store gzip', () => {
  const texts = {
    empty: '',
    small: '{"a":1}',
    pods: JSON.stringify(Array.from({ length: 400 }, (_, i) => ({ metadata: { name: `b-${i}`, labels: { app: 'bench' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } }))),
    // compresses poorly: the output outgrows the first buffer
    noise: randomBytes(600_000).toString('base64'),
    // inflates more than eightfold: the output of gunzip outgrows its first buffer
    repeated: 'x'.repeat(3_000_000),
  };
  for (const [name, text] of Object.entries(texts)) {
    it(`gives node:zlib's bytes both ways (${name})`, () => {
      const z = gzip(text, 1);
      expect(z.equals(gzipSync(text, { level: 1 }))).toBe(true);
      expect(gunzip(z).toString('utf8')).toBe(text);
      expect(gunzip(gzipSync(text)).toString('utf8')).toBe(text);
    });
  }

  it('fails as node:zlib does on data cut short or not gzip', () => {
    const z = gzip(texts.pods, 1);
    expect(() => gunzip(z.subarray(0, z.length >> 1))).toThrow('unexpected end of file');
    expect(() => gunzipSync(z.subarray(0, z.length >> 1))).toThrow('unexpected end of file');
    expect(() => gunzip(Buffer.from('not gzip data at all'))).toThrow('incorrect header check');
    // still usable after a failure
    expect(gunzip(z).toString('utf8')).toBe(texts.pods);
  });
});

describe('store gzip under --pending-deprecation', () => {
  it('uses node:zlib (process.binding would warn) and gives the same bytes, printing nothing', async () => {
    const { buildSync } = await import('esbuild');
    const { spawnSync } = await import('node:child_process');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'kubesim-gzip-'));
    const mod = join(dir, 'gzip.cjs');
    writeFileSync(mod, buildSync({ entryPoints: [join(import.meta.dirname, 'gzip.ts')], bundle: true, platform: 'node', format: 'cjs', write: false }).outputFiles[0].text);
    const script = `const g = require(${JSON.stringify(mod)}); const z = g.gzip('x'.repeat(50000) + 'y', 1); require('fs').writeSync(1, z.toString('base64') + ' ' + g.gunzip(z).length);`;
    for (const how of [['--pending-deprecation'], []]) {
      const r = spawnSync(process.execPath, [...how, '-e', script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
      expect(r.stderr).toBe('');
      const [b64, n] = r.stdout.split(' ');
      expect(Buffer.from(b64, 'base64').equals(gzipSync('x'.repeat(50000) + 'y', { level: 1 }))).toBe(true);
      expect(n).toBe('50001');
    }
  });
});
