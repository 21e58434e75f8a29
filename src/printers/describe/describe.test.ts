import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { KObj, ResourceDef } from '../../api/types.js';
import { camelSplit, smartLabelFor } from './generic.js';
import { describeObject } from './index.js';
import { podQOS } from './pod.js';

// Captured from kubectl 1.32 `describe` (TZ=UTC) against a fake API server serving `objects`;
// `now` is when kubectl ran.
const data = JSON.parse(readFileSync(new URL('../testdata/describe-cases.json', import.meta.url), 'utf8')) as {
  objects: KObj[];
  cases: Array<{ kind: string; group: string; ns: string; name: string; now: number; expected: string }>;
};

/** The events and related objects kubectl would have fetched for the object. */
function ctxFor(all: KObj[], kind: string, ns: string, name: string, obj: KObj) {
  const evs = all.filter(
    (e) =>
      e.kind === 'Event' &&
      e.involvedObject?.name === name &&
      (kind === 'Node'
        ? (e.involvedObject.uid === obj.metadata.uid || e.involvedObject.uid === name) && !e.involvedObject.namespace
        : e.involvedObject.uid === obj.metadata.uid && (kind === 'Pod' || e.involvedObject.kind === kind)),
  );
  const events = kind === 'Node' ? [...evs.filter((e) => e.involvedObject.uid === obj.metadata.uid), ...evs.filter((e) => e.involvedObject.uid === name)] : evs;
  const inNs = (k: string) => all.filter((o) => o.kind === k && (o.metadata.namespace ?? 'default') === (ns === '-' ? name : ns));
  const related = {
    pods: all.filter((o) => o.kind === 'Pod'),
    replicasets: all.filter((o) => o.kind === 'ReplicaSet'),
    leases: all.filter((o) => o.kind === 'Lease'),
    resourcequotas: inNs('ResourceQuota'),
    limitranges: inNs('LimitRange'),
    endpointslices: inNs('EndpointSlice'),
    secrets: inNs('Secret'),
  };
  return { events, related, showEvents: !['Namespace', 'Secret'].includes(kind) };
}

describe('describe against captured kubectl output', () => {
  it.each(data.cases.map((c) => [`${c.kind} ${c.name}`, c] as const))('%s', (_n, c) => {
    const obj = data.objects.find((o) => o.kind === c.kind && o.metadata.name === c.name && (c.ns === '-' || (o.metadata.namespace ?? 'default') === c.ns))!;
    const def: ResourceDef = { kind: c.kind, plural: '', singular: '', shortNames: [], group: c.group === '-' ? '' : c.group, version: 'v1', namespaced: c.ns !== '-' };
    expect(describeObject(def, obj, { ...ctxFor(data.objects, c.kind, c.ns, c.name, obj), now: c.now })).toBe(c.expected);
  });
});

const POD: ResourceDef = { kind: 'Pod', plural: 'pods', singular: 'pod', shortNames: ['po'], group: '', version: 'v1', namespaced: true };

describe('describe pod details', () => {
  const now = Date.UTC(2026, 10, 22, 21, 12, 53);
  const pod: KObj = {
    metadata: { name: 'nginx', namespace: 'default', creationTimestamp: '2026-11-22T21:07:43Z' },
    spec: { containers: [{ name: 'nginx', image: 'nginx' }] },
    status: { phase: 'Pending' },
  };
  it('prints an unscheduled pod with Events: <none> aligned to the block', () => {
    expect(describeObject(POD, pod, { events: [], now })).toBe(
      [
        'Name:         nginx',
        'Namespace:    default',
        'Node:         <none>',
        'Labels:       <none>',
        'Annotations:  <none>',
        'Status:       Pending',
        'IP:           ',
        'IPs:          <none>',
        'Containers:',
        '  nginx:',
        '    Image:        nginx',
        '    Port:         <none>',
        '    Host Port:    <none>',
        '    Environment:  <none>',
        '    Mounts:       <none>',
        'Volumes:          <none>',
        'QoS Class:        BestEffort',
        'Node-Selectors:   <none>',
        'Tolerations:      <none>',
        'Events:           <none>',
        '',
      ].join('\n'),
    );
  });
  it('omits Events with showEvents=false and aggregates repeated events', () => {
    expect(describeObject(POD, pod, { events: [], now, showEvents: false })).not.toContain('Events');
    const ev = { type: 'Warning', reason: 'BackOff', message: 'Back-off ', count: 3, firstTimestamp: '2026-11-22T20:51:53Z', lastTimestamp: '2026-11-22T21:12:13Z', source: { component: 'kubelet' } };
    expect(describeObject(POD, pod, { events: [ev], now })).toContain(
      'Events:\n  Type     Reason   Age                From     Message\n  ----     ------   ----               ----     -------\n  Warning  BackOff  40s (x3 over 21m)  kubelet  Back-off\n',
    );
  });
  it('computes the QoS class when status.qosClass is absent', () => {
    const c = (res: KObj) => ({ spec: { containers: [{ name: 'a', resources: res }] }, status: {} });
    expect(podQOS(c({}))).toBe('BestEffort');
    expect(podQOS(c({ requests: { cpu: '100m' } }))).toBe('Burstable');
    expect(podQOS(c({ limits: { cpu: '1', memory: '1Gi' } }))).toBe('Burstable');
    expect(podQOS(c({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1Gi' } }))).toBe('Guaranteed');
    expect(podQOS({ status: { qosClass: 'Guaranteed' } })).toBe('Guaranteed');
  });
});

describe('generic describer labels', () => {
  it('splits camel case like fatih/camelcase', () => {
    expect(camelSplit('PDFLoader')).toEqual(['PDF', 'Loader']);
    expect(camelSplit('apiVersion')).toEqual(['api', 'Version']);
    expect(smartLabelFor('apiVersion')).toBe('API Version');
    expect(smartLabelFor('podCIDR')).toBe('Pod CIDR');
    expect(smartLabelFor('some_field')).toBe('some_field');
    expect(smartLabelFor('my-field')).toBe('My - Field');
  });
});
