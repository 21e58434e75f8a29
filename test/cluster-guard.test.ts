// kubesim cluster create on a cluster that holds objects: a confirmation on a terminal, --force otherwise.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

let sb: Sandbox;
beforeEach(() => {
  sb = new Sandbox();
});
afterEach(() => sb.dispose());

describe('cluster create', () => {
  it('replaces a cluster without objects of its users at once', async () => {
    await sb.run(['clock', 'freeze']);
    expect(await sb.run(['cluster', 'create', '--nodes', '3'])).toMatchObject({ stdout: 'cluster created: kind-control-plane and 2 worker node(s)\n', code: 0 });
  });

  it('wants --force in a script, and asks on a terminal', async () => {
    await sb.run(['clock', 'freeze']);
    await sb.run(['run', 'web', '--image=nginx']);
    await sb.run(['create', 'deployment', 'd', '--image=nginx']);
    const refused = await sb.run(['cluster', 'create']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: the cluster in \S+ holds \d+ pods?, 1 deployment; kubesim cluster create --force replaces it\n$/);
    const no = await sb.terminal(['cluster', 'create'], ['n']);
    expect([no.stderr, no.code]).toEqual(['cluster not created\n', 1]);
    expect((await sb.run(['get', 'deploy', 'd', '-o', 'name'])).stdout).toBe('deployment.apps/d\n');
    const yes = await sb.terminal(['cluster', 'create'], ['y']);
    expect([yes.stdout, yes.code]).toEqual(['cluster created: minikube\n', 0]);
    expect((await sb.run(['get', 'pods'])).stderr).toBe('No resources found in default namespace.\n');
    await sb.run(['run', 'web', '--image=nginx']);
    expect((await sb.run(['cluster', 'create', '--force'])).code).toBe(0);
  });
});
