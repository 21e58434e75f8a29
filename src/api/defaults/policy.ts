// LimitRange and ResourceQuota on the API server: SetDefaults_LimitRangeItem (a Container item's
// default limit from max, default request from the default limit, then from min) and a quota's
// status, which is the quota controller's (reset on create).
import type { KObj } from '../types.js';
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

export const limitRangeStrategy = {
  prepareForCreate: (lr: KObj) => defaultLimitRange(lr),
  prepareForUpdate: (lr: KObj) => defaultLimitRange(lr),
  keepStatusOnUpdate: false,
  validate: (o: KObj) => validateCreate('LimitRange', o),
  validateUpdate: (o: KObj, old: KObj) => validateUpdate('LimitRange', o, old),
};

export const resourceQuotaStrategy = {
  prepareForCreate(q: KObj): void {
    delete q.status;
  },
  validate: (o: KObj) => validateCreate('ResourceQuota', o),
  validateUpdate: (o: KObj, old: KObj) => validateUpdate('ResourceQuota', o, old),
};
