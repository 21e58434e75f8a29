// A client library against kubesim serve: @kubernetes/client-node (1.x, the line that runs on Node 20)
// lists pods and creates a ConfigMap through the kubesim context serve writes, and the CLI sees it.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = resolve(__dirname, '..', 'bin', 'kubesim');
const home = mkdtempSync(join(tmpdir(), 'kubesim-client-'));
const env: NodeJS.ProcessEnv = { ...process.env, KUBESIM_HOME: home };
delete env.NODE_EXTRA_CA_CERTS;
const ks = (...args: string[]) => execFileSync(bin, args, { env, encoding: 'utf8' });

describe('@kubernetes/client-node against kubesim serve', () => {
  let server: ChildProcess;

  beforeAll(async () => {
    ks('clock', 'freeze');
    ks('run', 'web', '--image=nginx');
    ks('clock', 'advance', '30s');
    server = spawn(bin, ['serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((done) => server.stdout!.on('data', (d) => String(d).includes('kubeconfig context') && done()));
  }, 60_000);

  afterAll(() => {
    server?.kill('SIGINT');
    rmSync(home, { recursive: true, force: true });
  });

  it('lists, creates, and the CLI sees what it made', async () => {
    const k8s = await import('kubernetes-client-node-1');
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(join(home, 'kubeconfig'));
    kc.setCurrentContext('kubesim');
    const api = kc.makeApiClient(k8s.CoreV1Api);
    const pods = await api.listNamespacedPod({ namespace: 'default' });
    expect(pods.items.map((p) => [p.metadata?.name, p.status?.phase])).toEqual([['web', 'Running']]);
    const cm = await api.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'from-client' }, data: { greeting: 'hello' } } });
    expect(cm.metadata?.uid).toBeTruthy();
    expect(ks('get', 'configmap', 'from-client', '-o', 'jsonpath={.data.greeting}')).toBe('hello');
    await expect(api.readNamespacedPod({ namespace: 'default', name: 'nope' })).rejects.toMatchObject({ code: 404 });
  }, 60_000);
});
