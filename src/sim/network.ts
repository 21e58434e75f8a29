// Pod IP allocation from each node's podCIDR (a /24 per node, kubeadm style).
import type { KObj } from '../api/types.js';
import type { Cluster } from './engine.js';
import { NODE } from './keys.js';
import { boundPods } from '../api/owner-index.js';

export function allocatePodIp(c: Cluster, nodeName: string): string {
  const node = c.api.peek(NODE, undefined, nodeName);
  const cidr: string = node?.spec?.podCIDR ?? '10.244.0.0/24';
  const base = cidr.split('/')[0].split('.').slice(0, 3).join('.');
  const used = new Set(boundPods(c.state).map((p: KObj) => p.status?.podIP).filter(Boolean));
  const counterKey = `podIP/${nodeName}`;
  let next = c.state.counters[counterKey] ?? 2;
  for (let i = 0; i < 253; i++) {
    const ip = `${base}.${next}`;
    next = next >= 254 ? 2 : next + 1;
    if (!used.has(ip)) {
      c.state.counters[counterKey] = next;
      return ip;
    }
  }
  c.state.counters[counterKey] = next;
  return `${base}.${next}`;
}
