// Expected orders are what the real kubectl 1.32 printed for the same objects in the same order.
import { describe, expect, it } from 'vitest';
import { sortByField } from './sort.js';

const NAMES = [
  'nginx', 'badimage', 'crashy', 'done', 'fail', 'full', 'init-demo', 'missing-cm', 'pending', 'probe-fail', 'probes', 'term', 'web',
  'coredns-p9f6cgm7xq-sb2rj', 'etcd-minikube', 'kube-apiserver-minikube', 'kube-controller-manager-minikube', 'kube-proxy-k8md7',
  'kube-scheduler-minikube', 'storage-provisioner',
];
const IPS = ['10.244.0.14', '10.244.0.10', '10.244.0.4', '10.244.0.8', '10.244.0.9', '10.244.0.7', '10.244.0.5', '10.244.0.11', undefined,
  '10.244.0.6', '10.244.0.13', '10.244.0.12', '10.244.0.3', '10.244.0.2', ...Array(6).fill('192.168.49.2')];
const pods = NAMES.map((name, i) => ({
  metadata: { name },
  spec: name === 'pending' ? {} : { nodeName: 'minikube' },
  status: IPS[i] ? { podIP: IPS[i] } : {},
}));
const sorted = (field: string) => sortByField(pods, (p) => p, field).map((p) => p.metadata.name);

describe('--sort-by', () => {
  it('equal keys come out in pdqsort order (20 items, one without the field)', () => {
    expect(sorted('.spec.nodeName')).toEqual([
      'pending', 'probes', 'storage-provisioner', 'probe-fail', 'fail', 'full', 'init-demo', 'missing-cm', 'badimage', 'done', 'crashy', 'web',
      'term', 'coredns-p9f6cgm7xq-sb2rj', 'etcd-minikube', 'kube-apiserver-minikube', 'kube-controller-manager-minikube', 'kube-proxy-k8md7',
      'kube-scheduler-minikube', 'nginx',
    ]);
  });

  it('strings compare bytewise (10.244.0.10 before 10.244.0.2)', () => {
    expect(sorted('{.status.podIP}')).toEqual([
      'pending', 'badimage', 'missing-cm', 'term', 'probes', 'nginx', 'coredns-p9f6cgm7xq-sb2rj', 'web', 'crashy', 'init-demo', 'probe-fail',
      'full', 'done', 'fail', 'etcd-minikube', 'kube-apiserver-minikube', 'kube-controller-manager-minikube', 'kube-proxy-k8md7',
      'kube-scheduler-minikube', 'storage-provisioner',
    ]);
  });

  it('a field no object has is an error', () => {
    expect(() => sorted('.nope')).toThrow(`couldn't find any field with path "{.nope}" in the list of objects`);
  });
});
