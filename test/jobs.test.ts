// Jobs: the API server's defaults and validation, the Job controller (completion, back-off to
// BackoffLimitExceeded, Indexed, OnFailure, deadline, suspend, TTL), create job, perl's bpi.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';
import { perlAnswer, piDigits } from '../src/runtime/perl.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = new Sandbox();
  await sb.run(['clock', 'freeze']);
});
afterAll(() => sb.dispose());

const apply = (yaml: string) => sb.run(['apply', '-f', '-'], yaml);
const advance = (d: string) => sb.run(['clock', 'advance', d]);
const jp = async (args: string[], path: string) => (await sb.run([...args, '-o', `jsonpath=${path}`])).stdout;

function job(name: string, spec: string, pod: string): string {
  return `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: ${name}\nspec:\n${spec}  template:\n    spec:\n${pod}`;
}

describe('create job / create cronjob (client side, as the real kubectl 1.32 prints them)', () => {
  it('prints the typed Job for --dry-run=client -o yaml', async () => {
    const r = await sb.run(['create', 'job', 'pi', '--image=perl:5.34.0', '--dry-run=client', '-o', 'yaml', '--', 'perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)']);
    expect(r.stdout).toBe(
      'apiVersion: batch/v1\nkind: Job\nmetadata:\n  creationTimestamp: null\n  name: pi\nspec:\n  template:\n    metadata:\n      creationTimestamp: null\n    spec:\n      containers:\n      - command:\n        - perl\n        - -Mbignum=bpi\n        - -wle\n        - print bpi(2000)\n        image: perl:5.34.0\n        name: pi\n        resources: {}\n      restartPolicy: Never\nstatus: {}\n',
    );
  });

  it('prints the typed CronJob (jobTemplate named after it, OnFailure by default)', async () => {
    const r = await sb.run(['create', 'cronjob', 'hello', '--image=busybox:1.28', '--schedule=*/1 * * * *', '--dry-run=client', '-o', 'yaml', '--', '/bin/sh', '-c', 'date; echo Hello']);
    expect(r.stdout).toBe(
      "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  creationTimestamp: null\n  name: hello\nspec:\n  jobTemplate:\n    metadata:\n      creationTimestamp: null\n      name: hello\n    spec:\n      template:\n        metadata:\n          creationTimestamp: null\n        spec:\n          containers:\n          - command:\n            - /bin/sh\n            - -c\n            - date; echo Hello\n            image: busybox:1.28\n            name: hello\n            resources: {}\n          restartPolicy: OnFailure\n  schedule: '*/1 * * * *'\nstatus: {}\n",
    );
  });

  it('rejects bad arguments with kubectl texts', async () => {
    expect((await sb.run(['create', 'job', 'x'])).stderr).toBe('error: either --image or --from must be specified\n');
    expect((await sb.run(['create', 'job', 'x', '--image=b', '--from=cronjob/y'])).stderr).toBe('error: either --image or --from must be specified\n');
    expect((await sb.run(['create', 'job', 'x', '--from=cronjob/y', '--', 'cmd'])).stderr).toBe('error: cannot specify --from and command\n');
    const noName = await sb.run(['create', 'job', '--image=b']);
    expect(noName.stderr).toBe("error: exactly one NAME is required, got 0\nSee 'kubectl create job -h' for help and examples\n");
    expect(noName.code).toBe(1);
    const both = await sb.run(['create', 'cronjob']);
    expect(both.stderr).toBe('error: required flag(s) "image", "schedule" not set\n');
  });

  it('reports the API server validation of a schedule', async () => {
    const r = await sb.run(['create', 'cronjob', 'x', '--image=b', '--schedule=1']);
    expect(r.stderr).toBe('error: failed to create cronjob: CronJob.batch "x" is invalid: spec.schedule: Invalid value: "1": expected exactly 5 fields, found 1: [1]\n');
    const tz = await sb.run(['create', 'cronjob', 'x', '--image=b', '--schedule=CRON_TZ=UTC 0 * * * *']);
    expect(tz.stderr).toContain('cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
  });
});

describe('Job API defaults and validation', () => {
  it('defaults a Job as 1.32 does, with the generated selector and labels', async () => {
    await sb.run(['create', 'job', 'defaults', '--image=busybox:1.28', '--', 'true']);
    const uid = await jp(['get', 'job', 'defaults'], '{.metadata.uid}');
    const spec = JSON.parse(await jp(['get', 'job', 'defaults'], '{.spec}'));
    expect(spec).toMatchObject({ backoffLimit: 6, completionMode: 'NonIndexed', completions: 1, manualSelector: false, parallelism: 1, podReplacementPolicy: 'TerminatingOrFailed', suspend: false });
    expect(spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    const labels = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'defaults', 'controller-uid': uid, 'job-name': 'defaults' };
    expect(spec.template.metadata.labels).toEqual(labels);
    expect(JSON.parse(await jp(['get', 'job', 'defaults'], '{.metadata.labels}'))).toEqual(labels);
  });

  it('requires OnFailure or Never', async () => {
    const r = await apply(job('always', '', '      containers:\n      - name: c\n        image: busybox\n'));
    expect(r.stderr).toBe('The Job "always" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"\n');
    expect(r.code).toBe(1);
  });
});

describe('Job controller', () => {
  it('runs a pod to completion: SuccessCriteriaMet then Complete, events, finalizer released', async () => {
    await sb.run(['create', 'job', 'hello', '--image=busybox:1.28', '--', 'sh', '-c', 'echo hello; sleep 3']);
    const pod = await jp(['get', 'pods', '-l', 'job-name=hello'], '{.items[0].metadata.name}');
    expect(pod).toMatch(/^hello-[a-z0-9]{5}$/);
    expect(await jp(['get', 'pod', pod], '{.metadata.finalizers}')).toBe('["batch.kubernetes.io/job-tracking"]');
    expect(await jp(['get', 'pod', pod], '{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].controller}/{.metadata.ownerReferences[0].blockOwnerDeletion}')).toBe('Job/true/true');
    await advance('20s');
    expect(await jp(['get', 'job', 'hello'], '{range .status.conditions[*]}{.type}={.status} {.reason}: {.message};{end}')).toBe(
      'SuccessCriteriaMet=True CompletionsReached: Reached expected number of succeeded pods;Complete=True CompletionsReached: Reached expected number of succeeded pods;',
    );
    expect(await jp(['get', 'pod', pod], '{.metadata.finalizers}')).toBe('');
    const table = (await sb.run(['get', 'job', 'hello'])).stdout.split('\n')[1];
    expect(table).toMatch(/^hello {3}Complete {3}1\/1 {11}\d+s {9}20s$/);
    const events = (await sb.run(['describe', 'job', 'hello'])).stdout;
    expect(events).toContain(`Normal  SuccessfulCreate  20s   job-controller  Created pod: ${pod}`);
    expect(events).toMatch(/Normal {2}Completed {9}\d+s +job-controller {2}Job completed/);
    const logs = await sb.run(['logs', 'job/hello']);
    expect(logs.stdout).toBe('hello\n');
  });

  it('recreates failed pods after the back-off and fails with BackoffLimitExceeded', async () => {
    await apply(job('fails', '  backoffLimit: 2\n', '      restartPolicy: Never\n      containers:\n      - name: main\n        image: busybox:1.28\n        command: ["sh", "-c", "exit 1"]\n'));
    await advance('3m');
    const st = JSON.parse(await jp(['get', 'job', 'fails'], '{.status}'));
    expect(st.failed).toBe(3);
    expect(st.conditions.map((c: { type: string; reason: string }) => `${c.type}/${c.reason}`)).toEqual(['FailureTarget/BackoffLimitExceeded', 'Failed/BackoffLimitExceeded']);
    expect(st.completionTime).toBeUndefined();
    const created = (await jp(['get', 'pods', '-l', 'job-name=fails'], '{range .items[*]}{.metadata.creationTimestamp} {end}')).trim().split(' ').map(Date.parse).sort();
    // 10 s after the first failure, 20 s after the second (plus each pod's own run)
    expect(created[1] - created[0]).toBeGreaterThanOrEqual(10_000);
    expect(created[2] - created[1]).toBeGreaterThanOrEqual(20_000);
    const describe = (await sb.run(['describe', 'job', 'fails'])).stdout;
    expect(describe).toMatch(/Warning {2}BackoffLimitExceeded {2}\S+ +job-controller {2}Job has reached the specified backoff limit/);
    expect((await sb.run(['get', 'job', 'fails', '--no-headers'])).stdout).toMatch(/^fails {3}Failed {3}0\/1/);
  });

  it('gives Indexed pods their index (names, annotation, label, hostname, JOB_COMPLETION_INDEX)', async () => {
    await apply(
      job(
        'idx',
        '  completions: 3\n  parallelism: 2\n  completionMode: Indexed\n',
        '      restartPolicy: Never\n      containers:\n      - name: w\n        image: busybox:1.28\n        command: ["sh", "-c", "echo $JOB_COMPLETION_INDEX $(hostname)"]\n',
      ),
    );
    const first = (await jp(['get', 'pods', '-l', 'job-name=idx'], '{range .items[*]}{.metadata.name} {end}')).trim().split(' ');
    expect(first.map((n) => n.replace(/-[a-z0-9]{5}$/, '')).sort()).toEqual(['idx-0', 'idx-1']);
    await advance('30s');
    expect(await jp(['get', 'job', 'idx'], '{.status.completedIndexes} {.status.succeeded}')).toBe('0-2 3');
    const logs: string[] = [];
    for (const name of (await jp(['get', 'pods', '-l', 'job-name=idx'], '{range .items[*]}{.metadata.name} {end}')).trim().split(' ')) {
      logs.push((await sb.run(['logs', name])).stdout.trim());
    }
    expect(logs.sort()).toEqual(['0 idx-0', '1 idx-1', '2 idx-2']);
    expect((await sb.run(['describe', 'job', 'idx'])).stdout).toContain('Completed Indexes:  0-2\n');
  });

  it('fails an OnFailure job when container restarts reach the backoff limit', async () => {
    await apply(job('onfail', '  backoffLimit: 1\n', '      restartPolicy: OnFailure\n      containers:\n      - name: main\n        image: busybox:1.28\n        command: ["sh", "-c", "exit 3"]\n'));
    await advance('1m');
    expect(await jp(['get', 'job', 'onfail'], '{.status.conditions[1].type}/{.status.conditions[1].reason} {.status.failed}')).toBe('Failed/BackoffLimitExceeded 1');
    expect(await jp(['get', 'pods', '-l', 'job-name=onfail'], '{.items}')).toBe('[]');
  });

  it('ends a job past activeDeadlineSeconds (DeadlineExceeded), and the TTL controller deletes it', async () => {
    await apply(
      job('deadline', '  activeDeadlineSeconds: 10\n  ttlSecondsAfterFinished: 60\n', '      restartPolicy: Never\n      containers:\n      - name: main\n        image: busybox:1.28\n        command: ["sh", "-c", "trap \'exit 0\' TERM; sleep 3600"]\n'),
    );
    await advance('15s');
    expect(await jp(['get', 'job', 'deadline'], '{.status.conditions[0].type}/{.status.conditions[0].reason}: {.status.conditions[0].message}')).toBe(
      'FailureTarget/DeadlineExceeded: Job was active longer than specified deadline',
    );
    await advance('40s');
    expect(await jp(['get', 'job', 'deadline'], '{.status.conditions[1].type}')).toBe('Failed');
    await advance('70s');
    expect((await sb.run(['get', 'job', 'deadline'])).stderr).toBe('Error from server (NotFound): jobs.batch "deadline" not found\n');
    expect(await jp(['get', 'pods', '-l', 'job-name=deadline'], '{.items}')).toBe('[]');
  });

  it('suspends (deleting active pods) and resumes', async () => {
    await apply(job('susp', '  suspend: true\n', '      restartPolicy: Never\n      containers:\n      - name: main\n        image: busybox:1.28\n        command: ["sh", "-c", "sleep 5"]\n'));
    await advance('5s');
    expect((await sb.run(['get', 'job', 'susp', '--no-headers'])).stdout).toMatch(/^susp {3}Suspended {3}0\/1 {9}5s\n$/);
    expect(await jp(['get', 'pods', '-l', 'job-name=susp'], '{.items}')).toBe('[]');
    await sb.run(['patch', 'job', 'susp', '--type=merge', '-p', '{"spec":{"suspend":false}}']);
    await advance('20s');
    expect(await jp(['get', 'job', 'susp'], '{range .status.conditions[*]}{.type}={.status}/{.reason} {end}')).toBe(
      'Suspended=False/JobResumed SuccessCriteriaMet=True/CompletionsReached Complete=True/CompletionsReached ',
    );
    const ev = (await sb.run(['describe', 'job', 'susp'])).stdout;
    expect(ev).toMatch(/Normal {2}Suspended +\S+ +job-controller {2}Job suspended/);
    expect(ev).toMatch(/Normal {2}Resumed +\S+ +job-controller {2}Job resumed/);
  });

  it('deleting a job deletes its pods', async () => {
    await sb.run(['create', 'job', 'gone', '--image=busybox:1.28', '--', 'sleep', '600']);
    await advance('5s');
    expect(await jp(['get', 'pods', '-l', 'job-name=gone'], '{.items[0].status.phase}')).toBe('Running');
    expect((await sb.run(['delete', 'job', 'gone'])).stdout).toBe('job.batch "gone" deleted\n');
    await advance('40s');
    expect(await jp(['get', 'pods', '-l', 'job-name=gone'], '{.items}')).toBe('[]');
  });
});

describe('perl image', () => {
  it('computes bpi(N) to N significant digits', () => {
    expect(piDigits(50)).toBe('3.1415926535897932384626433832795028841971693993751');
    const r = perlAnswer(['-Mbignum=bpi', '-wle', 'print bpi(2000)'], '5.34.0')!;
    expect(r.stdout.length).toBe(2002);
    expect(r.stdout.endsWith('4677646575739624138908658326459958133904780275901\n')).toBe(true);
    expect(perlAnswer(['-e', 'print 1'], '5.34.0')).toBeUndefined();
  });
});

describe('Job selectors', () => {
  it('rejects a selector of its own without manualSelector, and honours manualSelector', async () => {
    const own = await apply(
      'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: own-sel\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox:1.28\n',
    );
    expect(own.stderr).toMatch(/^The Job "own-sel" is invalid: spec\.selector: Invalid value: v1\.LabelSelector\{MatchLabels:map\[string\]string\{"app":"web", "batch\.kubernetes\.io\/controller-uid":"[0-9a-f-]+"\}, MatchExpressions:\[\]v1\.LabelSelectorRequirement\(nil\)\}: `selector` not auto-generated\n$/);
    const manual = await apply(
      'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: manual-sel\nspec:\n  manualSelector: true\n  selector:\n    matchLabels:\n      app: manual\n  template:\n    metadata:\n      labels:\n        app: manual\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox:1.28\n        command: ["true"]\n',
    );
    expect(manual.stdout).toBe('job.batch/manual-sel created\n');
    expect(await jp(['get', 'job', 'manual-sel'], '{.spec.selector}{.spec.template.metadata.labels}')).toBe('{"matchLabels":{"app":"manual"}}{"app":"manual"}');
    await advance('10s');
    expect(await jp(['get', 'job', 'manual-sel'], '{.status.succeeded}')).toBe('1');
  });
});

describe('container scripts across statements', () => {
  it('keep shell arrays and $? (the Indexed Job tutorial picks its item from an array)', async () => {
    await sb.run(['run', 'arrays', '--image=bash:5', '--restart=Never', '--', '-c', 'items=(foo "b r" baz); i=1; echo ${items[$i]} ${#items[@]}; declare -A m; m[k]=v; echo ${m[k]}; false; echo rc=$?']);
    await advance('15s');
    expect((await sb.run(['logs', 'arrays'])).stdout).toBe('b r 3\nv\nrc=1\n');
  });
});
