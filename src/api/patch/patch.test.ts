import { describe, expect, it } from 'vitest';
import { formatError } from '../errors.js';
import { applyJsonPatch, applyMergePatch, applyPatch, createThreeWayMergePatch, strategicMergePatch, type PatchType } from './index.js';

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

describe('patch requests as the API server answers them', () => {
  const stored = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
    status: { conditions: [{ type: 'Ready', lastProbeTime: null }] },
  };
  const fails = (type: PatchType, patch: unknown) => {
    try {
      applyPatch(stored, type, patch, 'Pod');
    } catch (e) {
      return formatError(e);
    }
    return 'no error';
  };

  it('rejects a patched object that does not decode into the Go type', () => {
    const json = fails('json', [{ op: 'replace', path: '/spec/containers/0/image', value: 5 }]);
    expect(json).toMatch(/^The request is invalid: patch: Invalid value: "\{\\"apiVersion\\":\\"v1\\",\\"kind\\":\\"Pod\\",.*\}": json: cannot unmarshal number into Go struct field Container\.spec\.containers\.image of type string$/);
    expect(fails('strategic', { spec: { containers: [{ name: 'c', image: 5 }] } })).toBe(
      'The request is invalid: patch: Invalid value: "map[spec:map[containers:[map[image:5 name:c]]]]": cannot convert int64 to string',
    );
    expect(fails('strategic', { spec: 'x' })).toBe('The request is invalid: patch: Invalid value: "map[spec:x]": cannot restore struct from: string');
  });

  it('answers patches that are not objects as the server does', () => {
    expect(fails('merge', null)).toBe('Error from server (BadRequest): Invalid JSON Patch');
    expect(fails('merge', 5)).toBe('Error from server (BadRequest): Invalid JSON Patch');
    expect(fails('strategic', [1])).toBe('Error from server (BadRequest): json: cannot unmarshal array into Go value of type map[string]interface {}');
    expect(fails('json', { op: 'add' })).toBe('Error from server (BadRequest): json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    expect(fails('json', [5])).toBe('Error from server (BadRequest): json: cannot unmarshal number into Go value of type jsonpatch.Operation');
    expect(fails('json', [{ path: '/x' }])).toBe('Error from server (BadRequest): Unexpected kind: unknown');
    expect(applyPatch(stored, 'strategic', null, 'Pod')).toEqual(stored);
    expect(applyPatch(stored, 'json', null, 'Pod')).toEqual(stored);
  });

  it('keeps the object named in the URL', () => {
    expect(fails('merge', { metadata: { name: 'q' } })).toBe('Error from server (BadRequest): the name of the object (q) does not match the name on the URL (p)');
    expect(fails('strategic', { metadata: null })).toBe('Error from server (BadRequest): the name of the object () does not match the name on the URL (p)');
  });

  it('drops nulls a patch sets (zero values) but keeps stored ones', () => {
    const out = applyPatch(stored, 'json', [{ op: 'add', path: '/metadata/labels', value: null }], 'Pod');
    expect(out.metadata.labels).toBeUndefined();
    expect(out.status.conditions[0].lastProbeTime).toBeNull();
  });
});

describe('patches the server decodes leniently', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { a: 'b' } };

  it('drops unknown fields with a warning each (fieldValidation=Warn)', () => {
    const warnings: string[] = [];
    const out = applyPatch(cm, 'merge', { x: 1, metadata: { foo: 1 }, data: { b: 'c' } }, 'ConfigMap', warnings);
    expect(out).toEqual({ ...cm, data: { a: 'b', b: 'c' } });
    expect(warnings).toEqual(['unknown field "metadata.foo"', 'unknown field "x"']);
  });

  it('takes values nested thousands deep', () => {
    const deep = JSON.parse(`${'['.repeat(8000)}${']'.repeat(8000)}`);
    for (const [type, patch] of [
      ['strategic', { x: deep }],
      ['merge', { x: deep }],
      ['json', [{ op: 'add', path: '/x', value: deep }]],
      ['strategic', { x: JSON.parse(`${'{"a":'.repeat(8000)}1${'}'.repeat(8000)}`) }],
      ['merge', { x: JSON.parse(`${'{"a":'.repeat(8000)}1${'}'.repeat(8000)}`) }],
    ] as const) {
      const warnings: string[] = [];
      expect(applyPatch(cm, type, patch, 'ConfigMap', warnings)).toEqual(cm);
      expect(warnings).toEqual(['unknown field "x"']);
    }
    for (const type of ['merge', 'strategic'] as const) {
      expect(() => applyPatch(cm, type, { metadata: { labels: deep } }, 'ConfigMap')).toThrow(/^The request is invalid: patch: Invalid value: "(\{|map\[)/);
    }
  });
});
