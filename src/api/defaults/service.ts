// Service defaulting and ClusterIP allocation (10.96.0.0/12, as kubeadm/minikube clusters use).
import type { KObj } from '../types.js';

export function defaultService(svc: KObj, usedIps: Set<string>, randomInt: (n: number) => number): void {
  const spec = (svc.spec ??= {});
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  if (spec.type !== 'ExternalName') {
    spec.internalTrafficPolicy ??= 'Cluster';
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
    if (!spec.clusterIP) {
      let ip: string;
      do {
        const n = 16 + randomInt((1 << 20) - 32); // skip the first addresses, kept for system services
        ip = `10.${96 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
      } while (usedIps.has(ip));
      spec.clusterIP = ip;
    }
    spec.clusterIPs ??= [spec.clusterIP];
  }
  // a null entry decodes to a zero ServicePort
  if (Array.isArray(spec.ports)) spec.ports = spec.ports.map((p: unknown) => (p && typeof p === 'object' ? p : {}));
  for (const p of spec.ports ?? []) {
    p.protocol ??= 'TCP';
    p.targetPort ??= p.port;
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
    spec.externalTrafficPolicy ??= 'Cluster';
    for (const p of spec.ports ?? []) p.nodePort ??= 30000 + randomInt(2768);
  }
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  svc.status = { loadBalancer: {} };
}
