import { describe, expect, it } from 'vitest';
import { applyJsonPatch, applyMergePatch, createThreeWayMergePatch, strategicMergePatch } from './index.js';

const pod = {
  metadata: { name: 'p', labels: { a: '1' }, finalizers: ['x'] },
  spec: {
    containers: [
      { name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] },
      { name: 'side', image: 'busybox', args: ['sleep', '1'] },
    ],
    volumes: [{ name: 'v', emptyDir: {} }],
    tolerations: [{ key: 't' }],
  },
};

describe('strategic merge patch', () => {
  it('merges containers by name, env by name, ports by containerPort', () => {
    const out = strategicMergePatch(pod, { spec: { containers: [{ name: 'side', image: 'alpine', env: [{ name: 'B', value: '2' }] }, { name: 'new', image: 'x' }] } }, 'Pod');
    expect(out.spec.containers.map((c: { name: string; image: string }) => `${c.name}:${c.image}`)).toEqual(['web:nginx:1.25', 'side:alpine', 'new:x']);
    expect(out.spec.containers[1].env).toEqual([{ name: 'B', value: '2' }]);
    expect(pod.spec.containers[1].image).toBe('busybox');
  });

  it('replaces lists without a merge key and deletes with null and $patch: delete', () => {
    const out = strategicMergePatch(
      pod,
      { metadata: { labels: { a: null, b: '2' } }, spec: { tolerations: [{ key: 'u' }], containers: [{ name: 'side', $patch: 'delete' }], volumes: [{ $patch: 'replace', name: 'w' }] } },
      'Pod',
    );
    expect(out.metadata.labels).toEqual({ b: '2' });
    expect(out.spec.tolerations).toEqual([{ key: 'u' }]);
    expect(out.spec.containers).toHaveLength(1);
  });

  it('merges finalizers as a set', () => {
    expect(strategicMergePatch(pod, { metadata: { finalizers: ['y', 'x'] } }, 'Pod').metadata.finalizers).toEqual(['x', 'y']);
  });
});

describe('three-way merge for apply', () => {
  const last = { metadata: { name: 'c', labels: { a: '1', gone: 'x' } }, data: { k: 'v', old: 'o' } };
  const current = { metadata: { name: 'c', labels: { a: '1', gone: 'x', server: 's' }, uid: 'u' }, data: { k: 'v', old: 'o' } };
  it('is empty when nothing changed', () => {
    expect(createThreeWayMergePatch(last, last, current, 'ConfigMap')).toEqual({});
  });
  it('deletes what the user removed and keeps what others set', () => {
    const modified = { metadata: { name: 'c', labels: { a: '2' } }, data: { k: 'v' } };
    expect(createThreeWayMergePatch(last, modified, current, 'ConfigMap')).toEqual({ metadata: { labels: { gone: null, a: '2' } }, data: { old: null } });
  });
  it('does not remove server-added list items', () => {
    const applied = { spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const cur = { spec: { containers: [{ name: 'c', image: 'nginx', volumeMounts: [{ mountPath: '/sa' }] }], volumes: [{ name: 'sa' }] } };
    expect(createThreeWayMergePatch(applied, applied, cur, 'Pod')).toEqual({});
  });
});

describe('merge and json patches', () => {
  it('applies RFC 7386', () => {
    expect(applyMergePatch({ a: { b: 1, c: 2 }, l: [1] }, { a: { b: null }, l: [2] })).toEqual({ a: { c: 2 }, l: [2] });
  });
  it('applies RFC 6902 atomically', () => {
    const o = { spec: { containers: [{ image: 'a' }] } };
    expect(applyJsonPatch(o, [{ op: 'replace', path: '/spec/containers/0/image', value: 'b' }]).spec.containers[0].image).toBe('b');
    expect(() => applyJsonPatch(o, [{ op: 'add', path: '/x', value: 1 }, { op: 'remove', path: '/nope' }])).toThrow(/missing path/);
    expect(o).toEqual({ spec: { containers: [{ image: 'a' }] } });
  });
});
