// Replays the Markdown and plain-text transcripts under test/replay/ with `kubesim replay`. Their
// expected outputs come from real clusters (the golden transcripts' checked text), never from kubesim.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../harness.js';

const dir = import.meta.dirname;
const sandbox = new Sandbox(dir);
afterAll(() => sandbox.dispose());

interface JsonReport {
  passed: number;
  failed: number;
  skipped: number;
  files: { file: string; steps: { line: number; command: string; status: string; reason?: string; diff?: string }[] }[];
}

async function replayJson(...files: string[]): Promise<{ code: number; report: JsonReport }> {
  const r = await sandbox.run(['replay', '--json', ...files]);
  expect(r.stderr).toBe('');
  return { code: r.code, report: JSON.parse(r.stdout) as JsonReport };
}

describe('kubesim replay', () => {
  it('replays a kubernetes.io-style Markdown page green', async () => {
    const { code, report } = await replayJson('single-pod.md');
    const fails = report.files[0].steps.filter((s) => s.status === 'fail');
    expect(fails, JSON.stringify(fails, null, 2)).toEqual([]);
    expect([code, report.passed, report.failed, report.skipped]).toEqual([0, 6, 0, 0]);
  });

  it('replays a scraped plain-text page with prompts, a heredoc, pipes and a skipped docker command', async () => {
    const { code, report } = await replayJson('shared-volume.txt');
    const steps = report.files[0].steps;
    expect(steps.filter((s) => s.status === 'fail'), JSON.stringify(steps, null, 2)).toEqual([]);
    expect([code, report.passed, report.failed, report.skipped]).toEqual([0, 7, 0, 1]);
    expect(steps.at(-1)).toMatchObject({ command: 'docker ps', status: 'skip', reason: 'docker runs containers on the host' });
  });

  // one transcript per topic, each in another prompt style; their outputs are the golden transcripts'
  // (checked against a real cluster) and they move the clock themselves, so no step between commands
  it.each([
    ['restart-policy.md', 15],
    ['labels-patch.txt', 17],
    ['probes.txt', 12],
    ['init-containers.txt', 14],
    ['config-volumes.txt', 18],
  ])('replays %s green', async (file, commands) => {
    const r = await sandbox.run(['replay', '--json', '--step', '0s', file]);
    const report = JSON.parse(r.stdout) as JsonReport;
    const fails = report.files[0].steps.filter((s) => s.status === 'fail');
    expect(fails, JSON.stringify(fails, null, 2)).toEqual([]);
    expect([r.code, report.passed, report.skipped]).toEqual([0, commands, 0]);
  });

  it("replays a kubernetes.io page's own source and output, its manifest URL mapped to the file next to it", async () => {
    const { code, report } = await replayJson('k8s-io/define-command-argument-container.md');
    expect(report.files[0].steps.map((s) => [s.line, s.command, s.status])).toEqual([
      [27, 'kubectl apply -f https://k8s.io/examples/pods/commands.yaml', 'ran'],
      [33, 'kubectl get pods', 'ran'],
      [43, 'kubectl logs command-demo', 'pass'],
    ]);
    expect(code).toBe(0);
  });

  // kubectl top runs now: right after the pod starts metrics-server has no sample yet (its NotFound),
  // and the page's output is an older kubectl's (raw bytes, where 1.32 prints 162Mi): a failed step
  it("replays the kubernetes.io memory page: its '...' excerpt of -o yaml passes, kubectl top differs from the page", async () => {
    const { code, report } = await replayJson('k8s-io/assign-memory-resource.md');
    expect(report.files[0].steps.map((s) => [s.command.split(' ').slice(0, 3).join(' '), s.status])).toEqual([
      ['kubectl create namespace', 'ran'],
      ['kubectl apply -f', 'ran'],
      ['kubectl get pod', 'ran'],
      ['kubectl get pod', 'pass'],
      ['kubectl top pod', 'fail'],
      ['kubectl delete pod', 'ran'],
    ]);
    expect(code).toBe(1);
  });

  it('replays the Learn Kubernetes Basics modules (Deployment, Service, scale, rolling update, undo) in wall time', async () => {
    const { code, report } = await replayJson('k8s-io/kubernetes-basics.md');
    const bad = report.files[0].steps.filter((s) => s.status !== 'ran' && s.status !== 'pass');
    expect(bad, JSON.stringify(bad, null, 2)).toEqual([]);
    expect([code, report.failed, report.skipped]).toEqual([0, 0, 0]);
  });

  // kubernetes.io's workload pages (part B), their outputs as the pages show them or, where a page's
  // cluster was older, as 1.32's sources print them (each page's header says which)
  it.each([
    ['k8s-io/job.md', 6, 0],
    ['k8s-io/cron-jobs.md', 6, 0],
    ['k8s-io/deployment.md', 27, 0],
    // kubectl edit is skipped: it opens an editor
    ['k8s-io/daemonset.md', 9, 1],
  ])('replays the kubernetes.io page %s green', async (file, steps, skipped) => {
    const { code, report } = await replayJson(file);
    const bad = report.files[0].steps.filter((s) => s.status === 'fail');
    expect(bad, JSON.stringify(bad, null, 2)).toEqual([]);
    expect([code, report.files[0].steps.length, report.skipped]).toEqual([0, steps, skipped]);
  });

  it('skips a manifest URL it has no copy of, with the reason', async () => {
    const page = join(sandbox.home, 'url.md');
    writeFileSync(page, '```shell\nkubectl apply -f https://k8s.io/examples/pods/simple-pod.yaml\n```\n');
    const { report } = await replayJson(page);
    expect(report.files[0].steps[0]).toMatchObject({
      status: 'skip',
      reason: 'fetches https://k8s.io/examples/pods/simple-pod.yaml; put a copy named simple-pod.yaml next to the transcript',
    });
  });

  it('fails a changed output with a unified diff, the table and the closing line, exit 1, no colour off a terminal', async () => {
    const page = join(sandbox.home, 'wrong.md');
    writeFileSync(page, '```console\n$ kubectl run web --image=nginx\npod/web created\n$ kubectl get pods\nNAME   READY   STATUS    RESTARTS   AGE\nweb    1/1     Running   3          9s\n$ minikube start\n```\n');
    const r = await sandbox.run(['replay', page]);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/\x1b\[/);
    expect(r.stdout).toContain(['  FAIL  ', `${page}:4  kubectl get pods`].join(''));
    expect(r.stdout).toContain('-web    1/1     Running   3          9s\n      +web    1/1     Running   0          5s');
    expect(r.stdout).toContain('skipped: minikube manages a real cluster or cloud; kubesim is the cluster');
    expect(r.stdout).toMatch(/│ Passed │ Failed │ Skipped │/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('1 passed, 1 failed, 1 skipped');
  });

  it('--update rewrites the outputs that differ in place and then replays green', async () => {
    const page = join(sandbox.home, 'update.md');
    const before = 'Run it:\n\n```shell\nkubectl run web --image=nginx\n```\n\nThe output is similar to:\n\n```\ndeployment.apps/web created\n```\n\n```console\n$ kubectl get pods\nNAME   READY   STATUS    RESTARTS   AGE\nweb    0/1     Pending   0          3s\n$ kubectl get pod web -o jsonpath={.spec.containers[0].image}\nnginx:1.14\n```\n';
    writeFileSync(page, before);
    const r = await sandbox.run(['replay', '--update', page]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('updated ');
    expect(readFileSync(page, 'utf8')).toBe(before.replace('0/1     Pending   0          3s', '1/1     Running   0          5s').replace('nginx:1.14', 'nginx'));
    expect((await sandbox.run(['replay', page])).stdout.trimEnd().split('\n').at(-1)).toBe('3 passed, 0 failed, 0 skipped');
  });

  it('--keep replays into the current cluster and leaves it as the page does, its clock following wall time again', async () => {
    const keep = new Sandbox();
    try {
      const page = join(keep.home, 'keep.md');
      writeFileSync(page, '```console\n$ kubectl run kept --image=nginx\npod/kept created\n$ kubectl get pods\nNAME   READY   STATUS    RESTARTS   AGE\nkept   1/1     Running   0          5s\n```\n');
      const r = await keep.run(['replay', '--keep', page]);
      expect([r.code, r.stdout.trimEnd().split('\n').at(-1)]).toEqual([0, '2 passed, 0 failed, 0 skipped']);
      expect((await keep.run(['get', 'pods', '-o', 'name'])).stdout).toBe('pod/kept\n');
      expect((await keep.run(['clock'])).stdout).toMatch(/\(following wall time\)\n$/);
      // without --keep the current cluster is not touched
      await keep.run(['replay', 'single-pod.md'].map((a) => (a.endsWith('.md') ? join(dir, a) : a)));
      expect((await keep.run(['get', 'pods', '-o', 'name'])).stdout).toBe('pod/kept\n');
    } finally {
      keep.dispose();
    }
  });

  it('runs commands as at a terminal: exec -it gives no "Unable to use a TTY" warning', async () => {
    const page = join(sandbox.home, 'tty.md');
    writeFileSync(page, '```console\n$ kubectl run web --image=nginx\npod/web created\n$ kubectl exec -it web -- cat /etc/hostname\nweb\n```\n');
    const { code, report } = await replayJson(page);
    expect([code, report.passed]).toEqual([0, 2]);
  });

  it('replays the kubernetes.io StatefulSet Basics tutorial (ordinals, stable storage, scaling, partitioned updates, cascading deletes)', async () => {
    const { code, report } = await replayJson('k8s-io/statefulset-basics.md');
    const steps = report.files[0].steps;
    expect(steps.filter((s) => s.status === 'fail'), JSON.stringify(steps.filter((s) => s.status === 'fail'), null, 2)).toEqual([]);
    // only the nslookup lines typed into `kubectl run -it` are skipped
    expect(steps.filter((s) => s.status === 'skip').map((s) => s.command)).toEqual(Array(4).fill(0).map((_, i) => `nslookup web-${i % 2}.nginx`));
    expect(code).toBe(0);
  });

  it('replays the kubernetes.io DNS for Services and Pods examples (subdomain records, dnsConfig resolv.conf)', async () => {
    const { code, report } = await replayJson('k8s-io/dns-pod-service.md');
    const steps = report.files[0].steps;
    expect(steps.filter((s) => s.status === 'fail'), JSON.stringify(steps.filter((s) => s.status === 'fail'), null, 2)).toEqual([]);
    expect([code, report.passed, report.failed, report.skipped]).toEqual([0, 8, 0, 0]);
  });

  it('replays the kubernetes.io Connecting Applications with Services tutorial (expose, endpoints, service env, TLS secret and configmap, NodePort)', async () => {
    const { code, report } = await replayJson('k8s-io/connect-applications-service.md');
    const steps = report.files[0].steps;
    expect(steps.filter((s) => s.status === 'fail'), JSON.stringify(steps.filter((s) => s.status === 'fail'), null, 2)).toEqual([]);
    expect([code, report.passed, report.failed, report.skipped]).toEqual([0, 22, 0, 0]);
  });

  it('--list prints the extracted commands and files with their line numbers', async () => {
    const r = await sandbox.run(['replay', '--list', 'shared-volume.txt']);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([
      'shared-volume.txt:8: # file mc1.yaml',
      'shared-volume.txt:35: kubectl apply -f mc1.yaml',
      'shared-volume.txt:40: kubectl get pods',
    ]);
  });

  it('says what is wrong with its arguments', async () => {
    expect(await sandbox.run(['replay'])).toMatchObject({ code: 1, stderr: expect.stringContaining('kubesim replay needs a transcript') });
    expect(await sandbox.run(['replay', '--step', 'soon', 'single-pod.md'])).toMatchObject({ code: 1, stderr: 'error: invalid --step "soon": use e.g. 5s, 1m\n' });
    expect(await sandbox.run(['replay', '--start', 'monday', 'single-pod.md'])).toMatchObject({ code: 1, stderr: 'error: invalid --start "monday": use a time such as 2026-01-05T09:00:00Z\n' });
    expect(await sandbox.run(['replay', '--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('kubesim replay FILE... [--keep] [--update]') });
    const missing = await replayJson('missing.md');
    expect([missing.code, missing.report.failed]).toEqual([1, 1]);
  });
});
