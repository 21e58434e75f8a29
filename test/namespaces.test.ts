// Namespace deletion: Terminating, the namespace controller's conditions, creation refused while it
// lasts, graceful pod termination, and the namespace gone once its content is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = new Sandbox();
  await sb.run(['clock', 'freeze']);
});
afterAll(() => sb.dispose());

const out = async (argv: string[]) => (await sb.run(argv)).stdout;

describe('namespace deletion', () => {
  it('terminates the content gracefully, then the namespace goes', async () => {
    await sb.run(['create', 'ns', 'demo']);
    await sb.run(['run', 'sleeper', '--image=busybox', '-n', 'demo', '--', 'sh', '-c', 'sleep 3600']);
    await sb.run(['create', 'deployment', 'web', '--image=nginx', '-n', 'demo']);
    await sb.run(['create', 'configmap', 'cfg', '-n', 'demo', '--from-literal=a=b']);
    await sb.run(['clock', 'advance', '20s']);
    const r = await sb.run(['delete', 'ns', 'demo', '--wait=false']);
    expect(r.stdout).toBe('namespace "demo" deleted\n');
    expect(await out(['get', 'ns', 'demo', '--no-headers'])).toMatch(/^demo\s+Terminating\s+20s\n$/);
    // the namespace controller looks 5 s after the deletion
    expect(await out(['get', 'ns', 'demo', '-o', 'jsonpath={.status.conditions}'])).toBe('');
    await sb.run(['clock', 'advance', '5s']);
    const conds = JSON.parse(await out(['get', 'ns', 'demo', '-o', 'jsonpath={.status.conditions}']));
    expect(conds.map((c: Record<string, string>) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered', 'All resources successfully discovered'],
      ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
      ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
      ['NamespaceContentRemaining', 'True', 'SomeResourcesRemain', 'Some resources are remaining: pods. has 2 resource instances'],
      ['NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers', 'All content-preserving finalizers finished'],
    ]);
    expect(await out(['get', 'pods', '-n', 'demo', '--no-headers'])).toMatch(/^sleeper\s+1\/1\s+Terminating\s+0\s+25s\n$/);
    expect(await out(['get', 'cm,deploy', '-n', 'demo', '-o', 'name'])).toBe('');
    const d = await sb.run(['describe', 'ns', 'demo']);
    expect(d.stdout).toContain('Status:       Terminating\nConditions:\n  Type                                         Status  LastTransitionTime               Reason                  Message\n');
  });

  it('refuses new content while it terminates', async () => {
    const r = await sb.run(['run', 'late', '--image=nginx', '-n', 'demo']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error from server (Forbidden): pods "late" is forbidden: unable to create new content in namespace demo because it is being terminated\n');
    const c = await sb.run(['create', 'configmap', 'late', '-n', 'demo']);
    expect(c.stderr).toBe('error: failed to create configmap: configmaps "late" is forbidden: unable to create new content in namespace demo because it is being terminated\n');
  });

  it('is gone once the pod has used its grace period and the controller looked again', async () => {
    // passes at +5 s, +21 s (estimate 30 s: requeued after 30/2+1), +37 s; the pod goes at +35 s
    await sb.run(['clock', 'advance', '30s']);
    expect(await out(['get', 'ns', 'demo', '--no-headers'])).toMatch(/^demo\s+Terminating/);
    await sb.run(['clock', 'advance', '2s']);
    const r = await sb.run(['get', 'ns', 'demo']);
    expect(r.stderr).toBe('Error from server (NotFound): namespaces "demo" not found\n');
  });

  it('default, kube-system and kube-public may not be deleted', async () => {
    for (const ns of ['default', 'kube-system', 'kube-public']) {
      const r = await sb.run(['delete', 'ns', ns]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`Error from server (Forbidden): namespaces "${ns}" is forbidden: this namespace may not be deleted\n`);
    }
    expect(await out(['get', 'ns', 'default', 'kube-system', 'kube-public', '--no-headers', '-o', 'custom-columns=S:.status.phase'])).toBe('Active\nActive\nActive\n');
  });

  it('kubectl delete ns waits for the namespace to go', async () => {
    await sb.run(['create', 'ns', 'quick']);
    const before = await out(['clock']);
    const r = await sb.run(['delete', 'ns', 'quick']);
    expect(r.stdout).toBe('namespace "quick" deleted\n');
    const after = await out(['clock']);
    expect(Date.parse(after.split(' ')[0]) - Date.parse(before.split(' ')[0])).toBe(5000);
    expect((await sb.run(['get', 'ns', 'quick'])).code).toBe(1);
  });
});
