// What a user sees when the store cannot be read or written: the file, the reason and the way out,
// exit 1, never a JavaScript message or a hang; `kubesim repair` and `kubesim reset` get them going.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

let sb: Sandbox;
beforeEach(() => {
  sb = new Sandbox();
});
afterEach(() => sb.dispose());

const store = () => join(sb.home, 'store.json');
const internal = /TypeError|RangeError|Cannot read properties|is not a function|Maximum call stack|\[object Object\]|\n\s+at /;

async function twoPods() {
  await sb.run(['run', 'a', '--image=nginx']);
  await sb.run(['run', 'b', '--image=nginx']);
}

describe('an unreadable store', () => {
  const cases: [string, () => void, RegExp][] = [
    ['empty', () => writeFileSync(store(), ''), /it is empty/],
    ['truncated', () => writeFileSync(store(), readFileSync(store(), 'utf8').slice(0, 500)), /truncated/],
    ['null', () => writeFileSync(store(), 'null'), /it holds null/],
    ['a directory', () => (rmSync(store()), mkdirSync(store())), /it is a directory/],
    ['a bad clock', () => writeFileSync(store(), readFileSync(store(), 'utf8').replace(/"clock":\{[^}]*\}/, '"clock":{"mode":"wall","offsetMs":"soon","frozenAt":5}')), /field "clock.offsetMs"/],
  ];
  for (const [what, damage, reason] of cases) {
    it(`(${what}) is named with its reason, exit 1, for readers and writers alike`, async () => {
      await twoPods();
      damage();
      for (const argv of [['get', 'pods'], ['delete', 'pod', 'a'], ['run', 'c', '--image=nginx'], ['clock']]) {
        const r = await sb.run(argv);
        expect(r.code, argv.join(' ')).toBe(1);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(new RegExp(`^error: the cluster state in ${store().replace(/[.]/g, '\\.')} cannot be read: `));
        expect(r.stderr).toMatch(reason);
        expect(r.stderr).not.toMatch(internal);
      }
    });
  }

  it('is restored from the backup by kubesim repair', async () => {
    await twoPods();
    writeFileSync(store(), readFileSync(store(), 'utf8').slice(0, 700));
    const r = await sb.run(['repair']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^restored the cluster state from .*store\.json\.bak \(the state before the last write\)\nthe damaged file is kept as .*store\.json\.broken-20261122T210000Z\n$/);
    const pods = await sb.run(['get', 'pods', '-o', 'name']);
    expect(pods.stdout).toBe('pod/a\n'); // the backup is the state before the last write
  });

  it('has its whole objects salvaged by kubesim repair when there is no backup', async () => {
    await twoPods();
    writeFileSync(store(), readFileSync(store(), 'utf8').slice(0, 300));
    rmSync(`${store()}.bak`);
    const r = await sb.run(['repair']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^salvaged \d+ objects from .* into a new cluster state\n/);
    expect((await sb.run(['get', 'pods', '-o', 'name'])).stdout).toBe('pod/a\npod/b\n');
    expect((await sb.run(['repair'])).stdout).toMatch(/is sound: nothing to repair/);
  });

  it('with a damaged segment names the segment, and repair takes the state before the last write', async () => {
    await twoPods();
    const seg = join(sb.home, 'store.d');
    const manifest = JSON.parse(readFileSync(store(), 'utf8'));
    const [name, gen] = Object.entries(manifest.segments as Record<string, number>).find(([n, g]) => n.startsWith('pods.') && g === manifest.gen)!;
    writeFileSync(join(seg, `${name}.${gen}.json`), '[["default/b",1,{"kind"');
    // a listing in a format that reads the objects (a table reads their brief copies)
    const g = await sb.run(['get', 'pods', '-o', 'yaml']);
    expect(g.code).toBe(1);
    expect(g.stderr).toMatch(new RegExp(`its segment store\\.d/${name.replace(/[.]/g, '\\.')}\\.${gen}\\.json ends in the middle of the JSON`));
    expect(g.stderr).toMatch(/'kubesim repair' restores it/);
    expect(g.stderr).not.toMatch(internal);
    const r = await sb.run(['repair']);
    expect(r.stdout).toMatch(/^restored the cluster state from .*store\.json\.bak/);
    expect((await sb.run(['get', 'pods', '-o', 'name'])).stdout).toBe('pod/a\n');
  });

  it('is moved aside by kubesim reset, which starts a new cluster', async () => {
    await twoPods();
    writeFileSync(store(), '{');
    const r = await sb.run(['reset']);
    expect(r.stdout).toMatch(/^the unreadable cluster state is kept as .*store\.json\.broken-\d{8}T\d{6}Z\ncluster reset\n$/);
    expect((await sb.run(['get', 'pods'])).stderr).toBe('No resources found in default namespace.\n');
  });

  it('written by a newer kubesim is not touched by repair', async () => {
    await twoPods();
    writeFileSync(store(), readFileSync(store(), 'utf8').replace('"schemaVersion":3', '"schemaVersion":7'));
    const g = await sb.run(['get', 'pods']);
    expect(g.stderr).toMatch(/newer kubesim \(schema version 7; this kubesim reads 3\)\nUse that kubesim with this KUBESIM_HOME, or 'kubesim reset'/);
    const r = await sb.run(['repair']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot be repaired/);
  });
});

describe('a home that is not a directory', () => {
  it('is named as such', async () => {
    const file = join(sb.home, 'plain-file');
    writeFileSync(file, '');
    const r = await sb.run(['get', 'pods'], '', { KUBESIM_HOME: file });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: kubesim's home ${file} (KUBESIM_HOME) is not a directory\n`);
  });
});

describe('a write that cannot land', () => {
  it('fails loudly, prints nothing of what it would have done, and leaves the store as it was', async () => {
    await sb.run(['run', 'a', '--image=nginx']);
    mkdirSync(`${store()}.bak`, { recursive: true });
    writeFileSync(join(`${store()}.bak`, 'x'), ''); // the backup cannot be replaced
    const r = await sb.run(['run', 'c', '--image=nginx']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: could not save the cluster state to .*store\.json: /);
    expect(r.stderr).not.toMatch(internal);
    expect((await sb.run(['get', 'pods', '-o', 'name'])).stdout).toBe('pod/a\n');
  });
});

describe('a kubeconfig named elsewhere', () => {
  it('must exist when --kubeconfig names it, and is never made by reading commands', async () => {
    const r = await sb.run(['get', 'pods', '--kubeconfig', 'nope-kc']);
    expect(r).toMatchObject({ code: 1, stderr: 'error: stat nope-kc: no such file or directory\n' });
    const other = join(sb.home, 'elsewhere.yaml');
    expect((await sb.run(['get', 'pods'], '', { KUBECONFIG: other })).code).toBe(0);
    expect(existsSync(other)).toBe(false);
    expect(existsSync(join(sb.home, 'nope-kc'))).toBe(false);
  });
});

describe('an unreadable kubeconfig', () => {
  it("gets kubectl's error, and kubesim reset replaces it", async () => {
    await sb.run(['run', 'a', '--image=nginx']);
    const kc = join(sb.home, 'kubeconfig');
    writeFileSync(kc, Buffer.from([0x80, 0x81, 0xfe, 0xff, 0x00, 0x10]));
    const r = await sb.run(['get', 'pods']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: error loading config file "${kc}": yaml: invalid leading UTF-8 octet\n'kubesim reset' replaces kubesim's kubeconfig (keeping this one as kubeconfig.broken-<time>).\n`);
    expect((await sb.run(['config', 'current-context'])).code).toBe(1);
    const reset = await sb.run(['reset']);
    expect(reset.stdout).toMatch(/^kubeconfig .* could not be loaded: kept as .*kubeconfig\.broken-\d{8}T\d{6}Z, a new one is made\ncluster reset\n$/);
    expect((await sb.run(['config', 'current-context'])).stdout).toBe('minikube\n');
    expect(existsSync(kc)).toBe(true);
  });
});
