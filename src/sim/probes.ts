// Probes and lifecycle hooks, evaluated against what the container's programs actually do:
// exec runs in the container's shell, httpGet asks whatever serves the port, tcpSocket and grpc
// look for a listener. Results drive READY, restarts (Killing … will be restarted) and Unhealthy
// events with kubelet's texts. A probe whose result has settled skips ahead when far behind a long catch-up.
import type { KObj } from '../api/types.js';
import { PodRuntime } from '../runtime/pod.js';
import { runtimeOf } from '../runtime/state.js';
import type { Cluster } from './engine.js';
import { recordEvent } from './events.js';
import { POD } from './keys.js';
import { containerRef, fetchPod, kubeletSource, peekPod, refreshReadiness } from './pod-status.js';
import { breakTurns, skipTurns } from './skip.js';

const KINDS = ['startup', 'liveness', 'readiness'] as const;
type Kind = (typeof KINDS)[number];
const TITLE: Record<Kind, string> = { startup: 'Startup', liveness: 'Liveness', readiness: 'Readiness' };

interface Outcome {
  ok: boolean;
  message: string;
}

function portOf(spec: KObj, port: number | string): number {
  if (typeof port === 'number' || /^\d+$/.test(String(port))) return Number(port);
  for (const p of spec.ports ?? []) if (p.name === port) return Number(p.containerPort);
  return 0;
}

async function httpCheck(c: Cluster, pod: KObj, spec: KObj, h: KObj, agent: string): Promise<Outcome> {
  const ip = pod.status.podIP;
  const port = portOf(spec, h.port);
  const path = h.path ?? '/';
  const scheme = (h.scheme ?? 'HTTP').toLowerCase();
  const url = `${scheme}://${ip}:${port}${path}`;
  const r = await PodRuntime.of(c, pod).http(port, 'GET', path, pod.status.hostIP ?? '192.168.49.2', agent);
  if (r === 'refused') return { ok: false, message: `Get "${url}": dial tcp ${ip}:${port}: connect: connection refused` };
  if (r.status >= 400) return { ok: false, message: `HTTP probe failed with statuscode: ${r.status}` };
  return { ok: true, message: '' };
}

async function evaluate(c: Cluster, pod: KObj, spec: KObj, probe: KObj): Promise<Outcome> {
  const rt = PodRuntime.of(c, pod);
  const ip = pod.status.podIP;
  if (probe.exec) {
    await rt.advance(c.now());
    const r = await rt.exec(spec.name, probe.exec.command ?? []);
    if (r.notFound) return { ok: false, message: `OCI runtime exec failed: exec failed: unable to start container process: exec: "${probe.exec.command?.[0]}": executable file not found in $PATH: unknown` };
    // the CRI's ExecSync deadline: a command that never ends, or outlasts timeoutSeconds, times out
    if (r.endless || (r.elapsedMs ?? 0) > Number(probe.timeoutSeconds ?? 1) * 1000) return { ok: false, message: `command ${JSON.stringify((probe.exec.command ?? []).join(' '))} timed out` };
    return { ok: r.exitCode === 0, message: (r.stdout + r.stderr).replace(/\n$/, '') };
  }
  if (probe.httpGet) return httpCheck(c, pod, spec, probe.httpGet, 'kube-probe/1.32');
  if (probe.tcpSocket) {
    const port = portOf(spec, probe.tcpSocket.port);
    return rt.listener(port) ? { ok: true, message: '' } : { ok: false, message: `dial tcp ${ip}:${port}: connect: connection refused` };
  }
  if (probe.grpc) {
    const port = Number(probe.grpc.port);
    return rt.listener(port) ? { ok: true, message: '' } : { ok: false, message: `timeout: failed to connect service "${ip}:${port}" within 1s: context deadline exceeded` };
  }
  return { ok: true, message: '' };
}

interface ProbeCounters {
  ok: number;
  fail: number;
  /** the last failure's message */
  msg?: string;
}

function counters(c: Cluster, pod: KObj, name: string, kind: Kind): ProbeCounters {
  const rt = runtimeOf(c.state)[pod.metadata.uid] as { probes?: Record<string, ProbeCounters> } | undefined;
  if (!rt) return { ok: 0, fail: 0 };
  return ((rt.probes ??= {})[`${name}/${kind}`] ??= { ok: 0, fail: 0 });
}

export function startProbes(c: Cluster, key: string, name: string): void {
  const pod = peekPod(c, key);
  const ref = pod && containerRef(pod, name);
  if (!pod || !ref?.status) return;
  for (const kind of KINDS) {
    const probe = ref.spec[`${kind}Probe`];
    if (!probe) continue;
    Object.assign(counters(c, pod, name, kind), { ok: 0, fail: 0 });
    c.schedule((probe.initialDelaySeconds ?? 0) * 1000, 'kubelet-probe', key, { name, kind, cid: ref.status.containerID });
  }
}

export async function probeTick(c: Cluster, key: string, data: Record<string, unknown>): Promise<void> {
  const name = String(data.name);
  const kind = data.kind as Kind;
  const pod = fetchPod(c, key);
  const ref = pod && containerRef(pod, name);
  const st = ref?.status;
  if (!pod || !ref || !st || pod.metadata.deletionTimestamp || st.containerID !== data.cid || !st.state?.running) return;
  if (runtimeOf(c.state)[pod.metadata.uid]?.containers[name]?.stopping !== undefined) return;
  const probe = ref.spec[`${kind}Probe`];
  const period = (probe.periodSeconds ?? 10) * 1000;
  if (kind === 'startup' && st.started) return;
  c.schedule(period, 'kubelet-probe', key, data);
  if (kind !== 'startup' && ref.spec.startupProbe && !st.started) return;
  const r = await evaluate(c, pod, ref.spec, probe);
  const cnt = counters(c, pod, name, kind);
  const fresh = fetchPod(c, key)!;
  const fst = containerRef(fresh, name)!.status!;
  // a tick that leaves the probe where it was (steady outcome, nothing left to change) may be one of a run of such ticks
  const settled = r.ok
    ? kind === 'liveness' || (kind === 'readiness' && fst.ready && cnt.ok >= (probe.successThreshold ?? 1))
    : kind === 'readiness' && !fst.ready && cnt.fail >= (probe.failureThreshold ?? 3) && cnt.msg === r.message;
  cnt.msg = r.ok ? undefined : r.message;
  if (r.ok) {
    cnt.fail = 0;
    cnt.ok++;
  } else {
    cnt.ok = 0;
    cnt.fail++;
    recordEvent(c, fresh, 'Warning', 'Unhealthy', `${TITLE[kind]} probe failed: ${r.message}`, kubeletSource(fresh), ref.fieldPath);
  }
  if (settled) {
    await skipSettled(c, key, fresh, name, kind, period, data);
    return;
  }
  breakTurns(c, fresh, `probe:${name}/${kind}`);
  if (r.ok) {
    if (cnt.ok < (probe.successThreshold ?? 1)) return;
    if (kind === 'readiness' && !fst.ready) {
      fst.ready = true;
      refreshReadiness(c, fresh);
      c.api.write(POD, fresh);
    } else if (kind === 'startup') {
      fst.started = true;
      if (!ref.spec.readinessProbe) fst.ready = true;
      refreshReadiness(c, fresh);
      c.api.write(POD, fresh);
      if (ref.sidecar) c.schedule(0, 'kubelet-init-progress', key);
    }
    return;
  }
  if (cnt.fail < (probe.failureThreshold ?? 3)) return;
  if (kind === 'readiness') {
    if (fst.ready) {
      fst.ready = false;
      refreshReadiness(c, fresh);
      c.api.write(POD, fresh);
    }
    return;
  }
  cnt.fail = 0;
  recordEvent(c, fresh, 'Normal', 'Killing', `Container ${name} failed ${kind} probe, will be restarted`, kubeletSource(fresh), ref.fieldPath);
  await stopGracefully(c, key, fresh, name);
}

/**
 * A settled probe far behind the catch-up's target: while the container's programs have nothing
 * pending (no wake-up scheduled), every tick up to the window before the target would give the same
 * result, so they are counted at once (their Unhealthy events as the recorder counts them) and the
 * next tick moves past them.
 */
async function skipSettled(c: Cluster, key: string, pod: KObj, name: string, kind: Kind, period: number, data: Record<string, unknown>): Promise<void> {
  if (c.hasTimer(key, 'runtime-wake')) {
    breakTurns(c, pod, `probe:${name}/${kind}`);
    return;
  }
  const fieldPath = containerRef(pod, name)!.fieldPath;
  const title = `${TITLE[kind]} probe failed: `;
  const before = JSON.stringify(pod.status.conditions);
  const { turns, shiftMs } = skipTurns(c, pod, `probe:${name}/${kind}`, (o) => o.fieldPath === fieldPath && o.reason === 'Unhealthy' && o.message.startsWith(title));
  if (!turns) return;
  const cnt = counters(c, pod, name, kind);
  if (cnt.fail) cnt.fail += turns;
  else cnt.ok += turns;
  const timers = c.state.timers;
  const i = timers.findIndex((t) => t.type === 'kubelet-probe' && t.data === data);
  if (i >= 0) timers.splice(i, 1);
  c.schedule(period + shiftMs, 'kubelet-probe', key, data);
  if (JSON.stringify(pod.status.conditions) !== before) c.api.write(POD, pod);
}

/** Stop signal now, SIGKILL when the grace period ends. */
export async function stopGracefully(c: Cluster, key: string, pod: KObj, name: string, graceMs?: number): Promise<void> {
  const rt = PodRuntime.of(c, pod);
  const grace = graceMs ?? (pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
  const ended = await rt.stopContainer(name, rt.stopSignal(name));
  if (!ended) c.schedule(grace, 'kubelet-sigkill', key, { name, cid: containerRef(pod, name)?.status?.containerID });
}

function hookFailure(pod: KObj, name: string, hook: KObj, what: string): string {
  const p = `Pod "${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})"`;
  if (hook.exec) return `Exec lifecycle hook ([${(hook.exec.command ?? []).join(' ')}]) for Container "${name}" in ${p} failed - error: ${what}`;
  return `HTTP lifecycle hook (${hook.httpGet?.path ?? ''}) for Container "${name}" in ${p} failed - error: ${what}`;
}

/** Runs a hook; returns an error text, or undefined, and how long it took. */
async function runHook(c: Cluster, pod: KObj, name: string, hook: KObj): Promise<{ error?: string; ms: number }> {
  if (hook.sleep) return { ms: Number(hook.sleep.seconds ?? 0) * 1000 };
  if (hook.exec) {
    const cmd: string[] = hook.exec.command ?? [];
    const r = await PodRuntime.of(c, pod).exec(name, cmd);
    const out = (r.stdout + r.stderr).replace(/\n$/, '');
    if (r.exitCode !== 0) return { error: hookFailure(pod, name, hook, `command '${cmd.join(' ')}' exited with ${r.exitCode}: ${out}, message: "${out}"`), ms: r.elapsedMs ?? 0 };
    return { ms: r.elapsedMs ?? 0 };
  }
  if (hook.httpGet) {
    const spec = containerRef(pod, name)!.spec;
    const r = await httpCheck(c, pod, spec, hook.httpGet, 'kube-lifecycle/1.32');
    if (!r.ok) return { error: hookFailure(pod, name, hook, `${r.message}, message: ""`), ms: 0 };
  }
  return { ms: 0 };
}

/** postStart: a failure kills the container (FailedPostStartHook). Returns false then. */
export async function runPostStart(c: Cluster, key: string, name: string): Promise<boolean> {
  const stored = peekPod(c, key);
  if (!stored || !containerRef(stored, name)?.spec.lifecycle?.postStart) return true; // most have none: no copy
  const pod = fetchPod(c, key);
  const ref = pod && containerRef(pod, name);
  const hook = ref?.spec.lifecycle?.postStart;
  if (!pod || !ref || !hook) return true;
  const r = await runHook(c, pod, name, hook);
  if (!r.error) return true;
  recordEvent(c, pod, 'Warning', 'FailedPostStartHook', r.error, kubeletSource(pod), ref.fieldPath);
  recordEvent(c, pod, 'Normal', 'Killing', 'FailedPostStartHook', kubeletSource(pod), ref.fieldPath);
  await stopGracefully(c, key, pod, name);
  return false;
}

/** preStop: runs before the stop signal; returns how long it took. */
export async function runPreStop(c: Cluster, pod: KObj, name: string): Promise<number> {
  const ref = containerRef(pod, name);
  const hook = ref?.spec.lifecycle?.preStop;
  if (!ref || !hook) return 0;
  const r = await runHook(c, pod, name, hook);
  if (r.error) recordEvent(c, pod, 'Warning', 'FailedPreStopHook', r.error, kubeletSource(pod), ref.fieldPath);
  return r.ms;
}
