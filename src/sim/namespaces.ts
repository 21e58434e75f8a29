// Namespace-scoped controllers: the service account controller (a `default` ServiceAccount per
// namespace), the root CA publisher (`kube-root-ca.crt`); deletion is controllers/namespace-deleter.ts.
import type { KObj } from '../api/types.js';
import { finalizeNamespace, NAMESPACE_DELETION_GRACE_MS } from './controllers/namespace-deleter.js';
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

export const namespaceController = {
  name: 'namespaces',
  onChange(c: Cluster, ev: { type: string; def: { kind: string }; obj: KObj; old?: KObj }) {
    if (ev.def.kind !== 'Namespace') return;
    const name = ev.obj.metadata.name;
    if (ev.type === 'ADDED') ensureNamespaceObjects(c, name);
    if (ev.type === 'MODIFIED' && ev.obj.metadata.deletionTimestamp && !ev.old?.metadata.deletionTimestamp) {
      c.schedule(NAMESPACE_DELETION_GRACE_MS, 'namespace-finalize', `namespaces//${name}`);
    }
  },
  timers: {
    'namespace-finalize': (c: Cluster, t: { key: string }) => finalizeNamespace(c, t.key.split('/')[2]),
  },
};
