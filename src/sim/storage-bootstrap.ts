// The default StorageClass a fresh cluster has: minikube's storage-provisioner addon (`standard`,
// k8s.io/minikube-hostpath, Immediate) or kind's (`standard`, rancher.io/local-path,
// WaitForFirstConsumer), both applied with kubectl apply and marked as the default class.
import { resourceForKind } from '../api/registry.js';
import type { Cluster } from './engine.js';
import { randomUid } from './random.js';

const STORAGE_CLASS = resourceForKind('storage.k8s.io/v1', 'StorageClass')!;

/** Added last, and without drawing on the random source, so the rest of a fresh cluster is unchanged. */
export function createDefaultStorageClass(c: Cluster, kind: boolean): void {
  const rand = c.state.rand;
  const applied = kind
    ? '{"apiVersion":"storage.k8s.io/v1","kind":"StorageClass","metadata":{"annotations":{"storageclass.kubernetes.io/is-default-class":"true"},"name":"standard"},"provisioner":"rancher.io/local-path","reclaimPolicy":"Delete","volumeBindingMode":"WaitForFirstConsumer"}\n'
    : '{"apiVersion":"storage.k8s.io/v1","kind":"StorageClass","metadata":{"annotations":{"storageclass.kubernetes.io/is-default-class":"true"},"labels":{"addonmanager.kubernetes.io/mode":"EnsureExists"},"name":"standard"},"provisioner":"k8s.io/minikube-hostpath"}\n';
  c.api.create(STORAGE_CLASS, {
    metadata: {
      name: 'standard',
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': applied, 'storageclass.kubernetes.io/is-default-class': 'true' },
      ...(kind ? {} : { labels: { 'addonmanager.kubernetes.io/mode': 'EnsureExists' } }),
    },
    provisioner: kind ? 'rancher.io/local-path' : 'k8s.io/minikube-hostpath',
    reclaimPolicy: 'Delete',
    volumeBindingMode: kind ? 'WaitForFirstConsumer' : 'Immediate',
  });
  // its own uid from a side stream of the seed, and the main stream left where it was
  const stored = c.api.peek(STORAGE_CLASS, undefined, 'standard');
  if (stored) stored.metadata.uid = randomUid({ ...c.state, rand: rand ^ 0x5bd1e995 });
  c.state.rand = rand;
}
