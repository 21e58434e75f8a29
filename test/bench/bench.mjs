// npm run bench [-- --quick] [-- --targets-only]: start-up and scale measurements (not part of npm
// test). First the table of targets (targets.mjs: start-up against the real kubectl, single-object
// commands at 10, 10,000 and 30,000 pods, memory, store size, idle catch-up, crash loops, exec;
// --quick leaves out the 30,000-pod rows), then other measurements, as medians:
//  - 10 parallel writers on the 10,000-pod store
//  - 50 parallel writers x 3 rounds with 20 readers a round: writes kept, commands failed, wall time
//  - kubesim replay of a 100-command transcript (in-process)
//  - a 100-replica Deployment applied until Running; get pods with 50 Deployments x 20 replicas vs 1,000 bare pods
//  - a StatefulSet scaled from 1 to 100 pods (with claims) until Running, Parallel and OrderedReady
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { storeBytes } from './lib.mjs';
import { targetTable } from './targets.mjs';

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

function spawnAsync(cmd, args, extraEnv = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: { ...env, ...extraEnv }, stdio: 'ignore' });
    child.on('exit', (code) => resolve(code));
  });
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

const quick = process.argv.includes('--quick');
const rows = [];
process.stdout.write(`Targets (issue 14), medians; NODE_EXTRA_CA_CERTS unset${quick ? '; --quick: no 30,000-pod rows' : ''}\n`);
await targetTable({ quick, extra: rows });
if (process.argv.includes('--targets-only')) process.exit(0);
process.stdout.write('\nOther measurements\n');

// The lab script that lost writes: 50 parallel writers (run / label / annotate on one pod, distinct
// keys) with 20 readers, 3 rounds; every write must be kept and every command must exit 0.
const home3 = mkdtempSync(join(tmpdir(), 'kubesim-bench-'));
const H3 = { KUBESIM_HOME: home3 };
try {
  time(kubesim, ['run', 'target', '--image=nginx'], H3);
  const t0 = process.hrtime.bigint();
  let failed = 0;
  for (let r = 0; r < 3; r++) {
    const jobs = [];
    for (let i = 0; i < 50; i++) {
      const argv = [['run', `p${r}-${i}`, '--image=nginx'], ['label', 'pod', 'target', `k${r}-${i}=v`], ['annotate', 'pod', 'target', `a${r}-${i}=v`]][i % 3];
      jobs.push(spawnAsync(kubesim, argv, H3).then((c) => void (failed += c === 0 ? 0 : 1)));
    }
    for (let i = 0; i < 20; i++) jobs.push(spawnAsync(kubesim, ['get', 'pods'], H3));
    await Promise.all(jobs);
  }
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const items = JSON.parse(spawnSync(kubesim, ['get', 'pods', '-o', 'json'], { env: { ...env, ...H3 }, maxBuffer: 1 << 30 }).stdout).items;
  const target = items.find((p) => p.metadata.name === 'target');
  const kept =
    items.filter((p) => p.metadata.name.startsWith('p')).length +
    Object.keys(target.metadata.labels ?? {}).filter((k) => k.startsWith('k')).length +
    Object.keys(target.metadata.annotations ?? {}).filter((k) => /^a\d/.test(k)).length;
  rows.push(['50x3 parallel writers + readers: kept of 150', kept]);
  rows.push(['50x3 parallel writers: failed commands', failed]);
  rows.push(['50x3 parallel writers + readers: wall', wall]);
} finally {
  rmSync(home3, { recursive: true, force: true });
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
  rows.push(['store size (100 looping pods), MB', storeBytes(home2) / 1e6]);
} finally {
  rmSync(home2, { recursive: true, force: true });
}
// A CronJob every minute (busybox date; echo), 24 simulated hours idle, then the next get catches up.
const home5 = mkdtempSync(join(tmpdir(), 'kubesim-bench-'));
const H5 = { KUBESIM_HOME: home5 };
try {
  time(kubesim, ['clock', 'freeze'], H5);
  time(kubesim, ['create', 'cronjob', 'hello', '--image=busybox:1.28', '--schedule=* * * * *', '--', '/bin/sh', '-c', 'date; echo Hello'], H5);
  time(kubesim, ['clock', 'advance', '5m'], H5);
  time(kubesim, ['get', 'jobs'], H5);
  time(kubesim, ['clock', 'advance', '24h'], H5);
  rows.push(['cronjob every minute, 24h idle: next get', time(kubesim, ['get', 'cronjobs,jobs,pods'], H5)]);
  const jobs = spawnSync(kubesim, ['get', 'jobs', '--no-headers'], { env: { ...env, ...H5 }, encoding: 'utf8' }).stdout.trim().split('\n').length;
  rows.push(['cronjob every minute, 24h idle: jobs kept of 3', jobs]);
} finally {
  rmSync(home5, { recursive: true, force: true });
}
// Deployments: apply of a 100-replica Deployment until all its pods are Running; `get pods` with
// 50 Deployments x 20 replicas against the same 1,000 pods created bare.
function deployments(n, replicas) {
  const docs = [];
  for (let i = 0; i < n; i++) {
    docs.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-${i}\nspec:\n  replicas: ${replicas}\n  selector:\n    matchLabels:\n      app: web-${i}\n  template:\n    metadata:\n      labels:\n        app: web-${i}\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.27\n        ports:\n        - containerPort: 80\n`);
  }
  return docs.join('---\n');
}
const home6 = mkdtempSync(join(tmpdir(), 'kubesim-bench-'));
const H6 = { KUBESIM_HOME: home6 };
const home7 = mkdtempSync(join(tmpdir(), 'kubesim-bench-'));
const H7 = { KUBESIM_HOME: home7 };
try {
  time(kubesim, ['clock', 'freeze'], H6);
  const f100 = join(home6, 'deploy-100.yaml');
  writeFileSync(f100, deployments(1, 100));
  const applied = time(kubesim, ['apply', '-f', f100], H6) + time(kubesim, ['clock', 'advance', '10s'], H6);
  const running = spawnSync(kubesim, ['get', 'pods', '--no-headers'], { env: { ...env, ...H6 }, encoding: 'utf8' }).stdout.split('\n').filter((l) => / Running /.test(l)).length;
  rows.push(['apply 100-replica Deployment until Running', applied]);
  rows.push(['100-replica Deployment: Running of 100', running]);
  const f50 = join(home6, 'deploy-50x20.yaml');
  writeFileSync(f50, deployments(50, 20));
  time(kubesim, ['delete', 'deployment', 'web-0'], H6);
  time(kubesim, ['apply', '-f', f50], H6);
  time(kubesim, ['clock', 'advance', '60s'], H6);
  const viaDeployments = median(kubesim, ['get', 'pods'], 5, H6);
  time(kubesim, ['clock', 'freeze'], H7);
  const fBare = join(home7, 'pods-1k.yaml');
  writeFileSync(fBare, manifest(1000, 'c'));
  time(kubesim, ['apply', '-f', fBare], H7);
  time(kubesim, ['clock', 'advance', '60s'], H7);
  const bare = median(kubesim, ['get', 'pods'], 5, H7);
  rows.push(['get pods (50 Deployments x 20 replicas)', viaDeployments]);
  rows.push(['get pods (1,000 bare pods)', bare]);
  rows.push(['ratio get pods deployments / bare', viaDeployments / bare]);
} finally {
  rmSync(home6, { recursive: true, force: true });
  rmSync(home7, { recursive: true, force: true });
}
// StatefulSets: `scale --replicas=100` of a Parallel StatefulSet with a volumeClaimTemplate (100 pods,
// 100 claims, 100 provisioned volumes) until every pod is Running; then the same scale-up under
// OrderedReady (each pod Running and Ready before the next), until all 100 are Running.
function statefulSet(name, policy) {
  return `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: ${name}\nspec:\n  serviceName: ${name}\n  replicas: 1\n  podManagementPolicy: ${policy}\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.27\n        volumeMounts:\n        - name: data\n          mountPath: /data\n  volumeClaimTemplates:\n  - metadata:\n      name: data\n    spec:\n      accessModes: [ReadWriteOnce]\n      resources:\n        requests:\n          storage: 1Gi\n`;
}
// (one cluster each: a node takes 110 pods)
for (const [name, policy, advance] of [['par', 'Parallel', '30s'], ['ord', 'OrderedReady', '10m']]) {
  const home8 = mkdtempSync(join(tmpdir(), 'kubesim-bench-'));
  const H8 = { KUBESIM_HOME: home8 };
  try {
    time(kubesim, ['clock', 'freeze'], H8);
    const f = join(home8, `${name}.yaml`);
    writeFileSync(f, statefulSet(name, policy));
    time(kubesim, ['apply', '-f', f], H8);
    time(kubesim, ['clock', 'advance', '30s'], H8);
    const ms = time(kubesim, ['scale', 'sts', name, '--replicas=100'], H8) + time(kubesim, ['clock', 'advance', advance], H8);
    const running = spawnSync(kubesim, ['get', 'pods', '-l', `app=${name}`, '--no-headers'], { env: { ...env, ...H8 }, encoding: 'utf8' }).stdout.split('\n').filter((l) => / Running /.test(l)).length;
    rows.push([`StatefulSet ${policy} scale 1->100 until Running`, ms]);
    rows.push([`StatefulSet ${policy}: Running of 100`, running]);
    rows.push([`get pods (100 ${policy} StatefulSet pods)`, median(kubesim, ['get', 'pods'], 5, H8)]);
  } finally {
    rmSync(home8, { recursive: true, force: true });
  }
}
// kubesim replay: a 100-command tutorial transcript, in-process (one process for the whole page).
const home4 = mkdtempSync(join(tmpdir(), 'kubesim-bench-'));
try {
  const lines = ['# A long lab', '', '```console'];
  for (let i = 0; i < 20; i++) {
    lines.push(`$ kubectl run p${i} --image=nginx --labels=app=p${i}`, `pod/p${i} created`);
    lines.push(`$ kubectl get pod p${i}`, 'NAME   READY   STATUS    RESTARTS   AGE', `p${i}    1/1     Running   0          5s`);
    lines.push(`$ kubectl label pod p${i} tier=web`, `pod/p${i} labeled`);
    lines.push(`$ kubectl exec p${i} -- cat /etc/hostname`, `p${i}`);
    lines.push(`$ kubectl get pods -l app=p${i} -o name | wc -l`, '1');
  }
  lines.push('```', '');
  const page = join(home4, 'lab.md');
  writeFileSync(page, lines.join('\n'));
  const t = process.hrtime.bigint();
  const r = spawnSync(kubesim, ['replay', page], { env, encoding: 'utf8' });
  rows.push(['replay: 100-command transcript', Number(process.hrtime.bigint() - t) / 1e6]);
  rows.push(['replay: 100-command transcript, passed of 100', Number(/(\d+) passed/.exec(r.stdout)?.[1] ?? 0)]);
} finally {
  rmSync(home4, { recursive: true, force: true });
}
// kubesim serve: get pods as a Table over loopback, 1,000 pods, 8 clients for 10 s (test/bench/serve.mjs)
{
  const { serveBench } = await import('./serve.mjs');
  const r = await serveBench({ seconds: quick ? 3 : 10, clients: 8 });
  rows.push(['serve: get pods (1,000 pods), requests/s', `${r.perSecond.toFixed(1)}/s`]);
  rows.push(['serve: get pods (1,000 pods), p99', r.p99]);
}
const unit = (k) => (k.includes('MB') || k.startsWith('ratio') || / of \d+$|failed/.test(k) ? '' : ' ms');
const digits = (k) => (k.startsWith('ratio') ? 2 : / of \d+$|failed/.test(k) ? 0 : 1);
for (const [k, v] of rows) process.stdout.write(`${k.padEnd(44)} ${typeof v === 'number' ? v.toFixed(digits(k)) + unit(k) : v}\n`);
