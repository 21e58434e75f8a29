import { utimesSync, chmodSync, realpathSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, uptime } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { buildSync } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireLock, socketName, tryLock, type LockKind } from './lock.js';
import { BrokenStore, parseState, readState, storePaths, writeState } from './file-store.js';
import { parseLenient, salvageState } from './salvage.js';
import { emptyState } from './state.js';
import { decodeKubeconfig } from './kubeconfig.js';

const T = Date.parse('2026-11-22T21:00:00Z');
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'kubesim-store-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', resourceVersion: '321' } });

describe('file store', () => {
  it('round-trips state, replaces the file atomically and keeps the previous one as .bak', () => {
    const paths = storePaths(join(tmp(), 'home'));
    expect(readState(paths)).toBeUndefined();
    const s = emptyState(T, 7);
    writeState(paths, s);
    const back = readState(paths)!;
    const skip = { runtime: undefined, eventSpam: undefined, nodeFiles: undefined, owners: undefined, uids: undefined, nodePods: undefined };
    expect({ ...back, objects: { ...back.objects }, ...skip }).toEqual({ ...s, ...skip });
    expect(existsSync(paths.backup)).toBe(false);
    writeState(paths, { ...s, rv: 200 });
    expect(readState(paths)?.rv).toBe(200);
    expect(JSON.parse(readFileSync(paths.backup, 'utf8')).rv).toBe(100);
    expect(existsSync(paths.segdir)).toBe(false); // nothing but the manifest yet
  });

  it('creates the home and the store private', () => {
    const paths = storePaths(join(tmp(), 'home'));
    writeState(paths, emptyState(T, 7));
    expect(statSync(paths.home).mode & 0o777).toBe(0o700);
    expect(statSync(paths.file).mode & 0o777).toBe(0o600);
  });

  it('fails loudly when the state cannot land, leaving the old store', () => {
    if (process.getuid?.() === 0) return; // root writes anywhere
    const paths = storePaths(join(tmp(), 'home'));
    writeState(paths, emptyState(T, 7));
    chmodSync(paths.home, 0o500);
    try {
      expect(() => writeState(paths, { ...emptyState(T, 7), rv: 5 })).toThrow(/could not save the cluster state to .*: permission denied/);
    } finally {
      chmodSync(paths.home, 0o700);
    }
    expect(readState(paths)?.rv).toBe(100);
  });

  const broken: [string, string, RegExp][] = [
    ['empty', '', /it is empty/],
    ['truncated', JSON.stringify(emptyState(T, 1)).slice(0, 40), /truncated/],
    ['not JSON', 'hello', /not valid JSON/],
    ['BOM', `\uFEFF${JSON.stringify(emptyState(T, 1))}`, /byte-order mark/],
    ['null', 'null', /it holds null, not a cluster state/],
    ['a list', '[]', /it holds a list/],
    ['no version', '{}', /no schema version/],
    ['newer version', JSON.stringify({ ...emptyState(T, 1), schemaVersion: 99 }), /newer kubesim \(schema version 99; this kubesim reads 3\)/],
    ['clock a string', JSON.stringify({ ...emptyState(T, 1), clock: 'x' }), /field "clock" is a string, not an object/],
    ['clock far away', JSON.stringify({ ...emptyState(T, 1), clock: { mode: 'frozen', offsetMs: 0, frozenAt: 1e300 } }), /clock.frozenAt/],
    ['objects null', JSON.stringify({ ...emptyState(T, 1), objects: null }), /field "objects" is null/],
    ['object without metadata', JSON.stringify({ ...emptyState(T, 1), objects: { pods: { 'default/a': { kind: 'Pod' } } } }), /holds "default\/a", which is not an API object/],
    ['timers an object', JSON.stringify({ ...emptyState(T, 1), timers: {} }), /field "timers" is an object, not a list/],
  ];
  for (const [what, text, re] of broken) {
    it(`names the file and the reason for a store that is ${what}`, () => {
      const paths = storePaths(tmp());
      writeFileSync(paths.file, text);
      let err: unknown;
      try {
        readState(paths);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(BrokenStore);
      const msg = (err as Error).message;
      expect(msg).toMatch(re);
      expect(msg).toContain(paths.file);
      expect(msg).toMatch(/kubesim (repair|reset)/);
    });
  }

  it('reports a store that is a directory', () => {
    const paths = storePaths(tmp());
    mkdirSync(paths.file);
    expect(() => readState(paths)).toThrow(/cannot be read: it is a directory/);
  });

  it('offers the backup when there is a sound one', () => {
    const paths = storePaths(tmp());
    writeState(paths, emptyState(T, 1));
    writeState(paths, emptyState(T, 2));
    writeFileSync(paths.file, '{"schemaVersion":1,');
    expect(() => readState(paths)).toThrow(/store.json.bak: 'kubesim repair' restores it/);
  });
});

describe('salvage', () => {
  it('keeps the values read whole before the text breaks off', () => {
    const cut = parseLenient('{"a":1,"b":[1,2,{"c":3},{"d":');
    expect(cut.value).toEqual({ a: 1, b: [1, 2, { c: 3 }, {}] });
    const v = cut.value as { b: object[] };
    expect([cut.partial.has(v), cut.partial.has(v.b), cut.partial.has(v.b[2]), cut.partial.has(v.b[3])]).toEqual([true, true, false, true]);
    expect(parseLenient('\uFEFF{"a":"x\\"y"}').value).toEqual({ a: 'x"y' });
    expect(parseLenient('{"a":{"b":1},"c":{"d":2, oops').value).toEqual({ a: { b: 1 }, c: { d: 2 } });
    expect(parseLenient('garbage').value).toBeUndefined();
  });

  it('puts the whole objects of a truncated store into a new cluster', () => {
    const s = emptyState(T, 1);
    s.objects = { pods: { 'default/a': pod('a'), 'default/b': pod('b') } };
    const text = JSON.stringify(s);
    const cut = text.slice(0, text.indexOf('"b"', text.indexOf('default/b')) + 8);
    const damaged = parseLenient(cut);
    const { state, objects } = salvageState(damaged, emptyState(T + 5, 2));
    expect(objects).toBe(1);
    expect(Object.keys(state.objects.pods)).toEqual(['default/a']);
    expect(state.rv).toBe(321);
    expect(parseState(JSON.stringify(state)).state).toBeDefined();
  });
});

describe('kubeconfig', () => {
  const reason = (text: string | Buffer) => decodeKubeconfig(Buffer.isBuffer(text) ? text : Buffer.from(text));
  it("gives kubectl's reasons for a kubeconfig it cannot load", () => {
    expect(reason(Buffer.from([0x61, 0x3a, 0x20, 0xff, 0xfe, 0x0a]))).toBe('yaml: invalid leading UTF-8 octet');
    expect(reason('foo: [1\n')).toBe("yaml: line 1: did not find expected ',' or ']'");
    expect(reason('hello\n')).toBe(
      'couldn\'t get version/kind; json parse error: json: cannot unmarshal string into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }',
    );
    expect(reason('clusters: 5\n')).toBe('json: cannot unmarshal number into Go struct field Config.clusters of type []v1.NamedCluster');
    expect(reason('contexts: [1]\n')).toBe('json: cannot unmarshal number into Go struct field Config.contexts of type v1.NamedContext');
    expect(reason('null\n')).toMatchObject({ clusters: [], contexts: [], users: [] });
  });
});

describe('lock', () => {
  const kinds: LockKind[] = process.platform === 'linux' ? ['socket', 'file'] : ['file'];
  for (const kind of kinds) {
    it(`(${kind}) is exclusive, released by its owner, and waits for it`, async () => {
      const dir = tmp();
      const l = await acquireLock(dir, { kind });
      expect(await tryLock(dir, kind)).toBeUndefined();
      await expect(acquireLock(dir, { kind, timeoutMs: 50 })).rejects.toThrow(/held the store lock/);
      setTimeout(() => l.release(), 30);
      const l2 = await acquireLock(dir, { kind, timeoutMs: 2000 });
      l2.release();
      const l3 = await tryLock(dir, kind);
      expect(l3).toBeDefined();
      l3!.release();
    });

    // a socket lock taken through net (as under --pending-deprecation, or by earlier kubesim versions)
    // and one taken through Node's pipe handle are the same name: each keeps the other out
    for (const via of kind === 'socket' ? ['pipe handle', 'net'] : ['file']) {
      it(`(${kind}) is freed when its owner dies, never while it lives (owner through ${via})`, async () => {
        const dir = tmp();
        // a child process takes the lock, reports, and lives until killed
        const lockMod = join(dir, 'lock.mjs');
        const code = buildSync({ entryPoints: [join(import.meta.dirname, 'lock.ts')], bundle: true, platform: 'node', format: 'esm', write: false }).outputFiles[0].text;
        writeFileSync(lockMod, code);
        const script = `import(${JSON.stringify(lockMod)}).then(async (m) => { await m.acquireLock(${JSON.stringify(dir)}, { kind: ${JSON.stringify(kind)} }); require('fs').writeSync(1, 'held\\n'); setInterval(() => {}, 1000); });`;
        const env = { ...process.env, NODE_PENDING_DEPRECATION: via === 'net' ? '1' : '0' };
        const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'], env });
        await new Promise<void>((resolve, reject) => {
          child.stdout.on('data', (d: Buffer) => d.toString().includes('held') && resolve());
          child.on('exit', () => reject(new Error('child ended')));
        });
        await expect(acquireLock(dir, { kind, timeoutMs: 300 })).rejects.toThrow(/held the store lock/);
        child.kill('SIGKILL');
        const l = await acquireLock(dir, { kind, timeoutMs: 5000 });
        l.release();
      }, 20_000);
    }
  }

  it('(file) breaks a lock whose pid is gone, or that was left from before a reboot', async () => {
    const dir = tmp();
    const lockFile = join(dir, 'store.lock');
    writeFileSync(lockFile, '999999999 deadbeef');
    (await acquireLock(dir, { kind: 'file', timeoutMs: 1000 })).release();
    expect(existsSync(lockFile)).toBe(false);
    // pid 1 lives for ever, but this file was written before the machine booted
    writeFileSync(lockFile, '1 deadbeef');
    const before = (Date.now() - uptime() * 1000) / 1000 - 3600;
    utimesSync(lockFile, before, before);
    (await acquireLock(dir, { kind: 'file', timeoutMs: 1000 })).release();
    expect(existsSync(lockFile)).toBe(false);
  });
});

describe('lock socket name', () => {
  it('is the sha256 of the store directory real path, as node:crypto gives it', async () => {
    const { createHash } = await import('node:crypto');
    for (const dir of [tmp(), '/', '/tmp']) {
      const want = createHash('sha256').update(realpathSync(dir)).digest('hex').slice(0, 40);
      expect(socketName(dir)).toBe(`\0kubesim-store-${want}`);
    }
  });
});
