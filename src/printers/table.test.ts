import { describe, expect, it } from 'vitest';
import type { KObj, ResourceDef } from '../api/types.js';
import { printTableGroups, tableRows } from './table.js';
import { podStatusCells } from './tables/pods.js';

const def = (kind: string, plural: string, group = '', namespaced = true): ResourceDef => ({ kind, plural, singular: kind.toLowerCase(), shortNames: [], group, version: 'v1', namespaced });
const POD = def('Pod', 'pods');
const SVC = def('Service', 'services');
const NODE = def('Node', 'nodes', '', false);
const NOW = Date.UTC(2026, 10, 22, 21, 12, 43);
const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace('.000Z', 'Z');

const running = (name: string, extra: KObj = {}): KObj => ({
  metadata: { name, namespace: 'default', creationTimestamp: ago(300), labels: { run: name } },
  spec: { containers: [{ name: 'c' }], nodeName: 'node-1' },
  status: {
    phase: 'Running',
    podIPs: [{ ip: '10.244.0.5' }],
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: { running: {} } }],
  },
  ...extra,
});

describe('table layout', () => {
  const multi = running('web-multi');
  multi.spec.containers.push({ name: 'd' });
  multi.status.containerStatuses.push({ name: 'd', ready: true, restartCount: 3, state: { running: {} }, lastState: { terminated: { finishedAt: ago(45) } } });
  const svc: KObj = { metadata: { name: 'kubernetes', namespace: 'default', creationTimestamp: ago(3 * 86400) }, spec: { type: 'ClusterIP', clusterIPs: ['10.96.0.1'], ports: [{ port: 443, protocol: 'TCP' }] } };

  it('prints each group with its own widths, kind prefixes and a blank line between (reference §1.1)', () => {
    expect(printTableGroups([{ def: POD, objects: [running('nginx'), multi] }, { def: SVC, objects: [svc] }], { now: NOW, withKind: true })).toBe(
      'NAME            READY   STATUS    RESTARTS      AGE\n' +
        'pod/nginx       1/1     Running   0             5m\n' +
        'pod/web-multi   2/2     Running   3 (45s ago)   5m\n' +
        '\n' +
        'NAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n' +
        'service/kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   3d\n',
    );
  });
  it('omits headers and blank lines with --no-headers; skips empty groups', () => {
    expect(printTableGroups([{ def: POD, objects: [running('nginx'), multi] }, { def: SVC, objects: [] }], { now: NOW, noHeaders: true })).toBe(
      'nginx       1/1   Running   0             5m\nweb-multi   2/2   Running   3 (45s ago)   5m\n',
    );
    expect(printTableGroups([{ def: POD, objects: [] }], { now: NOW })).toBe('');
  });
  it('adds NAMESPACE for namespaced kinds only, -L columns and LABELS', () => {
    const node: KObj = { metadata: { name: 'node-1', creationTimestamp: ago(600), labels: {} }, status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.32.0' } } };
    expect(printTableGroups([{ def: NODE, objects: [node] }], { now: NOW, allNamespaces: true })).toBe('NAME     STATUS   ROLES    AGE   VERSION\nnode-1   Ready    <none>   10m   v1.32.0\n');
    expect(printTableGroups([{ def: POD, objects: [running('nginx')] }], { now: NOW, allNamespaces: true, labelColumns: ['run', 'app/x'], showLabels: true })).toBe(
      'NAMESPACE   NAME    READY   STATUS    RESTARTS   AGE   RUN     X     LABELS\ndefault     nginx   1/1     Running   0          5m    nginx         run=nginx\n',
    );
  });
  it('shows wide pod columns', () => {
    expect(printTableGroups([{ def: POD, objects: [running('nginx')] }], { now: NOW, wide: true })).toBe(
      'NAME    READY   STATUS    RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES\nnginx   1/1     Running   0          5m    10.244.0.5   node-1   <none>           <none>\n',
    );
  });
  it('cuts multi-line cells', () => {
    const ev: KObj = { metadata: { name: 'e1' }, type: 'Normal', reason: 'X', involvedObject: { kind: 'Pod', name: 'p' }, message: 'line1\nline2', lastTimestamp: ago(30), firstTimestamp: ago(30), count: 1 };
    expect(tableRows(def('Event', 'events'), [ev], { now: NOW }).rows).toEqual([['30s', 'Normal', 'X', 'pod/p', 'line1...']]);
  });
});

describe('pod READY/STATUS/RESTARTS', () => {
  const base = (status: KObj, spec: KObj = {}, meta: KObj = {}): KObj => ({ metadata: { name: 'p', creationTimestamp: ago(60), ...meta }, spec: { containers: [{ name: 'c' }], ...spec }, status });
  const cells = (p: KObj) => podStatusCells(p, NOW);
  it('init containers', () => {
    const spec = { initContainers: [{ name: 'i1' }, { name: 'i2' }] };
    expect(cells(base({ phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { waiting: { reason: 'PodInitializing' } } }] }, spec)).reason).toBe('Init:0/2');
    expect(cells(base({ phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 0 } } }, { name: 'i2', state: { running: {} } }] }, spec)).reason).toBe('Init:1/2');
    expect(cells(base({ phase: 'Pending', initContainerStatuses: [{ name: 'i1', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } }] }, spec))).toEqual({ ready: '0/1', reason: 'Init:CrashLoopBackOff', restarts: '4' });
    expect(cells(base({ phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 1, reason: 'Error' } } }] }, spec)).reason).toBe('Init:Error');
    expect(cells(base({ phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 2 } } }] }, spec)).reason).toBe('Init:ExitCode:2');
    expect(cells(base({ phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 2, signal: 9 } } }] }, spec)).reason).toBe('Init:Signal:9');
  });
  it('sidecars count towards READY and restarts', () => {
    const spec = { initContainers: [{ name: 's', restartPolicy: 'Always' }] };
    const st = {
      phase: 'Running',
      conditions: [{ type: 'Initialized', status: 'True' }],
      initContainerStatuses: [{ name: 's', started: true, ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { finishedAt: ago(150) } } }],
      containerStatuses: [{ name: 'c', ready: true, restartCount: 1, state: { running: {} } }],
    };
    expect(cells(base(st, spec))).toEqual({ ready: '2/2', reason: 'Running', restarts: '3 (2m30s ago)' });
  });
  it('main container reasons (first container wins)', () => {
    const two = { containers: [{ name: 'a' }, { name: 'b' }] };
    const st = (a: KObj, b: KObj) => ({ phase: 'Running', containerStatuses: [{ name: 'a', ...a }, { name: 'b', ...b }] });
    expect(cells(base(st({ state: { waiting: { reason: 'CrashLoopBackOff' } } }, { state: { waiting: { reason: 'ErrImagePull' } } }), two)).reason).toBe('CrashLoopBackOff');
    expect(cells(base(st({ state: { terminated: { exitCode: 0, reason: 'Completed' } } }, { ready: true, state: { running: {} } }), two)).reason).toBe('NotReady');
    expect(
      cells(base({ ...st({ state: { terminated: { exitCode: 0, reason: 'Completed' } } }, { ready: true, state: { running: {} } }), conditions: [{ type: 'Ready', status: 'True' }] }, two)).reason,
    ).toBe('Running');
    expect(cells(base(st({ state: { terminated: { exitCode: 137, signal: 9 } } }, {}), two)).reason).toBe('Signal:9');
    expect(cells(base(st({ state: { terminated: { exitCode: 3 } } }, {}), two)).reason).toBe('ExitCode:3');
  });
  it('phase, reason, gates and deletion', () => {
    expect(cells(base({ phase: 'Failed', reason: 'Evicted' })).reason).toBe('Evicted');
    expect(cells(base({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] })).reason).toBe('SchedulingGated');
    expect(cells(base({ phase: 'Running' }, {}, { deletionTimestamp: ago(1) })).reason).toBe('Terminating');
    expect(cells(base({ phase: 'Succeeded' }, {}, { deletionTimestamp: ago(1) })).reason).toBe('Succeeded');
    expect(cells(base({ phase: 'Running', reason: 'NodeLost' }, {}, { deletionTimestamp: ago(1) })).reason).toBe('Unknown');
  });
});

describe('other kinds', () => {
  const rows = (d: ResourceDef, o: KObj, wide = false) => tableRows(d, [o], { now: NOW, wide });
  it('services', () => {
    const s = (spec: KObj, status: KObj = {}) => ({ metadata: { name: 's', creationTimestamp: ago(60) }, spec, status });
    expect(rows(SVC, s({ type: 'NodePort', clusterIPs: ['10.0.0.1'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }], selector: { app: 'x' } }), true).rows[0]).toEqual([
      's',
      'NodePort',
      '10.0.0.1',
      '<none>',
      '80:30080/TCP,53/UDP',
      '60s',
      'app=x',
    ]);
    expect(rows(SVC, s({ type: 'LoadBalancer', clusterIPs: ['10.0.0.1'] })).rows[0][3]).toBe('<pending>');
    expect(rows(SVC, s({ type: 'LoadBalancer', clusterIPs: ['10.0.0.1'] }, { loadBalancer: { ingress: [{ hostname: 'a-very-long-hostname.example.com' }] } })).rows[0][3]).toBe('a-very-long-hostname.example.com');
    expect(rows(SVC, s({ type: 'ExternalName', externalName: 'db.example.com' })).rows[0].slice(2, 5)).toEqual(['<none>', 'db.example.com', '<none>']);
    expect(rows(SVC, s({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'] })).rows[0][2]).toBe('None');
  });
  it('nodes', () => {
    const n: KObj = { metadata: { name: 'n', creationTimestamp: ago(86400 * 2 + 3600 * 5), labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'worker' } }, spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'False' }], nodeInfo: { kubeletVersion: 'v1.32.0' } } };
    expect(rows(NODE, n, true).rows[0]).toEqual(['n', 'NotReady,SchedulingDisabled', 'control-plane,worker', '2d5h', 'v1.32.0', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
    expect(rows(NODE, { metadata: { name: 'm' }, status: {} }).rows[0].slice(0, 4)).toEqual(['m', 'Unknown', '<none>', '<unknown>']);
  });
  it('workloads', () => {
    const tpl = { spec: { containers: [{ name: 'a', image: 'nginx' }, { name: 'b', image: 'redis' }] } };
    const d = { metadata: { name: 'web', creationTimestamp: ago(600) }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] }, template: tpl }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } };
    expect(tableRows(def('Deployment', 'deployments', 'apps'), [d], { now: NOW, wide: true }).header).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(rows(def('Deployment', 'deployments', 'apps'), d, true).rows[0]).toEqual(['web', '2/3', '3', '2', '10m', 'a,b', 'nginx,redis', 'app=web,tier in (a,b)']);
    expect(rows(def('ReplicaSet', 'replicasets', 'apps'), { metadata: { name: 'rs' }, spec: { replicas: 2, template: tpl }, status: { replicas: 2 } }, true).rows[0]).toEqual(['rs', '2', '2', '0', '<unknown>', 'a,b', 'nginx,redis', '<none>']);
    expect(rows(def('StatefulSet', 'statefulsets', 'apps'), { metadata: { name: 'db' }, spec: { replicas: 1, template: tpl }, status: {} }).rows[0]).toEqual(['db', '0/1', '<unknown>']);
    const ds = { metadata: { name: 'ds' }, spec: { template: { spec: { nodeSelector: { os: 'linux' }, containers: [] } } }, status: { desiredNumberScheduled: 1, currentNumberScheduled: 1, numberReady: 1 } };
    expect(rows(def('DaemonSet', 'daemonsets', 'apps'), ds).rows[0]).toEqual(['ds', '1', '1', '1', '0', '0', 'os=linux', '<unknown>']);
  });
  it('jobs and cronjobs', () => {
    const JOB = def('Job', 'jobs', 'batch');
    const job = (spec: KObj, status: KObj, meta: KObj = {}) => ({ metadata: { name: 'j', creationTimestamp: ago(120), ...meta }, spec, status });
    expect(rows(JOB, job({ completions: 3 }, { succeeded: 1, startTime: ago(90) })).rows[0]).toEqual(['j', 'Running', '1/3', '90s', '2m']);
    expect(rows(JOB, job({ parallelism: 2 }, { succeeded: 0 })).rows[0].slice(1, 4)).toEqual(['Running', '0/1 of 2', '']);
    expect(rows(JOB, job({}, { succeeded: 1, startTime: ago(100), completionTime: ago(40), conditions: [{ type: 'Complete', status: 'True' }] })).rows[0].slice(1, 4)).toEqual(['Complete', '1/1', '60s']);
    expect(rows(JOB, job({}, { conditions: [{ type: 'Failed', status: 'True' }] })).rows[0][1]).toBe('Failed');
    expect(rows(JOB, job({}, {}, { deletionTimestamp: ago(1) })).rows[0][1]).toBe('Terminating');
    expect(rows(JOB, job({}, { conditions: [{ type: 'Suspended', status: 'True' }] })).rows[0][1]).toBe('Suspended');
    const CJ = def('CronJob', 'cronjobs', 'batch');
    expect(rows(CJ, { metadata: { name: 'cj', creationTimestamp: ago(3600) }, spec: { schedule: '*/5 * * * *', suspend: false, jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } } } }, status: { lastScheduleTime: ago(65) } }, true).rows[0]).toEqual([
      'cj',
      '*/5 * * * *',
      '<none>',
      'False',
      '0',
      '65s',
      '60m',
      'c',
      'busybox',
      '<none>',
    ]);
  });
  it('events (wide order and defaults)', () => {
    const ev: KObj = { metadata: { name: 'p.123' }, type: 'Warning', reason: 'BackOff', involvedObject: { kind: 'Pod', name: 'p', fieldPath: 'spec.containers{c}' }, message: ' Back-off ', source: { component: 'kubelet', host: 'node-1' }, firstTimestamp: ago(600), lastTimestamp: ago(30), count: 5 };
    const t = tableRows(def('Event', 'events'), [ev], { now: NOW, wide: true, withKind: true });
    expect(t.header).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME']);
    expect(t.rows[0]).toEqual(['30s', 'Warning', 'BackOff', 'pod/p', 'spec.containers{c}', 'kubelet, node-1', 'Back-off', '10m', '5', 'event/p.123']);
  });
  it('config, storage, networking, generic', () => {
    expect(rows(def('ConfigMap', 'configmaps'), { metadata: { name: 'c' }, data: { a: '1' }, binaryData: { b: 'AA==' } }).rows[0]).toEqual(['c', '2', '<unknown>']);
    expect(rows(def('Secret', 'secrets'), { metadata: { name: 's' }, type: 'Opaque', data: { a: 'MQ==' } }).rows[0]).toEqual(['s', 'Opaque', '1', '<unknown>']);
    expect(rows(def('ServiceAccount', 'serviceaccounts'), { metadata: { name: 'default' } }).rows[0]).toEqual(['default', '0', '<unknown>']);
    expect(rows(def('Namespace', 'namespaces', '', false), { metadata: { name: 'ns' }, status: { phase: 'Active' } }).rows[0]).toEqual(['ns', 'Active', '<unknown>']);
    expect(rows(def('Endpoints', 'endpoints'), { metadata: { name: 'e' }, subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }, { port: 443 }] }] }).rows[0][1]).toBe('10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...');
    expect(rows(def('Endpoints', 'endpoints'), { metadata: { name: 'e' } }).rows[0][1]).toBe('<none>');
    const pvc = { metadata: { name: 'data' }, spec: { volumeName: 'pv-1', storageClassName: 'standard' }, status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] } };
    expect(rows(def('PersistentVolumeClaim', 'persistentvolumeclaims'), pvc, true).rows[0]).toEqual(['data', 'Bound', 'pv-1', '1Gi', 'RWO', 'standard', '<unset>', '<unknown>', '<unset>']);
    const ing = { metadata: { name: 'i' }, spec: { ingressClassName: 'nginx', rules: [{ host: 'a.com' }, {}], tls: [{}] }, status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } } };
    expect(rows(def('Ingress', 'ingresses', 'networking.k8s.io'), ing).rows[0]).toEqual(['i', 'nginx', 'a.com', '1.2.3.4', '80, 443', '<unknown>']);
    const hpa = { metadata: { name: 'h' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] }, status: { currentReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 40 } } }] } };
    expect(rows(def('HorizontalPodAutoscaler', 'horizontalpodautoscalers', 'autoscaling'), hpa).rows[0]).toEqual(['h', 'Deployment/web', 'cpu: 40%/80%', '1', '5', '2', '<unknown>']);
    expect(tableRows(def('Lease', 'leases', 'coordination.k8s.io'), [{ metadata: { name: 'l', creationTimestamp: ago(5) } }], { now: NOW, withKind: true }).rows[0]).toEqual(['lease.coordination.k8s.io/l', '5s']);
  });
});
