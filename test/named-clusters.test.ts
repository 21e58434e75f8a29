// Named clusters side by side: kubesim cluster create NAME, kubectl config use-context, cluster list
// and delete; each cluster keeps its own objects, and the context in use decides which one a command sees.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

let sb: Sandbox;
beforeEach(() => {
  sb = new Sandbox();
});
afterEach(() => sb.dispose());

const names = async (...extra: string[]) => (await sb.run(['get', 'pods', '-o', 'name', ...extra])).stdout;

describe('named clusters', () => {
  it('keep their own objects, follow the current context, and go with delete', async () => {
    expect((await sb.run(['run', 'one', '--image=nginx'])).code).toBe(0);
    const made = await sb.run(['cluster', 'create', 'lab2']);
    expect(made).toEqual({ stdout: 'cluster "lab2" created: minikube\nSwitched to context "lab2".\n', stderr: '', code: 0 });
    expect(existsSync(join(sb.home, 'clusters', 'lab2', 'store.json'))).toBe(true);
    expect((await sb.run(['config', 'current-context'])).stdout).toBe('lab2\n');
    expect(await names()).toBe('');
    await sb.run(['run', 'two', '--image=nginx']);
    expect(await names()).toBe('pod/two\n');
    expect(await names('--context', 'minikube')).toBe('pod/one\n');
    expect(await names('-n', 'default', '--context', 'minikube')).toBe('pod/one\n');
    const list = await sb.run(['cluster', 'list']);
    expect(list.stdout).toBe(`CURRENT   NAME       STORE\n          minikube   ${sb.home}\n*         lab2       ${join(sb.home, 'clusters', 'lab2')}\n`);
    expect((await sb.run(['config', 'use-context', 'minikube'])).stdout).toBe('Switched to context "minikube".\n');
    expect(await names()).toBe('pod/one\n');
    await sb.run(['config', 'use-context', 'lab2']);
    expect((await sb.run(['cluster', 'delete', 'lab2'])).stdout).toBe('cluster "lab2" deleted\nSwitched to context "minikube".\n');
    expect(existsSync(join(sb.home, 'clusters', 'lab2'))).toBe(false);
    expect(await names()).toBe('pod/one\n');
    expect((await sb.run(['config', 'get-contexts', '-o', 'name'])).stdout).toBe('minikube\n');
  });

  it('reset and create without a name act on the cluster in use', async () => {
    await sb.run(['run', 'one', '--image=nginx']);
    await sb.run(['cluster', 'create', 'lab2']);
    await sb.run(['run', 'two', '--image=nginx']);
    expect((await sb.run(['reset'])).code).toBe(0);
    expect(await names()).toBe('');
    expect(await names('--context', 'minikube')).toBe('pod/one\n');
  });

  it('refuses names it cannot keep, the default cluster, and unknown clusters', async () => {
    expect((await sb.run(['cluster', 'create', 'Lab_2'])).stderr).toMatch(/^error: invalid cluster name "Lab_2"/);
    expect((await sb.run(['cluster', 'create', 'minikube'])).stderr).toMatch(/"minikube" is the default cluster/);
    expect((await sb.run(['cluster', 'delete', 'minikube'])).stderr).toMatch(/cannot be deleted: kubesim reset/);
    const r = await sb.run(['cluster', 'delete', 'nope']);
    expect(r).toEqual({ stdout: '', stderr: 'error: cluster "nope" not found (kubesim cluster list shows the clusters)\n', code: 1 });
    expect((await sb.run(['cluster', 'frobnicate'])).stderr).toMatch(/^error: usage: kubesim cluster create \[NAME\]/);
  });
});
