// Deployment and ReplicaSet controllers: the rollout arithmetic, the template hash, pod ranking,
// and the flows through the CLI (rollouts, rollbacks, stuck rollouts, deadlines, Recreate, paused,
// proportional scaling, self-healing, adoption and release, validation texts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';
import { equalIgnoreHash } from '../src/api/pod-template.js';
import { computeHash, safeEncodeString } from '../src/sim/controllers/pod-template-hash.js';
import { maxSurge, maxUnavailable, newRSNewReplicas, replicaSetProportion, resolveFenceposts, scaledValue } from '../src/sim/controllers/deployment-util.js';
import { rankPodsForDeletion } from '../src/sim/controllers/replicaset-ranking.js';

const dep = (replicas: number, ru?: Record<string, unknown>) => ({
  metadata: { name: 'd', generation: 1 },
  spec: { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: ru ?? { maxSurge: '25%', maxUnavailable: '25%' } } },
  status: {},
});

describe('rollout arithmetic', () => {
  it('scales percentages as intstr does: surge up, unavailability down', () => {
    expect(scaledValue('25%', 3, true)).toBe(1);
    expect(scaledValue('25%', 3, false)).toBe(0);
    expect(scaledValue('25%', 10, true)).toBe(3);
    expect(scaledValue('25%', 10, false)).toBe(2);
    expect(scaledValue(2, 10, false)).toBe(2);
  });

  it('resolves the fenceposts: both zero lets one be unavailable', () => {
    expect(resolveFenceposts('0%', '0%', 3)).toEqual([0, 1]);
    expect(resolveFenceposts('25%', '25%', 1)).toEqual([1, 0]);
    expect(maxUnavailable(dep(3, { maxSurge: 0, maxUnavailable: 5 }))).toBe(3);
    expect(maxSurge(dep(10))).toBe(3);
  });

  it('grows the new ReplicaSet within maxSurge', () => {
    const d = dep(3);
    const old = { spec: { replicas: 3 } };
    const fresh = { spec: { replicas: 0 } };
    expect(newRSNewReplicas(d, [old, fresh], fresh)).toBe(1);
    expect(newRSNewReplicas(d, [{ spec: { replicas: 0 } }, fresh], fresh)).toBe(3);
    expect(newRSNewReplicas(d, [old, { spec: { replicas: 1 } }], { spec: { replicas: 1 } })).toBe(1);
  });

  it('shares a scale proportionally to the max-replicas each ReplicaSet was sized for', () => {
    const d = dep(6);
    const old = { metadata: { annotations: { 'deployment.kubernetes.io/max-replicas': '4' } }, spec: { replicas: 3 } };
    const fresh = { metadata: { annotations: { 'deployment.kubernetes.io/max-replicas': '4' } }, spec: { replicas: 1 } };
    // 6 + surge 2 = 8 allowed, 4 running: 4 to add
    expect(replicaSetProportion(old, d, 4, 0)).toBe(3);
    expect(replicaSetProportion(fresh, d, 4, 3)).toBe(1);
  });
});

describe('pod-template-hash', () => {
  const tpl = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } };

  it('is deterministic, in the safe alphabet, and changes with the collision count', () => {
    const h = computeHash(tpl);
    expect(h).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(computeHash(structuredClone(tpl))).toBe(h);
    expect(computeHash(tpl, 1)).not.toBe(h);
    expect(computeHash({ ...tpl, metadata: { labels: { app: 'web', 'pod-template-hash': 'x' } } })).toBe(h);
  });

  it('encodes digits as rand.SafeEncodeString does', () => {
    // '0' is byte 48 → alphanums[48 % 27] = alphanums[21] = '4'
    expect(safeEncodeString('0')).toBe('4');
    expect(safeEncodeString('123')).toBe('567');
  });

  it('compares templates without the hash label, nil and empty alike', () => {
    const a = { metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } }, spec: { containers: [{ name: 'c', env: [] }] } };
    const b = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c' }] } };
    expect(equalIgnoreHash(a, b)).toBe(true);
  });
});

describe('deletion ranking', () => {
  const pod = (name: string, extra: Record<string, unknown>) => ({ metadata: { name, uid: name, creationTimestamp: '2026-11-22T20:00:00Z' }, ...extra });
  it('unassigned, then pending, then not ready go first', () => {
    const ready = { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-11-22T20:00:05Z' }] };
    const pods = [
      pod('running-ready', { spec: { nodeName: 'n' }, status: { phase: 'Running', ...ready } }),
      pod('running', { spec: { nodeName: 'n' }, status: { phase: 'Running' } }),
      pod('pending', { spec: { nodeName: 'n' }, status: { phase: 'Pending' } }),
      pod('unassigned', { spec: {}, status: { phase: 'Pending' } }),
    ];
    const order = rankPodsForDeletion(pods, pods, 3, Date.parse('2026-11-22T21:00:00Z')).map((p) => p.metadata.name);
    expect(order).toEqual(['unassigned', 'pending', 'running']);
  });
});

const DEPLOY = (image: string, specExtra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
${specExtra}  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: ${image}
`;

function rows(out: string): string[][] {
  return out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => l.trim().split(/\s+/));
}

describe('a Deployment through the CLI', () => {
  const sb = new Sandbox();
  afterAll(() => sb.dispose());
  beforeAll(async () => {
    await sb.run(['clock', 'freeze']);
  });

  it('creates a ReplicaSet <deploy>-<hash> and its pods at once', async () => {
    expect((await sb.run(['apply', '-f', '-'], DEPLOY('nginx:1.25'))).stdout).toBe('deployment.apps/web created\n');
    const rs = rows((await sb.run(['get', 'rs', '--no-headers'])).stdout);
    expect(rs).toHaveLength(1);
    expect(rs[0][0]).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(rs[0].slice(1, 3)).toEqual(['3', '3']);
    const pods = rows((await sb.run(['get', 'pods', '--no-headers'])).stdout);
    expect(pods.map((p) => p[0].slice(0, rs[0][0].length + 1))).toEqual(Array(3).fill(`${rs[0][0]}-`));
    expect(pods.every((p) => p[2] === 'ContainerCreating')).toBe(true);
    await sb.run(['clock', 'advance', '30s']);
    expect(rows((await sb.run(['get', 'deploy', '--no-headers'])).stdout)[0].slice(0, 4)).toEqual(['web', '3/3', '3', '3']);
    const y = (await sb.run(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision} {.status.conditions[*].reason} {.status.observedGeneration}'])).stdout;
    expect(y).toBe('1 MinimumReplicasAvailable NewReplicaSetAvailable 1');
    const ev = (await sb.run(['get', 'events', '--field-selector', 'involvedObject.kind=Deployment', '-o', 'jsonpath={.items[*].message}'])).stdout;
    expect(ev).toBe(`Scaled up replica set ${rs[0][0]} from 0 to 3`);
  });

  it('rolls out a new template and rolls back to the old ReplicaSet', async () => {
    const first = rows((await sb.run(['get', 'rs', '--no-headers'])).stdout)[0][0];
    expect((await sb.run(['apply', '-f', '-'], DEPLOY('nginx:1.26'))).stdout).toBe('deployment.apps/web configured\n');
    await sb.run(['clock', 'advance', '60s']);
    const rs = rows((await sb.run(['get', 'rs', '--no-headers'])).stdout);
    expect(rs).toHaveLength(2);
    const second = rs.find((r) => r[0] !== first)!;
    expect(second.slice(1, 4)).toEqual(['3', '3', '3']);
    expect(rs.find((r) => r[0] === first)!.slice(1, 4)).toEqual(['0', '0', '0']);
    expect((await sb.run(['apply', '-f', '-'], DEPLOY('nginx:1.25'))).stdout).toBe('deployment.apps/web configured\n');
    await sb.run(['clock', 'advance', '60s']);
    const after = rows((await sb.run(['get', 'rs', '--no-headers'])).stdout);
    expect(after).toHaveLength(2);
    expect(after.find((r) => r[0] === first)!.slice(1, 4)).toEqual(['3', '3', '3']);
    const ann = (await sb.run(['get', 'rs', first, '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision} {.metadata.annotations.deployment\\.kubernetes\\.io/revision-history}'])).stdout;
    expect(ann).toBe('3 1');
    expect((await sb.run(['apply', '-f', '-'], DEPLOY('nginx:1.25'))).stdout).toBe('deployment.apps/web unchanged\n');
  });

  it('a template whose image cannot be pulled stalls the rollout, then exceeds the progress deadline', async () => {
    await sb.run(['apply', '-f', '-'], DEPLOY('nginx:1.161'));
    await sb.run(['clock', 'advance', '60s']);
    expect(rows((await sb.run(['get', 'deploy', '--no-headers'])).stdout)[0].slice(0, 4)).toEqual(['web', '3/3', '1', '3']);
    await sb.run(['clock', 'advance', '600s']);
    const cond = (await sb.run(['get', 'deploy', 'web', '-o', 'jsonpath={.status.conditions[?(@.type=="Progressing")].reason}'])).stdout;
    expect(cond).toBe('ProgressDeadlineExceeded');
    const d = (await sb.run(['describe', 'deploy', 'web'])).stdout;
    expect(d).toMatch(/Replicas:\s+3 desired \| 1 updated \| 4 total \| 3 available \| 1 unavailable/);
    expect(d).toMatch(/OldReplicaSets:\s+web-\w+ \(3\/3 replicas created\)/);
  });

  it('scaling in the middle of a rollout resizes both ReplicaSets in proportion', async () => {
    await sb.run(['patch', 'deploy', 'web', '--type=merge', '-p', '{"spec":{"replicas":6}}']);
    await sb.run(['clock', 'advance', '5s']);
    const ev = (await sb.run(['get', 'events', '--field-selector', 'involvedObject.kind=Deployment', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}'])).stdout;
    expect(ev).toMatch(/Scaled up replica set web-\w+ from 3 to 6/);
    expect(ev).toMatch(/Scaled up replica set web-\w+ from 1 to 2/);
  });
});

describe('Recreate and paused', () => {
  const sb = new Sandbox();
  afterAll(() => sb.dispose());

  it('Recreate scales the old ReplicaSet to zero before the new one starts', async () => {
    await sb.run(['clock', 'freeze']);
    await sb.run(['apply', '-f', '-'], DEPLOY('nginx:1.25', '  strategy:\n    type: Recreate\n'));
    await sb.run(['clock', 'advance', '30s']);
    await sb.run(['patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.26"}]']);
    await sb.run(['clock', 'advance', '60s']);
    const after = rows((await sb.run(['get', 'rs', '--no-headers'])).stdout);
    expect(after).toHaveLength(2);
    expect(after.map((r) => r[1]).sort()).toEqual(['0', '3']);
    const ev = (await sb.run(['get', 'events', '--field-selector', 'involvedObject.kind=Deployment', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}'])).stdout.trim().split('\n');
    const down = ev.findIndex((m) => /^Scaled down replica set web-\w+ from 3 to 0$/.test(m));
    const up = ev.findIndex((m, i) => i > 0 && /^Scaled up replica set web-\w+ from 0 to 3$/.test(m));
    expect(down).toBeGreaterThan(0);
    expect(up).toBeGreaterThan(down);
  });

  it('a paused Deployment does not roll out, and resumes', async () => {
    await sb.run(['patch', 'deploy', 'web', '--type=merge', '-p', '{"spec":{"paused":true}}']);
    await sb.run(['patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.27"}]']);
    await sb.run(['clock', 'advance', '30s']);
    expect(rows((await sb.run(['get', 'rs', '--no-headers'])).stdout)).toHaveLength(2);
    const cond = (await sb.run(['get', 'deploy', 'web', '-o', 'jsonpath={.status.conditions[?(@.type=="Progressing")].reason}'])).stdout;
    expect(cond).toBe('DeploymentPaused');
    await sb.run(['patch', 'deploy', 'web', '--type=merge', '-p', '{"spec":{"paused":false}}']);
    await sb.run(['clock', 'advance', '60s']);
    const rs = rows((await sb.run(['get', 'rs', '--no-headers'])).stdout);
    expect(rs).toHaveLength(3);
    expect(rs.map((r) => r[1]).sort()).toEqual(['0', '0', '3']);
  });
});

const RS = `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: frontend
spec:
  replicas: 3
  selector:
    matchLabels:
      tier: frontend
  template:
    metadata:
      labels:
        tier: frontend
    spec:
      containers:
      - name: php-redis
        image: nginx
`;

describe('a ReplicaSet', () => {
  const sb = new Sandbox();
  afterAll(() => sb.dispose());
  beforeAll(async () => {
    await sb.run(['clock', 'freeze']);
    await sb.run(['apply', '-f', '-'], RS);
    await sb.run(['clock', 'advance', '20s']);
  });

  const pods = async () => rows((await sb.run(['get', 'pods', '-l', 'tier=frontend', '--no-headers'])).stdout).map((r) => r[0]);

  it('replaces a deleted pod', async () => {
    const before = await pods();
    expect(before).toHaveLength(3);
    await sb.run(['delete', 'pod', before[0], '--wait=false']);
    await sb.run(['clock', 'advance', '40s']);
    const after = await pods();
    expect(after).toHaveLength(3);
    expect(after).not.toContain(before[0]);
    const ev = (await sb.run(['get', 'events', '--field-selector', 'involvedObject.kind=ReplicaSet', '-o', 'jsonpath={range .items[*]}{.reason} {.source.component}{"\\n"}{end}'])).stdout;
    expect(ev.trim().split('\n')).toEqual(Array(4).fill('SuccessfulCreate replicaset-controller'));
  });

  it('adopts matching orphans and deletes the surplus', async () => {
    await sb.run(['run', 'extra', '--image=nginx', '--labels=tier=frontend']);
    const owner = (await sb.run(['get', 'rs', 'frontend', '-o', 'jsonpath={.metadata.uid}'])).stdout;
    await sb.run(['clock', 'advance', '40s']);
    expect(await pods()).toHaveLength(3);
    expect(await pods()).not.toContain('extra');
    const refs = (await sb.run(['get', 'pods', '-l', 'tier=frontend', '-o', 'jsonpath={.items[*].metadata.ownerReferences[0].uid}'])).stdout.split(' ');
    expect(new Set(refs)).toEqual(new Set([owner]));
  });

  it('releases a pod whose labels stop matching and makes a replacement', async () => {
    const [first] = await pods();
    await sb.run(['label', 'pod', first, 'tier=other', '--overwrite']);
    const refs = (await sb.run(['get', 'pod', first, '-o', 'jsonpath={.metadata.ownerReferences}'])).stdout;
    expect(refs).toBe('');
    await sb.run(['clock', 'advance', '20s']);
    expect(await pods()).toHaveLength(3);
    expect(await pods()).not.toContain(first);
  });
});

describe('validation', () => {
  const sb = new Sandbox();
  afterAll(() => sb.dispose());

  it('requires a selector that matches the template labels', async () => {
    const r = await sb.run(['apply', '-f', '-'], DEPLOY('nginx').replace('  selector:\n    matchLabels:\n      app: web\n', ''));
    expect(r.stderr).toBe('The Deployment "web" is invalid: \n* spec.selector: Required value\n* spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`\n');
    expect(r.code).toBe(1);
  });

  it('keeps the selector immutable', async () => {
    await sb.run(['apply', '-f', '-'], DEPLOY('nginx'));
    const r = await sb.run(['apply', '-f', '-'], DEPLOY('nginx').replace(/app: web/g, 'app: web2'));
    expect(r.stderr).toBe('The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable\n');
  });

  it('rejects maxSurge and maxUnavailable both zero', async () => {
    const r = await sb.run(['apply', '-f', '-'], DEPLOY('nginx', '  strategy:\n    rollingUpdate:\n      maxSurge: 0\n      maxUnavailable: 0\n').replace('name: web', 'name: web3'));
    expect(r.stderr).toBe('The Deployment "web3" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0\n');
  });

  it('defaults what the API server defaults', async () => {
    const y = (await sb.run(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.strategy.rollingUpdate.maxSurge} {.spec.revisionHistoryLimit} {.spec.progressDeadlineSeconds} {.spec.template.spec.containers[0].imagePullPolicy} {.spec.template.spec.restartPolicy}'])).stdout;
    expect(y).toBe('25% 10 600 Always Always');
  });
});

describe('revision history', () => {
  const sb = new Sandbox();
  afterAll(() => sb.dispose());

  it('keeps revisionHistoryLimit old ReplicaSets once a rollout completes', async () => {
    await sb.run(['clock', 'freeze']);
    await sb.run(['apply', '-f', '-'], DEPLOY('nginx:1.25', '  revisionHistoryLimit: 1\n'));
    await sb.run(['clock', 'advance', '20s']);
    for (const tag of ['1.26', '1.27', '1.24']) {
      await sb.run(['patch', 'deploy', 'web', '--type=json', '-p', `[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:${tag}"}]`]);
      await sb.run(['clock', 'advance', '30s']);
    }
    const rs = rows((await sb.run(['get', 'rs', '-o', 'custom-columns=REV:.metadata.annotations.deployment\\.kubernetes\\.io/revision,DESIRED:.spec.replicas', '--no-headers'])).stdout);
    expect(rs.sort()).toEqual([['3', '0'], ['4', '3']]);
  });
});

describe('a ReplicaSet that cannot create its pods', () => {
  const sb = new Sandbox();
  afterAll(() => sb.dispose());

  it('records FailedCreate with the generated name, sets ReplicaFailure, and retries until it can', async () => {
    await sb.run(['clock', 'freeze']);
    await sb.run(['create', 'quota', 'q', '--hard=pods=2']);
    await sb.run(['apply', '-f', '-'], DEPLOY('nginx'));
    await sb.run(['clock', 'advance', '20s']);
    const rs = rows((await sb.run(['get', 'rs', '--no-headers'])).stdout)[0];
    expect(rs.slice(1, 3)).toEqual(['3', '2']);
    const msg = (await sb.run(['get', 'events', '--field-selector', 'reason=FailedCreate', '-o', 'jsonpath={.items[0].message}'])).stdout;
    expect(msg).toMatch(new RegExp(`^Error creating: pods "${rs[0]}-\\w{5}" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2$`));
    const conds = (await sb.run(['get', 'deploy', 'web', '-o', 'jsonpath={.status.conditions[*].type}'])).stdout;
    expect(conds.split(' ')).toContain('ReplicaFailure');
    await sb.run(['delete', 'quota', 'q']);
    await sb.run(['clock', 'advance', '60s']);
    expect(rows((await sb.run(['get', 'rs', '--no-headers'])).stdout)[0].slice(1, 4)).toEqual(['3', '3', '3']);
    const after = (await sb.run(['get', 'deploy', 'web', '-o', 'jsonpath={.status.conditions[*].type}'])).stdout;
    expect(after).toBe('Available Progressing');
  });
});

describe('with the clock following wall time', () => {
  const sb = new Sandbox();
  afterAll(() => sb.dispose());

  it('rolls a Deployment out as wall time passes', async () => {
    expect((await sb.run(['apply', '-f', '-'], DEPLOY('nginx:1.25'))).code).toBe(0);
    sb.wall += 50;
    const pods = rows((await sb.run(['get', 'pods', '--no-headers'])).stdout);
    expect(pods).toHaveLength(3);
    sb.wall += 30_000;
    expect(rows((await sb.run(['get', 'deploy', '--no-headers'])).stdout)[0].slice(0, 4)).toEqual(['web', '3/3', '3', '3']);
    await sb.run(['apply', '-f', '-'], DEPLOY('nginx:1.26'));
    sb.wall += 60_000;
    const rs = rows((await sb.run(['get', 'rs', '--no-headers'])).stdout).map((r) => r.slice(1, 4).join(' '));
    expect(rs.sort()).toEqual(['0 0 0', '3 3 3']);
  });
});

describe('the Deployments page: proportional scaling', () => {
  const sb = new Sandbox();
  afterAll(() => sb.dispose());

  it('10 replicas, maxSurge 3, maxUnavailable 2, a tag that cannot be pulled, then 15 replicas: 5/8 become 7/11', async () => {
    await sb.run(['clock', 'freeze']);
    const manifest = DEPLOY('nginx:1.14.2', '  strategy:\n    rollingUpdate:\n      maxSurge: 3\n      maxUnavailable: 2\n').replace('replicas: 3', 'replicas: 10');
    await sb.run(['apply', '-f', '-'], manifest);
    await sb.run(['clock', 'advance', '50s']);
    await sb.run(['apply', '-f', '-'], manifest.replace('nginx:1.14.2', 'nginx:sometag'));
    await sb.run(['clock', 'advance', '9s']);
    const sizes = async () => rows((await sb.run(['get', 'rs', '--no-headers', '--sort-by=.metadata.creationTimestamp'])).stdout).map((r) => r.slice(1, 4).join(' '));
    expect(await sizes()).toEqual(['8 8 8', '5 5 0']);
    await sb.run(['patch', 'deploy', 'web', '--type=merge', '-p', '{"spec":{"replicas":15}}']);
    await sb.run(['clock', 'advance', '5s']);
    expect(await sizes()).toEqual(['11 11 11', '7 7 0']);
  });
});
