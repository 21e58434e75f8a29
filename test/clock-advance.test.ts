// A huge clock advance skips ahead like an idle day: loops that repeat (crash loops, image pull
// back-off, volume syncs) are accounted for, not replayed one by one.
import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

describe('clock advance over years', () => {
  const sb = new Sandbox();
  afterAll(() => sb.dispose());

  it('finishes quickly with crash-looping and back-off pods, counting their restarts', async () => {
    await sb.run(['clock', 'freeze']);
    await sb.run(['run', 'web', '--image=nginx']);
    await sb.run(['run', 'crash', '--image=busybox', '--', 'false']);
    await sb.run(['run', 'nopull', '--image=nginx:nope']);
    const mountless = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nomount' }, spec: { containers: [{ name: 'c', image: 'nginx' }], volumes: [{ name: 'v', configMap: { name: 'missing' } }] } };
    expect((await sb.run(['apply', '-f', '-'], JSON.stringify(mountless))).code).toBe(0);
    await sb.run(['clock', 'advance', '1m']);
    const day = Date.now();
    expect((await sb.run(['clock', 'advance', '24h'])).code).toBe(0);
    expect(Date.now() - day).toBeLessThan(1500);
    const pods = (await sb.run(['get', 'pods'])).stdout;
    // every 5 minutes once the back-off is at its cap: 12 an hour
    const restarts = Number(/crash\s+0\/1\s+\S+\s+(\d+)/.exec(pods)?.[1]);
    expect(restarts).toBeGreaterThan(280);
    expect(restarts).toBeLessThan(300);
    const started = Date.now();
    const r = await sb.run(['clock', 'advance', '999999h']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('2140-12-22T12:01:00Z (frozen)\n');
    expect(Date.now() - started).toBeLessThan(1000);
    const after = (await sb.run(['get', 'pods'])).stdout;
    expect(after).toMatch(/web\s+1\/1\s+Running\s+0\s+114y/);
    expect(after).toMatch(/crash\s+0\/1\s+CrashLoopBackOff\s+\d{8} \((\d+m)?\d+s ago\)\s+114y/);
    expect(after).toMatch(/nopull\s+0\/1\s+(ImagePullBackOff|ErrImagePull)\s+0\s+114y/);
    expect(after).toMatch(/nomount\s+0\/1\s+ContainerCreating\s+0\s+114y/);
    expect((await sb.run(['describe', 'pod', 'nomount'])).stdout).toMatch(/Warning +FailedMount +\S+ \(x\d{7,} over 114y\) +kubelet +MountVolume\.SetUp failed/);
    // which of a turn's events the spam filter lets through settles into a pattern (here the restart's pull)
    expect((await sb.run(['describe', 'pod', 'crash'])).stdout).toMatch(/(\d+m)?\d+s \(x\d{8} over 114y\) +kubelet/);
  });
});
