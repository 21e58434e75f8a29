import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTranscript } from './parse.js';
import { Runner, type CliResult, type Host } from './run.js';

/** A CLI that records its calls and answers from a table. */
function fakeHost(answers: Record<string, string> = {}) {
  const calls: { argv: string[]; stdin: string; vars: Record<string, string> }[] = [];
  const host: Host = {
    verbs: ['run', 'get', 'apply', 'clock', 'delete', 'describe'],
    async cli(argv, stdin, _cwd, vars): Promise<CliResult> {
      calls.push({ argv, stdin, vars: { ...vars } });
      const out = answers[argv.join(' ')] ?? '';
      const code = out.startsWith('error') ? 1 : 0;
      return { stdout: code ? '' : out, stderr: code ? out : '', combined: out, code };
    },
    // the clock moves with the next command; recorded here as a call of its own
    advance: (ms) => void calls.push({ argv: ['clock', 'advance', `${ms}ms`], stdin: '', vars: {} }),
    flush: async () => undefined,
  };
  return { host, calls };
}

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function runner(host: Host, stepMs = 5000) {
  const scratch = mkdtempSync(join(tmpdir(), 'replay-run-'));
  dirs.push(scratch);
  return { scratch, r: new Runner(host, { stepMs, scratch, baseDir: scratch }) };
}

describe('Runner', () => {
  it('advances the clock by the step, by sleeps and by the waits the text asks for', async () => {
    const { host, calls } = fakeHost();
    const text = '$ kubectl get pods\n$ kubectl get pods\n$ sleep 30\n$ kubectl get pods\n\nWait 2 minutes.\n\n$ kubectl get pods\n';
    await runner(host).r.run(parseTranscript(text));
    expect(calls.map((c) => c.argv.join(' '))).toEqual([
      'get pods',
      'clock advance 5000ms',
      'get pods',
      'clock advance 5000ms',
      'clock advance 30000ms',
      'get pods',
      'clock advance 120000ms',
      'get pods',
    ]);
  });

  it('keeps exports, writes files, feeds heredocs, takes watch once and skips what it cannot run', async () => {
    const { host, calls } = fakeHost({ 'apply -f pod.yaml': 'pod/web created\n' });
    const text = [
      '$ export NS=dev', '$ cat <<EOF > pod.yaml', 'kind: Pod', 'EOF', '$ kubectl apply -f pod.yaml', 'pod/web created',
      '$ kubectl apply -f - <<EOF', 'kind: Namespace', 'EOF', '$ watch -n 1 kubectl get pods', '$ kubectl rollout status deploy/web',
      '$ kubectl port-forward pod/web 8080:80', '$ minikube ip', '$ curl http://example.com', '$ helm install x y',
      '$ kubectl rollout history deploy/web | head -3',
    ].join('\n');
    const { r, scratch } = runner(host, 0);
    const res = await r.run(parseTranscript(text));
    expect(readFileSync(join(scratch, 'pod.yaml'), 'utf8')).toBe('kind: Pod\n');
    expect(calls.map((c) => [c.argv.join(' '), c.stdin, c.vars.NS])).toEqual([
      ['apply -f pod.yaml', '', 'dev'],
      ['apply -f -', 'kind: Namespace\n', 'dev'],
      ['get pods', '', 'dev'],
    ]);
    expect(res.map((s) => [s.command, s.status, s.reason])).toEqual([
      ['export NS=dev', 'ran', undefined],
      ['kubectl apply -f pod.yaml', 'pass', undefined],
      ['kubectl apply -f -', 'ran', undefined],
      ['watch -n 1 kubectl get pods', 'ran', undefined],
      ['kubectl rollout status deploy/web', 'skip', 'kubesim has no "kubectl rollout" yet'],
      ['kubectl port-forward pod/web 8080:80', 'skip', 'kubectl port-forward runs until interrupted'],
      ['minikube ip', 'skip', 'minikube manages a real cluster or cloud; kubesim is the cluster'],
      ['curl http://example.com', 'skip', 'curl reaches the network or the host'],
      ['helm install x y', 'skip', 'helm is not simulated'],
      ['kubectl rollout history deploy/web | head -3', 'skip', 'kubesim has no "kubectl rollout" yet'],
    ]);
  });

  it('resolves Windows paths by name and fails a command without shown output that exits non-zero', async () => {
    const { host, calls } = fakeHost({ 'delete pod gone': 'error: pods "gone" not found' });
    const text = 'pod.yaml:\napiVersion: v1\nkind: Pod\n\nPS C:\\> kubectl apply -f .\\03-workloads\\pod.yaml\nPS C:\\> kubectl delete pod gone\n';
    const { r, scratch } = runner(host, 0);
    const res = await r.run(parseTranscript(text));
    expect(calls[0].argv).toEqual(['apply', '-f', join(scratch, 'pod.yaml')]);
    expect(res[1]).toMatchObject({ status: 'fail', reason: 'exited 1; the transcript shows no output', actual: 'error: pods "gone" not found' });
  });

  it('binds names across commands', async () => {
    const { host } = fakeHost({ 'get pods -o name': 'pod/web-7c9d8f6b5d-abcde\n', 'delete pod web-7c9d8f6b5d-abcde': 'pod "web-7c9d8f6b5d-abcde" deleted\n' });
    const text = '$ kubectl get pods -o name\npod/web-5d4b8c7f9d-x2k8q\n$ kubectl delete pod web-7c9d8f6b5d-abcde\npod "web-5d4b8c7f9d-x2kzz" deleted\n';
    const res = await runner(host).r.run(parseTranscript(text));
    expect(res.map((s) => s.status)).toEqual(['pass', 'fail']);
  });

  it('reports known drift from an older kubectl as older, with the rule, not as failed', async () => {
    const { host, calls } = fakeHost({ 'run nginx --image=nginx': 'pod/nginx created\n', 'get deploy': 'NAME   READY\n' });
    const text = '$ kubectl run nginx --image=nginx --generator=run-pod/v1\npod/nginx created\n$ kubectl run nginx --image=nginx\ndeployment.apps/nginx created\n$ kubectl get deploy\nNAME   READY   UP-TO-DATE\n';
    const res = await runner(host, 0).r.run(parseTranscript(text));
    expect(calls[0].argv).toEqual(['run', 'nginx', '--image=nginx']);
    expect(res.map((s) => [s.status, s.rules])).toEqual([
      ['older', ['kubectl 1.18 removed --generator (kubectl run creates a Pod)']],
      ['older', ['kubectl run creates a Pod since 1.18 (older: a Deployment)']],
      ['fail', undefined],
    ]);
  });

  it('--exact runs commands as written and matches stdout, "! " stderr lines and [exit N] byte for byte, ids masked', async () => {
    const { host, calls } = fakeHost({
      'run nginx --image=nginx --generator=run-pod/v1': 'error: unknown flag: --generator\nSee help',
      'get pod web -o name': 'pod/web \n',
      'get pod web -o jsonpath={.metadata.uid}': '0b5c8a9e-1f2d-4c3b-9a8e-7d6c5b4a3f21',
    });
    const text = [
      '$ kubectl run nginx --image=nginx --generator=run-pod/v1', '! error: unknown flag: --generator', '! See help', '[exit 1]',
      '$ kubectl get pod web -o name', 'pod/web', '$ kubectl get pod web -o jsonpath={.metadata.uid}', '<UID>', '$ kubectl get pod other',
    ].join('\n');
    const r = new Runner(host, { stepMs: 0, scratch: runner(host).scratch, baseDir: '.', exact: true });
    const res = await r.run(parseTranscript(text));
    expect(calls[0].argv).toEqual(['run', 'nginx', '--image=nginx', '--generator=run-pod/v1']);
    expect(res.map((s) => [s.status, s.actual])).toEqual([
      ['pass', '! error: unknown flag: --generator\n! See help\n[exit 1]'],
      ['fail', 'pod/web '],
      ['pass', '<UID>'],
      ['ran', ''],
    ]);
    expect(res[1].diff).toBe('--- expected\n+++ actual\n@@ -1 +1 @@\n-pod/web\n+pod/web \n');
  });

  it('keeps cd and variables set from commands for later commands', async () => {
    const { host, calls } = fakeHost({ 'get pods -o name': 'pod/web-1\n' });
    const text = [
      '$ mkdir -p lab', '$ cd lab', '$ cat > pod.yaml <<EOF', 'kind: Pod', 'EOF', '$ kubectl apply -f pod.yaml', '$ POD=$(kubectl get pods -o name)',
      '$ kubectl describe $POD', '$ cd nowhere',
    ].join('\n');
    const { r, scratch } = runner(host, 0);
    const res = await r.run(parseTranscript(text));
    expect(readFileSync(join(scratch, 'lab', 'pod.yaml'), 'utf8')).toBe('kind: Pod\n');
    expect(calls.map((c) => c.argv.join(' '))).toEqual(['apply -f pod.yaml', 'get pods -o name', 'describe pod/web-1']);
    expect(res.map((s) => s.status)).toEqual(['ran', 'ran', 'ran', 'ran', 'ran', 'skip']);
  });

  it('passes a separate output block that shows part of the output, with a note', async () => {
    const { host } = fakeHost({ 'describe pod web': 'Name:  web\nStatus:  Running\nEvents:\n  Type    Reason     Age   From     Message\n  Normal  Started    7s    kubelet  Started container web\n' });
    const page = (shown: string) => `\`\`\`shell\nkubectl describe pod web\n\`\`\`\n\nThe output is similar to:\n\n\`\`\`\n${shown}\n\`\`\`\n`;
    const [a] = await runner(host).r.run(parseTranscript(page('Type    Reason     Age   From     Message\nNormal  Started    9s    kubelet  Started container web')));
    expect(a).toMatchObject({ status: 'pass', reason: 'the page shows part of the output' });
    const [b] = await runner(host).r.run(parseTranscript(page('Normal  Started    9s    kubelet, node01  Started container web')));
    expect(b).toMatchObject({ status: 'older', reason: 'the page shows part of the output' });
    const [c] = await runner(host).r.run(parseTranscript(page('Normal  Killing    9s    kubelet  Stopping container web')));
    expect(c.status).toBe('fail');
    // a console block is the whole output
    const [d] = await runner(host).r.run(parseTranscript('$ kubectl describe pod web\nStatus:  Running\n'));
    expect(d.status).toBe('fail');
  });

  it('runs the commands typed into `kubectl exec -it … -- sh` in the container, until exit', async () => {
    const { host, calls } = fakeHost({ 'exec web -c app -- bash -c cat /tmp/x': 'hello\n' });
    const text = [
      '$ kubectl exec -it web -c app -- bash', 'root@web:/# echo hello > /tmp/x', 'root@web:/# cat /tmp/x', 'hello', 'root@web:/# exit',
      '$ kubectl run t --rm -ti --image=busybox -- sh', '/ # nslookup web', '/ # exit', '$ kubectl get pods',
    ].join('\n');
    const res = await runner(host, 0).r.run(parseTranscript(text));
    expect(calls.map((c) => c.argv)).toEqual([
      ['exec', 'web', '-c', 'app', '--', 'bash', '-c', 'echo hello > /tmp/x'],
      ['exec', 'web', '-c', 'app', '--', 'bash', '-c', 'cat /tmp/x'],
      ['get', 'pods'],
    ]);
    expect(res.map((s) => s.status)).toEqual(['ran', 'ran', 'pass', 'ran', 'skip', 'skip', 'ran', 'ran']);
  });

  it('leaves the container shell when the page is back at its own prompt or runs kubectl, without exit', async () => {
    const { host, calls } = fakeHost();
    const text = [
      'ubuntu@lab:~$ kubectl exec -it web -- sh', '/ # hostname', 'ubuntu@lab:~$ ls', '', '```console', '$ kubectl exec -it web -- sh', '/ # id', '```', '',
      'Then:', '', '```shell', 'kubectl get pods', '```',
    ].join('\n');
    await runner(host, 0).r.run(parseTranscript(text));
    expect(calls.map((c) => c.argv.join(' '))).toEqual(['exec web -- sh -c hostname', 'exec web -- sh -c id', 'get pods']);
  });
});
