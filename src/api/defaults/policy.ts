// LimitRange and ResourceQuota on the API server: SetDefaults_LimitRangeItem (a Container item's
// default limit from max, default request from the default limit, then from min) and a quota's
// status, which is the quota controller's (reset on create).
import type { KObj } from '../types.js';
import type { Cause } from '../errors.js';
import { parseQuantity } from '../quantity.js';
import { validateCreate, validateUpdate } from '../validation/index.js';

export function defaultLimitRange(lr: KObj): void {
  for (const item of (lr.spec?.limits ?? []) as KObj[]) {
    if (item?.type !== 'Container') continue;
    item.default ??= {};
    item.defaultRequest ??= {};
    for (const [k, v] of Object.entries(item.max ?? {})) item.default[k] ??= v;
    for (const [k, v] of Object.entries(item.default)) item.defaultRequest[k] ??= v;
    for (const [k, v] of Object.entries(item.min ?? {})) item.defaultRequest[k] ??= v;
    if (!Object.keys(item.default).length) delete item.default;
    if (!Object.keys(item.defaultRequest).length) delete item.defaultRequest;
  }
}

/** The parts of ValidateLimitRange whose texts do not print quantities: duplicate types, defaults on a Pod item. */
function validateLimits(lr: KObj): Cause[] {
  const out: Cause[] = [];
  const seen = new Set<string>();
  ((lr.spec?.limits ?? []) as KObj[]).forEach((item, i) => {
    const type = String(item?.type ?? '');
    if (seen.has(type)) out.push({ field: `spec.limits[${i}].type`, message: `Duplicate value: "${type}"` });
    seen.add(type);
    if (type === 'Pod') {
      if (Object.keys(item.default ?? {}).length) out.push({ field: `spec.limits[${i}].default`, message: "Forbidden: may not be specified when `type` is 'Pod'" });
      if (Object.keys(item.defaultRequest ?? {}).length) out.push({ field: `spec.limits[${i}].defaultRequest`, message: "Forbidden: may not be specified when `type` is 'Pod'" });
    }
  });
  return out;
}

export const limitRangeStrategy = {
  prepareForCreate: (lr: KObj) => defaultLimitRange(lr),
  prepareForUpdate: (lr: KObj) => defaultLimitRange(lr),
  keepStatusOnUpdate: false,
  validate: (o: KObj) => [...validateCreate('LimitRange', o), ...validateLimits(o)],
  validateUpdate: (o: KObj, old: KObj) => [...validateUpdate('LimitRange', o, old), ...validateLimits(o)],
};

/** helper.IsStandardQuotaResourceName: the names a quota may use without a domain (count/… and hugepages aside). */
const STANDARD_QUOTA = new Set([
  'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims',
  'services.nodeports', 'services.loadbalancers', 'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory',
  'requests.storage', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage',
]);
/** Quota names whose quantities must be whole numbers (the object counts). */
const INTEGER_QUOTA = new Set(['pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers']);

/** ValidateResourceQuota's spec.hard checks: standard names, non-negative (and whole, for counts) quantities. */
function validateHard(q: KObj): Cause[] {
  const out: Cause[] = [];
  for (const [k, v] of Object.entries((q.spec?.hard ?? {}) as Record<string, unknown>)) {
    const field = `spec.hard[${k}]`;
    const standard = STANDARD_QUOTA.has(k) || k.startsWith('hugepages-') || k.startsWith('requests.hugepages-');
    if (!k.includes('/') && !standard) out.push({ field, message: `Invalid value: "${k}": must be a standard resource for quota` });
    const qty = parseQuantity(v);
    if (qty && qty.nano < 0n) out.push({ field, message: `Invalid value: "${String(v)}": must be greater than or equal to 0` });
    else if (qty && (INTEGER_QUOTA.has(k) || k.startsWith('count/')) && qty.nano % 1_000_000_000n !== 0n) {
      out.push({ field, message: `Invalid value: "${String(v)}": must be an integer` });
    }
  }
  return out;
}

export const resourceQuotaStrategy = {
  prepareForCreate(q: KObj): void {
    delete q.status;
  },
  validate: (o: KObj) => [...validateCreate('ResourceQuota', o), ...validateHard(o)],
  validateUpdate: (o: KObj, old: KObj) => [...validateUpdate('ResourceQuota', o, old), ...validateHard(o)],
};
