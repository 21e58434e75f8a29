// The TTL-after-finished controller: a finished Job (Complete or Failed) with
// spec.ttlSecondsAfterFinished is deleted that long after it finished, with foreground propagation
// (its pods go first), as pkg/controller/ttlafterfinished does.
import type { KObj } from '../../api/types.js';
import type { Cluster, Controller } from '../engine.js';
import { JOB } from './batch-keys.js';

/** When the job finished: its Complete or Failed condition's transition time. */
function finishTime(job: KObj): number | undefined {
  const cond = ((job.status?.conditions ?? []) as KObj[]).find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  return cond?.lastTransitionTime ? Date.parse(cond.lastTransitionTime) : undefined;
}

function expire(c: Cluster, ns: string, name: string, uid: string): void {
  const job = c.api.peek(JOB, ns, name);
  if (!job || job.metadata.uid !== uid || job.metadata.deletionTimestamp) return;
  const ttl = job.spec?.ttlSecondsAfterFinished;
  const t = finishTime(job);
  if (ttl === undefined || ttl === null || t === undefined) return;
  const due = t + ttl * 1000;
  if (due > c.now()) {
    c.schedule(due - c.now(), 'ttl-after-finished', `jobs.batch/${ns}/${name}`, { uid });
    return;
  }
  c.api.delete(JOB, ns, name, { propagationPolicy: 'Foreground' });
}

export const ttlAfterFinishedController: Controller = {
  name: 'ttl-after-finished',
  onChange(c, ev) {
    if (ev.def.kind !== 'Job' || ev.def.group !== 'batch' || ev.type === 'DELETED') return;
    const job = ev.obj;
    const ttl = job.spec?.ttlSecondsAfterFinished;
    if (ttl === undefined || ttl === null || job.metadata.deletionTimestamp) return;
    const t = finishTime(job);
    if (t === undefined) return;
    const changed = !ev.old || finishTime(ev.old) === undefined || ev.old.spec?.ttlSecondsAfterFinished !== ttl;
    if (!changed) return;
    const ns = job.metadata.namespace;
    const name = job.metadata.name;
    c.schedule(Math.max(0, t + ttl * 1000 - c.now()), 'ttl-after-finished', `jobs.batch/${ns}/${name}`, { uid: job.metadata.uid });
  },
  timers: {
    'ttl-after-finished': (c, t) => {
      const [, ns, name] = t.key.split('/');
      expire(c, ns, name, String(t.data?.uid));
    },
  },
};
