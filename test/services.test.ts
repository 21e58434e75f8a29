// The Service network: Endpoints/EndpointSlice controllers, DNS and kube-proxy routing, expose and
// create service, service environment variables.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

let sb: Sandbox;
const run = async (...argv: string[]) => sb.run(argv);
const json = async (...argv: string[]) => JSON.parse((await sb.run([...argv, '-o', 'json'])).stdout);

beforeAll(async () => {
  sb = new Sandbox();
  await run('clock', 'freeze');
});
afterAll(() => sb.dispose());

describe('a fresh cluster', () => {
  it('has the kubernetes and kube-dns endpoints and slices', async () => {
    const ep = await json('get', 'endpoints', 'kubernetes');
    expect(ep.metadata.labels).toEqual({ 'endpointslice.kubernetes.io/skip-mirror': 'true' });
    expect(ep.subsets).toEqual([{ addresses: [{ ip: '192.168.49.2' }], ports: [{ name: 'https', port: 8443, protocol: 'TCP' }] }]);
    const slice = await json('get', 'endpointslice', 'kubernetes');
    expect(slice.metadata.labels).toEqual({ 'kubernetes.io/service-name': 'kubernetes' });
    const dns = await run('get', 'ep', 'kube-dns', '-n', 'kube-system', '--no-headers');
    expect(dns.stdout).toMatch(/^kube-dns\s+10\.244\.0\.2:53,10\.244\.0\.2:53,10\.244\.0\.2:9153\s/);
  });
});

describe('endpoints follow pods', () => {
  beforeAll(async () => {
    await sb.run(['create', '-f', '-'], `apiVersion: v1
kind: Service
metadata:
  name: app
  labels: {tier: fe}
spec:
  selector: {app: app}
  ports:
  - name: http
    port: 80
    targetPort: web
---
apiVersion: v1
kind: Pod
metadata:
  name: a1
  labels: {app: app}
spec:
  containers:
  - name: c
    image: nginx
    ports: [{name: web, containerPort: 80}]
---
apiVersion: v1
kind: Pod
metadata:
  name: a2
  labels: {app: app}
spec:
  containers:
  - name: c
    image: nginx
    ports: [{name: web, containerPort: 80}]
    readinessProbe:
      exec: {command: [cat, /nope]}
`);
    await run('clock', 'advance', '20s');
  });

  it('lists ready pods as addresses and the others as notReadyAddresses, with a named target port', async () => {
    const ep = await json('get', 'endpoints', 'app');
    expect(ep.metadata.labels).toEqual({ tier: 'fe' });
    expect(ep.subsets).toHaveLength(1);
    expect(ep.subsets[0].addresses.map((a: { targetRef: { name: string } }) => a.targetRef.name)).toEqual(['a1']);
    expect(ep.subsets[0].notReadyAddresses.map((a: { targetRef: { name: string } }) => a.targetRef.name)).toEqual(['a2']);
    expect(ep.subsets[0].ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP' }]);
    expect(ep.subsets[0].addresses[0].nodeName).toBe('minikube');
  });

  it('keeps every pod in one slice with its conditions', async () => {
    const list = await json('get', 'endpointslices', '-l', 'kubernetes.io/service-name=app');
    expect(list.items).toHaveLength(1);
    const s = list.items[0];
    expect(s.metadata.name).toMatch(/^app-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(s.metadata.labels).toEqual({ tier: 'fe', 'kubernetes.io/service-name': 'app', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(s.metadata.ownerReferences[0]).toMatchObject({ kind: 'Service', name: 'app', controller: true, blockOwnerDeletion: true });
    expect(s.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP' }]);
    expect(s.endpoints.map((e: { conditions: unknown }) => e.conditions)).toEqual([
      { ready: true, serving: true, terminating: false },
      { ready: false, serving: false, terminating: false },
    ]);
  });

  it('shows only ready endpoints in describe svc', async () => {
    const r = await run('describe', 'svc', 'app');
    expect(r.stdout).toMatch(/\nEndpoints:\s+10\.244\.0\.\d+:80\n/);
  });

  it('marks a terminating pod and drops it from Endpoints', async () => {
    await run('run', 'slow', '--image=busybox', '--labels=app=app', '--', 'sh', '-c', 'sleep 3600');
    await run('clock', 'advance', '10s');
    await run('delete', 'pod', 'slow', '--wait=false');
    const ep = await json('get', 'endpoints', 'app');
    const names = [...(ep.subsets[0].addresses ?? []), ...(ep.subsets[0].notReadyAddresses ?? [])].map((a: { targetRef: { name: string } }) => a.targetRef.name);
    expect(names).not.toContain('slow');
    const s = (await json('get', 'endpointslices', '-l', 'kubernetes.io/service-name=app')).items[0];
    const slow = s.endpoints.find((e: { targetRef: { name: string } }) => e.targetRef.name === 'slow');
    expect(slow?.conditions).toEqual({ ready: false, serving: true, terminating: true });
    await run('clock', 'advance', '40s');
    const after = (await json('get', 'endpointslices', '-l', 'kubernetes.io/service-name=app')).items[0];
    expect(after.endpoints.some((e: { targetRef: { name: string } }) => e.targetRef.name === 'slow')).toBe(false);
  });

  it('removes Endpoints and slices with the service', async () => {
    await run('create', 'service', 'clusterip', 'gone', '--tcp=80');
    expect((await run('get', 'ep', 'gone')).code).toBe(0);
    await run('delete', 'svc', 'gone');
    expect((await run('get', 'ep', 'gone')).stderr).toBe('Error from server (NotFound): endpoints "gone" not found\n');
    expect((await run('get', 'endpointslices', '-l', 'kubernetes.io/service-name=gone')).stderr).toBe('No resources found in default namespace.\n');
  });
});

describe('traffic and DNS from a pod', () => {
  beforeAll(async () => {
    await run('run', 'client', '--image=busybox', '--', 'sleep', '3600');
    await run('run', 'curler', '--image=nginx');
    await run('create', 'service', 'clusterip', 'empty', '--tcp=80');
    await run('clock', 'advance', '10s');
  });

  it('reaches a ready backend through the service name', async () => {
    const r = await run('exec', 'client', '--', 'sh', '-c', 'wget -qO- app.default | grep -c nginx');
    expect(r.stdout).not.toBe('0\n');
    expect(r.code).toBe(0);
  });

  it('is refused by a service without endpoints, with curl and wget wording', async () => {
    const w = await run('exec', 'client', '--', 'wget', '-qO-', 'empty');
    expect(w.stderr).toMatch(/^wget: can't connect to remote host \(10\.\d+\.\d+\.\d+\): Connection refused\n/);
    const c = await run('exec', 'curler', '--', 'curl', '-sS', 'empty');
    expect(c.stderr).toBe("curl: (7) Failed to connect to empty port 80 after 0 ms: Couldn't connect to server\ncommand terminated with exit code 7\n");
  });

  it('keeps a client on one backend under ClientIP session affinity', async () => {
    await run('run', 'b1', '--image=registry.k8s.io/e2e-test-images/agnhost:2.39', '--labels=app=sticky', '--', 'serve-hostname');
    await run('run', 'b2', '--image=registry.k8s.io/e2e-test-images/agnhost:2.39', '--labels=app=sticky', '--', 'serve-hostname');
    await sb.run(['create', '-f', '-'], 'apiVersion: v1\nkind: Service\nmetadata: {name: sticky}\nspec:\n  selector: {app: sticky}\n  sessionAffinity: ClientIP\n  ports: [{port: 80, targetPort: 9376}]\n');
    await run('clock', 'advance', '10s');
    const r = await run('exec', 'client', '--', 'sh', '-c', 'for i in 1 2 3 4 5 6; do wget -qO- sticky; echo; done');
    expect(new Set(r.stdout.trim().split('\n')).size).toBe(1);
  });

  it('mirrors the Endpoints of a service without a selector and routes to them', async () => {
    const ip = (await json('get', 'pod', 'curler')).status.podIP as string;
    await sb.run(['apply', '-f', '-'], `apiVersion: v1\nkind: Service\nmetadata: {name: manual}\nspec:\n  ports: [{name: http, port: 8080, targetPort: 80}]\n---\napiVersion: v1\nkind: Endpoints\nmetadata: {name: manual}\nsubsets:\n- addresses: [{ip: ${ip}}]\n  ports: [{name: http, port: 80}]\n`);
    const list = await json('get', 'endpointslices', '-l', 'kubernetes.io/service-name=manual');
    expect(list.items).toHaveLength(1);
    expect(list.items[0].metadata.labels['endpointslice.kubernetes.io/managed-by']).toBe('endpointslicemirroring-controller.k8s.io');
    expect(list.items[0].metadata.ownerReferences[0]).toMatchObject({ kind: 'Endpoints', name: 'manual' });
    expect(list.items[0].endpoints).toEqual([{ addresses: [ip], conditions: { ready: true } }]);
    const r = await run('exec', 'client', '--', 'sh', '-c', 'wget -qO- manual:8080 | grep -c nginx');
    expect(r.code).toBe(0);
  });

  it('does not resolve unknown names', async () => {
    const c = await run('exec', 'curler', '--', 'curl', 'nosuch');
    expect(c.stderr).toBe('curl: (6) Could not resolve host: nosuch\ncommand terminated with exit code 6\n');
    expect(c.code).toBe(6);
    const w = await run('exec', 'client', '--', 'wget', 'nosuch.other');
    expect(w.stderr).toBe("wget: bad address 'nosuch.other'\ncommand terminated with exit code 1\n");
  });

  it('resolves kube-dns.kube-system and pod A records', async () => {
    const r = await run('exec', 'client', '--', 'nslookup', 'kube-dns.kube-system.svc.cluster.local');
    expect(r.stdout).toContain('Name:\tkube-dns.kube-system.svc.cluster.local\nAddress: 10.96.0.10\n');
    const ip = (await json('get', 'pod', 'curler')).status.podIP as string;
    const p = await run('exec', 'client', '--', 'nslookup', `${ip.replaceAll('.', '-')}.default.pod.cluster.local`);
    expect(p.stdout).toContain(`Address: ${ip}\n`);
  });
});

describe('service environment variables', () => {
  it('are set only for services that existed when the container started', async () => {
    await run('run', 'early', '--image=busybox', '--', 'sleep', '3600');
    await run('clock', 'advance', '10s');
    await run('create', 'service', 'clusterip', 'late-svc', '--tcp=8080');
    await run('run', 'later', '--image=busybox', '--', 'sleep', '3600');
    await run('clock', 'advance', '10s');
    expect((await run('exec', 'early', '--', 'printenv', 'LATE_SVC_SERVICE_HOST')).code).toBe(1);
    const r = await run('exec', 'later', '--', 'printenv', 'LATE_SVC_SERVICE_PORT', 'LATE_SVC_SERVICE_PORT_8080', 'LATE_SVC_PORT_8080_TCP_PROTO');
    expect(r.stdout).toBe('8080\n8080\ntcp\n');
  });
});

describe('expose and create service', () => {
  it('takes the port and selector from the pod', async () => {
    await run('run', 'ex', '--image=nginx', '--port=80', '--labels=app=ex,tier=t');
    expect((await run('expose', 'pod', 'ex', '--name=ex-svc', '--type=NodePort')).stdout).toBe('service/ex-svc exposed\n');
    const svc = await json('get', 'svc', 'ex-svc');
    expect(svc.spec.selector).toEqual({ app: 'ex', tier: 't' });
    expect(svc.spec.ports[0]).toMatchObject({ port: 80, targetPort: 80, protocol: 'TCP' });
    expect(svc.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(svc.spec.ports[0].nodePort).toBeLessThanOrEqual(32767);
  });

  it('says what it cannot expose', async () => {
    await run('run', 'noport', '--image=nginx');
    expect((await run('expose', 'pod', 'noport')).stderr).toBe("error: couldn't find port via --port flag or introspection\n");
    expect((await run('expose', 'configmap', 'kube-root-ca.crt', '--port=80')).stderr).toBe('error: cannot expose a ConfigMap\n');
    expect((await run('expose', 'pod', 'missing')).stderr).toBe('Error from server (NotFound): pods "missing" not found\n');
  });

  it('creates a headless service with --clusterip=None', async () => {
    expect((await run('create', 'service', 'clusterip', 'hl', '--clusterip=None')).stdout).toBe('service/hl created\n');
    const svc = await json('get', 'svc', 'hl');
    expect(svc.spec.clusterIP).toBe('None');
    const ep = await json('get', 'ep', 'hl');
    expect(ep.metadata.labels).toEqual({ app: 'hl', 'service.kubernetes.io/headless': '' });
  });

  it('run --expose creates the service first in its output', async () => {
    const r = await run('run', 'rx', '--image=nginx', '--expose', '--port=8080');
    expect(r.stdout).toBe('service/rx created\npod/rx created\n');
    expect((await json('get', 'svc', 'rx')).spec.selector).toEqual({ run: 'rx' });
  });
});
