// kube-system's coredns Deployment of a fresh cluster: the Deployment and its ReplicaSet as kubeadm's
// manifest (and minikube's scale to one replica) leave them, owning the coredns pods bootstrap placed.
// The objects take no draw from the random stream (their uids are derived: the ReplicaSet keeps the
// uid its pods already name), so every name a session generates later stays what it was.
import { createHash } from 'node:crypto';
import type { KObj } from '../api/types.js';
import type { Cluster } from './engine.js';
import { POD } from './keys.js';
import { DEPLOYMENT, REPLICASET, newControllerRef } from './controllers/workload-index.js';
import { HASH_LABEL } from '../api/pod-template.js';

function derivedUid(seed: string): string {
  const h = createHash('md5').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function corednsDeployment(replicas: number, image: string, resources: KObj | undefined): KObj {
  return {
    metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: {
      replicas,
      selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-dns' } },
        spec: {
          containers: [{ name: 'coredns', image, ...(resources ? { resources } : {}) }],
          priorityClassName: 'system-cluster-critical',
          tolerations: [
            { key: 'CriticalAddonsOnly', operator: 'Exists' },
            { effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' },
          ],
        },
      },
    },
  };
}

/** Creates coredns's Deployment and ReplicaSet (steady state) over the coredns pods already placed. */
export function addCoreDnsDeployment(c: Cluster): void {
  const pods = c.api.list(POD, 'kube-system').filter((p) => (p.metadata.ownerReferences ?? []).some((r: KObj) => r.kind === 'ReplicaSet' && r.name.startsWith('coredns-')));
  if (!pods.length) return;
  const ref = pods[0].metadata.ownerReferences.find((r: KObj) => r.kind === 'ReplicaSet');
  const hash = String(ref.name).slice('coredns-'.length);
  const ct = pods[0].spec.containers[0];
  const rand = c.state.rand;
  const n = pods.length;
  const created = c.api.create(DEPLOYMENT, corednsDeployment(n, ct.image, ct.resources));
  const d = c.api.peek(DEPLOYMENT, 'kube-system', created.metadata.name)!;
  d.metadata.uid = derivedUid(`${ref.uid}/deployment`);
  d.metadata.annotations = { 'deployment.kubernetes.io/revision': '1' };
  const now = c.isoNow();
  const cond = (type: string, reason: string, message: string) => ({ lastTransitionTime: now, lastUpdateTime: now, message, reason, status: 'True', type });
  d.status = {
    availableReplicas: n,
    conditions: [cond('Available', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'), cond('Progressing', 'NewReplicaSetAvailable', `ReplicaSet "${ref.name}" has successfully progressed.`)],
    observedGeneration: 1,
    readyReplicas: n,
    replicas: n,
    updatedReplicas: n,
  };
  const template = structuredClone(d.spec.template);
  template.metadata.labels = { ...template.metadata.labels, [HASH_LABEL]: hash };
  c.api.create(REPLICASET, {
    metadata: {
      name: ref.name,
      namespace: 'kube-system',
      labels: { ...template.metadata.labels },
      annotations: { 'deployment.kubernetes.io/desired-replicas': String(n), 'deployment.kubernetes.io/max-replicas': String(n + Math.ceil(n / 4)), 'deployment.kubernetes.io/revision': '1' },
      ownerReferences: [newControllerRef(d)],
    },
    spec: { replicas: n, selector: { matchLabels: { 'k8s-app': 'kube-dns', [HASH_LABEL]: hash } }, template },
  });
  const rs = c.api.peek(REPLICASET, 'kube-system', ref.name)!;
  rs.metadata.uid = ref.uid;
  rs.status = { availableReplicas: n, fullyLabeledReplicas: n, observedGeneration: 1, readyReplicas: n, replicas: n };
  c.state.rand = rand;
}
