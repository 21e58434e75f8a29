// The HorizontalPodAutoscaler walkthrough: php-apache under a wget loop scales out, and back in
// after the 5-minute stabilization once the load stops.
import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

const PHP_APACHE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: php-apache
spec:
  selector:
    matchLabels:
      run: php-apache
  template:
    metadata:
      labels:
        run: php-apache
    spec:
      containers:
      - name: php-apache
        image: registry.k8s.io/hpa-example
        ports:
        - containerPort: 80
        resources:
          limits:
            cpu: 500m
          requests:
            cpu: 200m
---
apiVersion: v1
kind: Service
metadata:
  name: php-apache
  labels:
    run: php-apache
spec:
  ports:
  - port: 80
  selector:
    run: php-apache
`;

const sb = new Sandbox();
afterAll(() => sb.dispose());

const replicas = async () => Number((await sb.run(['get', 'deploy', 'php-apache', '-o', 'jsonpath={.spec.replicas}'])).stdout);

describe('HPA walkthrough', () => {
  it('answers OK!, scales out under load and back in after it stops', async () => {
    await sb.run(['clock', 'freeze']);
    await sb.run(['apply', '-f', '-'], PHP_APACHE);
    await sb.run(['clock', 'advance', '30s']);
    const probe = await sb.run(['run', 'probe', '--image=busybox:1.28', '--restart=Never', '--rm', '-i', '--', 'wget', '-q', '-O-', 'http://php-apache']);
    expect(probe.stdout).toMatch(/^OK!/);
    expect((await sb.run(['autoscale', 'deployment', 'php-apache', '--cpu-percent=50', '--min=1', '--max=10'])).stdout).toBe('horizontalpodautoscaler.autoscaling/php-apache autoscaled\n');
    await sb.run(['clock', 'advance', '30s']);
    expect((await sb.run(['get', 'hpa'])).stdout).toMatch(/php-apache +Deployment\/php-apache +cpu: [01]%\/50% +1 +10 +1 /);
    await sb.run(['run', 'load-generator', '--image=busybox:1.28', '--restart=Never', '--', '/bin/sh', '-c', 'while sleep 0.01; do wget -q -O- http://php-apache; done']);
    await sb.run(['clock', 'advance', '20s']);
    // one replica is throttled at its 500m limit: about 250% of its 200m request
    expect((await sb.run(['get', 'hpa'])).stdout).toMatch(/cpu: 2[345]\d%\/50%/);
    await sb.run(['clock', 'advance', '2m']);
    const out = await replicas();
    expect(out).toBeGreaterThanOrEqual(5);
    expect(out).toBeLessThanOrEqual(8);
    expect((await sb.run(['describe', 'hpa', 'php-apache'])).stdout).toMatch(/New size: 4; reason: cpu resource utilization \(percentage of request\) above target\n/);
    await sb.run(['delete', 'pod', 'load-generator', '--now']);
    await sb.run(['clock', 'advance', '2m']);
    expect(await replicas()).toBe(out);
    await sb.run(['clock', 'advance', '5m']);
    expect(await replicas()).toBe(1);
    expect((await sb.run(['describe', 'hpa', 'php-apache'])).stdout).toMatch(/New size: 1; reason: All metrics below target\n/);
  });
});
