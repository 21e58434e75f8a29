// npm run bench: start-up and scale measurements (not part of npm test). Prints a table of medians.
//  - `kubesim get pods` with 10 pods vs `node -e 0` vs the real `kubectl version --client` (if present)
//  - apply of a 1,000-pod manifest; `get pods` with 10,000 pods; store size
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const kubesim = join(root, 'bin', 'kubesim');
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;

function time(cmd, args, extraEnv = {}, input) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env: { ...env, ...extraEnv }, input, maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

function median(cmd, args, runs, extraEnv) {
  const xs = [];
  for (let i = 0; i < runs; i++) xs.push(time(cmd, args, extraEnv));
  xs.sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)];
}

function manifest(n, prefix) {
  const docs = [];
  for (let i = 0; i < n; i++) {
    docs.push(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${prefix}-${i}\n  labels:\n    app: bench\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    ports:\n    - containerPort: 80\n`);
  }
  return docs.join('---\n');
}

const home = mkdtempSync(join(tmpdir(), 'kubesim-bench-'));
const H = { KUBESIM_HOME: home };
const rows = [];
try {
  time(kubesim, ['version', '--client'], H); // warm the code cache
  time(kubesim, ['clock', 'freeze'], H);
  for (let i = 0; i < 10; i++) time(kubesim, ['run', `p${i}`, '--image=nginx'], H);
  time(kubesim, ['clock', 'advance', '30s'], H);
  const node0 = median(process.execPath, ['-e', '0'], 15);
  const getPods = median(kubesim, ['get', 'pods'], 15, H);
  rows.push(['node -e 0', node0]);
  rows.push(['kubesim get pods (10 pods)', getPods]);
  let kubectl;
  try {
    execFileSync('kubectl', ['version', '--client'], { env, stdio: 'ignore' });
    kubectl = median('kubectl', ['version', '--client'], 15);
    rows.push(['kubectl version --client (real)', kubectl]);
    rows.push(['ratio get pods / real kubectl', getPods / kubectl]);
  } catch {
    rows.push(['kubectl version --client (real)', 'not installed']);
  }
  const f1k = join(home, 'pods-1k.yaml');
  writeFileSync(f1k, manifest(1000, 'a'));
  rows.push(['apply -f 1,000 pods', time(kubesim, ['apply', '-f', f1k], H)]);
  const f9k = join(home, 'pods-9k.yaml');
  writeFileSync(f9k, manifest(8990, 'b'));
  rows.push(['apply -f 8,990 more pods', time(kubesim, ['apply', '-f', f9k], H)]);
  rows.push(['get pods (10,000 pods)', median(kubesim, ['get', 'pods'], 5, H)]);
  rows.push(['get pods -o name (10,000 pods)', median(kubesim, ['get', 'pods', '-o', 'name'], 5, H)]);
  rows.push(['store size (10,000 pods), MB', statSync(join(home, 'store.json')).size / 1e6]);
} finally {
  rmSync(home, { recursive: true, force: true });
}

// Containers that run: 100 pods with 1-second shell loops, 24 simulated hours idle, then one command.
const home2 = mkdtempSync(join(tmpdir(), 'kubesim-bench-'));
const H2 = { KUBESIM_HOME: home2 };
try {
  time(kubesim, ['clock', 'freeze'], H2);
  const loops = [];
  for (let i = 0; i < 100; i++) {
    loops.push(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: loop-${i}\nspec:\n  containers:\n  - name: app\n    image: busybox\n    command: ["/bin/sh", "-c", "while true; do date >> /tmp/out; echo tick; sleep 1; done"]\n`);
  }
  const fl = join(home2, 'loops.yaml');
  writeFileSync(fl, loops.join('---\n'));
  time(kubesim, ['apply', '-f', fl], H2);
  time(kubesim, ['clock', 'advance', '1m'], H2);
  rows.push(['get pods (100 looping pods)', median(kubesim, ['get', 'pods'], 5, H2)]);
  time(kubesim, ['clock', 'advance', '24h'], H2);
  rows.push(['catch-up after 24h idle: get pods', time(kubesim, ['get', 'pods'], H2)]);
  rows.push(['exec round trip (cat /etc/hostname)', median(kubesim, ['exec', 'loop-1', '--', 'cat', '/etc/hostname'], 5, H2)]);
  rows.push(['exec after 24h idle (replays the loop)', time(kubesim, ['exec', 'loop-2', '--', 'wc', '-l', '/tmp/out'], H2)]);
  rows.push(['store size (100 looping pods), MB', statSync(join(home2, 'store.json')).size / 1e6]);
} finally {
  rmSync(home2, { recursive: true, force: true });
}
for (const [k, v] of rows) process.stdout.write(`${k.padEnd(40)} ${typeof v === 'number' ? v.toFixed(k.startsWith('ratio') ? 2 : 1) + (k.includes('MB') || k.startsWith('ratio') ? '' : ' ms') : v}\n`);
