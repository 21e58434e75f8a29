// kubectl attach (POD | TYPE/NAME) [-c CONTAINER] [-i] [-t]: joins a running container's main
// program — its output from now on until it ends, its stdin with -i (piped input, or a terminal
// session with a shell), through the shared wait in both clock modes.
import { CliError } from '../api/errors.js';
import type { KObj } from '../api/types.js';
import { PodRuntime } from '../runtime/pod.js';
import { logText, runtimeOf } from '../runtime/state.js';
import { parseDuration } from '../sim/clock.js';
import type { Cluster } from '../sim/engine.js';
import { POD } from '../sim/keys.js';
import { bool, parseFlags, str } from './flags.js';
import type { IO } from './io.js';
import { findPod, pickContainer, usageError } from './pod-target.js';
import { withCluster } from './session.js';
import { waitUntil } from './waiting.js';

const FLAGS = [
  { name: 'container', short: 'c', type: 'string' as const, default: '' },
  { name: 'stdin', short: 'i', type: 'bool' as const, default: false },
  { name: 'tty', short: 't', type: 'bool' as const, default: false },
  { name: 'quiet', short: 'q', type: 'bool' as const, default: false },
  { name: 'pod-running-timeout', type: 'duration' as const, default: '1m0s' },
];

function statusOf(pod: KObj | undefined, name: string): KObj | undefined {
  return [...(pod?.status?.containerStatuses ?? []), ...(pod?.status?.initContainerStatuses ?? []), ...(pod?.status?.ephemeralContainerStatuses ?? [])].find((s: KObj) => s.name === name);
}

function logOf(c: Cluster, pod: KObj, name: string): string {
  return (runtimeOf(c.state)[pod.metadata.uid]?.containers[name]?.log ?? []).map(logText).join('');
}

export default async function attach(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'attach');
  if (!p.args.length) throw usageError('attach', 'at least 1 argument is required for attach');
  if (p.args.length > 2) throw usageError('attach', `expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw ${p.args.length}: [${p.args.join(' ')}]`);
  const ref = p.args.length === 2 ? `${p.args[0]}/${p.args[1]}` : p.args[0];
  const timeoutMs = parseDuration(str(p, 'pod-running-timeout'));
  if (timeoutMs === undefined || timeoutMs <= 0) throw new CliError('--pod-running-timeout must be higher than zero');
  const quiet = bool(p, 'quiet');
  // which pod and container, as exec picks them
  const target = await withCluster(io, p, 'read', (s) => {
    const pod = findPod(s.cluster, s.namespace, ref, io);
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') throw new CliError(`cannot attach a container in a completed pod; current phase is ${phase}`);
    return { ns: pod.metadata.namespace as string, pod: pod.metadata.name as string, uid: pod.metadata.uid as string, container: pickContainer(pod, str(p, 'container'), io, quiet) };
  });
  const current = (c: Cluster) => {
    const pod = c.api.peek(POD, target.ns, target.pod);
    return pod?.metadata.uid === target.uid ? pod : undefined;
  };
  const started = await waitUntil(io, p, {
    check: (c) => (statusOf(current(c), target.container)?.state?.running || !current(c) ? true : undefined),
    timeoutMs,
  });
  if (started.timedOut) throw new CliError('timed out waiting for the condition');
  let restartAlways = true;
  let ephemeral = false;
  const spec = await withCluster(io, p, 'read', (s) => {
    const pod = current(s.cluster);
    restartAlways = (pod?.spec?.restartPolicy ?? 'Always') === 'Always';
    ephemeral = (pod?.spec?.ephemeralContainers ?? []).some((x: KObj) => x.name === target.container);
    return [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? []), ...(pod?.spec?.ephemeralContainers ?? [])].find((x: KObj) => x.name === target.container) as KObj | undefined;
  });
  const stdin = bool(p, 'stdin') && Boolean(spec?.stdin);
  const tty = bool(p, 'tty') && stdin && Boolean(spec?.tty);
  // AttachOptions.Run (kubectl 1.32): the container's TTY, then SetupTTY's check of the input, then the hint
  if (bool(p, 'tty') && !spec?.tty && !quiet) io.stderr.write(`error: Unable to use a TTY - container ${target.container} did not allocate one\n`);
  if (stdin && spec?.tty && !io.stdinIsTTY && !quiet) io.stderr.write('Unable to use a TTY - input is not a terminal or the right kind of file\n');
  if (!quiet) io.stderr.write("If you don't see a command prompt, try pressing enter.\n");
  if (tty && io.stdinIsTTY && io.readLine) {
    // a terminal on the main program: a shell session, as exec gives one
    const { default: exec } = await import('./exec.js');
    const command: string[] = spec?.command ?? spec?.args ?? ['sh'];
    await exec(['-n', target.ns, '-it', target.pod, '-c', target.container, '--', ...command], io);
    // reattachMessage (kubectl 1.32): only for a pod that restarts its containers
    if (!quiet && restartAlways) {
      const again = `'kubectl attach ${target.pod} -c ${target.container} -i -t'`;
      io.stdout.write(ephemeral ? `Session ended, the ephemeral container will not be restarted but may be reattached using ${again} if it is still running\n` : `Session ended, resume using ${again} command when the pod is running\n`);
    }
    return 0;
  }
  // what the container prints from now on
  let printed = await withCluster(io, p, 'read', async (s) => {
    const pod = current(s.cluster);
    if (!pod) return 0;
    await PodRuntime.of(s.cluster, pod).advance(s.cluster.now());
    return logOf(s.cluster, pod, target.container).length;
  });
  if (stdin && !io.stdinIsTTY) {
    const input = await io.readStdin();
    await withCluster(io, p, 'write', async (s) => {
      const pod = current(s.cluster);
      if (pod) await PodRuntime.of(s.cluster, pod).feedStdin(target.container, input, s.cluster.now());
    });
  }
  await waitUntil(io, p, {
    check: async (c) => {
      const pod = current(c);
      if (!pod) return true;
      await PodRuntime.of(c, pod).advance(c.now());
      const text = logOf(c, pod, target.container);
      if (text.length < printed) printed = 0;
      io.stdout.write(text.slice(printed));
      printed = text.length;
      return statusOf(current(c), target.container)?.state?.running ? undefined : true;
    },
    timeoutMs: Infinity,
    frozenLimitMs: 60_000,
  });
  return 0;
}
