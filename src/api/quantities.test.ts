import { describe, expect, it } from 'vitest';
import { canonicalizeQuantities } from './quantities.js';

describe('quantity fields as the API server stores them', () => {
  it('canonicalises every resource.Quantity of a pod, leaving invalid ones for validation', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'q' },
      spec: {
        containers: [
          { name: 'a', resources: { requests: { cpu: 0.5, memory: '1.5Gi' }, limits: { cpu: '1000m', memory: '2048Mi', 'nvidia.com/gpu': 1 } } },
          { name: 'b', resources: { requests: { cpu: '1.5', memory: '1000', storage: '0.5Gi' }, limits: { cpu: 'lots' } } },
        ],
        volumes: [{ name: 'v', emptyDir: { sizeLimit: '1e3' } }],
      },
    };
    canonicalizeQuantities(pod);
    expect(pod.spec.containers[0].resources).toEqual({ requests: { cpu: '500m', memory: '1536Mi' }, limits: { cpu: '1', memory: '2Gi', 'nvidia.com/gpu': '1' } });
    expect(pod.spec.containers[1].resources).toEqual({ requests: { cpu: '1500m', memory: '1k', storage: '512Mi' }, limits: { cpu: 'lots' } });
    expect(pod.spec.volumes[0].emptyDir.sizeLimit).toBe('1e3');
  });

  it('leaves kinds without quantities alone', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { cpu: '0.5' } };
    canonicalizeQuantities(cm);
    expect(cm.data.cpu).toBe('0.5');
  });
});
