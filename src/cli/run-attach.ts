// `kubectl run -i/--attach [--rm] [-t]`: waits for the pod's container, shows its output (or an
// interactive shell with -it), deletes the pod with --rm, and ends with the container's exit code.
import { CliError } from '../api/errors.js';
import type { KObj } from '../api/types.js';
import { PodRuntime } from '../runtime/pod.js';
import { logText, runtimeOf } from '../runtime/state.js';
import type { Cluster } from '../sim/engine.js';
import { POD } from '../sim/keys.js';
import type { IO } from './io.js';
import { withCluster } from './session.js';
import { waitUntil } from './waiting.js';
import { bool, type Parsed } from './flags.js';
import type { PropagationPolicy } from '../api/server.js';

function containerState(c: Cluster, ns: string, name: string): KObj | undefined {
  return c.api.peek(POD, ns, name)?.status?.containerStatuses?.[0];
}

export async function attachRun(io: IO, p: Parsed, pod: KObj, rm: boolean, tty: boolean, cascade: PropagationPolicy = 'Background'): Promise<number> {
  const name = pod.metadata.name;
  let ns = '';
  let printed = 0;
  let result: { code: number; reason: string; message: string; running: boolean; done: boolean } = { code: 0, reason: '', message: '', running: false, done: false };
  const terminated = (c: Cluster) => {
    const cur = c.api.peek(POD, ns, name);
    return !cur || Boolean(containerState(c, ns, name)?.state?.terminated) || cur.status?.phase === 'Succeeded' || cur.status?.phase === 'Failed';
  };
  /** Prints what the container wrote since the last look, and notes how it stands. */
  const look = async (c: Cluster) => {
    const cur = c.api.peek(POD, ns, name);
    if (cur) await PodRuntime.of(c, cur).advance(c.now());
    const log = cur ? runtimeOf(c.state)[cur.metadata.uid]?.containers[name]?.log ?? [] : [];
    // what is new since the last look, by text: the last entry may have been open and grown since
    const text = log.map(logText).join('');
    if (text.length < printed) printed = 0; // a new run of the container: its log starts anew
    io.stdout.write(text.slice(printed));
    printed = text.length;
    const st = containerState(c, ns, name);
    const term = st?.state?.terminated ?? st?.lastState?.terminated;
    result = { code: term?.exitCode ?? 0, reason: term?.reason ?? '', message: term?.message ?? '', running: Boolean(st?.state?.running), done: terminated(c) };
  };
  await withCluster(io, p, 'write', async (s) => {
    ns = s.namespace;
    s.cluster.api.create(POD, { ...pod, metadata: { ...pod.metadata, namespace: s.namespace } });
  });
  // kubectl waits for the container to run (--pod-running-timeout, 1m) before it attaches
  const started = await waitUntil(io, p, {
    check: (c) => (containerState(c, ns, name)?.state?.running || terminated(c) ? true : undefined),
    timeoutMs: 60_000,
  });
  if (started.timedOut) throw new CliError('timed out waiting for the condition');
  const interactive = tty && io.stdinIsTTY && io.readLine;
  if (interactive) {
    if (!bool(p, 'quiet')) io.stderr.write("If you don't see a command prompt, try pressing enter.\n");
    const { default: exec } = await import('./exec.js');
    await exec(['-n', ns, '-it', name, '--', ...(pod.spec.containers[0].command ?? pod.spec.containers[0].args ?? ['sh'])], io);
  } else {
    // piped input goes to the container's stdin, then the output is followed until the container ends
    if (pod.spec.containers[0].stdin && !io.stdinIsTTY) {
      const input = await io.readStdin();
      await withCluster(io, p, 'write', async (s) => {
        const cur = s.cluster.api.peek(POD, ns, name);
        if (cur) await PodRuntime.of(s.cluster, cur).feedStdin(name, input, s.cluster.now());
      });
    }
    await waitUntil(io, p, {
      check: async (c) => {
        await look(c);
        return result.done ? true : undefined;
      },
      timeoutMs: Infinity,
      frozenLimitMs: 60_000,
    });
  }
  if (rm) {
    await withCluster(io, p, 'write', (s) => {
      s.cluster.api.delete(POD, ns, name, { gracePeriodSeconds: 0, propagationPolicy: cascade });
      const left = s.cluster.api.peek(POD, ns, name);
      if (left) s.cluster.api.remove(POD, ns, name);
    });
    // kubectl's delete options take run's --quiet
    if (!bool(p, 'quiet')) io.stdout.write(`pod "${name}" deleted${ns !== 'default' ? ` from ${ns} namespace` : ''}\n`);
  } else if (interactive && (pod.spec.restartPolicy ?? 'Always') === 'Always') {
    // kubectl 1.32's reattachMessage: only for a pod that restarts its containers
    io.stdout.write(`Session ended, resume using 'kubectl attach ${name} -c ${name} -i -t' command when the pod is running\n`);
  }
  if (result.code !== 0 && pod.spec.restartPolicy === 'Never') {
    // kubectl's CodeExitError: printed as it is (no `error: ` prefix), with the termination message
    throw new CliError(`pod ${ns}/${name} terminated (${result.reason})\n${result.message}`, result.code, true);
  }
  return 0;
}
