// The CronJob controller (pkg/controller/cronjob, ControllerV2 in 1.32). Each sync reconciles the
// active list with the jobs it owns (SawCompletedJob, MissingJob, UnexpectedJob), finds the most
// recent unmet schedule time (TooManyMissedTimes past 100 missed, MissSchedule past
// startingDeadlineSeconds), applies concurrencyPolicy, creates `<name>-<minutes since epoch>` with
// the scheduled-timestamp annotation, trims the finished jobs to the history limits, and requeues
// itself 100 ms after the next schedule time.
//
// A catch-up more than 10 minutes behind its target skips the runs a long idle period would have
// finished and cleaned up (the controller ran all along): the status moves to the last skipped time
// and only the runs that could still show (the history limits' worth, plus one) are simulated.
import type { KObj } from '../../api/types.js';
import { parseSchedule, type Schedule } from '../../api/cron-schedule.js';
import type { Cluster, Controller } from '../engine.js';
import { recordEvent } from '../events.js';
import { CRONJOB, JOB } from './batch-keys.js';
import { dependentsOf } from './gc.js';
import { jobFinished } from './job.js';
import { controllerRef } from './job-pods.js';

const SOURCE = { component: 'cronjob-controller' };
const NEXT_SCHEDULE_DELTA_MS = 100;
const WINDOW_MS = 10 * 60_000;
export const SCHEDULED_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

function cronKey(ns: string, name: string): string {
  return `cronjobs.batch/${ns}/${name}`;
}

function zoneOf(cj: KObj): string {
  return cj.spec?.timeZone ?? 'UTC';
}

function scheduleOf(cj: KObj): Schedule {
  return parseSchedule(cj.spec.schedule, zoneOf(cj));
}

/** mostRecentScheduleTime: [earliest, most recent unmet time or undefined, missed count class]. */
function mostRecent(cj: KObj, st: KObj, now: number, sched: Schedule, withDeadline: boolean): { earliest: number; recent?: number; many: boolean; err?: boolean } {
  let earliest = Date.parse(st.lastScheduleTime ?? cj.metadata.creationTimestamp);
  const sds = cj.spec.startingDeadlineSeconds;
  if (withDeadline && sds !== undefined && sds !== null) earliest = Math.max(earliest, now - sds * 1000);
  const t1 = sched.next(earliest);
  if (t1 === undefined || now < t1) return { earliest, many: false };
  const t2 = sched.next(t1);
  if (t2 === undefined || now < t2) return { earliest, recent: t1, many: false };
  const between = Math.round((t2 - t1) / 1000);
  if (between < 1) return { earliest, many: false, err: true };
  const missed = Math.floor((now - t1) / 1000 / between) + 1;
  let recent: number | undefined;
  const potential = t1 + (missed - 2) * between * 1000;
  for (let t = sched.next(potential); t !== undefined && t <= now; t = sched.next(t)) recent = t;
  return { earliest, recent, many: missed > 100 };
}

function requeue(c: Cluster, cj: KObj, st: KObj, sched: Schedule): void {
  const r = mostRecent(cj, st, c.now(), sched, false);
  const next = sched.next(r.recent ?? r.earliest);
  if (next === undefined) return;
  c.cancel(cronKey(cj.metadata.namespace, cj.metadata.name), 'cronjob-resync');
  c.schedule(next + NEXT_SCHEDULE_DELTA_MS - c.now(), 'cronjob-resync', cronKey(cj.metadata.namespace, cj.metadata.name));
}

function jobRef(job: KObj): KObj {
  return { apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name, namespace: job.metadata.namespace, resourceVersion: job.metadata.resourceVersion, uid: job.metadata.uid };
}

function deleteJob(c: Cluster, cj: KObj, st: KObj, job: KObj): void {
  try {
    c.api.delete(JOB, job.metadata.namespace, job.metadata.name, { propagationPolicy: 'Background' });
  } catch {
    return;
  }
  st.active = (st.active ?? []).filter((r: KObj) => r.uid !== job.metadata.uid);
  recordEvent(c, cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`, SOURCE);
}

/** byJobStartTime: start time (unset last), then name. */
function byStart(a: KObj, b: KObj): number {
  const sa = a.status?.startTime;
  const sb = b.status?.startTime;
  if (!sa && sb) return 1;
  if (sa && !sb) return -1;
  if (sa === sb) return a.metadata.name < b.metadata.name ? -1 : 1;
  return Date.parse(sa) - Date.parse(sb);
}

function cleanup(c: Cluster, cj: KObj, st: KObj, jobs: KObj[]): void {
  const trim = (list: KObj[], limit: unknown) => {
    if (limit === undefined || limit === null) return;
    const extra = list.length - Number(limit);
    if (extra <= 0) return;
    list.sort(byStart);
    for (let i = 0; i < extra; i++) deleteJob(c, cj, st, list[i]);
  };
  trim(jobs.filter((j) => jobFinished(j) === 'Complete'), cj.spec.successfulJobsHistoryLimit);
  trim(jobs.filter((j) => jobFinished(j) === 'Failed'), cj.spec.failedJobsHistoryLimit);
}

function ownedJobs(c: Cluster, cj: KObj): KObj[] {
  const out: KObj[] = [];
  for (const { obj } of dependentsOf(c, cj.metadata.uid)) {
    if (obj.kind === 'Job' && (obj.metadata.ownerReferences ?? []).some((r: KObj) => r.uid === cj.metadata.uid && r.controller)) out.push(obj);
  }
  return out;
}

/**
 * Idle catch-up: the runs a long idle period would have finished and cleaned up are skipped (the
 * status moves to the last skipped time); the last history-limit's worth (plus one) still run.
 */
function skipAhead(c: Cluster, cj: KObj, st: KObj, sched: Schedule): number | undefined {
  if (cj.spec.suspend || c.target - c.now() <= WINDOW_MS || (st.active ?? []).length) return undefined;
  const keep = Math.max(Number(cj.spec.successfulJobsHistoryLimit ?? 0), Number(cj.spec.failedJobsHistoryLimit ?? 0)) + 1;
  const r = mostRecent(cj, st, c.now(), sched, true);
  let t = r.recent;
  if (t === undefined) return undefined;
  const first = t;
  // a long gap starts counting near the target (a generous multiple of the schedule's interval)
  const second = sched.next(t);
  if (second !== undefined) {
    const from = c.target - (keep + 2) * 8 * (second - t);
    const near = from > t ? sched.next(from) : undefined;
    if (near !== undefined && near < c.target) t = near;
  }
  const times: number[] = [];
  for (let n = 0; t !== undefined && t <= c.target && n < 200_000; t = sched.next(t), n++) {
    times.push(t);
    if (times.length > keep + 1) times.shift();
  }
  if (times.length <= keep || times[0] === first) return undefined;
  return times[times.length - keep - 1];
}

function sync(c: Cluster, ns: string, name: string): void {
  const cj = c.api.peek(CRONJOB, ns, name);
  if (!cj || cj.metadata.deletionTimestamp) return;
  const st: KObj = structuredClone(cj.status ?? {});
  const before = JSON.stringify(st);
  st.active ??= [];
  const jobs = ownedJobs(c, cj);
  const byUid = new Map(jobs.map((j) => [j.metadata.uid, j]));
  for (const j of jobs) {
    const inActive = st.active.some((r: KObj) => r.uid === j.metadata.uid);
    const finished = jobFinished(j);
    if (!inActive && !finished) {
      recordEvent(c, cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata.name}`, SOURCE);
    } else if (inActive && finished) {
      st.active = st.active.filter((r: KObj) => r.uid !== j.metadata.uid);
      recordEvent(c, cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, condition: ${finished}`, SOURCE);
    }
    if (finished) {
      const done = j.status?.completionTime;
      if (!st.lastSuccessfulTime && done) st.lastSuccessfulTime = done;
      else if (done && Date.parse(done) > Date.parse(st.lastSuccessfulTime)) st.lastSuccessfulTime = done;
    }
  }
  for (const r of [...st.active]) {
    if (byUid.has(r.uid)) continue;
    recordEvent(c, cj, 'Normal', 'MissingJob', `Active job went missing: ${r.name}`, SOURCE);
    st.active = st.active.filter((x: KObj) => x.uid !== r.uid);
  }
  let sched: Schedule | undefined;
  const tz = cj.spec.timeZone;
  try {
    sched = scheduleOf(cj);
  } catch (e) {
    if (tz === undefined || tz === null) recordEvent(c, cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(cj.spec.schedule)} : ${(e as Error).message}`, SOURCE);
    else recordEvent(c, cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(tz)}: unknown time zone ${tz}`, SOURCE);
  }
  if (sched && !cj.spec.suspend) {
    const skipTo = skipAhead(c, cj, st, sched);
    if (skipTo !== undefined) st.lastScheduleTime = iso(skipTo);
    else startDue(c, cj, st, sched);
    requeue(c, cj, st, sched);
  }
  cleanup(c, cj, st, ownedJobs(c, cj));
  if (!st.active.length) delete st.active;
  if (JSON.stringify(st) === before) return;
  const updated = structuredClone(c.api.peek(CRONJOB, ns, name)!);
  updated.status = st;
  c.api.write(CRONJOB, updated);
}

function startDue(c: Cluster, cj: KObj, st: KObj, sched: Schedule): void {
  const now = c.now();
  const r = mostRecent(cj, st, now, sched, true);
  if (r.recent === undefined || r.recent > now) return;
  if (r.many) recordEvent(c, cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew', SOURCE);
  const scheduled = r.recent;
  const sds = cj.spec.startingDeadlineSeconds;
  if (sds !== undefined && sds !== null && scheduled + sds * 1000 < now) {
    recordEvent(c, cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`, SOURCE);
    return;
  }
  const jobName = `${cj.metadata.name}-${Math.floor(scheduled / 60_000)}`;
  if (st.active.some((a: KObj) => a.name === jobName) || (st.lastScheduleTime && Date.parse(st.lastScheduleTime) === scheduled)) return;
  if (cj.spec.concurrencyPolicy === 'Forbid' && st.active.length) {
    recordEvent(c, cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid', SOURCE);
    return;
  }
  if (cj.spec.concurrencyPolicy === 'Replace') {
    for (const a of [...st.active]) {
      const j = c.api.peek(JOB, a.namespace, a.name);
      if (j) deleteJob(c, cj, st, j);
    }
  }
  const jt = cj.spec.jobTemplate ?? {};
  const meta: KObj = { name: jobName, namespace: cj.metadata.namespace };
  if (jt.metadata?.labels) meta.labels = { ...jt.metadata.labels };
  meta.annotations = { ...(jt.metadata?.annotations ?? {}), [SCHEDULED_ANNOTATION]: scheduledStamp(scheduled, zoneOf(cj)) };
  meta.ownerReferences = [controllerRef(cj)];
  let job: KObj;
  try {
    job = c.api.create(JOB, { apiVersion: 'batch/v1', kind: 'Job', metadata: meta, spec: structuredClone(jt.spec ?? {}) });
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    if (!/because it is being terminated|already exists/.test(msg)) recordEvent(c, cj, 'Warning', 'FailedCreate', `Error creating job: ${msg}`, SOURCE);
    return;
  }
  recordEvent(c, cj, 'Normal', 'SuccessfulCreate', `Created job ${job.metadata.name}`, SOURCE);
  st.active.push(jobRef(job));
  st.lastScheduleTime = iso(scheduled);
}

/** time.RFC3339 in the CronJob's zone (UTC prints Z). */
function scheduledStamp(ms: number, zone: string): string {
  if (zone === 'UTC' || zone === 'Etc/UTC') return iso(ms);
  const f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'longOffset' });
  const p: Record<string, string> = {};
  for (const x of f.formatToParts(new Date(ms))) p[x.type] = x.value;
  const off = (p.timeZoneName ?? 'GMT').replace('GMT', '') || 'Z';
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${off}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function rfc1123z(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

function requestSync(c: Cluster, ns: string, name: string): void {
  const key = cronKey(ns, name);
  if (!c.hasTimer(key, 'cronjob-sync')) c.schedule(0, 'cronjob-sync', key);
}

export const cronJobController: Controller = {
  name: 'cronjob-controller',
  onChange(c, ev) {
    if (ev.def.group !== 'batch') return;
    if (ev.def.kind === 'CronJob') {
      if (ev.type === 'DELETED') return;
      const o = ev.old;
      if (!o || o.metadata.generation !== ev.obj.metadata.generation) {
        // a changed schedule drops the pending requeue
        if (o) c.cancel(cronKey(ev.obj.metadata.namespace, ev.obj.metadata.name), 'cronjob-resync');
        requestSync(c, ev.obj.metadata.namespace, ev.obj.metadata.name);
      }
      return;
    }
    if (ev.def.kind !== 'Job') return;
    const ref = (ev.obj.metadata.ownerReferences ?? []).find((r: KObj) => r.controller && r.kind === 'CronJob');
    if (!ref) return;
    const finishedNow = jobFinished(ev.obj) !== undefined && (ev.type === 'ADDED' || !ev.old || jobFinished(ev.old) === undefined);
    if (ev.type === 'DELETED' || finishedNow || ev.type === 'ADDED') requestSync(c, ev.obj.metadata.namespace, ref.name);
  },
  timers: {
    'cronjob-sync': (c, t) => {
      const [, ns, name] = t.key.split('/');
      sync(c, ns, name);
    },
    'cronjob-resync': (c, t) => {
      const [, ns, name] = t.key.split('/');
      sync(c, ns, name);
    },
  },
};
