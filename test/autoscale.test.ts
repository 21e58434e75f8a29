// kubectl autoscale and the HPA controller against the simulated metrics-server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

const BURN = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: burn
spec:
  selector:
    matchLabels: {app: burn}
  template:
    metadata:
      labels: {app: burn}
    spec:
      containers:
      - name: burn
        image: vish/stress
        args: ["-cpus", "1"]
        resources:
          requests: {cpu: 200m}
          limits: {cpu: 500m}
`;

let sb: Sandbox;
beforeEach(async () => {
  sb = new Sandbox();
  await sb.run(['clock', 'freeze']);
});
afterEach(() => sb.dispose());

describe('kubectl autoscale', () => {
  it('creates an autoscaling/v2 HPA with the server defaults and kubectl\'s line', async () => {
    await sb.run(['create', 'deployment', 'web', '--image=nginx']);
    const r = await sb.run(['autoscale', 'deployment', 'web', '--max=5']);
    expect([r.stdout, r.code]).toEqual(['horizontalpodautoscaler.autoscaling/web autoscaled\n', 0]);
    const hpa = JSON.parse((await sb.run(['get', 'hpa', 'web', '-o', 'json'])).stdout);
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toEqual({
      maxReplicas: 5,
      metrics: [{ resource: { name: 'cpu', target: { averageUtilization: 80, type: 'Utilization' } }, type: 'Resource' }],
      minReplicas: 1,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    });
    const get = await sb.run(['get', 'hpa']);
    expect(get.stdout).toMatch(/^NAME +REFERENCE +TARGETS +MINPODS +MAXPODS +REPLICAS +AGE\nweb +Deployment\/web +cpu: <unknown>\/80% +1 +5 +\d+ +0s\n$/);
    expect((await sb.run(['autoscale', 'deploy/web', '--max=5'])).stderr).toBe('Error from server (AlreadyExists): horizontalpodautoscalers.autoscaling "web" already exists\n');
  });

  it("prints kubectl's errors", async () => {
    await sb.run(['run', 'p', '--image=nginx']);
    expect((await sb.run(['autoscale', 'deploy', 'x'])).stderr).toBe('error: required flag(s) "max" not set\n');
    expect((await sb.run(['autoscale', 'deploy', 'x', '--max=0'])).stderr).toBe('error: --max=MAXPODS is required and must be at least 1, max: 0\n');
    expect((await sb.run(['autoscale', 'deploy', 'x', '--max=2', '--min=3'])).stderr).toBe('error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: 2, min: 3\n');
    expect((await sb.run(['autoscale', 'deploy', 'x', '--max=2'])).stderr).toBe('Error from server (NotFound): deployments.apps "x" not found\n');
    expect((await sb.run(['autoscale', 'pod', 'p', '--max=2'])).stderr).toBe('error: cannot autoscale a Pod: could not find scale subresource for /v1, Resource=pods in discovery information\n');
  });

  it('prints the v1 object kubectl would send with --dry-run=client', async () => {
    await sb.run(['create', 'deployment', 'web', '--image=nginx']);
    const r = await sb.run(['autoscale', 'deploy', 'web', '--min=2', '--max=4', '--cpu-percent=50', '--dry-run=client', '-o', 'yaml']);
    expect(r.stdout).toBe(`apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  creationTimestamp: null
  name: web
spec:
  maxReplicas: 4
  minReplicas: 2
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  targetCPUUtilizationPercentage: 50
status:
  currentReplicas: 0
  desiredReplicas: 0
`);
    expect((await sb.run(['get', 'hpa'])).stderr).toBe('No resources found in default namespace.\n');
  });
});

describe('the HPA controller', () => {
  it('waits for metrics, then scales up by the scale-up limit and up to max, with its conditions and events', async () => {
    await sb.run(['apply', '-f', '-'], BURN);
    await sb.run(['autoscale', 'deploy', 'burn', '--cpu-percent=50', '--max=5']);
    await sb.run(['clock', 'advance', '20s']);
    let d = (await sb.run(['describe', 'hpa', 'burn'])).stdout;
    expect(d).toContain('  resource cpu on pods  (as a percentage of request):  <unknown> / 50%\n');
    expect(d).toMatch(/ScalingActive +False +FailedGetResourceMetric +the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API\n/);
    await sb.run(['clock', 'advance', '2m']);
    expect((await sb.run(['get', 'deploy', 'burn', '-o', 'jsonpath={.spec.replicas}'])).stdout).toBe('5');
    d = (await sb.run(['describe', 'hpa', 'burn'])).stdout;
    expect(d).toMatch(/resource cpu on pods  \(as a percentage of request\):  2\d\d% \(4\d\dm\) \/ 50%\n/);
    expect(d).toMatch(/Deployment pods: +5 current \/ 5 desired\n/);
    expect(d).toMatch(/ScalingLimited +True +TooManyReplicas +the desired replica count is more than the maximum replica count\n/);
    expect(d).toMatch(/Normal +SuccessfulRescale +\S+ +horizontal-pod-autoscaler +New size: 4; reason: cpu resource utilization \(percentage of request\) above target\n/);
    expect(d).toMatch(/New size: 5; reason: cpu resource utilization \(percentage of request\) above target\n/);
  });

  it('keeps the highest recommendation of the last 5 minutes before scaling down', async () => {
    await sb.run(['create', 'deployment', 'idle', '--image=nginx', '--replicas=3']);
    await sb.run(['set', 'resources', 'deploy/idle', '--requests=cpu=100m']);
    await sb.run(['clock', 'advance', '1m']);
    await sb.run(['autoscale', 'deploy', 'idle', '--max=5']);
    await sb.run(['clock', 'advance', '2m']);
    // 0% would mean 1 replica, but 3 was recommended at first: the window holds it
    expect((await sb.run(['get', 'deploy', 'idle', '-o', 'jsonpath={.spec.replicas}'])).stdout).toBe('3');
    expect((await sb.run(['describe', 'hpa', 'idle'])).stdout).toMatch(/AbleToScale +True +ScaleDownStabilized +recent recommendations were higher than current one, applying the highest recent recommendation\n/);
    await sb.run(['clock', 'advance', '5m']);
    expect((await sb.run(['get', 'deploy', 'idle', '-o', 'jsonpath={.spec.replicas}'])).stdout).toBe('1');
    expect((await sb.run(['describe', 'hpa', 'idle'])).stdout).toMatch(/New size: 1; reason: All metrics below target\n/);
  });

  it('takes autoscaling/v1 manifests, average-value targets without requests, and a behavior', async () => {
    await sb.run(['create', 'deployment', 'web', '--image=nginx']);
    const v1 = `apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 3
  targetCPUUtilizationPercentage: 60
`;
    expect((await sb.run(['apply', '-f', '-'], v1)).stdout).toBe('horizontalpodautoscaler.autoscaling/web created\n');
    const stored = JSON.parse((await sb.run(['get', 'hpa', 'web', '-o', 'json'])).stdout);
    expect([stored.apiVersion, stored.spec.metrics[0].resource.target]).toEqual(['autoscaling/v2', { averageUtilization: 60, type: 'Utilization' }]);
    const mem = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: mem}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 3
  metrics:
  - type: Resource
    resource: {name: memory, target: {type: AverageValue, averageValue: 1Mi}}
  behavior:
    scaleUp:
      policies: [{type: Pods, value: 1, periodSeconds: 15}]
`;
    await sb.run(['apply', '-f', '-'], mem);
    await sb.run(['clock', 'advance', '75s']);
    const d = (await sb.run(['describe', 'hpa', 'mem'])).stdout;
    expect(d).toMatch(/  resource memory on pods: +\d+(k|m)? \/ 1Mi\n/);
    expect(d).toContain('Behavior:\n  Scale Up:\n    Stabilization Window: 0 seconds\n    Select Policy: Max\n    Policies:\n      - Type: Pods  Value: 1  Period: 15 seconds\n  Scale Down:\n    Stabilization Window: 300 seconds\n');
    // one pod more per sync at most: 1 → 2 → 3
    expect(d).toMatch(/New size: 2; reason: memory resource above target\n/);
    expect((await sb.run(['describe', 'hpa', 'web'])).stdout).toMatch(/failed to get cpu utilization: missing request for cpu in container nginx of Pod web-/);
  });

  it('reports a target it cannot find', async () => {
    await sb.run(['create', 'deployment', 'gone', '--image=nginx']);
    await sb.run(['autoscale', 'deploy', 'gone', '--max=3']);
    await sb.run(['delete', 'deploy', 'gone']);
    await sb.run(['clock', 'advance', '20s']);
    const d = (await sb.run(['describe', 'hpa', 'gone'])).stdout;
    expect(d).toMatch(/AbleToScale +False +FailedGetScale +the HPA controller was unable to get the target's current scale: deployments\.apps "gone" not found\n/);
    expect(d).toMatch(/Warning +FailedGetScale +\S+( \(x\d+ over \S+\))? +horizontal-pod-autoscaler +deployments\.apps "gone" not found\n/);
  });

  it('a long catch-up skips the repeating syncs and ends as stepping through them does', async () => {
    const other = new Sandbox();
    try {
      for (const box of [sb, other]) {
        await box.run(['clock', 'freeze']);
        await box.run(['create', 'deployment', 'web', '--image=nginx']);
        await box.run(['autoscale', 'deploy', 'web', '--max=3']);
      }
      await sb.run(['clock', 'advance', '2h']);
      for (let i = 0; i < 24; i++) await other.run(['clock', 'advance', '5m']);
      const tail = async (box: Sandbox) => (await box.run(['describe', 'hpa', 'web'])).stdout.split('\nEvents:')[1].replace(/web-\w+-\w+/g, 'POD');
      expect(await tail(sb)).toBe(await tail(other));
      expect(await tail(sb)).toMatch(/\(x\d{3} over 119m\)/);
    } finally {
      other.dispose();
    }
  });

  it("refuses an HPA the API server's validation refuses", async () => {
    const r = await sb.run(['create', '-f', '-'], 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: bad}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: x}\n  maxReplicas: 0\n');
    expect([r.stderr, r.code]).toEqual([
      'The HorizontalPodAutoscaler "bad" is invalid: \n* spec.maxReplicas: Invalid value: 0: must be greater than 0\n* spec.maxReplicas: Invalid value: 0: must be greater than or equal to `minReplicas`\n',
      1,
    ]);
  });
});
