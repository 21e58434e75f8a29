// kubectl top pod|node from the simulated metrics-server (kubectl/pkg/cmd/top, metricsutil).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

const STRESS = `apiVersion: v1
kind: Pod
metadata:
  name: cpu-demo
spec:
  containers:
  - name: cpu-demo-ctr
    image: vish/stress
    resources:
      limits: {cpu: "1"}
      requests: {cpu: "0.5"}
    args: ["-cpus", "2"]
---
apiVersion: v1
kind: Pod
metadata:
  name: memory-demo
spec:
  containers:
  - name: memory-demo-ctr
    image: polinux/stress
    resources:
      requests: {memory: "100Mi"}
      limits: {memory: "200Mi"}
    command: ["stress"]
    args: ["--vm", "1", "--vm-bytes", "150M", "--vm-hang", "1"]
`;

const sb = new Sandbox();
beforeAll(async () => {
  await sb.run(['clock', 'freeze']);
  await sb.run(['run', 'web', '--image=nginx']);
  await sb.run(['apply', '-f', '-'], STRESS);
});
afterAll(() => sb.dispose());

const rows = (out: string) => out.trimEnd().split('\n').map((l) => l.trim().split(/\s+/));

describe('kubectl top', () => {
  it('has no sample of a pod that has just started', async () => {
    const r = await sb.run(['top', 'pod', 'web']);
    expect([r.stderr, r.code]).toEqual(['Error from server (NotFound): podmetrics.metrics.k8s.io "default/web" not found\n', 1]);
    expect((await sb.run(['top', 'pod'])).stderr).toBe('error: metrics not available yet\n');
  });

  it('reports what the programs use, the last column padded as kubectl writes it', async () => {
    await sb.run(['clock', 'advance', '1m']);
    const r = await sb.run(['top', 'pod']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('NAME          CPU(cores)   MEMORY(bytes)   ');
    const t = Object.fromEntries(rows(r.stdout).slice(1).map(([n, c, m]) => [n, [parseInt(c), parseInt(m)]]));
    expect(t.web[0]).toBeLessThanOrEqual(1);
    expect(t.web[1]).toBeGreaterThanOrEqual(2);
    expect(t.web[1]).toBeLessThanOrEqual(5);
    // -cpus 2 under a 1-CPU limit is throttled just under 1000m
    expect(t['cpu-demo'][0]).toBeGreaterThan(950);
    expect(t['cpu-demo'][0]).toBeLessThan(1000);
    expect(t['memory-demo'][1]).toBeGreaterThanOrEqual(150);
    expect(t['memory-demo'][1]).toBeLessThan(160);
    // stable within a scrape window
    expect((await sb.run(['top', 'pod'])).stdout).toBe(r.stdout);
  });

  it('sorts, shows containers, sums and lists nodes against allocatable', async () => {
    const cpu = rows((await sb.run(['top', 'pod', '--sort-by=cpu', '--no-headers'])).stdout);
    expect(cpu.map((r) => r[0])).toEqual(['cpu-demo', 'memory-demo', 'web']);
    const c = await sb.run(['top', 'pod', 'cpu-demo', '--containers']);
    expect(rows(c.stdout)[0]).toEqual(['POD', 'NAME', 'CPU(cores)', 'MEMORY(bytes)']);
    expect(rows(c.stdout)[1].slice(0, 2)).toEqual(['cpu-demo', 'cpu-demo-ctr']);
    const sum = (await sb.run(['top', 'pod', '--sum'])).stdout.split('\n');
    expect(sum[sum.length - 3]).toMatch(/^ +________ +________ +$/);
    const node = await sb.run(['top', 'node']);
    expect(rows(node.stdout)[0]).toEqual(['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']);
    const [, nodeCpu, pct] = rows(node.stdout)[1];
    expect(parseInt(nodeCpu)).toBeGreaterThan(1100);
    expect(pct).toBe(`${Math.trunc((parseInt(nodeCpu) / 2000) * 100)}%`);
  });

  it("prints kubectl's errors", async () => {
    expect((await sb.run(['top', 'pod', '--sort-by=name'])).stderr).toBe('error: --sort-by accepts only cpu or memory\n');
    expect((await sb.run(['top', 'pod', 'a', 'b'])).stderr).toBe("error: pod [NAME | -l label]\nSee 'kubectl top pod -h' for help and examples\n");
    expect((await sb.run(['top', 'pod', 'a', '-l', 'x=y'])).stderr).toBe('error: only one of NAME or selector can be provided\n');
    expect((await sb.run(['top', 'node', 'a', '-l', 'x=y'])).stderr).toBe('error: only one of NAME or --selector can be provided\n');
    expect((await sb.run(['top', 'foo'])).stderr).toBe("error: unknown command \"foo\"\nSee 'kubectl top -h' for help and examples\n");
    expect((await sb.run(['top', 'pod', '-n', 'none'])).stderr).toBe('No resources found in none namespace.\n');
  });

  it('a cluster created with --no-metrics has no Metrics API', async () => {
    const other = new Sandbox();
    try {
      await other.run(['cluster', 'create', '--no-metrics']);
      for (const what of ['pod', 'node']) expect(await other.run(['top', what])).toMatchObject({ stderr: 'error: Metrics API not available\n', code: 1 });
    } finally {
      other.dispose();
    }
  });

  it('measures sidecars (restartable init containers) with the containers', async () => {
    const other = new Sandbox();
    try {
      await other.run(['clock', 'freeze']);
      await other.run(['apply', '-f', '-'], `apiVersion: v1
kind: Pod
metadata: {name: side}
spec:
  initContainers:
  - {name: logshipper, image: "busybox:1.28", restartPolicy: Always, command: [sleep, "3600"]}
  containers:
  - {name: web, image: nginx}
`);
      await other.run(['clock', 'advance', '1m']);
      const r = await other.run(['top', 'pod', 'side', '--containers', '--no-headers']);
      expect(rows(r.stdout).map((x) => x.slice(0, 2))).toEqual([['side', 'logshipper'], ['side', 'web']]);
    } finally {
      other.dispose();
    }
  });

  it('serves metrics.k8s.io for kubectl get --raw as metrics-server does', async () => {
    const nodes = JSON.parse((await sb.run(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes'])).stdout);
    expect([nodes.kind, nodes.apiVersion, nodes.items[0].metadata.name]).toEqual(['NodeMetricsList', 'metrics.k8s.io/v1beta1', 'minikube']);
    expect(nodes.items[0].usage.cpu).toMatch(/^\d+n$/);
    expect(nodes.items[0].usage.memory).toMatch(/^\d+Ki$/);
    const pod = JSON.parse((await sb.run(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/cpu-demo'])).stdout);
    expect(Object.keys(pod)).toEqual(['kind', 'apiVersion', 'metadata', 'timestamp', 'window', 'containers']);
    expect(pod.containers[0].name).toBe('cpu-demo-ctr');
    expect((await sb.run(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nope'])).stderr).toBe('Error from server (NotFound): podmetrics.metrics.k8s.io "default/nope" not found\n');
  });
});
