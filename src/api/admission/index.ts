// The admission chain the API server runs on a create: mutating plugins after the kind's defaults
// (LimitRanger fills container defaults), validating plugins after validation (LimitRanger's
// min/max, ResourceQuota). A refusal is Forbidden: `<resource> "<name>" is forbidden: <why>`.
import { podQosClass } from '../defaults/pod.js';
import { StatusError } from '../errors.js';
import { qualifiedResource, type KObj, type ResourceDef } from '../types.js';
import { applyLimitRangeDefaults, claimLimitViolations, limitRangeViolations } from './limitranger.js';
import { quotaRejection } from './resourcequota.js';

export interface AdmissionHost {
  now(): number;
  listAll(resource: string): KObj[];
}

function inNamespace(host: AdmissionHost, resource: string, ns: string): KObj[] {
  return host
    .listAll(resource)
    .filter((o) => o.metadata?.namespace === ns)
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
}

function forbidden(def: ResourceDef, obj: KObj, why: string): StatusError {
  return new StatusError('Forbidden', `${qualifiedResource(def)} "${obj.metadata?.name ?? ''}" is forbidden: ${why}`);
}

/** Mutating admission of a create (in place). */
export function admitCreate(def: ResourceDef, obj: KObj, host: AdmissionHost): void {
  if (def.kind !== 'Pod' || !def.namespaced) return;
  const ranges = inNamespace(host, 'limitranges', obj.metadata.namespace);
  if (ranges.length && applyLimitRangeDefaults(obj, ranges) && obj.status) obj.status.qosClass = podQosClass(obj);
}

/** Validating admission of a create: throws Forbidden when a plugin refuses it. */
export function validateCreateAdmission(def: ResourceDef, obj: KObj, host: AdmissionHost): void {
  if (!def.namespaced) return;
  const ns = obj.metadata.namespace;
  if (def.kind === 'Pod' || def.kind === 'PersistentVolumeClaim') {
    const ranges = inNamespace(host, 'limitranges', ns);
    const errs = !ranges.length ? [] : def.kind === 'Pod' ? limitRangeViolations(obj, ranges) : claimLimitViolations(obj, ranges);
    if (errs.length) throw forbidden(def, obj, errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
  }
  const quotas = inNamespace(host, 'resourcequotas', ns);
  const why = quotaRejection(def, obj, quotas, host.now());
  if (why) throw forbidden(def, obj, why);
}
