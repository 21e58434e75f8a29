// kubectl wait: conditions, jsonpath, delete, create, timeouts, in both clock modes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox, T0 } from './harness.js';

let sb: Sandbox;
beforeEach(() => {
  sb = new Sandbox();
});
afterEach(() => sb.dispose());

describe('wait (frozen clock)', () => {
  beforeEach(async () => {
    await sb.run(['clock', 'freeze']);
  });

  it('waits for a condition, a jsonpath value and several objects by label', async () => {
    await sb.run(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2']);
    const avail = await sb.run(['wait', 'deploy/web', '--for=condition=Available', '--timeout=60s']);
    expect([avail.stdout, avail.code]).toEqual(['deployment.apps/web condition met\n', 0]);
    const ready = await sb.run(['wait', '--for=condition=Ready', 'pod', '-l', 'app=web']);
    expect(ready.stdout.split('\n').filter(Boolean)).toHaveLength(2);
    expect(ready.stdout).toMatch(/^pod\/web-\w+-\w{5} condition met\n/);
    const jp = await sb.run(['wait', 'deploy/web', "--for=jsonpath={.status.readyReplicas}=2"]);
    expect(jp.stdout).toBe('deployment.apps/web condition met\n');
    const falseCond = await sb.run(['wait', 'deploy/web', '--for=condition=Available=false', '--timeout=10s']);
    expect([falseCond.stderr, falseCond.code]).toEqual(['error: timed out waiting for the condition on deployments/web\n', 1]);
    const once = await sb.run(['wait', 'deploy/web', '--for=condition=Progressing=false', '--timeout=0']);
    expect(once.stderr).toBe('error: condition not met for deployments/web\n');
  });

  it('times out after --timeout of simulated time', async () => {
    await sb.run(['run', 'bad', '--image=nginx:nosuchtag']);
    const before = Date.parse((await sb.run(['clock'])).stdout.split(' ')[0]);
    const r = await sb.run(['wait', 'pod/bad', '--for=condition=Ready', '--timeout=20s']);
    expect([r.stdout, r.stderr, r.code]).toEqual(['', 'error: timed out waiting for the condition on pods/bad\n', 1]);
    const after = Date.parse((await sb.run(['clock'])).stdout.split(' ')[0]);
    expect(after - before).toBe(20_000);
  });

  it('waits for deletion and creation, and reports what it cannot find', async () => {
    await sb.run(['run', 'p', '--image=busybox', '--', 'sleep', '3600']);
    await sb.run(['wait', 'pod/p', '--for=condition=Ready']);
    await sb.run(['delete', 'pod', 'p', '--wait=false']);
    const gone = await sb.run(['wait', 'pod/p', '--for=delete', '--timeout=60s']);
    expect(gone.stdout).toBe('pod/p condition met\n');
    const missing = await sb.run(['wait', 'pod/p', '--for=delete']);
    expect([missing.stdout, missing.code]).toEqual(['', 0]);
    expect((await sb.run(['wait', 'pod/p', '--for=condition=Ready'])).stderr).toBe('Error from server (NotFound): pods "p" not found\n');
    expect((await sb.run(['wait', 'pod', '-l', 'app=none', '--for=condition=Ready'])).stderr).toBe('error: no matching resources found\n');
    const create = await sb.run(['wait', 'pod/q', '--for=create', '--timeout=5s']);
    expect(create.stderr).toBe('error: timed out waiting for the condition\n');
  });

  it('checks --for before anything', async () => {
    expect((await sb.run(['wait', 'pod/x', '--for=foo'])).stderr).toBe('error: unrecognized condition: "foo"\n');
    expect((await sb.run(['wait', 'pod/x', '--for=jsonpath={.a}='])).stderr).toBe(
      "error: jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3\n",
    );
    expect((await sb.run(['wait', 'pod/x', '--for=jsonpath=.a['])).stderr).toBe('error: unterminated array\n');
  });
});

describe('wait (wall clock)', () => {
  it('polls in wall time until the condition holds', async () => {
    await sb.run(['run', 'p', '--image=busybox', '--', 'sleep', '3600']);
    const r = await sb.run(['wait', 'pod/p', '--for=condition=Ready', '--timeout=2m']);
    expect([r.stdout, r.code]).toEqual(['pod/p condition met\n', 0]);
    expect(sb.wall).toBeGreaterThan(T0);
    expect(sb.wall - T0).toBeLessThan(120_000);
  });

  it('gives up after --timeout of wall time', async () => {
    await sb.run(['run', 'bad', '--image=nginx:nosuchtag']);
    const start = sb.wall;
    const r = await sb.run(['wait', 'pod/bad', '--for=condition=Ready', '--timeout=3s']);
    expect(r.stderr).toBe('error: timed out waiting for the condition on pods/bad\n');
    expect(sb.wall - start).toBeGreaterThanOrEqual(3000);
    expect(sb.wall - start).toBeLessThan(3500);
  });
});
