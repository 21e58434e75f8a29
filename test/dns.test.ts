// Cluster DNS inside containers: the resolver's search path and ndots, /etc/hosts, CoreDNS's records
// (services, headless endpoints, pods, PTR), and the lookup tools' dialects.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

let sb: Sandbox;
const run = async (...argv: string[]) => sb.run(argv);
let webIp = '';

beforeAll(async () => {
  sb = new Sandbox();
  await run('clock', 'freeze');
  await run('create', 'namespace', 'other');
  await run('run', 'web', '--image=nginx', '--port=80', '-n', 'other');
  await run('expose', 'pod', 'web', '-n', 'other', '--port=80');
  await sb.run(['apply', '-f', '-'], `apiVersion: v1
kind: Pod
metadata:
  name: old
spec:
  hostAliases:
  - ip: 10.1.2.3
    hostnames: [alias.local]
  containers:
  - name: c
    image: busybox:1.28
    command: [sleep, "3600"]
---
apiVersion: v1
kind: Pod
metadata:
  name: new
spec:
  containers:
  - name: c
    image: busybox:1.36
    command: [sleep, "3600"]
---
apiVersion: v1
kind: Pod
metadata:
  name: hostnet
spec:
  hostNetwork: true
  containers:
  - name: c
    image: busybox
    command: [sleep, "3600"]
---
apiVersion: v1
kind: Pod
metadata:
  name: ag
spec:
  containers:
  - name: c
    image: registry.k8s.io/e2e-test-images/agnhost:2.39
    args: [pause]
`);
  await run('clock', 'advance', '20s');
  webIp = JSON.parse((await run('get', 'svc', 'web', '-n', 'other', '-o', 'json')).stdout).spec.clusterIP;
});
afterAll(() => sb.dispose());

describe('busybox 1.28 nslookup (getaddrinfo with the search path)', () => {
  it('resolves svc.ns through the search list and names the PTR', async () => {
    const r = await run('exec', 'old', '--', 'nslookup', 'web.other');
    expect(r.stdout).toBe(
      `Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      web.other\nAddress 1: ${webIp} web.other.svc.cluster.local\n`,
    );
    expect(r.code).toBe(0);
  });

  it('does not find a service of another namespace by its short name', async () => {
    const r = await run('exec', 'old', '--', 'nslookup', 'web');
    expect(r.stderr).toBe("nslookup: can't resolve 'web'\ncommand terminated with exit code 1\n");
  });

  it('resolves svc.ns.svc and the pod A record', async () => {
    expect((await run('exec', 'old', '--', 'nslookup', 'web.other.svc')).stdout).toContain(`Address 1: ${webIp} web.other.svc.cluster.local\n`);
    const podIp = JSON.parse((await run('get', 'pod', 'web', '-n', 'other', '-o', 'json')).stdout).status.podIP as string;
    const r = await run('exec', 'old', '--', 'nslookup', `${podIp.replaceAll('.', '-')}.other.pod.cluster.local`);
    expect(r.stdout).toContain(`Name:      ${podIp.replaceAll('.', '-')}.other.pod.cluster.local\nAddress 1: ${podIp} ${podIp.replaceAll('.', '-')}.web.other.svc.cluster.local\n`);
  });

  it('reads /etc/hosts first (hostAliases)', async () => {
    const r = await run('exec', 'old', '--', 'nslookup', 'alias.local');
    expect(r.stdout).toContain('Name:      alias.local\nAddress 1: 10.1.2.3\n');
  });
});

describe('newer busybox nslookup (its own queries)', () => {
  it('asks A then AAAA for each search domain and exits 1 on any NXDOMAIN', async () => {
    const r = await run('exec', 'new', '--', 'nslookup', 'kubernetes');
    expect(r.stdout).toBe(
      'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n' +
        'Name:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n' +
        "** server can't find kubernetes.svc.cluster.local: NXDOMAIN\n\n" +
        "** server can't find kubernetes.cluster.local: NXDOMAIN\n\n" +
        '\n' +
        "** server can't find kubernetes.svc.cluster.local: NXDOMAIN\n\n" +
        "** server can't find kubernetes.cluster.local: NXDOMAIN\n\n",
    );
    expect(r.code).toBe(1);
  });

  it('does not search for a name with a dot', async () => {
    const r = await run('exec', 'new', '--', 'nslookup', 'web.other.svc.cluster.local');
    expect(r.stdout).toBe(`Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb.other.svc.cluster.local\nAddress: ${webIp}\n\n\n`);
    expect(r.code).toBe(0);
  });

  it('looks an address up backwards', async () => {
    const r = await run('exec', 'new', '--', 'nslookup', '10.96.0.10');
    expect(r.stdout).toBe('Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n10.0.96.10.in-addr.arpa\tname = kube-dns.kube-system.svc.cluster.local\n\n');
  });
});

describe('dig (agnhost)', () => {
  it('answers +short without the search list unless +search', async () => {
    expect((await run('exec', 'ag', '--', 'dig', '+short', 'web.other.svc.cluster.local')).stdout).toBe(`${webIp}\n`);
    expect((await run('exec', 'ag', '--', 'dig', '+short', 'web.other')).stdout).toBe('');
    expect((await run('exec', 'ag', '--', 'dig', '+short', '+search', 'web.other')).stdout).toBe(`${webIp}\n`);
    expect((await run('exec', 'ag', '--', 'dig', '+short', '-x', webIp)).stdout).toBe('web.other.svc.cluster.local.\n');
  });
});

describe('pods outside the cluster DNS', () => {
  it('a hostNetwork pod (ClusterFirst) uses the node resolver and cannot resolve services', async () => {
    expect((await run('exec', 'hostnet', '--', 'cat', '/etc/resolv.conf')).stdout).toBe('nameserver 192.168.49.1\n');
    const r = await run('exec', 'hostnet', '--', 'wget', '-qO-', 'web.other');
    expect(r.stderr).toBe("wget: bad address 'web.other'\ncommand terminated with exit code 1\n");
  });
});
