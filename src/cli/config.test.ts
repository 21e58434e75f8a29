import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox } from '../../test/harness.js';

let sb: Sandbox;
afterEach(() => sb?.dispose());

describe('kubectl config', () => {
  it('shows and switches the namespace of the current context', async () => {
    sb = new Sandbox();
    expect((await sb.run(['config', 'current-context'])).stdout).toBe('minikube\n');
    expect((await sb.run(['config', 'get-contexts'])).stdout).toBe(
      'CURRENT   NAME       CLUSTER    AUTHINFO   NAMESPACE\n*         minikube   minikube   minikube   default\n',
    );
    expect((await sb.run(['config', 'set-context', '--current', '--namespace=dev'])).stdout).toBe('Context "minikube" modified.\n');
    expect((await sb.run(['config', 'view', '--minify', '-o', 'jsonpath={..namespace}'])).stdout).toBe('dev');
    const r = await sb.run(['config', 'use-context', 'nope']);
    expect([r.stderr, r.code]).toEqual(['error: no context exists with the name: "nope"\n', 1]);
    const g = await sb.run(['config', 'get-contexts', 'nope']);
    expect([g.stdout, g.stderr, g.code]).toEqual(['CURRENT   NAME   CLUSTER   AUTHINFO   NAMESPACE\n', 'error: context nope not found\n', 1]);
  });

  it('redacts secrets in view', async () => {
    sb = new Sandbox();
    const out = (await sb.run(['config', 'view'])).stdout;
    expect(out).toContain('certificate-authority-data: DATA+OMITTED');
    expect(out).toContain('client-key-data: DATA+OMITTED');
    expect(out.startsWith('apiVersion: v1\nclusters:\n- cluster:\n')).toBe(true);
  });
});
