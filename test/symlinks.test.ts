// Links through links resolve as the kernel resolves them: the kubelet's atomic writer layout
// (`labels -> ..data/labels`, `..data -> ..<timestamp>`) and links users make.
import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: dapi
  labels: {zone: us-est-coast, cluster: test-cluster1}
spec:
  containers:
  - name: c
    image: registry.k8s.io/busybox
    command: ["sleep", "3600"]
    volumeMounts: [{name: podinfo, mountPath: /etc/podinfo}]
  volumes:
  - name: podinfo
    downwardAPI:
      items:
      - {path: labels, fieldRef: {fieldPath: metadata.labels}}
`;

const sb = new Sandbox();
afterAll(() => sb.dispose());

describe('symbolic links', () => {
  it('the downward API files link through ..data, as the kubelet writes them', async () => {
    await sb.run(['clock', 'freeze']);
    await sb.run(['apply', '-f', '-'], POD);
    await sb.run(['clock', 'advance', '30s']);
    expect((await sb.run(['exec', 'dapi', '--', 'readlink', '/etc/podinfo/labels'])).stdout).toBe('..data/labels\n');
    expect((await sb.run(['exec', 'dapi', '--', 'readlink', '/etc/podinfo/..data'])).stdout).toMatch(/^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d+\n$/);
    expect((await sb.run(['exec', 'dapi', '--', 'cat', '/etc/podinfo/labels'])).stdout).toBe('cluster="test-cluster1"\nzone="us-est-coast"');
  });

  it('a link whose target goes through another link', async () => {
    const r = await sb.run(['exec', 'dapi', '--', 'sh', '-c', 'cd /tmp && mkdir a && echo hi > a/f && ln -s a b && ln -s b/f c && ln -s /tmp/c d && cat c d && readlink c']);
    expect(r.stdout).toBe('hi\nhi\nb/f\n');
    const loop = await sb.run(['exec', 'dapi', '--', 'sh', '-c', 'cd /tmp && ln -s l2 l1 && ln -s l1 l2 && cat l1']);
    expect(loop.code).not.toBe(0);
  });
});
