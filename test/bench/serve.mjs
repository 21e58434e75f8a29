// kubesim serve under load (node test/bench/serve.mjs [--seconds 10] [--clients 8]): a store with 1,000
// bare pods (clock frozen), `bin/kubesim serve --port 0`, then clients on loopback asking `get pods`
// as the real kubectl does (a Table of the namespace's pods); prints requests/s, p50 and p99.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const kubesim = join(root, 'bin', 'kubesim');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};

export async function serveBench({ pods = 1000, seconds = arg('seconds', 10), clients = arg('clients', 8) } = {}) {
  const home = mkdtempSync(join(tmpdir(), 'kubesim-serve-bench-'));
  const env = { ...process.env, KUBESIM_HOME: home };
  delete env.NODE_EXTRA_CA_CERTS;
  const docs = [];
  for (let i = 0; i < pods; i++) docs.push(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: p-${i}\n  labels:\n    app: bench\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n`);
  spawnSync(kubesim, ['apply', '-f', '-'], { env, input: docs.join('---\n'), maxBuffer: 1 << 30 });
  spawnSync(kubesim, ['clock', 'advance', '1m'], { env });
  spawnSync(kubesim, ['clock', 'freeze'], { env });
  const server = spawn(kubesim, ['serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = /on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    server.on('exit', () => reject(new Error(`kubesim serve exited: ${out}`)));
  });
  const path = `${url}/api/v1/namespaces/default/pods?limit=500`;
  const headers = { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json' };
  const times = [];
  const end = Date.now() + seconds * 1000;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < end) {
        const t = process.hrtime.bigint();
        const r = await fetch(path, { headers });
        await r.arrayBuffer();
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  const wall = (Date.now() - t0) / 1000;
  server.kill('SIGINT');
  rmSync(home, { recursive: true, force: true });
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.floor(times.length * p))];
  return { requests: times.length, perSecond: times.length / wall, p50: q(0.5), p99: q(0.99) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await serveBench();
  process.stdout.write(`kubesim serve: get pods (Table, 1,000 pods), ${r.requests} requests: ${r.perSecond.toFixed(1)} requests/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms\n`);
}
