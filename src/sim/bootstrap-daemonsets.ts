// kube-system's DaemonSets of a fresh cluster: kube-proxy (kubeadm's manifest) and, on kind-like
// clusters, kindnet — real objects with their ControllerRevision, owning the pods bootstrap placed.
import type { KObj } from '../api/types.js';
import { resolveImage } from '../runtime/catalog.js';
import { imageId, imageSizeBytes, normalizeImage } from '../runtime/images.js';
import { CONTROLLERREVISION, DAEMONSET } from './controllers/daemonset.js';
import { computeHash, controllerRef, HASH_LABEL, revisionData } from './controllers/daemon-util.js';
import type { Cluster } from './engine.js';
import { NODE, POD } from './keys.js';

/** The hash the kube-proxy pods of a fresh cluster carry. */
export const KUBE_PROXY_HASH = '7bb84c4984';

function kubeProxy(version: string): KObj {
  return {
    metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { 'k8s-app': 'kube-proxy' }},
    spec: {
      selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-proxy' } },
        spec: {
          containers: [
            {
              command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
              env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }],
              image: `registry.k8s.io/kube-proxy:${version}`,
              name: 'kube-proxy',
              securityContext: { privileged: true },
            },
          ],
          hostNetwork: true,
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          priorityClassName: 'system-node-critical',
          tolerations: [{ operator: 'Exists' }],
        },
      },
    },
  };
}

/** kind's kindnet manifest (pkg/build/nodeimage/const_cni.go): no nodeSelector, tolerates everything. */
function kindnet(): KObj {
  const labels = { app: 'kindnet', 'k8s-app': 'kindnet', tier: 'node' };
  const fieldEnv = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });
  return {
    metadata: { name: 'kindnet', namespace: 'kube-system', labels },
    spec: {
      selector: { matchLabels: { app: 'kindnet' } },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              env: [fieldEnv('HOST_IP', 'status.hostIP'), fieldEnv('POD_IP', 'status.podIP'), { name: 'POD_SUBNET', value: '10.244.0.0/16' }],
              image: 'docker.io/kindest/kindnetd:v20241108-5c6d2daf',
              name: 'kindnet-cni',
              resources: { limits: { cpu: '100m', memory: '50Mi' }, requests: { cpu: '100m', memory: '50Mi' } },
              securityContext: { capabilities: { add: ['NET_RAW', 'NET_ADMIN'] }, privileged: false },
              volumeMounts: [
                { mountPath: '/etc/cni/net.d', name: 'cni-cfg' },
                { mountPath: '/run/xtables.lock', name: 'xtables-lock' },
                { mountPath: '/lib/modules', name: 'lib-modules', readOnly: true },
              ],
            },
          ],
          hostNetwork: true,
          serviceAccountName: 'kindnet',
          tolerations: [{ operator: 'Exists' }],
          volumes: [
            { hostPath: { path: '/etc/cni/net.d' }, name: 'cni-cfg' },
            { hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' }, name: 'xtables-lock' },
            { hostPath: { path: '/lib/modules' }, name: 'lib-modules' },
          ],
        },
      },
    },
  };
}

/**
 * A node's status.images lists what its pods run (the kubelet reports the images it has), so a
 * system pod recreated on its node finds its image present, as a real node's kubelet does.
 */
function recordNodeImages(c: Cluster): void {
  for (const pod of c.listAll('pods')) {
    const node = pod.spec?.nodeName && c.api.peek(NODE, undefined, pod.spec.nodeName);
    if (!node) continue;
    for (const ct of pod.spec.containers ?? []) {
      const name = normalizeImage(ct.image);
      const images: KObj[] = (node.status.images ??= []);
      if (images.some((i) => (i.names ?? []).includes(name))) continue;
      const img = resolveImage(ct.image);
      images.push({ names: [imageId(ct.image), name], sizeBytes: img.found && img.variant.sizeBytes ? img.variant.sizeBytes : imageSizeBytes(ct.image) });
    }
  }
}

/** Creates the DaemonSets, their revisions and status, and makes them the owners of their pods. */
export function addSystemDaemonSets(c: Cluster, version: string, kind: boolean): void {
  const sets = kind ? [kubeProxy(version), kindnet()] : [kubeProxy(version)];
  for (const input of sets) {
    const ds = c.api.create(DAEMONSET, input);
    const stored = c.api.peek(DAEMONSET, 'kube-system', ds.metadata.name)!;
    const hash = ds.metadata.name === 'kube-proxy' ? KUBE_PROXY_HASH : computeHash(stored.spec.template);
    c.api.create(CONTROLLERREVISION, {
      metadata: {
        name: `${ds.metadata.name}-${hash}`,
        namespace: 'kube-system',
        labels: { ...stored.spec.template.metadata.labels, [HASH_LABEL]: hash },
        annotations: { ...stored.metadata.annotations },
        ownerReferences: [controllerRef(stored)],
      },
      data: revisionData(stored),
      revision: 1,
    });
    const pods = c.api.list(POD, 'kube-system').filter((p) => (p.metadata.ownerReferences ?? []).some((r: KObj) => r.kind === 'DaemonSet' && r.name === ds.metadata.name));
    for (const p of pods) {
      p.metadata.ownerReferences = [controllerRef(stored)];
      p.metadata.labels = { ...p.metadata.labels, [HASH_LABEL]: hash, 'pod-template-generation': '1' };
    }
    const n = pods.length;
    stored.status = { currentNumberScheduled: n, desiredNumberScheduled: n, numberAvailable: n, numberMisscheduled: 0, numberReady: n, observedGeneration: 1, updatedNumberScheduled: n };
  }
  recordNodeImages(c);
}
