// ResourceQuota and LimitRange at admission: the API server's messages, LimitRanger's defaults and
// annotation, the quota controller's status, tables and describe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = new Sandbox();
  await sb.run(['clock', 'freeze']);
  await sb.run(['create', 'ns', 'q']);
  await sb.run(['create', 'ns', 'lr']);
});
afterAll(() => sb.dispose());

const out = async (argv: string[]) => (await sb.run(argv)).stdout;
const pod = (name: string, resources: Record<string, unknown> = {}) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'app', image: 'nginx', resources }] } });

describe('ResourceQuota', () => {
  it('tracks usage and refuses what exceeds it', async () => {
    const quota = {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'compute' },
      spec: { hard: { 'requests.cpu': '1', 'requests.memory': '1Gi', 'limits.cpu': '2', 'limits.memory': '2Gi', pods: '2' } },
    };
    expect((await sb.run(['apply', '-n', 'q', '-f', '-'], JSON.stringify(quota))).stdout).toBe('resourcequota/compute created\n');
    expect(await out(['get', 'quota', '-n', 'q'])).toBe(
      'NAME      AGE   REQUEST                                                LIMIT\ncompute   0s    pods: 0/2, requests.cpu: 0/1, requests.memory: 0/1Gi   limits.cpu: 0/2, limits.memory: 0/2Gi\n',
    );
    const res = { requests: { cpu: '400m', memory: '600Mi' }, limits: { cpu: '800m', memory: '800Mi' } };
    expect((await sb.run(['apply', '-n', 'q', '-f', '-'], pod('one', res))).stdout).toBe('pod/one created\n');
    const st = JSON.parse(await out(['get', 'quota', 'compute', '-n', 'q', '-o', 'jsonpath={.status}']));
    expect(st).toEqual({
      hard: { 'limits.cpu': '2', 'limits.memory': '2Gi', pods: '2', 'requests.cpu': '1', 'requests.memory': '1Gi' },
      used: { 'limits.cpu': '800m', 'limits.memory': '800Mi', pods: '1', 'requests.cpu': '400m', 'requests.memory': '600Mi' },
    });
    const big = { requests: { cpu: '400m', memory: '700Mi' }, limits: { cpu: '800m', memory: '1Gi' } };
    const r = await sb.run(['apply', '-n', 'q', '-f', '-'], pod('two', big));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'Error from server (Forbidden): error when creating "STDIN": pods "two" is forbidden: exceeded quota: compute, requested: requests.memory=700Mi, used: requests.memory=600Mi, limited: requests.memory=1Gi\n',
    );
  });

  it('requires every container to name the resources it limits', async () => {
    const r = await sb.run(['run', 'bare', '--image=nginx', '-n', 'q']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'Error from server (Forbidden): pods "bare" is forbidden: failed quota: compute: must specify limits.cpu for: bare; limits.memory for: bare; requests.cpu for: bare; requests.memory for: bare\n',
    );
  });

  it('counts pods, and frees their share when they go', async () => {
    const small = { requests: { cpu: '100m', memory: '100Mi' }, limits: { cpu: '100m', memory: '100Mi' } };
    expect((await sb.run(['apply', '-n', 'q', '-f', '-'], pod('two', small))).code).toBe(0);
    const r = await sb.run(['apply', '-n', 'q', '-f', '-'], pod('three', small));
    expect(r.stderr).toBe('Error from server (Forbidden): error when creating "STDIN": pods "three" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2\n');
    await sb.run(['delete', 'pod', 'two', '-n', 'q']);
    expect(await out(['get', 'quota', 'compute', '-n', 'q', '-o', 'jsonpath={.status.used.pods} {.status.used.requests\\.cpu}'])).toBe('1 400m');
    expect((await sb.run(['apply', '-n', 'q', '-f', '-'], pod('three', small))).code).toBe(0);
  });

  it('object counts', async () => {
    await sb.run(['create', 'quota', 'objects', '-n', 'q', '--hard=count/configmaps=2,count/deployments.apps=0']);
    const cm = await sb.run(['create', 'configmap', 'extra', '-n', 'q']);
    // kube-root-ca.crt is one of the two
    expect(cm.stdout).toBe('configmap/extra created\n');
    const again = await sb.run(['create', 'configmap', 'more', '-n', 'q']);
    expect(again.stderr).toBe(
      'error: failed to create configmap: configmaps "more" is forbidden: exceeded quota: objects, requested: count/configmaps=1, used: count/configmaps=2, limited: count/configmaps=2\n',
    );
    const d = await sb.run(['create', 'deployment', 'web', '--image=nginx', '-n', 'q']);
    expect(d.stderr).toBe(
      'error: failed to create deployment: deployments.apps "web" is forbidden: exceeded quota: objects, requested: count/deployments.apps=1, used: count/deployments.apps=0, limited: count/deployments.apps=0\n',
    );
  });

  it('describe quota and the namespace', async () => {
    expect(await out(['describe', 'quota', 'compute', '-n', 'q'])).toBe(
      [
        'Name:            compute',
        'Namespace:       q',
        'Resource         Used   Hard',
        '--------         ----   ----',
        'limits.cpu       900m   2',
        'limits.memory    900Mi  2Gi',
        'pods             2      2',
        'requests.cpu     500m   1',
        'requests.memory  700Mi  1Gi',
        '',
      ].join('\n'),
    );
    const ns = await out(['describe', 'ns', 'q']);
    expect(ns).toMatch(/\nResource Quotas\n  Name:\s+compute\n  Resource\s+Used\s+Hard\n  --------\s+---\s+---\n  limits\.cpu\s+900m\s+2\n/);
    expect(ns).toMatch(/\n  Name:\s+objects\n  Resource\s+Used\s+Hard\n  --------\s+---\s+---\n  count\/configmaps\s+2\s+2\n  count\/deployments\.apps\s+0\s+0\n/);
    expect(ns).toContain('\nNo LimitRange resource.\n');
  });
});

describe('ResourceQuota validation', () => {
  it('refuses names that are not quota resources and fractional counts', async () => {
    const q = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'bad' }, spec: { hard: { foo: '1', pods: '1.5', 'count/deployments.apps': '2' } } };
    const r = await sb.run(['apply', '-n', 'q', '-f', '-'], JSON.stringify(q));
    expect(r.stderr).toBe(
      'The ResourceQuota "bad" is invalid: \n* spec.hard[foo]: Invalid value: "foo": must be a standard resource for quota\n* spec.hard[pods]: Invalid value: "1500m": must be an integer\n',
    );
  });
});

describe('LimitRange', () => {
  it('defaults what containers leave out and says so in an annotation', async () => {
    const lr = {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'defaults' },
      spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '512Mi' }, defaultRequest: { cpu: '250m' }, max: { cpu: '1' }, min: { cpu: '100m' } }] },
    };
    expect((await sb.run(['apply', '-n', 'lr', '-f', '-'], JSON.stringify(lr))).stdout).toBe('limitrange/defaults created\n');
    // SetDefaults_LimitRangeItem: defaultRequest memory from the default limit
    expect(await out(['get', 'limits', 'defaults', '-n', 'lr', '-o', 'jsonpath={.spec.limits[0].defaultRequest}'])).toBe('{"cpu":"250m","memory":"512Mi"}');
    await sb.run(['run', 'app', '--image=nginx', '-n', 'lr']);
    const p = JSON.parse(await out(['get', 'pod', 'app', '-n', 'lr', '-o', 'json']));
    expect(p.metadata.annotations['kubernetes.io/limit-ranger']).toBe('LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app');
    expect(p.spec.containers[0].resources).toEqual({ limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '250m', memory: '512Mi' } });
    expect(p.status.qosClass).toBe('Burstable');
  });

  it('a container limit alone also becomes its request before the defaults apply', async () => {
    await sb.run(['apply', '-n', 'lr', '-f', '-'], pod('limited', { limits: { cpu: '800m' } }));
    const p = JSON.parse(await out(['get', 'pod', 'limited', '-n', 'lr', '-o', 'json']));
    expect(p.spec.containers[0].resources).toEqual({ limits: { cpu: '800m', memory: '512Mi' }, requests: { cpu: '800m', memory: '512Mi' } });
    expect(p.metadata.annotations['kubernetes.io/limit-ranger']).toBe('LimitRanger plugin set: memory request for container app; memory limit for container app');
  });

  it('refuses what is outside min and max', async () => {
    const r = await sb.run(['apply', '-n', 'lr', '-f', '-'], pod('huge', { limits: { cpu: '1500m' }, requests: { cpu: '500m' } }));
    expect(r.stderr).toBe('Error from server (Forbidden): error when creating "STDIN": pods "huge" is forbidden: maximum cpu usage per Container is 1, but limit is 1500m\n');
    const s = await sb.run(['apply', '-n', 'lr', '-f', '-'], pod('tiny', { requests: { cpu: '50m' } }));
    expect(s.stderr).toBe('Error from server (Forbidden): error when creating "STDIN": pods "tiny" is forbidden: minimum cpu usage per Container is 100m, but request is 50m\n');
  });

  it('bounds claims by a PersistentVolumeClaim item', async () => {
    const lr = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'storagelimits' }, spec: { limits: [{ type: 'PersistentVolumeClaim', max: { storage: '2Gi' }, min: { storage: '1Gi' } }] } };
    await sb.run(['apply', '-n', 'q', '-f', '-'], JSON.stringify(lr));
    const claim = (name: string, size: string) =>
      JSON.stringify({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } } });
    const big = await sb.run(['apply', '-n', 'q', '-f', '-'], claim('pvc-limit-greater', '5Gi'));
    expect(big.stderr).toBe('Error from server (Forbidden): error when creating "STDIN": persistentvolumeclaims "pvc-limit-greater" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi\n');
    const small = await sb.run(['apply', '-n', 'q', '-f', '-'], claim('pvc-limit-lower', '500Mi'));
    expect(small.stderr).toBe('Error from server (Forbidden): error when creating "STDIN": persistentvolumeclaims "pvc-limit-lower" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi\n');
    await sb.run(['delete', 'limitrange', 'storagelimits', '-n', 'q']);
  });

  it('validates its items', async () => {
    const lr = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'bad' }, spec: { limits: [{ type: 'Pod', default: { cpu: '1' }, max: { cpu: '2' } }, { type: 'Pod', max: { cpu: '3' } }] } };
    const r = await sb.run(['apply', '-n', 'lr', '-f', '-'], JSON.stringify(lr));
    expect(r.stderr).toBe(
      "The LimitRange \"bad\" is invalid: \n* spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'\n* spec.limits[1].type: Duplicate value: \"Pod\"\n",
    );
  });

  it('table and describe', async () => {
    const t = await out(['get', 'limitrange', '-n', 'lr']);
    expect(t).toMatch(/^NAME       CREATED AT\ndefaults   \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);
    expect(await out(['describe', 'limitrange', 'defaults', '-n', 'lr'])).toBe(
      [
        'Name:       defaults',
        'Namespace:  lr',
        'Type        Resource  Min   Max  Default Request  Default Limit  Max Limit/Request Ratio',
        '----        --------  ---   ---  ---------------  -------------  -----------------------',
        'Container   cpu       100m  1    250m             500m           -',
        'Container   memory    -     -    512Mi            512Mi          -',
        '',
      ].join('\n'),
    );
  });
});
