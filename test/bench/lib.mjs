// Helpers for the bench: timed child processes (wall time, peak memory), medians of interleaved
// runs, scratch homes, store sizes and manifests.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const kubesim = join(root, 'bin', 'kubesim');
export const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS; // makes every Node start read the CA file
delete env.KUBESIM_STARTUP_TRACE;
delete env.KUBESIM_WALL_SKEW_MS;

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/**
 * Runs a command; { ms, code, stdout, stderr, timedOut, rssMB }. With `memory`, it runs under
 * /usr/bin/time for its peak resident memory (maxRSS), which adds an exec to the time.
 */
export function run(cmd, args, { home, extraEnv = {}, input, timeoutMs = 600_000, memory = false } = {}) {
  const e = { ...env, ...(home ? { KUBESIM_HOME: home } : {}), ...extraEnv };
  let file = cmd;
  let argv = args;
  let rssFile;
  if (memory && TIME) {
    rssFile = join(tmpdir(), `kubesim-bench-rss-${process.pid}`);
    file = TIME;
    argv = ['-f', '%M', '-o', rssFile, cmd, ...args];
  }
  const t = process.hrtime.bigint();
  const r = spawnSync(file, argv, { env: e, input, maxBuffer: 1 << 30, timeout: timeoutMs, killSignal: 'SIGKILL' });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  let rssMB;
  if (rssFile) {
    try {
      rssMB = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024;
    } catch {
      rssMB = undefined;
    }
    rmSync(rssFile, { force: true });
  }
  const timedOut = r.error?.code === 'ETIMEDOUT' || r.signal === 'SIGKILL';
  return { ms, code: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), timedOut, rssMB };
}

/** Runs a command that must succeed; its result. */
export function must(cmd, args, opts) {
  const r = run(cmd, args, opts);
  if (r.timedOut) return r;
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.code}): ${r.stderr.slice(0, 500)}`);
  return r;
}

export const ks = (args, opts) => must(kubesim, args, opts);

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Medians of several commands run in turn, `runs` rounds (the machine's load hits them alike). */
export function interleaved(cmds, runs) {
  const xs = cmds.map(() => []);
  for (let i = 0; i < runs; i++) {
    cmds.forEach(([cmd, args, opts], j) => xs[j].push(must(cmd, args, opts).ms));
  }
  return xs.map(median);
}

export function scratch(tag) {
  return mkdtempSync(join(tmpdir(), `kubesim-bench-${tag}-`));
}

export function remove(dir) {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Bytes of the cluster's store in a home: every file under it except kubeconfig (and kubesim's
 * parsed copy of it in .cache), backups (*.bak) and files set aside as broken.
 */
/**
 * The store's size: its manifest and the segment files the manifest names (what the cluster is);
 * `onDisk` also counts the replaced segments a write keeps for a minute and the backup's.
 */
export function storeBytes(home, { onDisk = false } = {}) {
  let total = 0;
  if (!onDisk) {
    const file = join(home, 'store.json');
    const m = JSON.parse(readFileSync(file, 'utf8'));
    total += statSync(file).size;
    // a segment is <segment>.<gen>.json, or .json.gz when written compressed, or kept in the pack
    // file @pack.<gen>.pack (counted whole, once)
    const packs = new Set();
    for (const [seg, gen] of Object.entries(m.segments ?? {})) {
      if (m.packs?.[gen]) {
        if (!packs.has(gen)) total += statSync(join(home, 'store.d', `@pack.${gen}.pack`)).size;
        packs.add(gen);
        continue;
      }
      const base = join(home, 'store.d', `${seg}.${gen}.json`);
      total += statSync(existsSync(`${base}.gz`) ? `${base}.gz` : base).size;
    }
    return total;
  }
  const walk = (dir, top) => {
    for (const name of readdirSync(dir)) {
      if (top && (name === 'kubeconfig' || name === '.cache')) continue;
      if (/\.bak$|\.bak\.|\.broken-|\.tmp$/.test(name)) continue;
      const p = join(dir, name);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p, false);
      else if (st.isFile()) total += st.size;
    }
  };
  walk(home, true);
  return total;
}

export function write(dir, name, text) {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

/** Pod manifests: `nginx` pods run, `crash` pods exit 1 at start (CrashLoopBackOff), `pending` ones fit no node. */
export function pods(prefix, n, kind) {
  const docs = [];
  for (let i = 0; i < n; i++) docs.push(pod(`${prefix}-${i}`, kind));
  return docs.join('---\n');
}

export function pod(name, kind) {
  const head = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  labels:\n    app: bench\n    kind: ${kind}\nspec:\n`;
  switch (kind) {
    case 'crash':
      return `${head}  containers:\n  - name: app\n    image: busybox:1.36\n    command: ["sh", "-c", "echo starting; exit 1"]\n`;
    case 'pending':
      return `${head}  nodeSelector:\n    disktype: none\n  containers:\n  - name: app\n    image: nginx:1.27\n`;
    case 'loop':
      return `${head}  containers:\n  - name: app\n    image: busybox:1.36\n    command: ["/bin/sh", "-c", "while true; do date >> /tmp/out; echo tick; sleep 1; done"]\n`;
    default:
      return `${head}  containers:\n  - name: app\n    image: nginx:1.27\n    ports:\n    - containerPort: 80\n`;
  }
}
