// The garbage collector: background, foreground and orphan deletion through ownerReferences.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = new Sandbox();
  await sb.run(['clock', 'freeze']);
});
afterAll(() => sb.dispose());

async function owned(owner: string, dep: string, block = true): Promise<void> {
  await sb.run(['create', 'configmap', owner]);
  const uid = (await sb.run(['get', 'cm', owner, '-o', 'jsonpath={.metadata.uid}'])).stdout;
  const doc = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: dep, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner, uid, controller: true, blockOwnerDeletion: block }] },
  };
  const r = await sb.run(['create', '-f', '-'], JSON.stringify(doc));
  expect(r.stderr).toBe('');
}

const exists = async (name: string) => (await sb.run(['get', 'cm', name, '--ignore-not-found', '-o', 'name'])).stdout.trim();

describe('garbage collector', () => {
  it('deletes dependents after their owner (background)', async () => {
    await owned('bg-owner', 'bg-dep');
    const r = await sb.run(['delete', 'cm', 'bg-owner']);
    expect(r.stdout).toBe('configmap "bg-owner" deleted\n');
    expect(await exists('bg-owner')).toBe('');
    expect(await exists('bg-dep')).toBe('');
  });

  it('keeps dependents without their reference (orphan)', async () => {
    await owned('or-owner', 'or-dep');
    const r = await sb.run(['delete', 'cm', 'or-owner', '--cascade=orphan']);
    expect(r.stdout).toBe('configmap "or-owner" deleted\n');
    expect(await exists('or-owner')).toBe('');
    expect(await exists('or-dep')).toBe('configmap/or-dep');
    expect((await sb.run(['get', 'cm', 'or-dep', '-o', 'jsonpath={.metadata.ownerReferences}'])).stdout).toBe('');
  });

  it('deletes dependents first (foreground), and --cascade=false warns', async () => {
    await owned('fg-owner', 'fg-dep');
    const r = await sb.run(['delete', 'cm', 'fg-owner', '--cascade=foreground']);
    expect(r.stdout).toBe('configmap "fg-owner" deleted\n');
    expect(await exists('fg-owner')).toBe('');
    expect(await exists('fg-dep')).toBe('');
    await owned('f-owner', 'f-dep');
    const w = await sb.run(['delete', 'cm', 'f-owner', '--cascade=false']);
    expect(w.stderr).toBe('warning: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.\n');
    expect(await exists('f-dep')).toBe('configmap/f-dep');
  });

  it('rejects an unknown cascade value', async () => {
    const r = await sb.run(['delete', 'cm', 'x', '--cascade=sideways']);
    expect(r.stderr).toBe('error: invalid cascade value (sideways). Must be "background", "foreground", or "orphan"\n');
    expect(r.code).toBe(1);
  });

  it('deletes pods owned by a deleted object through their graceful stop', async () => {
    await sb.run(['create', 'configmap', 'pod-owner']);
    const uid = (await sb.run(['get', 'cm', 'pod-owner', '-o', 'jsonpath={.metadata.uid}'])).stdout;
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'owned-pod', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'pod-owner', uid }] },
      spec: { terminationGracePeriodSeconds: 5, containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] },
    };
    await sb.run(['create', '-f', '-'], JSON.stringify(pod));
    await sb.run(['clock', 'advance', '10s']);
    await sb.run(['delete', 'cm', 'pod-owner', '--wait=false']);
    const r = await sb.run(['get', 'pod', 'owned-pod', '--no-headers']);
    expect(r.stdout).toMatch(/^owned-pod\s+1\/1\s+Terminating/);
    await sb.run(['clock', 'advance', '6s']);
    expect((await sb.run(['get', 'pod', 'owned-pod', '--ignore-not-found'])).stdout).toBe('');
  });
});
