// Semantic validation of the API server, per kind: `validateCreate` and `validateUpdate` return the
// causes of an Invalid error in the server's order (empty when the object is valid).
import type { Cause } from '../errors.js';
import type { KObj } from '../types.js';
import { annotations, configKey, dns1035Label, dns1123Label, dns1123Subdomain, labels, unsupported } from './names.js';
import { validatePodCreate, validatePodSpec, validatePodUpdate } from './pod.js';
import { servicePortCauses, serviceTypeCauses } from './service.js';

/** Which name rule a kind's metadata.name follows. */
const NAME_RULE: Record<string, (v: string, f: string) => Cause[]> = {
  Namespace: dns1123Label,
  Service: dns1035Label,
};

function meta(kind: string, obj: KObj): Cause[] {
  const m = obj.metadata ?? {};
  const out: Cause[] = [];
  if (m.name) out.push(...(NAME_RULE[kind] ?? dns1123Subdomain)(m.name, 'metadata.name'));
  out.push(...labels(m.labels, 'metadata.labels'));
  out.push(...annotations(m.annotations, 'metadata.annotations'));
  return out;
}

function service(obj: KObj): Cause[] {
  const out: Cause[] = [];
  const spec = obj.spec ?? {};
  const types = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
  if (spec.type && !types.includes(spec.type)) out.push(unsupported('spec.type', spec.type, types));
  const ports: KObj[] = spec.ports ?? [];
  if (!ports.length && spec.type !== 'ExternalName' && spec.clusterIP !== 'None') out.push({ field: 'spec.ports', message: 'Required value' });
  out.push(...serviceTypeCauses(obj));
  const names = new Set<string>();
  const range = 'must be between 1 and 65535, inclusive';
  ports.forEach((raw, i) => {
    // a null entry decodes to a zero ServicePort; a missing port is 0 (and so is the targetPort defaulted from it)
    const p: KObj = raw && typeof raw === 'object' ? raw : {};
    if (ports.length > 1 && !p.name) out.push({ field: `spec.ports[${i}].name`, message: 'Required value' });
    if (p.name) {
      if (names.has(p.name)) out.push({ field: `spec.ports[${i}].name`, message: `Duplicate value: "${p.name}"` });
      names.add(p.name);
    }
    const n = p.port ?? 0;
    if (!Number.isInteger(n) || n < 1 || n > 65535) out.push({ field: `spec.ports[${i}].port`, message: `Invalid value: ${n}: ${range}` });
    const t = p.targetPort ?? n;
    if (typeof t === 'number' && (t < 1 || t > 65535)) out.push({ field: `spec.ports[${i}].targetPort`, message: `Invalid value: ${t}: ${range}` });
  });
  out.push(...servicePortCauses(obj));
  return out;
}

function dataKeys(obj: KObj): Cause[] {
  const out: Cause[] = [];
  for (const field of ['data', 'binaryData', 'stringData']) {
    for (const k of Object.keys(obj[field] ?? {})) out.push(...configKey(k, `${field}[${k}]`));
  }
  return out;
}

export function validateCreate(kind: string, obj: KObj): Cause[] {
  const out = meta(kind, obj);
  switch (kind) {
    case 'Pod':
      out.push(...validatePodSpec(obj.spec, 'spec'), ...validatePodCreate(obj));
      break;
    case 'Service':
      out.push(...service(obj));
      break;
    case 'ConfigMap':
    case 'Secret':
      out.push(...dataKeys(obj));
      break;
    default:
  }
  return out;
}

export function validateUpdate(kind: string, obj: KObj, old: KObj): Cause[] {
  const out = meta(kind, obj);
  if (kind === 'Pod') out.push(...validatePodUpdate(obj, old));
  else if (kind === 'Service') out.push(...service(obj));
  else if (kind === 'ConfigMap' || kind === 'Secret') {
    out.push(...dataKeys(obj));
    if (old.immutable && JSON.stringify([obj.data, obj.binaryData]) !== JSON.stringify([old.data, old.binaryData])) {
      out.push({ field: 'data', message: 'Forbidden: field is immutable when `immutable` is set' });
    }
  }
  if (kind === 'Secret' && old.type && obj.type !== old.type) out.push({ field: 'type', message: `Invalid value: "${obj.type}": field is immutable` });
  return out;
}

export { dns1123Label };
