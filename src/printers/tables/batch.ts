// Jobs and cronjobs (1.30+ columns: jobs have STATUS, cronjobs TIMEZONE).

import type { KObj } from '../../api/types.js';
import { humanDuration, parseTime } from '../duration.js';
import { age, ageCol, boolPtr, containerCells, durationBetween, formatLabelSelector, nameCol, since, type Cell, type KindTable } from './common.js';

const wideCols = [
  { name: 'Containers', priority: 1 },
  { name: 'Images', priority: 1 },
  { name: 'Selector', priority: 1 },
];

/** hasJobCondition: the first condition of the type decides. */
function jobCondition(job: KObj, type: string): boolean {
  const c = ((job.status?.conditions ?? []) as KObj[]).find((x) => x.type === type);
  return c ? c.status === 'True' : false;
}

export function jobStatus(job: KObj): string {
  if (jobCondition(job, 'Complete')) return 'Complete';
  if (jobCondition(job, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (jobCondition(job, 'Suspended')) return 'Suspended';
  if (jobCondition(job, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

export function jobCompletions(job: KObj): string {
  const succeeded = Number(job.status?.succeeded ?? 0);
  const completions = job.spec?.completions;
  if (completions !== undefined && completions !== null) return `${succeeded}/${completions}`;
  const parallelism = Number(job.spec?.parallelism ?? 0);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

export function jobDuration(job: KObj, now: number): string {
  const start = job.status?.startTime;
  if (!start) return '';
  if (!job.status?.completionTime) {
    const t = parseTime(start);
    return t === undefined ? '' : humanDuration(now - t);
  }
  return durationBetween(start, job.status.completionTime);
}

export const jobsTable: KindTable = {
  columns: [nameCol, { name: 'Status' }, { name: 'Completions' }, { name: 'Duration' }, ageCol, ...wideCols],
  row(job: KObj, now: number): Cell[] {
    const [names, images] = containerCells(job.spec?.template?.spec?.containers);
    return [job.metadata?.name, jobStatus(job), jobCompletions(job), jobDuration(job, now), age(job, now), names, images, formatLabelSelector(job.spec?.selector)];
  },
};

export const cronJobsTable: KindTable = {
  columns: [nameCol, { name: 'Schedule' }, { name: 'Timezone' }, { name: 'Suspend' }, { name: 'Active' }, { name: 'Last Schedule' }, ageCol, ...wideCols],
  row(cj: KObj, now: number): Cell[] {
    const spec = cj.spec ?? {};
    const jt = spec.jobTemplate?.spec ?? {};
    const [names, images] = containerCells(jt.template?.spec?.containers);
    const last = cj.status?.lastScheduleTime ? since(cj.status.lastScheduleTime, now) : '<none>';
    return [
      cj.metadata?.name,
      spec.schedule ?? '',
      spec.timeZone ?? '<none>',
      boolPtr(spec.suspend),
      (cj.status?.active ?? []).length,
      last,
      age(cj, now),
      names,
      images,
      formatLabelSelector(jt.selector),
    ];
  },
};
