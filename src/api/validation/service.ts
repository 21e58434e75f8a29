// Service rules of ValidateService beyond the basic port checks (validation.go): type-dependent
// clusterIP/externalName rules and named target ports; and the registry's nodePort-with-ClusterIP
// rule (clusterIPNodePortAllowed).
import type { Cause } from '../errors.js';
import type { KObj } from '../types.js';
import { dns1123Subdomain, isValidPortName, q } from './names.js';

/** The type switch: None for NodePort/LoadBalancer, ExternalName's name and clusterIP. */
export function serviceTypeCauses(obj: KObj): Cause[] {
  const spec = obj.spec ?? {};
  const out: Cause[] = [];
  const headless = spec.clusterIP === 'None';
  if ((spec.type === 'NodePort' || spec.type === 'LoadBalancer') && headless) {
    out.push({ field: 'spec.clusterIPs[0]', message: `Invalid value: "None": may not be set to 'None' for ${spec.type} services` });
  }
  if (spec.type === 'ExternalName') {
    if (spec.clusterIP) out.push({ field: 'spec.clusterIP', message: 'Forbidden: must be empty for ExternalName services' });
    if (spec.externalName) out.push(...dns1123Subdomain(String(spec.externalName), 'spec.externalName'));
    else out.push({ field: 'spec.externalName', message: 'Required value' });
  }
  return out;
}

/** Named target ports must be IANA service names; nodePorts are not for ClusterIP services. */
export function servicePortCauses(obj: KObj): Cause[] {
  const spec = obj.spec ?? {};
  const out: Cause[] = [];
  ((spec.ports ?? []) as KObj[]).forEach((p, i) => {
    if (!p || typeof p !== 'object') return;
    if (typeof p.targetPort === 'string' && !/^\d+$/.test(p.targetPort)) {
      for (const m of isValidPortName(p.targetPort)) out.push({ field: `spec.ports[${i}].targetPort`, message: `Invalid value: ${q(p.targetPort)}: ${m}` });
    }
  });
  if ((spec.type ?? 'ClusterIP') === 'ClusterIP') {
    ((spec.ports ?? []) as KObj[]).forEach((p, i) => {
      if (p && Number(p.nodePort ?? 0) !== 0) out.push({ field: `spec.ports[${i}].nodePort`, message: "Forbidden: may not be used when `type` is 'ClusterIP'" });
    });
  }
  return out;
}
