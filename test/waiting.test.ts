// The shared wait: with a frozen clock it moves simulated time; following wall time it polls.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox, T0 } from './harness.js';

let sb: Sandbox;
beforeEach(() => {
  sb = new Sandbox();
});
afterEach(() => sb.dispose());

const POD = JSON.stringify({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'slow' },
  spec: { terminationGracePeriodSeconds: 7, containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] },
});

describe('delete --wait', () => {
  it('with a frozen clock, runs simulated time forward to the end of the grace period', async () => {
    await sb.run(['clock', 'freeze']);
    await sb.run(['create', '-f', '-'], POD);
    await sb.run(['clock', 'advance', '10s']);
    const before = (await sb.run(['clock'])).stdout;
    const r = await sb.run(['delete', 'pod', 'slow']);
    expect(r.stdout).toBe('pod "slow" deleted\n');
    const after = (await sb.run(['clock'])).stdout;
    expect(Date.parse(after.split(' ')[0]) - Date.parse(before.split(' ')[0])).toBe(7000);
    expect(sb.wall).toBe(T0);
  });

  it('following wall time, waits in wall time', async () => {
    await sb.run(['create', '-f', '-'], POD);
    sb.wall += 10_000;
    const r = await sb.run(['delete', 'pod', 'slow']);
    expect(r.stdout).toBe('pod "slow" deleted\n');
    expect(sb.wall - T0 - 10_000).toBeGreaterThanOrEqual(7000);
    expect(sb.wall - T0 - 10_000).toBeLessThan(7300);
    expect((await sb.run(['get', 'pods'])).stderr).toBe('No resources found in default namespace.\n');
  });
});

describe('run -i / -it', () => {
  it('-it in wall time waits for the container, then gives the shell a terminal', async () => {
    const { stdout: out, stderr: err, code } = await sb.terminal(['run', 'box', '--image=busybox', '-it', '--restart=Never', '--', 'sh'], ['echo from-the-shell', 'exit']);
    expect(err).toBe("If you don't see a command prompt, try pressing enter.\n");
    expect(out).toContain('from-the-shell');
    expect(code).toBe(0);
  });

  it('-i with piped input runs it in the container and ends with its exit code', async () => {
    const r = await sb.run(['run', 'piped', '--image=busybox', '-i', '--restart=Never', '--', 'sh'], 'echo hi\nexit 3\n');
    expect(r.stdout).toBe('hi\n');
    expect(r.stderr).toBe('pod default/piped terminated (Error)\n');
    expect(r.code).toBe(3);
  });
});

describe('logs -f', () => {
  const TICKER = ['run', 'ticker', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'for i in 1 2 3; do echo tick $i; sleep 2; done'];

  it('with a frozen clock, follows the container to its end', async () => {
    await sb.run(['clock', 'freeze']);
    await sb.run(TICKER);
    await sb.run(['clock', 'advance', '3s']);
    const r = await sb.run(['logs', '-f', 'ticker']);
    expect(r.stdout).toBe('tick 1\ntick 2\ntick 3\n');
    expect((await sb.run(['get', 'pod', 'ticker', '-o', 'jsonpath={.status.phase}'])).stdout).toBe('Succeeded');
  });

  it('following wall time, ends when the container stops', async () => {
    await sb.run(TICKER);
    sb.wall += 3000;
    const r = await sb.run(['logs', '-f', 'ticker']);
    expect(r.stdout).toBe('tick 1\ntick 2\ntick 3\n');
    expect(r.code).toBe(0);
  });
});
