// StatefulSets (pkg/controller/statefulset): ordered start, identity, claims that outlive their pods,
// reverse-ordered scale-down, Parallel, rolling update with a partition, the API server's checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

const sb = new Sandbox();
afterAll(() => sb.dispose());

const sts = (name: string, replicas: number, extra = '') => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${name}
spec:
  serviceName: ${name}-svc
  replicas: ${replicas}
${extra}  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ "ReadWriteOnce" ]
      resources:
        requests:
          storage: 1Gi
`;

const names = async (selector: string, kind = 'pods') =>
  (await sb.run(['get', kind, '-l', selector, '-o', 'jsonpath={.items[*].metadata.name}'])).stdout.split(' ').filter(Boolean);

beforeAll(async () => {
  await sb.run(['clock', 'freeze']);
});

describe('OrderedReady', () => {
  it('creates web-0 first and web-1 only once web-0 is Running and Ready', async () => {
    expect((await sb.run(['apply', '-f', '-'], sts('web', 2))).stdout).toBe('statefulset.apps/web created\n');
    expect(await names('app=web')).toEqual(['web-0']);
    expect(await names('app=web', 'pvc')).toEqual(['www-web-0']);
    await sb.run(['clock', 'advance', '30s']);
    expect(await names('app=web')).toEqual(['web-0', 'web-1']);
    const r = await sb.run(['get', 'sts', 'web']);
    expect(r.stdout).toMatch(/^NAME +READY +AGE\nweb +2\/2 +30s\n$/);
  });

  it('records the controller events with stateful_pod_control.go texts', async () => {
    const r = await sb.run(['get', 'events', '--field-selector', 'involvedObject.kind=StatefulSet', '-o', 'jsonpath={range .items[*]}{.reason}|{.message}{"\\n"}{end}']);
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(
      [
        'SuccessfulCreate|create Claim www-web-0 Pod web-0 in StatefulSet web success',
        'SuccessfulCreate|create Pod web-0 in StatefulSet web successful',
        'SuccessfulCreate|create Claim www-web-1 Pod web-1 in StatefulSet web success',
        'SuccessfulCreate|create Pod web-1 in StatefulSet web successful',
      ].sort(),
    );
  });

  it('gives each pod its identity: hostname, subdomain, labels, claim volume', async () => {
    const pod = JSON.parse((await sb.run(['get', 'pod', 'web-1', '-o', 'json'])).stdout);
    expect(pod.spec.hostname).toBe('web-1');
    expect(pod.spec.subdomain).toBe('web-svc');
    expect(pod.metadata.labels['statefulset.kubernetes.io/pod-name']).toBe('web-1');
    expect(pod.metadata.labels['apps.kubernetes.io/pod-index']).toBe('1');
    const set = JSON.parse((await sb.run(['get', 'sts', 'web', '-o', 'json'])).stdout);
    expect(pod.metadata.labels['controller-revision-hash']).toBe(set.status.updateRevision);
    expect(pod.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: 'StatefulSet', name: 'web', uid: set.metadata.uid }]);
    expect(pod.spec.volumes[0]).toEqual({ name: 'www', persistentVolumeClaim: { claimName: 'www-web-1' } });
    const exec = await sb.run(['exec', 'web-1', '--', 'hostname']);
    expect(exec.stdout).toBe('web-1\n');
    const pvc = JSON.parse((await sb.run(['get', 'pvc', 'www-web-1', '-o', 'json'])).stdout);
    expect(pvc.metadata.labels).toEqual({ app: 'web' });
    expect(pvc.status.phase).toBe('Bound');
  });

  it('has the defaults and status the API server and controller give', async () => {
    const set = JSON.parse((await sb.run(['get', 'sts', 'web', '-o', 'json'])).stdout);
    expect(set.spec.podManagementPolicy).toBe('OrderedReady');
    expect(set.spec.updateStrategy).toEqual({ rollingUpdate: { partition: 0 }, type: 'RollingUpdate' });
    expect(set.spec.revisionHistoryLimit).toBe(10);
    expect(set.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(set.spec.volumeClaimTemplates[0].spec.volumeMode).toBe('Filesystem');
    expect(set.spec.volumeClaimTemplates[0].status).toEqual({ phase: 'Pending' });
    const { currentRevision, updateRevision, ...rest } = set.status;
    expect(currentRevision).toBe(updateRevision);
    expect(updateRevision).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(rest).toEqual({ availableReplicas: 2, collisionCount: 0, currentReplicas: 2, observedGeneration: 1, readyReplicas: 2, replicas: 2, updatedReplicas: 2 });
    const rev = JSON.parse((await sb.run(['get', 'controllerrevision', updateRevision, '-o', 'json'])).stdout);
    expect(rev.revision).toBe(1);
    expect(rev.data.spec.template.$patch).toBe('replace');
  });

  it('keeps a pod’s files on its claim when the pod is deleted and re-created', async () => {
    await sb.run(['exec', 'web-0', '--', 'sh', '-c', 'echo web-0 > /usr/share/nginx/html/index.html']);
    const del = await sb.run(['delete', 'pod', 'web-0']);
    expect(del.stdout).toBe('pod "web-0" deleted\n');
    await sb.run(['clock', 'advance', '20s']);
    expect(await names('app=web')).toEqual(['web-0', 'web-1']);
    expect((await sb.run(['exec', 'web-0', '--', 'cat', '/usr/share/nginx/html/index.html'])).stdout).toBe('web-0\n');
  });

  it('scales up in order and down in reverse order, keeping the claims', async () => {
    await sb.run(['scale', 'sts', 'web', '--replicas=4']);
    await sb.run(['clock', 'advance', '1m']);
    expect(await names('app=web')).toEqual(['web-0', 'web-1', 'web-2', 'web-3']);
    await sb.run(['exec', 'web-3', '--', 'sh', '-c', 'echo three > /usr/share/nginx/html/index.html']);
    await sb.run(['scale', 'sts', 'web', '--replicas=2']);
    await sb.run(['clock', 'advance', '1m']);
    expect(await names('app=web')).toEqual(['web-0', 'web-1']);
    expect(await names('app=web', 'pvc')).toEqual(['www-web-0', 'www-web-1', 'www-web-2', 'www-web-3']);
    await sb.run(['scale', 'sts', 'web', '--replicas=4']);
    await sb.run(['clock', 'advance', '1m']);
    expect((await sb.run(['exec', 'web-3', '--', 'cat', '/usr/share/nginx/html/index.html'])).stdout).toBe('three\n');
    // web-3 goes first; web-2 only once web-3 is gone
    const ev = await sb.run(['get', 'events', '--field-selector', 'reason=SuccessfulDelete', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.message}{"\\n"}{end}']);
    const order = ev.stdout.split('\n').filter(Boolean).sort().map((l) => l.split(' ').slice(1).join(' '));
    expect(order).toEqual(['delete Pod web-3 in StatefulSet web successful', 'delete Pod web-2 in StatefulSet web successful']);
  });

  it('rolls out a new template from the highest ordinal down to the partition', async () => {
    await sb.run(['patch', 'sts', 'web', '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":2}}}}']);
    await sb.run(['patch', 'sts', 'web', '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.27"}]']);
    await sb.run(['clock', 'advance', '3m']);
    const img = async (p: string) => (await sb.run(['get', 'pod', p, '-o', 'jsonpath={.spec.containers[0].image}'])).stdout;
    expect(await img('web-3')).toBe('nginx:1.27');
    expect(await img('web-2')).toBe('nginx:1.27');
    expect(await img('web-1')).toBe('nginx:1.25');
    const set = JSON.parse((await sb.run(['get', 'sts', 'web', '-o', 'json'])).stdout);
    expect(set.status.currentRevision).not.toBe(set.status.updateRevision);
    expect(set.status.updatedReplicas).toBe(2);
    expect(set.status.currentReplicas).toBe(2);
    await sb.run(['patch', 'sts', 'web', '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}']);
    await sb.run(['clock', 'advance', '3m']);
    expect(await img('web-0')).toBe('nginx:1.27');
    const done = JSON.parse((await sb.run(['get', 'sts', 'web', '-o', 'json'])).stdout);
    expect(done.status.currentRevision).toBe(done.status.updateRevision);
    expect(done.status.currentReplicas).toBe(4);
    expect((await sb.run(['get', 'controllerrevisions', '-o', 'jsonpath={.items[*].revision}'])).stdout.split(' ').sort()).toEqual(['1', '2']);
  });
});

describe('Parallel', () => {
  it('creates and removes every pod at once', async () => {
    await sb.run(['apply', '-f', '-'], sts('par', 3, '  podManagementPolicy: Parallel\n'));
    expect(await names('app=par')).toEqual(['par-0', 'par-1', 'par-2']);
    await sb.run(['clock', 'advance', '30s']);
    await sb.run(['scale', 'sts', 'par', '--replicas=0']);
    const pods = JSON.parse((await sb.run(['get', 'pods', '-l', 'app=par', '-o', 'json'])).stdout).items;
    expect(pods.every((p: { metadata: { deletionTimestamp?: string } }) => p.metadata.deletionTimestamp)).toBe(true);
  });
});

describe('OnDelete', () => {
  it('leaves running pods alone and gives a deleted pod the new template', async () => {
    await sb.run(['apply', '-f', '-'], sts('od', 2, '  updateStrategy:\n    type: OnDelete\n'));
    await sb.run(['clock', 'advance', '30s']);
    await sb.run(['patch', 'sts', 'od', '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.27"}]']);
    await sb.run(['clock', 'advance', '30s']);
    const img = async (p: string) => (await sb.run(['get', 'pod', p, '-o', 'jsonpath={.spec.containers[0].image}'])).stdout;
    expect([await img('od-0'), await img('od-1')]).toEqual(['nginx:1.25', 'nginx:1.25']);
    await sb.run(['delete', 'pod', 'od-1']);
    await sb.run(['clock', 'advance', '30s']);
    expect([await img('od-0'), await img('od-1')]).toEqual(['nginx:1.25', 'nginx:1.27']);
    const set = JSON.parse((await sb.run(['get', 'sts', 'od', '-o', 'json'])).stdout);
    expect(set.spec.updateStrategy).toEqual({ type: 'OnDelete' });
    expect([set.status.currentReplicas, set.status.updatedReplicas]).toEqual([1, 1]);
  });

  it('replaces a pod whose claim is gone with the claim re-created first', async () => {
    await sb.run(['delete', 'pvc', 'www-od-1', '--wait=false']);
    await sb.run(['delete', 'pod', 'od-1']);
    await sb.run(['clock', 'advance', '30s']);
    const pvc = JSON.parse((await sb.run(['get', 'pvc', 'www-od-1', '-o', 'json'])).stdout);
    expect(pvc.status.phase).toBe('Bound');
    expect((await sb.run(['get', 'pod', 'od-1', '-o', 'jsonpath={.status.phase}'])).stdout).toBe('Running');
  });
});

describe('validation', () => {
  it('rejects a selector that does not match the template labels', async () => {
    const bad = sts('bad', 1).replace('      app: bad\n  template', '      app: other\n  template');
    const r = await sb.run(['apply', '-f', '-'], bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('The StatefulSet "bad" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"bad"}: `selector` does not match template `labels`\n');
  });

  it('forbids changing fields other than the mutable ones', async () => {
    const r = await sb.run(['patch', 'sts', 'web', '-p', '{"spec":{"serviceName":"other"}}']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "The StatefulSet \"web\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden\n",
    );
  });
});
