// kubectl attach: the main program's output from the moment of attaching, its stdin with -i, a
// terminal session with -it, in both clock modes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

let sb: Sandbox;
beforeEach(() => {
  sb = new Sandbox();
});
afterEach(() => sb.dispose());

const TICKER = ['run', 'ticker', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'i=0; while [ $i -lt 5 ]; do echo tick $i; i=$((i+1)); sleep 2; done'];

/** A pod whose shell waits on its stdin (as `run -i` leaves one, without attaching). */
function shellPod(name: string, tty: boolean): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { restartPolicy: 'Never', containers: [{ name, image: 'busybox', command: ['sh'], stdin: true, stdinOnce: true, tty }] },
  });
}

describe('kubectl attach', () => {
  it('with a frozen clock, follows the output from now until the container ends', async () => {
    await sb.run(['clock', 'freeze']);
    await sb.run(TICKER);
    await sb.run(['clock', 'advance', '5s']);
    const r = await sb.run(['attach', 'ticker']);
    expect(r.stdout).toBe('tick 2\ntick 3\ntick 4\n');
    // kubectl 1.32's AttachOptions.Run prints the hint unless --quiet, with or without -i
    expect([r.stderr, r.code]).toEqual(["If you don't see a command prompt, try pressing enter.\n", 0]);
    const done = await sb.run(['attach', 'ticker']);
    expect(done.stderr).toBe('error: cannot attach a container in a completed pod; current phase is Succeeded\n');
  });

  it('following wall time, follows it in wall time', async () => {
    await sb.run(TICKER);
    sb.wall += 5000;
    const r = await sb.run(['attach', 'pod', 'ticker']);
    expect(r.stdout).toBe('tick 2\ntick 3\ntick 4\n');
  });

  it('-i sends piped input to a shell waiting on its stdin', async () => {
    await sb.run(['clock', 'freeze']);
    await sb.run(['create', '-f', '-'], shellPod('sh', false));
    await sb.run(['clock', 'advance', '5s']);
    const r = await sb.run(['attach', 'sh', '-i'], 'echo via-attach\n');
    expect(r.stdout).toBe('via-attach\n');
    expect(r.stderr).toBe("If you don't see a command prompt, try pressing enter.\n");
    expect((await sb.run(['get', 'pod', 'sh', '-o', 'jsonpath={.status.phase}'])).stdout).toBe('Succeeded');
  });

  it('-it on a terminal gives the shell, then the resume hint', async () => {
    await sb.run(['create', '-f', '-'], shellPod('box', true));
    const { stdout: out, stderr: err, code } = await sb.terminal(['attach', 'box', '-i', '-t'], ['echo hello-from-attach', 'exit']);
    expect(code).toBe(0);
    expect(out).toContain('hello-from-attach');
    // kubectl 1.32's reattachMessage: none for a pod whose restartPolicy is not Always
    expect(out).not.toContain('Session ended');
    expect(err).toBe("If you don't see a command prompt, try pressing enter.\n");
  });

  it("says what kubectl says for bad arguments", async () => {
    const r = await sb.run(['attach']);
    expect([r.stderr, r.code]).toEqual(["error: at least 1 argument is required for attach\nSee 'kubectl attach -h' for help and examples\n", 1]);
    const nf = await sb.run(['attach', 'nope']);
    expect(nf.stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
  });
});
