// CronJobs: robfig/cron schedules (parser texts, Next), the CronJob controller (job names, scheduled
// annotation, history limits, concurrency policies, suspend and TooManyMissedTimes, idle catch-up),
// create job --from=cronjob.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSchedule, scheduleError } from '../src/api/cron-schedule.js';
import { Sandbox, T0 } from './harness.js';

const at = (iso: string) => Date.parse(iso);
const next = (spec: string, from: string, zone?: string) => new Date(parseSchedule(spec, zone).next(at(from))!).toISOString();

describe('cron schedules (robfig/cron ParseStandard)', () => {
  it('computes the next activation', () => {
    expect(next('*/1 * * * *', '2026-11-22T21:00:00Z')).toBe('2026-11-22T21:01:00.000Z');
    expect(next('*/15 * * * *', '2026-11-22T21:07:30Z')).toBe('2026-11-22T21:15:00.000Z');
    expect(next('0 9 * * mon-fri', '2026-11-21T10:00:00Z')).toBe('2026-11-23T09:00:00.000Z');
    expect(next('@hourly', '2026-11-22T21:00:00Z')).toBe('2026-11-22T22:00:00.000Z');
    expect(next('@daily', '2026-11-22T21:00:00Z')).toBe('2026-11-23T00:00:00.000Z');
    expect(next('@weekly', '2026-11-22T21:00:00Z')).toBe('2026-11-29T00:00:00.000Z');
    expect(next('@monthly', '2026-11-22T21:00:00Z')).toBe('2026-12-01T00:00:00.000Z');
    expect(next('@yearly', '2026-11-22T21:00:00Z')).toBe('2027-01-01T00:00:00.000Z');
    expect(next('0 0 1,15 * 3', '2026-11-22T21:00:00Z')).toBe('2026-11-25T00:00:00.000Z');
    expect(next('30 2 * feb *', '2026-11-22T21:00:00Z')).toBe('2027-02-01T02:30:00.000Z');
    expect(next('0 9 * * *', '2026-11-22T21:00:00Z', 'America/New_York')).toBe('2026-11-23T14:00:00.000Z');
  });

  it('reports the parser errors', () => {
    expect(scheduleError('bad')).toBe('expected exactly 5 fields, found 1: [bad]');
    expect(scheduleError('61 * * * *')).toBe('end of range (61) above maximum (59): 61');
    expect(scheduleError('* * 0 * *')).toBe('beginning of range (0) below minimum (1): 0');
    expect(scheduleError('x * * * *')).toBe('failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax');
    expect(scheduleError('5-2 * * * *')).toBe('beginning of range (5) beyond end of range (2): 5-2');
    expect(scheduleError('*/0 * * * *')).toBe('step of range should be a positive number: */0');
    expect(scheduleError('@fortnightly')).toBe('unrecognized descriptor: @fortnightly');
    expect(scheduleError('* * * * 7')).toBe('end of range (7) above maximum (6): 7');
    expect(scheduleError('')).toBe('empty spec string');
    expect(scheduleError('0 0 * * SUN')).toBeUndefined();
  });
});

let sb: Sandbox;
beforeAll(async () => {
  sb = new Sandbox();
  await sb.run(['clock', 'freeze']);
});
afterAll(() => sb.dispose());

const advance = (d: string) => sb.run(['clock', 'advance', d]);
const jp = async (args: string[], path: string) => (await sb.run([...args, '-o', `jsonpath=${path}`])).stdout;
const jobNames = async (cj: string) =>
  (await jp(['get', 'jobs'], '{range .items[*]}{.metadata.name} {end}'))
    .trim()
    .split(' ')
    .filter((n) => n.startsWith(`${cj}-`));

function cronjob(name: string, schedule: string, extra: string, command: string): string {
  return `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: ${name}\nspec:\n  schedule: "${schedule}"\n${extra}  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: c\n            image: busybox:1.28\n            command: ["sh", "-c", ${JSON.stringify(command)}]\n`;
}

describe('CronJob controller', () => {
  it('creates <name>-<minutes since epoch> each minute and keeps 3 successful jobs', async () => {
    const r = await sb.run(['create', 'cronjob', 'hello', '--image=busybox:1.28', '--schedule=*/1 * * * *', '--', '/bin/sh', '-c', 'date; echo Hello']);
    expect(r.stdout).toBe('cronjob.batch/hello created\n');
    await advance('330s');
    const minute = Math.floor(T0 / 60_000);
    expect(await jobNames('hello')).toEqual([`hello-${minute + 3}`, `hello-${minute + 4}`, `hello-${minute + 5}`]);
    expect(await jp(['get', 'job', `hello-${minute + 5}`], '{.metadata.annotations}')).toBe(
      `{"batch.kubernetes.io/cronjob-scheduled-timestamp":"${new Date((minute + 5) * 60_000).toISOString().replace('.000Z', 'Z')}"}`,
    );
    expect(await jp(['get', 'job', `hello-${minute + 5}`], '{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}')).toBe('CronJob/hello');
    const table = (await sb.run(['get', 'cronjob', 'hello'])).stdout;
    expect(table).toBe('NAME    SCHEDULE      TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE\nhello   */1 * * * *   <none>     False     0        30s             5m30s\n');
    const desc = (await sb.run(['describe', 'cronjob', 'hello'])).stdout;
    expect(desc).toContain(`Normal  SuccessfulCreate  30s    cronjob-controller  Created job hello-${minute + 5}\n`);
    expect(desc).toMatch(new RegExp(`Normal {2}SawCompletedJob {3}\\d+s +cronjob-controller {2}Saw completed job: hello-${minute + 5}, condition: Complete`));
    expect(desc).toMatch(new RegExp(`Normal {2}SuccessfulDelete {2}\\d+s +cronjob-controller {2}Deleted job hello-${minute + 2}`));
    expect(await jp(['get', 'cj', 'hello'], '{.status.lastScheduleTime}')).toBe(new Date((minute + 5) * 60_000).toISOString().replace('.000Z', 'Z'));
    const pods = (await jp(['get', 'pods'], '{range .items[*]}{.metadata.name} {end}')).trim().split(' ').filter((n) => n.startsWith('hello-'));
    expect(pods.length).toBe(3);
    await sb.run(['delete', 'cronjob', 'hello']);
    await advance('5s');
    expect(await jobNames('hello')).toEqual([]);
  });

  it('Forbid skips a run while one is active; Replace deletes it', async () => {
    await sb.run(['apply', '-f', '-'], cronjob('forbid', '* * * * *', '  concurrencyPolicy: Forbid\n', 'sleep 90'));
    await sb.run(['apply', '-f', '-'], cronjob('replace', '* * * * *', '  concurrencyPolicy: Replace\n', 'sleep 90'));
    await advance('150s');
    const forbid = (await sb.run(['describe', 'cronjob', 'forbid'])).stdout;
    expect(forbid).toContain('JobAlreadyActive');
    expect(forbid).toContain('Not starting job because prior execution is running and concurrency policy is Forbid');
    const replace = (await sb.run(['describe', 'cronjob', 'replace'])).stdout;
    expect(replace).toMatch(/SuccessfulDelete +\S+ +cronjob-controller {2}Deleted job replace-\d+/);
    expect(await jp(['get', 'cj', 'replace'], '{.status.active[*].name}')).toMatch(/^replace-\d+$/);
    await sb.run(['delete', 'cronjob', 'forbid', 'replace']);
  });

  it('a long suspension resumes with TooManyMissedTimes and starts only the latest run', async () => {
    await sb.run(['apply', '-f', '-'], cronjob('sleepy', '* * * * *', '  suspend: true\n', 'true'));
    await advance('3h');
    expect(await jobNames('sleepy')).toEqual([]);
    await sb.run(['patch', 'cronjob', 'sleepy', '--type=merge', '-p', '{"spec":{"suspend":false}}']);
    await advance('1s');
    const desc = (await sb.run(['describe', 'cronjob', 'sleepy'])).stdout;
    expect(desc).toContain('Warning  TooManyMissedTimes');
    expect(desc).toContain('too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
    expect((await jobNames('sleepy')).length).toBe(1);
    await sb.run(['delete', 'cronjob', 'sleepy']);
  });

  it('catches up a day of idle cheaply, with the last runs in place', async () => {
    await sb.run(['apply', '-f', '-'], cronjob('daily', '*/5 * * * *', '', 'echo hi'));
    await advance('24h');
    const names = await jobNames('daily');
    expect(names.length).toBe(3);
    const desc = (await sb.run(['describe', 'cronjob', 'daily'])).stdout;
    expect(desc).not.toContain('TooManyMissedTimes');
    const last = Number(names[2].split('-')[1]) * 60_000;
    expect(Date.parse(await jp(['get', 'cj', 'daily'], '{.status.lastScheduleTime}'))).toBe(last);
    await sb.run(['delete', 'cronjob', 'daily']);
  });

  it('create job --from=cronjob copies the template with instantiate=manual', async () => {
    await sb.run(['apply', '-f', '-'], cronjob('tmpl', '0 0 1 1 *', '', 'echo manual'));
    const dry = await sb.run(['create', 'job', 'manual', '--from=cronjob/tmpl', '--dry-run=client', '-o', 'jsonpath={.metadata.annotations}{.metadata.ownerReferences[0].kind}{.metadata.ownerReferences[0].blockOwnerDeletion}']);
    expect(dry.stdout).toBe('{"cronjob.kubernetes.io/instantiate":"manual"}CronJob');
    expect((await sb.run(['create', 'job', 'manual', '--from=cronjob/tmpl'])).stdout).toBe('job.batch/manual created\n');
    await advance('20s');
    expect((await sb.run(['logs', 'job/manual'])).stdout).toBe('manual\n');
    const missing = await sb.run(['create', 'job', 'x', '--from=cronjob/nope']);
    expect(missing.stderr).toBe('Error from server (NotFound): cronjobs.batch "nope" not found\n');
  });
});
