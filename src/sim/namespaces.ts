// Namespace-scoped controllers: the service account controller (a `default` ServiceAccount per
// namespace), the root CA publisher (`kube-root-ca.crt`), and the namespace deletion finalizer.
import type { KObj, ResourceDef } from '../api/types.js';
import { allResources } from '../api/registry.js';
import type { Cluster } from './engine.js';
import { CONFIGMAP, NAMESPACE, SERVICEACCOUNT } from './keys.js';

export const ROOT_CA = `-----BEGIN CERTIFICATE-----
MIIDBjCCAe6gAwIBAgIBATANBgkqhkiG9w0BAQsFADAVMRMwEQYDVQQDEwptaW5p
a3ViZUNBMB4XDTI2MTEyMTIxMDAwMFoXDTM2MTEyMDIxMDAwMFowFTETMBEGA1UE
AxMKbWluaWt1YmVDQTCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAK1k
dWJlc2ltIHNpbXVsYXRlZCBjbHVzdGVyIHJvb3QgY2VydGlmaWNhdGUgYXV0aG9y
-----END CERTIFICATE-----
`;

function ensureNamespaceObjects(c: Cluster, ns: string): void {
  if (!c.api.peek(SERVICEACCOUNT, ns, 'default')) {
    c.api.create(SERVICEACCOUNT, { metadata: { name: 'default', namespace: ns } });
  }
  if (!c.api.peek(CONFIGMAP, ns, 'kube-root-ca.crt')) {
    c.api.create(CONFIGMAP, {
      metadata: {
        name: 'kube-root-ca.crt',
        namespace: ns,
        annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' },
      },
      data: { 'ca.crt': ROOT_CA },
    });
  }
}

function finalize(c: Cluster, name: string): void {
  const ns = c.api.peek(NAMESPACE, undefined, name);
  if (!ns) return;
  let waiting = false;
  for (const def of allResources() as ResourceDef[]) {
    if (!def.namespaced) continue;
    for (const o of c.api.list(def, name)) {
      if (def.kind === 'Pod' && o.spec?.nodeName && !['Succeeded', 'Failed'].includes(o.status?.phase)) {
        if (!o.metadata.deletionTimestamp) c.api.delete(def, name, o.metadata.name);
        waiting = true;
      } else if (def.kind !== 'Event') c.api.remove(def, name, o.metadata.name);
    }
  }
  if (waiting) {
    c.schedule(1000, 'namespace-finalize', `namespaces//${name}`);
    return;
  }
  for (const o of c.api.list(allResources().find((d) => d.kind === 'Event')!, name)) c.api.remove(allResources().find((d) => d.kind === 'Event')!, name, o.metadata.name);
  c.api.remove(NAMESPACE, undefined, name);
}

export const namespaceController = {
  name: 'namespaces',
  onChange(c: Cluster, ev: { type: string; def: { kind: string }; obj: KObj; old?: KObj }) {
    if (ev.def.kind !== 'Namespace') return;
    const name = ev.obj.metadata.name;
    if (ev.type === 'ADDED') ensureNamespaceObjects(c, name);
    if (ev.type === 'MODIFIED' && ev.obj.metadata.deletionTimestamp && !ev.old?.metadata.deletionTimestamp) {
      c.schedule(0, 'namespace-finalize', `namespaces//${name}`);
    }
  },
  timers: {
    'namespace-finalize': (c: Cluster, t: { key: string }) => finalize(c, t.key.split('/')[2]),
  },
};
