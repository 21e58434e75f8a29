// Storage: the default StorageClass, dynamic provisioning (minikube hostpath, kind local-path with
// WaitForFirstConsumer), static binding, reclaim policies, the scheduler's volume checks and a
// claim's files outliving its pods.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

const sb = new Sandbox();
afterAll(() => sb.dispose());
beforeAll(async () => {
  await sb.run(['clock', 'freeze']);
});

const claim = (name: string, extra = '') => `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${name}
spec:
${extra}  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
`;

const podWithClaim = (name: string, claimName: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: ${claimName}
  containers:
  - name: web
    image: nginx
    volumeMounts:
    - mountPath: /usr/share/nginx/html
      name: data
`;

const json = async (...argv: string[]) => JSON.parse((await sb.run([...argv, '-o', 'json'])).stdout);

describe('minikube storage', () => {
  it('has the standard class as the default', async () => {
    const r = await sb.run(['get', 'sc']);
    expect(r.stdout).toBe(
      'NAME                 PROVISIONER                RECLAIMPOLICY   VOLUMEBINDINGMODE   ALLOWVOLUMEEXPANSION   AGE\n' +
        'standard (default)   k8s.io/minikube-hostpath   Delete          Immediate           false                  5m\n',
    );
  });

  it('provisions a claim without a class from the default class and binds both ways', async () => {
    expect((await sb.run(['apply', '-f', '-'], claim('data'))).stdout).toBe('persistentvolumeclaim/data created\n');
    const pvc = await json('get', 'pvc', 'data');
    expect(pvc.spec.storageClassName).toBe('standard');
    expect(pvc.spec.volumeMode).toBe('Filesystem');
    expect(pvc.metadata.finalizers).toEqual(['kubernetes.io/pvc-protection']);
    expect(pvc.status).toEqual({ accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, phase: 'Bound' });
    expect(pvc.spec.volumeName).toBe(`pvc-${pvc.metadata.uid}`);
    const pv = await json('get', 'pv', pvc.spec.volumeName);
    expect(pv.spec.hostPath).toEqual({ path: '/tmp/hostpath-provisioner/default/data', type: '' });
    expect(pv.spec.persistentVolumeReclaimPolicy).toBe('Delete');
    expect(pv.spec.claimRef.uid).toBe(pvc.metadata.uid);
    expect(pv.status.phase).toBe('Bound');
    const table = await sb.run(['get', 'pvc']);
    expect(table.stdout).toBe(
      'NAME   STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE\n' +
        `data   Bound    ${pvc.spec.volumeName}   1Gi        RWO            standard       <unset>                 0s\n`,
    );
    const ev = await sb.run(['get', 'events', '--field-selector', 'involvedObject.name=data', '-o', 'jsonpath={range .items[*]}{.reason}{"\\n"}{end}']);
    expect(ev.stdout.split('\n').filter(Boolean).sort()).toEqual(['ExternalProvisioning', 'Provisioning', 'ProvisioningSucceeded']);
  });

  it('keeps a pod Pending while its claim does not exist, then runs it', async () => {
    await sb.run(['apply', '-f', '-'], podWithClaim('user', 'later'));
    await sb.run(['clock', 'advance', '5s']);
    const pod = await json('get', 'pod', 'user');
    expect(pod.status.phase).toBe('Pending');
    expect(pod.status.conditions[0].message).toBe(
      '0/1 nodes are available: persistentvolumeclaim "later" not found. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    );
    await sb.run(['apply', '-f', '-'], claim('later'));
    await sb.run(['clock', 'advance', '10s']);
    expect((await json('get', 'pod', 'user')).status.phase).toBe('Running');
  });

  it('keeps the files on the volume across pod re-creation', async () => {
    await sb.run(['exec', 'user', '--', 'sh', '-c', 'echo kept > /usr/share/nginx/html/index.html']);
    await sb.run(['delete', 'pod', 'user']);
    await sb.run(['apply', '-f', '-'], podWithClaim('user2', 'later'));
    await sb.run(['clock', 'advance', '10s']);
    expect((await sb.run(['exec', 'user2', '--', 'cat', '/usr/share/nginx/html/index.html'])).stdout).toBe('kept\n');
    const d = await sb.run(['describe', 'pvc', 'later']);
    expect(d.stdout).toMatch(/\nUsed By: +user2\n/);
  });

  it('holds a claim in use (Terminating) and deletes its volume after (reclaim policy Delete)', async () => {
    const pvName = (await json('get', 'pvc', 'later')).spec.volumeName;
    await sb.run(['delete', 'pvc', 'later', '--wait=false']);
    expect((await sb.run(['get', 'pvc', 'later', '--no-headers'])).stdout).toMatch(/^later +Terminating/);
    await sb.run(['delete', 'pod', 'user2']);
    await sb.run(['clock', 'advance', '5s']);
    expect((await sb.run(['get', 'pvc', 'later'])).code).toBe(1);
    expect((await sb.run(['get', 'pv', pvName])).stderr).toBe(`Error from server (NotFound): persistentvolumes "${pvName}" not found\n`);
  });

  it('binds a static volume of the claim’s class and releases it (Retain)', async () => {
    const pv = `apiVersion: v1
kind: PersistentVolume
metadata:
  name: task-pv-volume
spec:
  storageClassName: manual
  capacity:
    storage: 10Gi
  accessModes: [ReadWriteOnce]
  hostPath:
    path: /mnt/data
`;
    await sb.run(['apply', '-f', '-'], pv);
    expect((await sb.run(['get', 'pv', 'task-pv-volume', '--no-headers'])).stdout).toMatch(/^task-pv-volume +10Gi +RWO +Retain +Available +manual +<unset> +0s\n$/);
    await sb.run(['apply', '-f', '-'], claim('task-pv-claim', '  storageClassName: manual\n'));
    expect((await sb.run(['get', 'pvc', 'task-pv-claim', '--no-headers'])).stdout).toMatch(/^task-pv-claim +Bound +task-pv-volume +10Gi +RWO +manual +<unset>/);
    await sb.run(['delete', 'pvc', 'task-pv-claim']);
    expect((await sb.run(['get', 'pv', 'task-pv-volume', '--no-headers'])).stdout).toMatch(/Retain +Released +default\/task-pv-claim +manual/);
  });

  it('rejects a claim without access modes or size with the API server’s texts', async () => {
    const r = await sb.run(['apply', '-f', '-'], 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: bad\nspec: {}\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'The PersistentVolumeClaim "bad" is invalid: \n* spec.accessModes: Required value: at least 1 access mode is required\n* spec.resources[storage]: Required value\n',
    );
  });
});

describe('generic ephemeral volumes', () => {
  it('get a claim <pod>-<volume> owned by the pod, gone with it', async () => {
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: eph
spec:
  containers:
  - name: app
    image: busybox:1.28
    command: ["sleep", "1000000"]
    volumeMounts:
    - mountPath: /scratch
      name: scratch
  volumes:
  - name: scratch
    ephemeral:
      volumeClaimTemplate:
        metadata:
          labels:
            type: scratch
        spec:
          accessModes: [ReadWriteOnce]
          resources:
            requests:
              storage: 1Gi
`;
    await sb.run(['apply', '-f', '-'], pod);
    await sb.run(['clock', 'advance', '10s']);
    const pvc = await json('get', 'pvc', 'eph-scratch');
    expect(pvc.metadata.labels).toEqual({ type: 'scratch' });
    expect(pvc.metadata.ownerReferences[0]).toMatchObject({ kind: 'Pod', name: 'eph', controller: true });
    expect((await sb.run(['exec', 'eph', '--', 'sh', '-c', 'echo x > /scratch/f && cat /scratch/f'])).stdout).toBe('x\n');
    expect((await sb.run(['describe', 'pvc', 'eph-scratch'])).stdout).toMatch(/\nUsed By: +eph\n/);
    await sb.run(['delete', 'pod', 'eph', '--grace-period=1']);
    await sb.run(['clock', 'advance', '5s']);
    expect((await sb.run(['get', 'pvc', 'eph-scratch'])).code).toBe(1);
  });
});

describe('kind storage', () => {
  const kb = new Sandbox();
  afterAll(() => kb.dispose());

  it('waits for the first consumer, then provisions on its node', async () => {
    await kb.run(['cluster', 'create', '--nodes', '3']);
    await kb.run(['clock', 'freeze']);
    await kb.run(['apply', '-f', '-'], claim('data'));
    expect((await kb.run(['get', 'pvc', 'data', '--no-headers'])).stdout).toMatch(/^data +Pending +standard/);
    const ev = await kb.run(['get', 'events', '-o', 'jsonpath={.items[*].message}']);
    expect(ev.stdout).toContain('waiting for first consumer to be created before binding');
    await kb.run(['apply', '-f', '-'], podWithClaim('user', 'data'));
    await kb.run(['clock', 'advance', '10s']);
    const pod = JSON.parse((await kb.run(['get', 'pod', 'user', '-o', 'json'])).stdout);
    expect(pod.status.phase).toBe('Running');
    const pvc = JSON.parse((await kb.run(['get', 'pvc', 'data', '-o', 'json'])).stdout);
    expect(pvc.metadata.annotations['volume.kubernetes.io/selected-node']).toBe(pod.spec.nodeName);
    const pv = JSON.parse((await kb.run(['get', 'pv', pvc.spec.volumeName, '-o', 'json'])).stdout);
    expect(pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values).toEqual([pod.spec.nodeName]);
    expect(pv.spec.hostPath.path).toBe(`/var/local-path-provisioner/${pvc.spec.volumeName}_default_data`);
  });
});
