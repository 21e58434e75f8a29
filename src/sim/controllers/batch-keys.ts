// The batch/v1 kinds the Job, CronJob and TTL-after-finished controllers work with.
import { resourceForKind } from '../../api/registry.js';
import type { ResourceDef } from '../../api/types.js';

export const JOB: ResourceDef = resourceForKind('batch/v1', 'Job')!;
export const CRONJOB: ResourceDef = resourceForKind('batch/v1', 'CronJob')!;
