// kubectl proxy: the simulated API on a local port behind kubectl's request filter.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = resolve(__dirname, '..', 'bin', 'kubesim');
const home = mkdtempSync(join(tmpdir(), 'kubesim-proxy-'));
const env: NodeJS.ProcessEnv = { ...process.env, KUBESIM_HOME: home };
delete env.NODE_EXTRA_CA_CERTS;

function get(port: number, path: string, host = `127.0.0.1:${port}`, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('kubectl proxy', () => {
  let child: ChildProcess;
  let port = 0;
  let first = '';

  beforeAll(async () => {
    execFileSync(bin, ['run', 'web', '--image=nginx'], { env });
    mkdirSync(join(home, 'www'));
    writeFileSync(join(home, 'www', 'hello.txt'), 'hi\n');
    child = spawn(bin, ['proxy', '--port=0', `--www=${join(home, 'www')}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    first = await new Promise<string>((done) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        if (out.includes('\n')) done(out);
      });
    });
    port = Number(/:(\d+)\n$/.exec(first)?.[1]);
  }, 60_000);

  afterAll(() => {
    child?.kill('SIGINT');
    rmSync(home, { recursive: true, force: true });
  });

  it('says where it serves, and answers for the API', async () => {
    expect(first).toMatch(/^Starting to serve on 127\.0\.0\.1:\d+\n$/);
    const pods = await get(port, '/api/v1/namespaces/default/pods');
    expect(pods.status).toBe(200);
    expect(JSON.parse(pods.body).items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual(['web']);
    expect((await get(port, '/version')).body).toContain('"gitVersion"');
  });

  it("refuses what kubectl's filter refuses, and serves --www files", async () => {
    expect(await get(port, '/api/v1/namespaces/default/pods/web/exec?command=sh')).toEqual({ status: 403, body: 'Forbidden\n' });
    expect(await get(port, '/api/v1/namespaces/default/pods', 'evil.example.com')).toEqual({ status: 403, body: 'Forbidden\n' });
    expect(await get(port, '/static/hello.txt')).toEqual({ status: 200, body: 'hi\n' });
  });
});
