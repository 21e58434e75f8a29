// port-forward on real sockets (ephemeral ports): --address as kubectl and client-go handle it.
import { get } from 'node:http';
import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stopPortForwards } from '../src/cli/port-forward.js';
import type { IO } from '../src/cli/io.js';
import { main } from '../src/main.js';
import { Sandbox } from './harness.js';

let sb: Sandbox;
const blockers: Server[] = [];

beforeEach(async () => {
  sb = new Sandbox();
  await sb.run(['clock', 'freeze']);
  await sb.run(['run', 'web', '--image=nginx']);
  await sb.run(['clock', 'advance', '10s']);
});

afterEach(async () => {
  stopPortForwards();
  for (const b of blockers.splice(0)) b.close();
  sb.dispose();
});

/** Starts kubectl port-forward without waiting for it to end; its output is read as it comes. */
function start(args: string[]) {
  const out = { stdout: '', stderr: '' };
  const io: IO = {
    stdout: { write: (s) => void (out.stdout += s) },
    stderr: { write: (s) => void (out.stderr += s) },
    readStdin: async () => '',
    env: { KUBESIM_HOME: sb.home, HOME: sb.home },
    cwd: sb.home,
    wallNow: () => sb.wall,
    pid: 4242,
    sleep: async (ms) => void (sb.wall += ms),
  };
  let code: number | undefined;
  const done = main(['port-forward', ...args], io).then((c) => (code = c));
  return { out, done, exited: () => code };
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}

function fetchBody(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host, port, path: '/' }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

function block(host: string, port = 0): Promise<number | undefined> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(undefined));
    s.listen({ host, port, ipv6Only: host.includes(':') }, () => {
      blockers.push(s);
      resolve((s.address() as { port: number }).port);
    });
  });
}

const portOf = (line: string) => Number(/:(\d+) -> /.exec(line)![1]);

describe('port-forward --address', () => {
  it('listens on 127.0.0.1 and [::1] for localhost (the default), one line each', async () => {
    const ipv6 = (await block('::1')) !== undefined;
    for (const b of blockers.splice(0)) b.close();
    const pf = start(['pod/web', ':80']);
    await until(() => pf.out.stdout.split('\n').length > (ipv6 ? 2 : 1));
    const port = portOf(pf.out.stdout);
    expect(pf.out.stdout).toBe(`Forwarding from 127.0.0.1:${port} -> 80\n${ipv6 ? `Forwarding from [::1]:${port} -> 80\n` : ''}`);
    expect(pf.out.stderr).toBe('');
    expect(await fetchBody('127.0.0.1', port)).toContain('Welcome to nginx!');
    if (ipv6) expect(await fetchBody('::1', port)).toContain('Welcome to nginx!');
    expect(pf.out.stdout).toContain(`Handling connection for ${port}\n`);
    stopPortForwards();
    expect(await pf.done).toBe(0);
  });

  it('binds a given address (0.0.0.0) with a one-line warning', async () => {
    const pf = start(['web', ':80', '--address', '0.0.0.0']);
    await until(() => pf.out.stdout.includes('\n'));
    const port = portOf(pf.out.stdout);
    expect(pf.out.stdout).toBe(`Forwarding from 0.0.0.0:${port} -> 80\n`);
    expect(pf.out.stderr).toBe('kubesim: warning: 0.0.0.0 is not a loopback address: the forwarded ports are reachable from other hosts\n');
    expect(await fetchBody('127.0.0.1', port)).toContain('Welcome to nginx!');
  });

  it('takes a comma-separated list, unique and in client-go order', async () => {
    const pf = start(['web', ':80', '--address=127.0.0.1,127.0.0.1']);
    await until(() => pf.out.stdout.includes('\n'));
    expect(pf.out.stdout).toBe(`Forwarding from 127.0.0.1:${portOf(pf.out.stdout)} -> 80\n`);
    expect(pf.out.stderr).toBe('');
  });

  it('skips [::1] when it cannot listen there (no IPv6, or taken)', async () => {
    const port = await block('127.0.0.1');
    for (const b of blockers.splice(0)) b.close();
    const taken = await block('::1', port);
    const pf = start(['web', `${port}:80`]);
    await until(() => pf.out.stdout.includes('\n') && (taken === undefined || pf.out.stdout.split('\n').length >= 2));
    expect(pf.out.stdout).toBe(`Forwarding from 127.0.0.1:${port} -> 80\n`);
    expect(pf.out.stderr).toBe('');
    expect(pf.exited()).toBeUndefined();
  });

  it('fails as kubectl does when no listener can be created, or for an invalid address', async () => {
    const port = (await block('127.0.0.1'))!;
    const v6 = await block('::1', port);
    const pf = start(['web', `${port}:80`]);
    expect(await pf.done).toBe(1);
    const six = v6 ? 'bind: address already in use' : pf.out.stderr.match(/\[::1\]:\d+: ([^\]]+)\]/)?.[1];
    expect(pf.out.stderr).toBe(
      `Unable to listen on port ${port}: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:${port}: bind: address already in use unable to create listener: Error listen tcp6 [::1]:${port}: ${six}]\n` +
        `error: unable to listen on any of the requested ports: [{${port} 80}]\n`,
    );
    const given = start(['web', `${port}:80`, '--address', '127.0.0.1']);
    expect(await given.done).toBe(1);
    expect(given.out.stderr).toContain(`error: unable to listen on any of the requested ports: [{${port} 80}]\n`);
    const bad = start(['web', ':80', '--address', 'foo']);
    expect(await bad.done).toBe(1);
    expect(bad.out).toEqual({ stdout: '', stderr: 'error: foo is not a valid IP\n' });
  });
});
