import { describe, expect, it } from 'vitest';
import { invalid } from '../errors.js';
import { validateCreate, validateUpdate } from './index.js';

const msg = (kind: string, obj: Record<string, unknown>) => invalid(kind, (obj.metadata as { name: string }).name, validateCreate(kind, obj)).message;

describe('semantic validation', () => {
  it('reports every cause of a bad pod in the server order', () => {
    const pod = {
      metadata: { name: 'Bad_Name' },
      spec: {
        restartPolicy: 'Sometimes',
        containers: [{ name: 'web' }, { name: 'web', image: 'nginx', ports: [{ containerPort: 70000 }] }],
      },
    };
    expect(msg('Pod', pod)).toBe(
      [
        'The Pod "Bad_Name" is invalid: ',
        `* metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
        '* spec.containers[0].image: Required value',
        '* spec.containers[1].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
        '* spec.containers[1].name: Duplicate value: "web"',
        '* spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
      ].join('\n'),
    );
  });

  it('one cause prints on one line', () => {
    expect(msg('Pod', { metadata: { name: 'x' }, spec: { containers: [{ name: 'c' }] } })).toBe('The Pod "x" is invalid: spec.containers[0].image: Required value');
  });

  it('checks configmap keys and namespace names', () => {
    expect(validateCreate('ConfigMap', { metadata: { name: 'c' }, data: { 'a b': 'x' } })[0].field).toBe('data[a b]');
    expect(validateCreate('Namespace', { metadata: { name: 'Dev' } })[0].message).toMatch(/RFC 1123 label/);
  });

  it('allows only image changes on pod update', () => {
    const old = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'a' }], restartPolicy: 'Always', tolerations: [] } };
    expect(validateUpdate('Pod', { ...old, spec: { ...old.spec, containers: [{ name: 'c', image: 'b' }] } }, old)).toEqual([]);
    const bad = validateUpdate('Pod', { ...old, spec: { ...old.spec, restartPolicy: 'Never' } }, old);
    expect(bad[0].field).toBe('spec');
    expect(bad[0].message.split('\n')[0]).toBe(
      'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
    );
  });
});
