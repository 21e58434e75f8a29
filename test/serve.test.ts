// kubesim serve: the API over HTTP (port 0 on loopback), requested with fetch, and the real kubectl
// 1.32 (when installed beside kubectl) printing what kubesim's own CLI prints for the same store.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IO } from '../src/cli/io.js';
import { startServer, type RunningServer } from '../src/serve/server.js';
import { Sandbox } from './harness.js';

function realKubectl(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const k = join(dir, 'kubectl');
    if (!existsSync(k)) continue;
    let target = k;
    try {
      target = require('node:fs').realpathSync(k);
    } catch {
      /* keep */
    }
    const v132 = join(dirname(target), 'kubectl.1.32');
    if (existsSync(v132) && !target.includes('/work/')) return v132;
  }
  return undefined;
}

const KUBECTL = realKubectl();

let sb: Sandbox;
let server: RunningServer;
let base: string;

function serverIO(): IO {
  const sink = { write: () => undefined };
  return { stdout: sink, stderr: sink, readStdin: async () => '', env: { KUBESIM_HOME: sb.home, HOME: sb.home }, cwd: sb.home, wallNow: () => sb.wall };
}

beforeAll(async () => {
  sb = new Sandbox();
  // half an hour ago in wall time, so the real kubectl's client-side ages (describe) agree with kubesim's
  // (mid-minute: a few seconds either way print the same)
  sb.wall = Math.floor(Date.now() / 1000) * 1000 - 30.5 * 60_000;
  await sb.run(['clock', 'freeze']);
  await sb.run(['run', 'nginx', '--image=nginx', '--labels=app=web,tier=front']);
  await sb.run(['create', 'deployment', 'web', '--image=nginx', '--replicas=2']);
  await sb.run(['expose', 'deployment', 'web', '--port=80']);
  await sb.run(['clock', 'advance', '30m30s']);
  sb.wall += 30.5 * 60_000;
  server = await startServer(serverIO(), { address: '127.0.0.1', port: 0 });
  base = server.url;
});

afterAll(async () => {
  await server?.close();
  sb?.dispose();
});

async function get(path: string, accept = 'application/json'): Promise<{ status: number; type: string; body: string }> {
  const r = await fetch(`${base}${path}`, { headers: { Accept: accept } });
  return { status: r.status, type: r.headers.get('content-type') ?? '', body: await r.text() };
}

async function send(method: string, path: string, body: unknown, type = 'application/json'): Promise<{ status: number; json: any; headers: Headers }> {
  const r = await fetch(`${base}${path}`, { method, headers: { 'Content-Type': type, Accept: 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: r.status, json: await r.json(), headers: r.headers };
}

/** A minimal WebSocket client (masked frames out, unmasked in) for the exec channel protocol. */
async function wsExec(path: string, input: string[]): Promise<{ channels: Record<number, string> }> {
  const { connect } = await import('node:net');
  const u = new URL(base);
  const sock = connect(Number(u.port), u.hostname);
  await new Promise((r) => sock.once('connect', r));
  sock.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n`);
  const frame = (payload: Buffer) => {
    const mask = Buffer.from([1, 2, 3, 4]);
    const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
    return Buffer.concat([Buffer.from([0x82, 0x80 | payload.length]), mask, body]);
  };
  const channels: Record<number, string> = {};
  let buf = Buffer.alloc(0);
  let upgraded = false;
  return new Promise((resolve) => {
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        upgraded = true;
        buf = buf.subarray(end + 4);
        for (const line of input) sock.write(frame(Buffer.concat([Buffer.from([0]), Buffer.from(line)])));
        sock.write(frame(Buffer.from([255, 0])));
      }
      while (buf.length >= 2) {
        let len = buf[1] & 0x7f;
        let at = 2;
        if (len === 126) {
          len = buf.readUInt16BE(2);
          at = 4;
        }
        if (buf.length < at + len) break;
        const payload = buf.subarray(at, at + len);
        if ((buf[0] & 0x0f) === 0x8) {
          sock.end();
          resolve({ channels });
          return;
        }
        channels[payload[0]] = (channels[payload[0]] ?? '') + payload.subarray(1).toString();
        buf = buf.subarray(at + len);
      }
    });
  });
}

describe('kubesim serve over HTTP', () => {
  it('execs over the WebSocket channel protocol, a terminal session too', async () => {
    const plain = await wsExec('/api/v1/namespaces/default/pods/nginx/exec?command=sh&command=-c&command=cat%3B%20exit%202&stdin=true&stdout=true&stderr=true', ['piped\n']);
    expect(plain.channels[1]).toBe('piped\n');
    expect(JSON.parse(plain.channels[3])).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '2' }] } });
    const tty = await wsExec('/api/v1/namespaces/default/pods/nginx/exec?command=sh&stdin=true&stdout=true&tty=true', ['cd /et', 'x\u007fc\r', 'pwd\r', 'exit 5\r']);
    expect(tty.channels[1]).toBe('/ # cd /etx\b \bc\r\n/etc # pwd\r\n/etc\r\n/etc # exit 5\r\n');
    expect(JSON.parse(tty.channels[3]).details.causes[0].message).toBe('5');
  });

  it('serves version, health and discovery', async () => {
    expect(JSON.parse((await get('/version')).body).gitVersion).toBe('v1.32.0');
    expect((await get('/healthz')).body).toBe('ok');
    expect((await get('/readyz')).body).toBe('ok');
    const agg = await get('/apis', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json');
    expect(agg.type).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const doc = JSON.parse(agg.body);
    expect(doc.kind).toBe('APIGroupDiscoveryList');
    expect(doc.items[0].metadata.name).toBe('apps');
    const apps = doc.items[0].versions[0].resources.find((r: any) => r.resource === 'deployments');
    expect(apps.subresources.map((s: any) => s.subresource)).toEqual(['scale', 'status']);
    const v1 = JSON.parse((await get('/api/v1')).body);
    expect(v1.resources.map((r: any) => r.name)).toContain('pods/log');
    expect((await get('/apis/nosuch.io/v1')).status).toBe(404);
    expect((await get('/apis/nosuch.io/v1')).body).toBe('404 page not found\n');
  });

  it('lists with selectors, pages and serves Tables', async () => {
    const list = JSON.parse((await get('/api/v1/namespaces/default/pods?labelSelector=tier%3Dfront')).body);
    expect(list.kind).toBe('PodList');
    expect(list.items.map((p: any) => p.metadata.name)).toEqual(['nginx']);
    const p1 = JSON.parse((await get('/api/v1/namespaces/default/pods?limit=2')).body);
    expect(p1.items).toHaveLength(2);
    expect(p1.metadata.remainingItemCount).toBe(1);
    const p2 = JSON.parse((await get(`/api/v1/namespaces/default/pods?limit=2&continue=${encodeURIComponent(p1.metadata.continue)}`)).body);
    expect(p2.items).toHaveLength(1);
    expect(p2.metadata.continue).toBeUndefined();
    const table = JSON.parse((await get('/api/v1/namespaces/default/pods', 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json')).body);
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.map((c: any) => c.name).slice(0, 5)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age']);
    expect(table.rows[0].cells.slice(0, 3)).toEqual(['nginx', '1/1', 'Running']);
    expect(table.rows[0].object.kind).toBe('PartialObjectMetadata');
    const bad = await get('/api/v1/pods?fieldSelector=foo%3Dbar');
    expect(JSON.parse(bad.body)).toMatchObject({ status: 'Failure', reason: 'BadRequest', code: 400, message: 'field label not supported: foo' });
  });

  it('answers errors with Status objects', async () => {
    const r = await get('/apis/apps/v1/namespaces/default/deployments/nope');
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body)).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'deployments.apps "nope" not found', reason: 'NotFound',
      details: { name: 'nope', group: 'apps', kind: 'deployments' }, code: 404,
    });
  });

  it('creates, patches, scales and deletes through the API server', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1' }, data: { a: 'b' } };
    const dry = await send('POST', '/api/v1/namespaces/default/configmaps?dryRun=All', cm);
    expect(dry.status).toBe(201);
    expect((await get('/api/v1/namespaces/default/configmaps/c1')).status).toBe(404);
    const made = await send('POST', '/api/v1/namespaces/default/configmaps', cm);
    expect(made.status).toBe(201);
    expect(made.json.metadata.uid).toBeTruthy();
    const again = await send('POST', '/api/v1/namespaces/default/configmaps', cm);
    expect(again.json).toMatchObject({ reason: 'AlreadyExists', code: 409, message: 'configmaps "c1" already exists' });
    const strict = await send('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', { ...cm, metadata: { name: 'c2' }, bogus: 1 });
    expect(strict.json).toMatchObject({ reason: 'BadRequest', message: 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus"' });
    const warn = await send('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Warn', { ...cm, metadata: { name: 'c2' }, bogus: 1 });
    expect(warn.status).toBe(201);
    expect(warn.headers.get('warning')).toBe('299 - "unknown field \\"bogus\\""');
    const patched = await send('PATCH', '/api/v1/namespaces/default/configmaps/c1', { data: { x: 'y' } }, 'application/strategic-merge-patch+json');
    expect(patched.json.data).toEqual({ a: 'b', x: 'y' });
    const scaled = await send('PATCH', '/apis/apps/v1/namespaces/default/deployments/web/scale', { spec: { replicas: 3 } }, 'application/merge-patch+json');
    expect(scaled.json).toMatchObject({ kind: 'Scale', spec: { replicas: 3 } });
    const pre = await fetch(`${base}/api/v1/namespaces/default/configmaps/c1`, { method: 'DELETE', body: JSON.stringify({ preconditions: { uid: 'x' } }) });
    expect(pre.status).toBe(409);
    const del = await send('DELETE', '/api/v1/namespaces/default/configmaps/c1', {});
    expect(del.json).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'c1', kind: 'configmaps' } });
  });

  it('sees a write by the CLI at once', async () => {
    expect((await get('/api/v1/namespaces/default/configmaps/fromcli')).status).toBe(404);
    expect((await sb.run(['create', 'configmap', 'fromcli', '--from-literal=a=b'])).code).toBe(0);
    expect((await get('/api/v1/namespaces/default/configmaps/fromcli')).status).toBe(200);
  });

  it('serves the live page with a script that parses', async () => {
    const page = await get('/ui');
    expect(page.type).toBe('text/html; charset=utf-8');
    const script = /<script>([\s\S]*)<\/script>/.exec(page.body)![1];
    expect(() => new Function(script)).not.toThrow();
    const r = await send('POST', '/ui/cmd', ['clock']);
    expect(r.json.stdout).toMatch(/\(frozen\)/);
    expect((await send('POST', '/ui/cmd', ['delete', 'pod', 'nginx'])).status).toBe(400);
  });

  it('streams watch events', async () => {
    const ctrl = new AbortController();
    const r = await fetch(`${base}/api/v1/namespaces/default/configmaps?watch=1&labelSelector=w%3D1`, { signal: ctrl.signal });
    const reader = r.body!.getReader();
    await send('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w1', labels: { w: '1' } } });
    let text = '';
    while (!text.includes('\n')) text += new TextDecoder().decode((await reader.read()).value);
    const ev = JSON.parse(text.split('\n')[0]);
    expect(ev.type).toBe('ADDED');
    expect(ev.object.metadata.name).toBe('w1');
    ctrl.abort();
  });

  it('answers a watch from a version older than it remembers with 410 Expired', async () => {
    const r = await get('/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=1');
    const ev = JSON.parse(r.body.trim());
    expect(ev).toMatchObject({ type: 'ERROR', object: { kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 } });
    expect(ev.object.message).toMatch(/^too old resource version: 1 \(\d+\)$/);
  });
});

function kubectl(args: string[], input = ''): Promise<{ stdout: string; stderr: string; code: number }> {
  const cfg = join(sb.home, 'serve-kubeconfig');
  writeFileSync(cfg, `apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: ${base}\n  name: s\ncontexts:\n- context:\n    cluster: s\n    user: s\n  name: s\ncurrent-context: s\nusers:\n- name: s\n  user: {}\n`);
  return new Promise((resolve) => {
    const child = execFile(KUBECTL!, args, { env: { KUBECONFIG: cfg, HOME: sb.home, PATH: '/usr/bin:/bin' } }, (err, stdout, stderr) => {
      resolve({ stdout, stderr, code: err ? Number((err as any).code ?? 1) : 0 });
    });
    child.stdin?.end(input);
  });
}

describe.skipIf(!KUBECTL)('the real kubectl 1.32 against kubesim serve', () => {
  const same = async (args: string[], mask = (t: string) => t) => {
    const real = await kubectl(args);
    const own = await sb.run(args);
    expect({ out: mask(real.stdout), err: real.stderr, code: real.code }).toEqual({ out: mask(own.stdout), err: own.stderr, code: own.code });
  };
  /** ages the real kubectl computes with its own clock (the node's start-up events fall at any second) */
  const ages = (t: string) => t.replace(/(?<=\s)(\d+[smhd])+(?=\s)/g, 'AGE');
  it('get pods, -o wide, --show-labels', () => same(['get', 'pods', '-o', 'wide', '--show-labels']));
  it('get all -A', () => same(['get', 'all', '-A']));
  it('get deployment -o yaml', () => same(['get', 'deployment', 'web', '-o', 'yaml']));
  it('describe pod', () => same(['describe', 'pod', 'nginx']));
  it('get of a missing pod', () => same(['get', 'pod', 'nope']));
  it('an invalid object from a create subcommand (protobuf) and from a file', async () => {
    await same(['create', 'deployment', 'x', '--image=']);
    await same(['create', 'cronjob', 'cj', '--image=busybox', '--schedule=bad']);
  });
  it('create configmap (a protobuf body) and get it', async () => {
    const r = await kubectl(['create', 'configmap', 'proto', '--from-literal=k=v']);
    expect(r.stdout).toBe('configmap/proto created\n');
    await same(['get', 'configmap', 'proto', '-o', 'yaml']);
  });
  it('scale and label', async () => {
    expect((await kubectl(['scale', 'deployment', 'web', '--replicas=1'])).stdout).toBe('deployment.apps/web scaled\n');
    expect((await kubectl(['label', 'pod', 'nginx', 'x=y'])).stdout).toBe('pod/nginx labeled\n');
    await same(['get', 'pods', '-L', 'x']);
  });
  it('logs', () => same(['logs', 'nginx', '--tail=3']));
  it('explain (OpenAPI v3 schemas)', async () => {
    await same(['explain', 'pods.spec.containers']);
    await same(['explain', 'deployments.spec', '--recursive']);
  });
  it('apply with an unknown field (server-side strict validation)', async () => {
    const bad = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad1\nbogus: 1\n';
    const real = await kubectl(['apply', '-f', '-'], bad);
    expect(real).toEqual({ ...(await sb.run(['apply', '-f', '-'], bad)), stdout: '' });
  });
  it('exec over WebSocket, with its exit code', async () => {
    await same(['exec', 'nginx', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    const r = await kubectl(['exec', '-i', 'nginx', '--', 'cat'], 'to stdin\n');
    expect(r).toEqual({ stdout: 'to stdin\n', stderr: '', code: 0 });
  });
  it('over HTTPS with the self-signed CA in the kubeconfig', async () => {
    const { tlsMaterial } = await import('../src/serve/tls.js');
    const tls = tlsMaterial(sb.home, new Date());
    const secure = await startServer(serverIO(), { address: '127.0.0.1', port: 0, tls });
    try {
      expect(secure.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const cfg = join(sb.home, 'tls-kubeconfig');
      const ca = Buffer.from(tls.cert).toString('base64');
      writeFileSync(cfg, `apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority-data: ${ca}\n    server: ${secure.url}\n  name: s\ncontexts:\n- context:\n    cluster: s\n    user: s\n  name: s\ncurrent-context: s\nusers:\n- name: s\n  user:\n    token: kubesim\n`);
      const r = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
        execFile(KUBECTL!, ['get', 'namespaces'], { env: { KUBECONFIG: cfg, HOME: sb.home } }, (_e, stdout, stderr) => resolve({ stdout, stderr }));
      });
      expect(r).toEqual({ stdout: (await sb.run(['get', 'namespaces'])).stdout, stderr: '' });
    } finally {
      await secure.close();
    }
  });
  it('port-forward (SPDY in a WebSocket) to the pod\'s nginx', async () => {
    const { spawn } = await import('node:child_process');
    const cfg = join(sb.home, 'serve-kubeconfig');
    const child = spawn(KUBECTL!, ['port-forward', 'nginx', ':80'], { env: { KUBECONFIG: cfg, HOME: sb.home } });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const m = /Forwarding from 127\.0\.0\.1:(\d+) -> 80/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        child.on('exit', () => reject(new Error(out)));
      });
      const r = await fetch(`http://127.0.0.1:${port}/`);
      expect(r.status).toBe(200);
      expect(await r.text()).toContain('<title>Welcome to nginx!</title>');
    } finally {
      child.kill();
    }
  });
  it('cp from the pod (tar cf - as a byte stream)', async () => {
    const mine = join(sb.home, 'cp-real');
    const theirs = join(sb.home, 'cp-own');
    const real = await kubectl(['cp', 'nginx:/etc/hostname', mine]);
    const own = await sb.run(['cp', 'nginx:/etc/hostname', theirs]);
    expect({ out: real.stdout, err: real.stderr, code: real.code }).toEqual({ out: own.stdout, err: own.stderr, code: own.code });
    expect(readFileSync(mine, 'utf8')).toBe(readFileSync(theirs, 'utf8'));
  });
  it('describe node (its Lease)', () => same(['describe', 'node', 'minikube'], ages));
});
