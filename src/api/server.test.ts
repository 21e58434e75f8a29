import { describe, expect, it } from 'vitest';
import { bootstrapState } from '../sim/bootstrap.js';
import { Cluster } from '../sim/engine.js';
import { POD, CONFIGMAP, NAMESPACE, SECRET, SERVICE } from '../sim/keys.js';
import { formatError, StatusError } from './errors.js';

function cluster() {
  return new Cluster(bootstrapState(Date.parse('2026-11-22T21:00:00Z'), 1));
}

const pod = (name: string, image = 'nginx') => ({ metadata: { name }, spec: { containers: [{ name: 'c', image }] } });

describe('API server', () => {
  it('fills metadata and pod defaults on create', () => {
    const c = cluster();
    const created = c.api.create(POD, pod('web', 'nginx:1.25'));
    expect(created.metadata.namespace).toBe('default');
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(created.metadata.resourceVersion)).toBeGreaterThan(100);
    expect(created.metadata.creationTimestamp).toBe('2026-11-22T20:55:00Z');
    expect(created.metadata.generation).toBeUndefined();
    const ct = created.spec.containers[0];
    expect(ct.imagePullPolicy).toBe('IfNotPresent');
    expect(ct.terminationMessagePath).toBe('/dev/termination-log');
    expect(created.spec.tolerations).toHaveLength(2);
    expect(created.spec.volumes[0].name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(created.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('resourceVersion increases with every write', () => {
    const c = cluster();
    const a = c.api.create(CONFIGMAP, { metadata: { name: 'a' }, data: { k: 'v' } });
    const b = c.api.update(CONFIGMAP, { ...a, data: { k: 'w' } });
    expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
    const same = c.api.update(CONFIGMAP, b);
    expect(same.metadata.resourceVersion).toBe(b.metadata.resourceVersion);
  });

  it('answers with kubectl-shaped errors', () => {
    const c = cluster();
    c.api.create(POD, pod('web'));
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return formatError(e as StatusError);
      }
      return '';
    };
    expect(err(() => c.api.create(POD, pod('web')))).toBe('Error from server (AlreadyExists): pods "web" already exists');
    expect(err(() => c.api.get(POD, 'default', 'nope'))).toBe('Error from server (NotFound): pods "nope" not found');
    expect(err(() => c.api.create(POD, { ...pod('x'), metadata: { name: 'x', namespace: 'nope' } }))).toBe(
      'Error from server (NotFound): namespaces "nope" not found',
    );
    expect(err(() => c.api.create(POD, { spec: {} }))).toBe('The Pod "" is invalid: metadata.name: Required value: name or generateName is required');
  });

  it('deletes gracefully when the pod runs on a node, at once otherwise', () => {
    const c = cluster();
    c.api.create(POD, pod('web'));
    expect(c.api.delete(POD, 'default', 'web').metadata.deletionTimestamp).toBeUndefined();
    expect(c.api.peek(POD, 'default', 'web')).toBeUndefined();
    c.api.create(POD, { ...pod('bound'), spec: { nodeName: 'minikube', containers: [{ name: 'c', image: 'nginx' }] } });
    const d = c.api.delete(POD, 'default', 'bound');
    expect(d.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(d.metadata.deletionTimestamp).toBe('2026-11-22T20:55:30Z');
  });

  it('stocks new namespaces with a default ServiceAccount and the root CA ConfigMap', () => {
    const c = cluster();
    c.api.create(NAMESPACE, { metadata: { name: 'dev' } });
    expect(c.api.list(CONFIGMAP, 'dev').map((o) => o.metadata.name)).toEqual(['kube-root-ca.crt']);
    expect(c.api.get(NAMESPACE, undefined, 'dev').metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'dev' });
  });

  it('a service port without a number is 0 (and so is its defaulted targetPort)', () => {
    const c = cluster();
    const msg = (ports: unknown[]) => formatError(catchErr(() => c.api.create(SERVICE, { metadata: { name: 's' }, spec: { ports } })));
    const range = 'Invalid value: 0: must be between 1 and 65535, inclusive';
    expect(msg([{ targetPort: 80 }])).toBe(`The Service "s" is invalid: spec.ports[0].port: ${range}`);
    expect(msg([null])).toBe(`The Service "s" is invalid: \n* spec.ports[0].port: ${range}\n* spec.ports[0].targetPort: ${range}`);
  });

  it('defaults a secret without a type to Opaque on update too', () => {
    const c = cluster();
    const s = c.api.create(SECRET, { metadata: { name: 's' }, data: { a: 'Yg==' } });
    const { type: _, ...untyped } = s;
    expect(c.api.update(SECRET, { ...untyped, data: { a: 'Yw==' } }).type).toBe('Opaque');
  });
});

function catchErr(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('no error');
}
