// Every catalog image × the ways `kubectl run` passes a command: args go through the image's
// ENTRYPOINT (its docker-entrypoint.sh execs anything that is not its own program), --command replaces
// it. After 30 simulated seconds each pod runs `sleep 3600` (or the shell around it) as PID 1.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { splitWords } from '../src/replay/shell.js';
import { podStatus, Sandbox } from './harness.js';

const FORMS = [
  { pod: 'args', run: '-- sleep 3600', out: '' },
  { pod: 'args-sh', run: "-- sh -c 'echo hi; sleep 3600'", out: 'hi\n' },
  { pod: 'cmd', run: '--command -- sleep 3600', out: '' },
  { pod: 'cmd-sh', run: "--command -- sh -c 'echo hi; sleep 3600'", out: 'hi\n' },
];

const BITNAMI_BANNER = [
  'INFO  ==> ',
  'INFO  ==> Welcome to the Bitnami nginx container',
  'INFO  ==> Subscribe to project updates by watching https://github.com/bitnami/containers',
  'INFO  ==> Submit issues and feature requests at https://github.com/bitnami/containers/issues',
  'INFO  ==> Upgrade to Tanzu Application Catalog',
  'INFO  ==> ',
];

const IMAGES: { image: string; banner?: boolean; noShell?: boolean }[] = [
  { image: 'nginx' },
  { image: 'nginx:alpine' },
  { image: 'nginx:1.14' },
  { image: 'bitnami/nginx', banner: true },
  { image: 'busybox' },
  { image: 'alpine' },
  { image: 'debian' },
  { image: 'ubuntu' },
  { image: 'python' },
  { image: 'python:alpine' },
  { image: 'gcr.io/google-samples/hello-app:1.0' },
  { image: 'us-docker.pkg.dev/google-samples/containers/gke/hello-app:1.0', noShell: true },
  { image: 'redis' },
  { image: 'redis:alpine' },
  { image: 'httpd' },
  { image: 'httpd:alpine' },
  { image: 'node' },
  { image: 'node:alpine' },
  { image: 'postgres' },
  { image: 'mysql' },
  { image: 'some.registry.example/team/tool:1.2' },
];

let sb: Sandbox;

beforeEach(async () => {
  sb = new Sandbox();
  await sb.run(['clock', 'freeze']);
});

afterEach(() => sb.dispose());

const status = (pod: string) => podStatus(sb, pod);

describe('kubectl run IMAGE with a command, for every catalog image', () => {
  for (const img of IMAGES) {
    it(img.image, async () => {
      for (const f of FORMS) expect((await sb.run(['run', f.pod, `--image=${img.image}`, ...splitWords(f.run)])).code).toBe(0);
      await sb.run(['clock', 'advance', '30s']);
      for (const f of FORMS) {
        if (img.noShell) {
          // distroless: no sleep, no sh — the runtime cannot start the container
          expect(await status(f.pod), f.run).toMatch(/^0\/1 (CrashLoopBackOff|RunContainerError|StartError) [1-9]/);
          const d = await sb.run(['describe', 'pod', f.pod]);
          expect(d.stdout).toMatch(/exec: "(sleep|sh)": executable file not found in \$PATH/);
          continue;
        }
        expect(await status(f.pod), `${img.image} ${f.run}`).toBe('1/1 Running 0');
        const logs = (await sb.run(['logs', f.pod])).stdout;
        if (img.banner && f.pod.startsWith('args')) {
          // entrypoint.sh prints its welcome page, then `echo ""`, then execs the command
          const lines = logs.split('\n');
          BITNAMI_BANNER.forEach((b, i) => expect(lines[i]).toMatch(new RegExp(`^nginx \\d\\d:\\d\\d:\\d\\d\\.\\d\\d ${b.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)));
          expect(lines.slice(6).join('\n')).toBe(`\n${f.out}`);
        } else expect(logs, `${img.image} ${f.run}`).toBe(f.out);
      }
    });
  }
});

describe('entrypoint scripts run their own program for their own arguments', () => {
  it('postgres: an option gets postgres prepended (setup runs: no password, exit 1)', async () => {
    await sb.run(['run', 'pg', '--image=postgres', '--', '-c', 'max_connections=200']);
    await sb.run(['clock', 'advance', '30s']);
    expect(await status('pg')).toMatch(/^0\/1 (Error|CrashLoopBackOff) /);
    expect((await sb.run(['logs', 'pg'])).stdout).toContain('superuser password is not specified');
  });

  it('redis: an option gets redis-server prepended', async () => {
    await sb.run(['run', 'rd', '--image=redis', '--', '--appendonly', 'yes']);
    await sb.run(['clock', 'advance', '30s']);
    expect(await status('rd')).toBe('1/1 Running 0');
    expect((await sb.run(['logs', 'rd'])).stdout).toContain('Ready to accept connections tcp');
  });

  it('node: a word that is not a command runs as a node script (which the simulation cannot run)', async () => {
    await sb.run(['run', 'nd', '--image=node', '--', 'app.js']);
    await sb.run(['clock', 'advance', '30s']);
    expect((await sb.run(['logs', 'nd'])).stdout).toBe('kubesim: node is in the image, but the simulation cannot run it\n');
  });

  it("nginx: exec of a missing program is the script's own error, exit 127", async () => {
    await sb.run(['run', 'ng', '--image=nginx', '--', 'nosuch']);
    await sb.run(['run', 'na', '--image=nginx:alpine', '--', 'nosuch']);
    await sb.run(['clock', 'advance', '30s']);
    expect((await sb.run(['logs', 'ng'])).stdout).toBe('/docker-entrypoint.sh: 47: exec: nosuch: not found\n');
    expect((await sb.run(['logs', 'na'])).stdout).toBe('/docker-entrypoint.sh: exec: line 47: nosuch: not found\n');
    expect((await sb.run(['get', 'pod', 'ng', '-o', 'jsonpath={.status.containerStatuses[0].lastState.terminated.exitCode}'])).stdout).toBe('127');
  });

  it("postgres, mysql, redis: exec of a missing program in each script's words (its shell, its line)", async () => {
    for (const [pod, image] of [['pg', 'postgres'], ['my', 'mysql'], ['rd', 'redis'], ['ra', 'redis:alpine']]) await sb.run(['run', pod, `--image=${image}`, '--', 'nosuch']);
    await sb.run(['clock', 'advance', '30s']);
    expect((await sb.run(['logs', 'pg'])).stdout).toBe('/usr/local/bin/docker-entrypoint.sh: line 351: exec: nosuch: not found\n');
    expect((await sb.run(['logs', 'my'])).stdout).toBe('/usr/local/bin/docker-entrypoint.sh: line 414: exec: nosuch: not found\n');
    expect((await sb.run(['logs', 'rd'])).stdout).toBe('/usr/local/bin/docker-entrypoint.sh: 24: exec: nosuch: not found\n');
    expect((await sb.run(['logs', 'ra'])).stdout).toBe('/usr/local/bin/docker-entrypoint.sh: exec: line 24: nosuch: not found\n');
  });

  it('nginx --command -- nginx: no entrypoint script, so none of its lines', async () => {
    await sb.run(['run', 'n', '--image=nginx', '--command', '--', 'nginx', '-g', 'daemon off;']);
    await sb.run(['clock', 'advance', '10s']);
    const logs = (await sb.run(['logs', 'n'])).stdout;
    expect(logs).not.toContain('docker-entrypoint');
    expect(logs).toMatch(/^\S+ \S+ \[notice\] 1#1: using the "epoll" event method\n/);
  });

  it('tail -f /dev/null and sleep infinity keep a container running, and say nothing', async () => {
    await sb.run(['run', 't1', '--image=busybox', '--', 'tail', '-f', '/dev/null']);
    await sb.run(['run', 't2', '--image=nginx', '--', 'sh', '-c', 'echo hi; tail -F /dev/null']);
    await sb.run(['run', 't3', '--image=nginx', '--', 'sh', '-c', 'echo ho; sleep infinity']);
    await sb.run(['clock', 'advance', '2m']);
    for (const p of ['t1', 't2', 't3']) expect(await podStatus(sb, p)).toBe('1/1 Running 0');
    expect((await sb.run(['logs', 't2'])).stdout).toBe('hi\n');
    expect((await sb.run(['logs', 't3'])).stdout).toBe('ho\n');
    expect((await sb.run(['exec', 't1', '--', 'ps'])).stdout).toMatch(/^ +1 root +0:00 tail -f \/dev\/null$/m);
  });

  it("the exec'd command is PID 1", async () => {
    await sb.run(['run', 'nd', '--image=node', '--', 'sleep', '3600']);
    await sb.run(['clock', 'advance', '10s']);
    const ps = await sb.run(['exec', 'nd', '--', 'ps', 'aux']);
    expect(ps.stdout).toMatch(/^root +1 .* sleep 3600$/m);
  });
});
