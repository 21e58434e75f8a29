// Pod scheduling readiness (the "Pod Scheduling Readiness" concept page): a pod with schedulingGates is
// marked SchedulingGated by the API server and left alone by the scheduler until its last gate goes;
// gates can be removed, never added (validateOnlyDeletedSchedulingGates).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

const GATED = `apiVersion: v1
kind: Pod
metadata:
  name: test-pod
spec:
  schedulingGates:
  - name: example.com/foo
  - name: example.com/bar
  containers:
  - name: pause
    image: registry.k8s.io/pause:3.6
`;

describe('scheduling gates', () => {
  it('hold a pod until the last is removed', async () => {
    const sb = new Sandbox();
    await sb.run(['clock', 'freeze']);
    const file = join(sb.home, 'gated.yaml');
    writeFileSync(file, GATED);
    expect((await sb.run(['apply', '-f', file])).stdout).toBe('pod/test-pod created\n');
    await sb.run(['clock', 'advance', '7s']);
    expect((await sb.run(['get', 'pod', 'test-pod'])).stdout).toBe(
      'NAME       READY   STATUS            RESTARTS   AGE\ntest-pod   0/1     SchedulingGated   0          7s\n',
    );
    const cond = (await sb.run(['get', 'pod', 'test-pod', '-o', 'jsonpath={.status.conditions[0].reason}: {.status.conditions[0].message}'])).stdout;
    expect(cond).toBe('SchedulingGated: Scheduling is blocked due to non-empty scheduling gates');
    expect((await sb.run(['get', 'events', '--field-selector', 'involvedObject.name=test-pod'])).stderr).toBe('No resources found in default namespace.\n');

    const add = await sb.run(['patch', 'pod', 'test-pod', '--type=json', '-p', '[{"op":"add","path":"/spec/schedulingGates/-","value":{"name":"example.com/another"}}]']);
    expect(add.code).toBe(1);
    expect(add.stderr).toBe(`The Pod "test-pod" is invalid: spec.schedulingGates[2].name: Forbidden: only deletion is allowed, but found new scheduling gate 'example.com/another'\n`);

    expect((await sb.run(['patch', 'pod', 'test-pod', '--type=json', '-p', '[{"op":"remove","path":"/spec/schedulingGates/0"}]'])).code).toBe(0);
    await sb.run(['clock', 'advance', '1s']);
    expect((await sb.run(['get', 'pod', 'test-pod', '-o', 'jsonpath={.spec.nodeName}'])).stdout).toBe('');
    expect((await sb.run(['patch', 'pod', 'test-pod', '--type=json', '-p', '[{"op":"remove","path":"/spec/schedulingGates"}]'])).code).toBe(0);
    await sb.run(['clock', 'advance', '30s']);
    const wide = (await sb.run(['get', 'pod', 'test-pod', '--no-headers'])).stdout;
    expect(wide).toMatch(/^test-pod\s+1\/1\s+Running\s+0\s+38s\n$/);
    const events = (await sb.run(['describe', 'pod', 'test-pod'])).stdout;
    expect(events).toMatch(/Normal {2}Scheduled {2}\d+s\s+default-scheduler {2}Successfully assigned default\/test-pod to minikube/);
  });

  it('cannot be set on a pod created with a node name', async () => {
    const sb = new Sandbox();
    const file = join(sb.home, 'bound.yaml');
    writeFileSync(file, GATED.replace('spec:\n', 'spec:\n  nodeName: minikube\n'));
    const r = await sb.run(['apply', '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/spec\.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared/);
  });
});

describe('a gated pod', () => {
  it('may have its node selector extended, not changed', async () => {
    const sb = new Sandbox();
    const file = join(sb.home, 'gated.yaml');
    writeFileSync(file, GATED.replace('spec:\n', 'spec:\n  nodeSelector:\n    a: b\n'));
    expect((await sb.run(['apply', '-f', file])).code).toBe(0);
    expect((await sb.run(['patch', 'pod', 'test-pod', '-p', '{"spec":{"nodeSelector":{"c":"d"}}}'])).stdout).toBe('pod/test-pod patched\n');
    const bad = await sb.run(['patch', 'pod', 'test-pod', '-p', '{"spec":{"nodeSelector":{"a":"z"}}}']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('The Pod "test-pod" is invalid: spec.nodeSelector: Invalid value: map[string]string{"a":"z", "c":"d"}: only additions to spec.nodeSelector are allowed (no mutations or deletions)\n');
  });
});
