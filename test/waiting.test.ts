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
