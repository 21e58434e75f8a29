// `kubectl run -i/--attach [--rm] [-t]`: waits for the pod's container, shows its output (or an
// interactive shell with -it), deletes the pod with --rm, and ends with the container's exit code.
import { CliError } from '../api/errors.js';
import type { KObj } from '../api/types.js';
import { PodRuntime } from '../runtime/pod.js';
import { logText, runtimeOf } from '../runtime/state.js';
import type { Cluster } from '../sim/engine.js';
import { POD } from '../sim/keys.js';
import type { IO } from './io.js';
import { withCluster, type Session } from './session.js';
import type { Parsed } from './flags.js';

function containerState(c: Cluster, ns: string, name: string): KObj | undefined {
  return c.api.peek(POD, ns, name)?.status?.containerStatuses?.[0];
}

/** With a frozen clock, runs the simulation forward until `done` (or the limit), moving the clock. */
async function settle(c: Cluster, done: () => boolean, limitMs: number): Promise<void> {
  const deadline = c.now() + limitMs;
  while (!done() && c.state.timers.length && c.state.timers[0].at <= deadline) await c.runUntil(c.state.timers[0].at);
  c.state.clock.frozenAt = Math.max(c.state.clock.frozenAt, c.now());
}

export async function attachRun(io: IO, p: Parsed, pod: KObj, rm: boolean, tty: boolean): Promise<number> {
  const name = pod.metadata.name;
  let ns = '';
  let printed = 0;
  let result: { code: number; reason: string; running: boolean; done: boolean } = { code: 0, reason: '', running: false, done: false };
  const step = async (s: Session, finalWait: boolean) => {
    const c = s.cluster;
    const st = () => containerState(c, ns, name);
    const terminated = () => Boolean(st()?.state?.terminated) || c.api.peek(POD, ns, name)?.status?.phase === 'Succeeded' || c.api.peek(POD, ns, name)?.status?.phase === 'Failed';
    if (c.state.clock.mode === 'frozen') await settle(c, () => (finalWait ? terminated() : Boolean(st()?.state?.running) || terminated()), 60_000);
    const cur = c.api.peek(POD, ns, name);
    if (cur) await PodRuntime.of(c, cur).advance(c.now());
    const log = cur ? runtimeOf(c.state)[cur.metadata.uid]?.containers[name]?.log ?? [] : [];
    // what is new since the last step, by text: the last entry may have been open and grown since
    const text = log.map(logText).join('');
    if (text.length < printed) printed = 0; // a new run of the container: its log starts anew
    io.stdout.write(text.slice(printed));
    printed = text.length;
    const s2 = st();
    const term = s2?.state?.terminated ?? s2?.lastState?.terminated;
    const phase = cur?.status?.phase;
    result = { code: term?.exitCode ?? 0, reason: term?.reason ?? '', running: Boolean(s2?.state?.running), done: !cur || Boolean(s2?.state?.terminated) || phase === 'Succeeded' || phase === 'Failed' };
  };
  await withCluster(io, p, 'write', async (s) => {
    ns = s.namespace;
    s.cluster.api.create(POD, { ...pod, metadata: { ...pod.metadata, namespace: s.namespace } });
  });
  const interactive = tty && io.stdinIsTTY && io.readLine;
  if (interactive) {
    await withCluster(io, p, 'write', (s) => step(s, false));
    io.stderr.write("If you don't see a command prompt, try pressing enter.\n");
    const { default: exec } = await import('./exec.js');
    await exec(['-n', ns, '-it', name, '--', ...(pod.spec.containers[0].command ?? pod.spec.containers[0].args ?? ['sh'])], io);
  } else {
    // follow the container until it ends (wall clock), or settle in simulated time (frozen clock)
    for (;;) {
      await withCluster(io, p, 'write', (s) => step(s, true));
      const frozen = await withCluster(io, p, 'read', (s) => s.cluster.state.clock.mode === 'frozen');
      if (frozen || result.done || !io.sleep) break;
      await io.sleep(500);
    }
  }
  if (rm) {
    await withCluster(io, p, 'write', (s) => {
      s.cluster.api.delete(POD, ns, name, { gracePeriodSeconds: 0 });
      const left = s.cluster.api.peek(POD, ns, name);
      if (left) s.cluster.api.remove(POD, ns, name);
    });
    io.stdout.write(`pod "${name}" deleted${ns !== 'default' ? ` from ${ns} namespace` : ''}\n`);
  } else if (interactive) {
    io.stdout.write(`Session ended, resume using 'kubectl attach ${name} -c ${name} -i -t' command when the pod is running\n`);
  }
  if (result.code !== 0 && pod.spec.restartPolicy === 'Never') throw new CliError(`pod ${ns}/${name} terminated (${result.reason})`, result.code, false);
  return 0;
}
