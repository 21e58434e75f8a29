// rollout status / history / undo / pause / resume / restart and create deployment, end to end with
// the deployment controller (frozen clock: the waits run simulated time forward).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

const sb = new Sandbox();
afterAll(() => sb.dispose());
beforeAll(async () => {
  await sb.run(['clock', 'freeze']);
});

describe('create deployment', () => {
  it('prints what the real kubectl prints offline', async () => {
    const r = await sb.run(['create', 'deployment', 'web', '--image=busybox', '--dry-run=client', '-o', 'yaml', '--', 'sleep', '10']);
    expect(r.stdout).toBe(`apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - command:
        - sleep
        - "10"
        image: busybox
        name: busybox
        resources: {}
status: {}
`);
    const multi = await sb.run(['create', 'deployment', 'a', '--image=x', '--image=y', '--', 'sleep', '1']);
    expect(multi.stderr).toBe('error: cannot specify multiple --image options and command\n');
    const none = await sb.run(['create', 'deployment', 'web']);
    expect(none.stderr).toBe('error: required flag(s) "image" not set\n');
    const two = await sb.run(['create', 'deployment', 'a', 'b', '--image=x']);
    expect(two.stderr).toBe("error: exactly one NAME is required, got 2\nSee 'kubectl create deployment -h' for help and examples\n");
  });
});

describe('rollout', () => {
  it('follows a rollout to the end, records history and rolls back', async () => {
    expect((await sb.run(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=3'])).stdout).toBe('deployment.apps/web created\n');
    const first = await sb.run(['rollout', 'status', 'deploy/web']);
    expect(first.code).toBe(0);
    expect(first.stdout.trim().split('\n').pop()).toBe('deployment "web" successfully rolled out');
    expect((await sb.run(['set', 'image', 'deploy/web', 'nginx=nginx:1.26'])).stdout).toBe('deployment.apps/web image updated\n');
    const second = await sb.run(['rollout', 'status', 'deployment', 'web']);
    expect(second.stdout).toContain('Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n');
    expect(second.stdout.endsWith('deployment "web" successfully rolled out\n')).toBe(true);
    expect((await sb.run(['rollout', 'history', 'deploy/web'])).stdout).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');
    const rev1 = await sb.run(['rollout', 'history', 'deploy/web', '--revision=1']);
    expect(rev1.stdout).toMatch(/^deployment\.apps\/web with revision #1\nPod Template:\n  Labels:\tapp=web\n\tpod-template-hash=\w+\n  Containers:\n   nginx:\n    Image:\tnginx:1\.25\n/);
    expect((await sb.run(['rollout', 'history', 'deploy/web', '--revision=7'])).stderr).toBe('error: unable to find the specified revision\n');
    expect((await sb.run(['rollout', 'undo', 'deploy/web'])).stdout).toBe('deployment.apps/web rolled back\n');
    await sb.run(['rollout', 'status', 'deploy/web']);
    expect((await sb.run(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).stdout).toBe('nginx:1.25');
    expect((await sb.run(['rollout', 'undo', 'deploy/web', '--to-revision=3'])).stdout).toBe('deployment.apps/web skipped rollback (current template already matches revision 3)\n');
    expect((await sb.run(['rollout', 'undo', 'deploy/web', '--to-revision=9'])).stderr).toBe('error: unable to find specified revision 9 in history\n');
  });

  it('stops at the progress deadline of a stuck rollout', async () => {
    await sb.run(['patch', 'deploy/web', '-p', '{"spec":{"progressDeadlineSeconds":60}}']);
    await sb.run(['rollout', 'status', 'deploy/web']);
    await sb.run(['set', 'image', 'deploy/web', 'nginx=nginx:nosuchtag']);
    const r = await sb.run(['rollout', 'status', 'deploy/web']);
    expect(r.stdout).toBe('Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n');
    expect(r.stderr).toBe('error: deployment "web" exceeded its progress deadline\n');
    expect(r.code).toBe(1);
    const once = await sb.run(['rollout', 'status', 'deploy/web', '--watch=false']);
    expect(once.stderr).toBe('error: deployment "web" exceeded its progress deadline\n');
    await sb.run(['rollout', 'undo', 'deploy/web']);
    expect((await sb.run(['rollout', 'status', 'deploy/web', '--timeout=5m'])).code).toBe(0);
  });

  it('pauses, resumes and restarts with kubectl messages', async () => {
    expect((await sb.run(['rollout', 'pause', 'deploy/web'])).stdout).toBe('deployment.apps/web paused\n');
    const again = await sb.run(['rollout', 'pause', 'deploy/web']);
    expect([again.stderr, again.code]).toEqual(['error: deployments.apps "web" is already paused\n', 1]);
    expect((await sb.run(['rollout', 'undo', 'deploy/web'])).stderr).toBe("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again\n");
    expect((await sb.run(['rollout', 'restart', 'deploy/web'])).stderr).toBe('error: deployments.apps "web" can\'t restart paused deployment (run rollout resume first)\n');
    expect((await sb.run(['rollout', 'resume', 'deploy/web'])).stdout).toBe('deployment.apps/web resumed\n');
    expect((await sb.run(['rollout', 'resume', 'deploy/web'])).stderr).toBe('error: deployments.apps "web" is not paused\n');
    expect((await sb.run(['rollout', 'restart', 'deploy/web'])).stdout).toBe('deployment.apps/web restarted\n');
    const stamp = await sb.run(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}']);
    expect(stamp.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect((await sb.run(['rollout', 'restart', 'deploy/web'])).stderr).toBe(
      'error: failed to create patch for web: if restart has already been triggered within the past second, please wait before attempting to trigger another\n',
    );
  });

  it('gives kubectl argument errors', async () => {
    expect((await sb.run(['rollout', 'status'])).stderr).toBe('error: required resource not specified\n');
    expect((await sb.run(['rollout', 'status', 'pod/x'])).stderr).toBe('Error from server (NotFound): pods "x" not found\n');
    expect((await sb.run(['rollout', 'history', 'rs', '-l', 'app=web'])).stderr).toBe('error: no history viewer has been implemented for "ReplicaSet.apps"\n');
    expect((await sb.run(['rollout', 'foo'])).stderr).toBe("error: unknown command \"foo\"\nSee 'kubectl rollout -h' for help and examples\n");
    expect((await sb.run(['rollout', 'pause', 'deploy', '-l', 'app=none'])).stderr).toBe('No resources found in default namespace.\n');
  });
});

describe('rollout status following wall time', () => {
  it('polls in wall time and prints each change until the rollout is done', async () => {
    const wall = new Sandbox();
    try {
      await wall.run(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2']);
      const start = wall.wall;
      const r = await wall.run(['rollout', 'status', 'deploy/web', '--timeout=2m']);
      expect(r.code).toBe(0);
      expect(r.stdout.endsWith('deployment "web" successfully rolled out\n')).toBe(true);
      expect(wall.wall).toBeGreaterThan(start);
      expect(wall.wall - start).toBeLessThan(60_000);
      await wall.run(['set', 'image', 'deploy/web', 'nginx=nginx:nosuchtag']);
      const stuck = await wall.run(['rollout', 'status', 'deploy/web', '--timeout=5s']);
      expect([stuck.stdout, stuck.stderr]).toEqual(['Waiting for deployment "web" rollout to finish: 1 out of 2 new replicas have been updated...\n', 'error: timed out waiting for the condition\n']);
    } finally {
      wall.dispose();
    }
  });
});

describe('rollout of StatefulSets and DaemonSets', () => {
  it('uses their status viewers, ControllerRevision history and rollback', async () => {
    const ds = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      containers:
      - name: agent
        image: busybox:1.36
        command: ["sleep", "3600"]
`;
    await sb.run(['apply', '-f', '-'], ds);
    expect((await sb.run(['rollout', 'status', 'ds/agent'])).stdout.endsWith('daemon set "agent" successfully rolled out\n')).toBe(true);
    await sb.run(['set', 'image', 'ds/agent', 'agent=busybox:1.37']);
    const st = await sb.run(['rollout', 'status', 'daemonset/agent']);
    expect(st.stdout).toContain('Waiting for daemon set "agent" rollout to finish: 0 out of 1 new pods have been updated...\n');
    expect((await sb.run(['rollout', 'history', 'ds/agent'])).stdout).toBe('daemonset.apps/agent \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');
    const dry = await sb.run(['rollout', 'undo', 'ds/agent', '--dry-run=client']);
    expect(dry.stdout).toMatch(/^daemonset\.apps\/agent will roll back to Pod Template:\n  Labels:\tapp=agent\n/);
    expect(dry.stdout).toContain('    Image:\tbusybox:1.36\n');
    expect((await sb.run(['rollout', 'undo', 'ds/agent'])).stdout).toBe('daemonset.apps/agent rolled back\n');
    expect((await sb.run(['rollout', 'pause', 'ds/agent'])).stderr).toBe('error: daemonsets.apps "agent" pausing is not supported\n');
    expect((await sb.run(['rollout', 'restart', 'ds/agent'])).stdout).toBe('daemonset.apps/agent restarted\n');
  });
});
