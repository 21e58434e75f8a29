// Nodes as the kubelet keeps them: status reports every 5 minutes (lastHeartbeatTime), the node
// lease renewed every 10 s, and the events a fresh cluster's nodes show from their start-up.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox, T0 } from './harness.js';

let sb: Sandbox;
beforeEach(async () => {
  sb = new Sandbox();
  await sb.run(['clock', 'freeze']);
});
afterEach(() => sb.dispose());

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const BIRTH = T0 - 5 * 60_000;

async function conditions(node = 'minikube'): Promise<{ type: string; lastHeartbeatTime: string; lastTransitionTime: string }[]> {
  const r = await sb.run(['get', 'node', node, '-o', 'json']);
  return JSON.parse(r.stdout).status.conditions;
}

async function renewTime(node = 'minikube'): Promise<string> {
  const r = await sb.run(['describe', 'node', node]);
  return /RenewTime:\s+(.*)/.exec(r.stdout)![1];
}

describe('node status reports', () => {
  it('a fresh node last reported 10 s after it registered; the transition times are its registration', async () => {
    for (const c of await conditions()) {
      expect(c.lastHeartbeatTime).toBe(iso(BIRTH + 10_000));
      expect(c.lastTransitionTime).toBe(iso(BIRTH));
    }
  });

  it('lastHeartbeatTime follows the 5-minute reports; transition times stay', async () => {
    await sb.run(['clock', 'advance', '9s']);
    for (const c of await conditions()) {
      expect(c.lastHeartbeatTime).toBe(iso(BIRTH + 10_000));
      expect(c.lastTransitionTime).toBe(iso(BIRTH));
    }
    await sb.run(['clock', 'advance', '1s']);
    for (const c of await conditions()) expect(c.lastHeartbeatTime).toBe(iso(BIRTH + 10_000 + 5 * 60_000));
    await sb.run(['clock', 'advance', '11m']);
    // reports at +5m10s, +10m10s, +15m10s after birth; now is birth + 16m10s
    for (const c of await conditions()) {
      expect(c.lastHeartbeatTime).toBe(iso(BIRTH + 10_000 + 15 * 60_000));
      expect(c.lastTransitionTime).toBe(iso(BIRTH));
    }
  });

  it('describe node shows the lease renewed every 10 s since the kubelet registered', async () => {
    expect(await renewTime()).toBe('Sun, 22 Nov 2026 21:00:00 +0000');
    await sb.run(['clock', 'advance', '9s']);
    expect(await renewTime()).toBe('Sun, 22 Nov 2026 21:00:00 +0000');
    await sb.run(['clock', 'advance', '1s']);
    expect(await renewTime()).toBe('Sun, 22 Nov 2026 21:00:10 +0000');
    await sb.run(['clock', 'advance', '95s']);
    expect(await renewTime()).toBe('Sun, 22 Nov 2026 21:01:40 +0000');
    const d = await sb.run(['describe', 'node', 'minikube']);
    expect(d.stdout).toMatch(/Lease:\n {2}HolderIdentity: {2}minikube\n {2}AcquireTime: {5}<unset>\n/);
  });

  it('a 24 h idle catch-up stays fast and lands on the last report', async () => {
    const t = Date.now();
    await sb.run(['clock', 'advance', '24h']);
    const conds = await conditions();
    expect(Date.now() - t).toBeLessThan(5000);
    // reports at birth + 10 s + k·5 min; now is birth + 24 h 5 min
    for (const c of conds) {
      expect(c.lastHeartbeatTime).toBe(iso(BIRTH + 10_000 + 288 * 5 * 60_000));
      expect(c.lastTransitionTime).toBe(iso(BIRTH));
    }
    await sb.run(['clock', 'advance', '5m']);
    for (const c of await conditions()) expect(c.lastHeartbeatTime).toBe(iso(BIRTH + 10_000 + 289 * 5 * 60_000));
  });
});

describe('start-up events', () => {
  it('a fresh minikube node shows its kubelet start (retried while the API server came up), kube-proxy and the node controller', async () => {
    const r = await sb.run(['describe', 'node', 'minikube']);
    const events = r.stdout.slice(r.stdout.indexOf('Events:'));
    expect(events).toBe(
      [
        'Events:',
        '  Type    Reason                   Age                  From             Message',
        '  ----    ------                   ----                 ----             -------',
        '  Normal  Starting                 4m45s                kube-proxy       ',
        '  Normal  Starting                 5m8s                 kubelet          Starting kubelet.',
        '  Normal  NodeHasSufficientMemory  5m8s (x8 over 5m8s)  kubelet          Node minikube status is now: NodeHasSufficientMemory',
        '  Normal  NodeHasNoDiskPressure    5m8s (x8 over 5m8s)  kubelet          Node minikube status is now: NodeHasNoDiskPressure',
        '  Normal  NodeHasSufficientPID     5m8s (x7 over 5m8s)  kubelet          Node minikube status is now: NodeHasSufficientPID',
        '  Normal  NodeAllocatableEnforced  5m8s                 kubelet          Updated Node Allocatable limit across pods',
        '  Normal  RegisteredNode           4m48s                node-controller  Node minikube event: Registered Node minikube in Controller',
        '',
      ].join('\n'),
    );
  });

  it('kubelet events name the node by its name as uid, the node controller by its uid', async () => {
    const r = await sb.run(['get', 'events', '-o', 'json']);
    const items = JSON.parse(r.stdout).items as { reason: string; involvedObject: { uid: string }; source: { component?: string }; eventTime: string | null }[];
    const node = JSON.parse((await sb.run(['get', 'node', 'minikube', '-o', 'json'])).stdout);
    expect(items.find((e) => e.reason === 'RegisteredNode')!.involvedObject.uid).toBe(node.metadata.uid);
    expect(items.find((e) => e.reason === 'NodeAllocatableEnforced')!.involvedObject.uid).toBe('minikube');
    const proxy = items.find((e) => e.reason === 'Starting' && e.source.component === undefined)!;
    expect(proxy.eventTime).toBe('2026-11-22T20:55:15.000000Z');
  });

  it('the node events expire with the one-hour event TTL', async () => {
    await sb.run(['clock', 'advance', '54m']);
    expect((await sb.run(['get', 'events'])).stdout).toContain('RegisteredNode');
    await sb.run(['clock', 'advance', '2m']);
    const r = await sb.run(['get', 'events']);
    expect(r.stdout).not.toContain('node/minikube');
  });

  it('kind: workers join later and turn Ready once their CNI is up (NodeReady)', async () => {
    await sb.run(['cluster', 'create', '--nodes', '3']);
    const nodes = await sb.run(['get', 'nodes']);
    expect(nodes.stdout).toMatch(/kind-control-plane\s+Ready\s+control-plane\s+5m\s/);
    expect(nodes.stdout).toMatch(/kind-worker\s+Ready\s+<none>\s+4m42s\s/);
    expect(nodes.stdout).toMatch(/kind-worker2\s+Ready\s+<none>\s+4m41s\s/);
    const ready = (await conditions('kind-worker')).find((c) => c.type === 'Ready')!;
    expect(ready.lastTransitionTime).toBe(iso(BIRTH + 18_000 + 12_000));
    const d = await sb.run(['describe', 'node', 'kind-worker']);
    expect(d.stdout).toContain('  Normal  NodeReady                4m30s                  kubelet          Node kind-worker status is now: NodeReady\n');
    expect(d.stdout).toContain('  Normal  NodeHasSufficientMemory  4m42s (x2 over 4m42s)  kubelet          Node kind-worker status is now: NodeHasSufficientMemory\n');
    expect(d.stdout).not.toContain('(x8 over');
    const cp = await sb.run(['describe', 'node', 'kind-control-plane']);
    expect(cp.stdout).toContain('(x8 over');
    expect(cp.stdout).toContain('Node kind-control-plane event: Registered Node kind-control-plane in Controller');
  });

  it('cordon and uncordon: the kubelet reports NodeNotSchedulable / NodeSchedulable at its next 10 s sync', async () => {
    await sb.run(['cordon', 'minikube']);
    await sb.run(['clock', 'advance', '3s']);
    const before = await sb.run(['get', 'events', '--field-selector', 'reason=NodeNotSchedulable']);
    expect(before.stdout).toBe('');
    expect(before.stderr).toBe('No resources found in default namespace.\n');
    await sb.run(['clock', 'advance', '7s']);
    const off = await sb.run(['get', 'events', '--field-selector', 'reason=NodeNotSchedulable', '-o', 'json']);
    const ev = JSON.parse(off.stdout).items[0];
    expect(ev.message).toBe('Node minikube status is now: NodeNotSchedulable');
    expect(ev.involvedObject).toEqual({ kind: 'Node', name: 'minikube', uid: 'minikube' });
    expect(ev.firstTimestamp).toBe(iso(T0 + 10_000));
    await sb.run(['uncordon', 'minikube']);
    await sb.run(['clock', 'advance', '10s']);
    const on = await sb.run(['describe', 'node', 'minikube']);
    expect(on.stdout).toMatch(/NodeSchedulable +\d+s +kubelet +Node minikube status is now: NodeSchedulable\n$/);
  });
});

describe('status posts that change something', () => {
  it('a newly pulled image is posted with a fresh heartbeat, and the next forced report is 5 minutes later', async () => {
    await sb.run(['run', 'web', '--image=nginx']);
    await sb.run(['clock', 'advance', '30s']);
    const conds = await conditions();
    const beat = Date.parse(conds[0].lastHeartbeatTime);
    expect(beat).toBeGreaterThan(T0);
    expect(beat).toBeLessThan(T0 + 30_000);
    for (const c of conds) expect(c.lastTransitionTime).toBe(iso(BIRTH));
    await sb.run(['clock', 'advance', '5m']);
    for (const c of await conditions()) expect(c.lastHeartbeatTime).toBe(iso(beat + 5 * 60_000));
  });
});
