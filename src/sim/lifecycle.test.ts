// The simulated control plane end to end, through the CLI in-process with a frozen clock.
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox } from '../../test/harness.js';

let sb: Sandbox;
afterEach(() => sb?.dispose());

async function json(args: string[]) {
  const r = await sb.run([...args, '-o', 'json']);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

describe('pod lifecycle', () => {
  it('moves Pending → scheduled → Running with kubelet events, then goes away on delete', async () => {
    sb = new Sandbox();
    await sb.run(['clock', 'freeze']);
    expect((await sb.run(['run', 'nginx', '--image=nginx'])).stdout).toBe('pod/nginx created\n');
    let pod = await json(['get', 'pod', 'nginx']);
    expect(pod.spec.nodeName).toBe('minikube');
    expect(pod.status.containerStatuses[0].state.waiting.reason).toBe('ContainerCreating');
    await sb.run(['clock', 'advance', '30s']);
    pod = await json(['get', 'pod', 'nginx']);
    expect(pod.status.phase).toBe('Running');
    expect(pod.status.podIP).toMatch(/^10\.244\.0\.\d+$/);
    expect(pod.status.containerStatuses[0]).toMatchObject({ ready: true, started: true, restartCount: 0, image: 'docker.io/library/nginx:latest' });
    expect(pod.status.conditions.map((c: { type: string; status: string }) => `${c.type}=${c.status}`)).toEqual([
      'PodReadyToStartContainers=True',
      'Initialized=True',
      'Ready=True',
      'ContainersReady=True',
      'PodScheduled=True',
    ]);
    const events = await json(['get', 'events', '--field-selector', 'involvedObject.kind=Pod']);
    expect(events.items.map((e: { reason: string }) => e.reason)).toEqual(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']);
    expect(events.items[0].message).toBe('Successfully assigned default/nginx to minikube');
    expect((await sb.run(['delete', 'pod', 'nginx'])).stdout).toBe('pod "nginx" deleted\n');
    const after = await sb.run(['get', 'pods']);
    expect(after.stderr).toBe('No resources found in default namespace.\n');
  });

  it('gives every pod its own IP and reuses the image on the node', async () => {
    sb = new Sandbox();
    await sb.run(['clock', 'freeze']);
    await sb.run(['run', 'a', '--image=nginx:1.27']);
    await sb.run(['clock', 'advance', '10s']);
    await sb.run(['run', 'b', '--image=nginx:1.27']);
    await sb.run(['clock', 'advance', '10s']);
    const pods = await json(['get', 'pods']);
    const ips = pods.items.map((p: { status: { podIP: string } }) => p.status.podIP);
    expect(new Set(ips).size).toBe(2);
    const events = await json(['get', 'events', '--field-selector', 'involvedObject.name=b']);
    expect(events.items.map((e: { message: string }) => e.message)).toContain('Container image "nginx:1.27" already present on machine');
  });

  it('keeps state between invocations and is deterministic for the same inputs', async () => {
    const outputs: string[] = [];
    for (let i = 0; i < 2; i++) {
      sb = new Sandbox();
      await sb.run(['clock', 'freeze']);
      await sb.run(['run', 'x', '--image=redis']);
      await sb.run(['clock', 'advance', '1m']);
      outputs.push((await sb.run(['get', 'pod', 'x', '-o', 'yaml'])).stdout);
      sb.dispose();
    }
    expect(outputs[0]).toBe(outputs[1]);
  });
});
