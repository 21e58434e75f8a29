// Start-up: the parsed kubeconfig copy is used only when it cannot be stale; the launcher's code
// caches are kept per V8 flag set and per bundle; the bundle is ASCII.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedKubeconfig, keepKubeconfig } from '../src/store/kubeconfig-cache.js';
import { defaultKubeconfig, loadKubeconfig, saveKubeconfig } from '../src/store/kubeconfig.js';

const root = join(__dirname, '..');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubesim-startup-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the parsed kubeconfig copy', () => {
  it('is used while the file is unchanged and old enough, and never once it changes', () => {
    const path = join(dir, 'kubeconfig');
    saveKubeconfig(path, defaultKubeconfig());
    const st = statSync(path);
    const cfg = loadKubeconfig(path);
    // made 5 s after the file's last change: trusted for that stat
    keepKubeconfig(dir, path, st, { ...cfg, marker: 'copy' }, st.ctimeMs + 5000);
    expect(cachedKubeconfig(dir, path, statSync(path))?.marker).toBe('copy');
    expect(loadKubeconfig(path, { KUBESIM_HOME: dir }).marker).toBe('copy');
    // any change of the file (size, times, inode) makes the copy unusable
    writeFileSync(path, readFileSync(path, 'utf8').replace('current-context: minikube', 'current-context: other   '));
    expect(cachedKubeconfig(dir, path, statSync(path))).toBeUndefined();
    const now = loadKubeconfig(path, { KUBESIM_HOME: dir });
    expect(now['current-context']).toBe('other');
    expect(now.marker).toBeUndefined();
  });

  it('is not trusted when it was made within two seconds of the file changing (a write in the same tick could hide)', () => {
    const path = join(dir, 'kubeconfig');
    saveKubeconfig(path, defaultKubeconfig());
    const st = statSync(path);
    keepKubeconfig(dir, path, st, { ...defaultKubeconfig(), marker: 'copy' }, st.ctimeMs + 500);
    expect(cachedKubeconfig(dir, path, st)).toBeUndefined();
    // nor made at all for a file that changed just now
    rmSync(join(dir, '.cache'), { recursive: true, force: true });
    loadKubeconfig(path, { KUBESIM_HOME: dir });
    expect(existsSync(join(dir, '.cache')) && readdirSync(join(dir, '.cache')).length).toBeFalsy();
  });

  it('keeps only what JSON gives back exactly', () => {
    const path = join(dir, 'kubeconfig');
    writeFileSync(path, 'apiVersion: v1\nkind: Config\npreferences:\n  x: .inf\n');
    const st = statSync(path);
    const cfg = loadKubeconfig(path);
    keepKubeconfig(dir, path, st, cfg, st.ctimeMs + 5000);
    expect(cachedKubeconfig(dir, path, st)).toBeUndefined();
    keepKubeconfig(dir, path, st, { ...cfg, preferences: {} }, st.ctimeMs + 5000);
    expect(cachedKubeconfig(dir, path, st)?.preferences).toEqual({});
  });
});

describe('the launcher', () => {
  const dist = join(root, 'bin', 'dist');
  const built = () => existsSync(join(dist, 'kubesim.cjs'));
  if (!built()) execFileSync(process.execPath, [join(root, 'src', 'tools', 'build.mjs')], { env: { ...process.env, KUBESIM_NO_WARM: '1' } });

  it('runs a bundle that is all ASCII (one other character makes V8 hold it as a two-byte string)', () => {
    const text = readFileSync(join(dist, 'kubesim.cjs'), 'latin1');
    expect(text.search(/[^\x00-\x7f]/)).toBe(-1);
  });

  /** a copy of bin/ (launcher and bundle, no caches) to run `version --client` from */
  function copyBin(): string {
    const bin = join(dir, 'bin');
    mkdirSync(join(bin, 'dist'), { recursive: true });
    copyFileSync(join(root, 'bin', 'kubesim'), join(bin, 'kubesim'));
    copyFileSync(join(root, 'bin', 'package.json'), join(bin, 'package.json'));
    copyFileSync(join(dist, 'kubesim.cjs'), join(bin, 'dist', 'kubesim.cjs'));
    return bin;
  }
  const run = (bin: string, env: Record<string, string> = {}) => {
    const e: Record<string, string | undefined> = { ...process.env, KUBESIM_HOME: join(dir, 'home'), ...env };
    if (!env.NODE_OPTIONS) delete e.NODE_OPTIONS;
    const r = spawnSync(process.execPath, [join(bin, 'kubesim'), 'version', '--client'], { env: e, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Client Version: /);
  };
  const caches = (bin: string) => readdirSync(join(bin, 'dist')).filter((f) => f.endsWith('.cache')).sort();

  it('keeps a code cache per V8 flag set, so runs under NODE_OPTIONS do not rewrite the plain one', () => {
    const bin = copyBin();
    run(bin);
    expect(caches(bin)).toEqual(['kubesim.cjs.version.cache']);
    const plain = statSync(join(bin, 'dist', 'kubesim.cjs.version.cache')).mtimeMs;
    run(bin, { NODE_OPTIONS: '--max-old-space-size=300' });
    const withFlags = caches(bin).filter((f) => f !== 'kubesim.cjs.version.cache');
    expect(withFlags).toHaveLength(1);
    const flagged = statSync(join(bin, 'dist', withFlags[0])).mtimeMs;
    run(bin, { NODE_OPTIONS: '--max-old-space-size=300' });
    run(bin);
    expect(statSync(join(bin, 'dist', 'kubesim.cjs.version.cache')).mtimeMs).toBe(plain);
    expect(statSync(join(bin, 'dist', withFlags[0])).mtimeMs).toBe(flagged);
  });

  it('loads no slow built-in for a read or a write (crypto, net, tty, readline, stream, http, child_process)', () => {
    const bin = copyBin();
    cpSync(join(dist, 'validators'), join(bin, 'dist', 'validators'), { recursive: true });
    const home = join(dir, 'home');
    const env: Record<string, string | undefined> = { ...process.env, KUBESIM_HOME: home };
    delete env.NODE_OPTIONS;
    for (const argv of [['clock', 'freeze'], ['run', 'web', '--image=nginx'], ['clock', 'advance', '30s']]) {
      expect(spawnSync(process.execPath, [join(bin, 'kubesim'), ...argv], { env, encoding: 'utf8' }).status).toBe(0);
    }
    // a preload that lists the built-ins loaded after start-up when the process exits
    const preload = join(dir, 'modules.cjs');
    const list = join(dir, 'modules.txt');
    writeFileSync(
      preload,
      `const before = new Set(process.moduleLoadList);
       process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.filter((m) => !before.has(m)).join('\\n')));`,
    );
    // the writes take the store's lock, a socket bound without net and named without node:crypto
    for (const argv of [['get', 'pods'], ['get', 'pod', 'web', '-o', 'wide'], ['describe', 'pod', 'web'], ['version', '--client'], ['label', 'pod', 'web', 'a=b'], ['delete', 'pod', 'web']]) {
      const r = spawnSync(process.execPath, ['--require', preload, join(bin, 'kubesim'), ...argv], { env, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const loaded = readFileSync(list, 'utf8').split('\n').filter((m) => m.startsWith('NativeModule '));
      const slow = loaded.map((m) => m.slice('NativeModule '.length)).filter((m) => /^(crypto|net|tty|readline|stream|http|child_process)$/.test(m));
      expect(slow, argv.join(' ')).toEqual([]);
    }
  });

  it('runs the bundle the build wrapped in the CommonJS wrapper as it is, and one without the wrapper', () => {
    const text = readFileSync(join(dist, 'kubesim.cjs'), 'latin1');
    expect(text.startsWith('(function (exports, require, module, __filename, __dirname) { ')).toBe(true);
    expect(text.endsWith('\n});')).toBe(true);
    const bin = copyBin();
    run(bin);
    writeFileSync(join(bin, 'dist', 'kubesim.cjs'), text.slice(text.indexOf('{ ') + 2, -4), 'latin1');
    run(bin);
  });

  it('makes a new cache for another bundle', () => {
    const bin = copyBin();
    run(bin);
    const before = readFileSync(join(bin, 'dist', 'kubesim.cjs.version.cache'));
    // another statement at the end of the bundle (inside the CommonJS wrapper the build puts around it)
    const text = readFileSync(join(bin, 'dist', 'kubesim.cjs'), 'latin1');
    writeFileSync(join(bin, 'dist', 'kubesim.cjs'), text.endsWith('\n});') ? `${text.slice(0, -4)}\n;void 0;\n});` : `${text}\n;void 0;\n`, 'latin1');
    run(bin);
    expect(readFileSync(join(bin, 'dist', 'kubesim.cjs.version.cache')).subarray(0, 16).equals(before.subarray(0, 16))).toBe(false);
  });
});
