// Service defaulting and ClusterIP/NodePort allocation (10.96.0.0/12 and 30000-32767, as kubeadm,
// minikube and kind clusters use; dynamic values come from above each range's static band).
import type { KObj } from '../types.js';

/**
 * A dynamically allocated ClusterIP: the bitmap allocator over 10.96.0.0/12 (offsets from the network
 * address + 1, broadcast excluded) picks at random above its static band (the first
 * min(max(16, size/16), 256) = 256 offsets, kept for requested IPs).
 */
export function dynamicClusterIP(randomInt: (n: number) => number): string {
  const size = 1 << 20;
  const offset = 256;
  const v = ((10 << 24) | (96 << 16)) + 1 + offset + randomInt(size - 2 - offset);
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
}

/** A dynamically allocated NodePort: 30000-32767 above its static band (min(max(16, 2768/32), 128) = 86). */
export function dynamicNodePort(randomInt: (n: number) => number): number {
  return 30086 + randomInt(32767 - 30086 + 1);
}

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
      do ip = dynamicClusterIP(randomInt);
      while (usedIps.has(ip));
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
    for (const p of spec.ports ?? []) p.nodePort ??= dynamicNodePort(randomInt);
  }
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  svc.status = { loadBalancer: {} };
}
