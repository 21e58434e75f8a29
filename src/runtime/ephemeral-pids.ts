// The process namespace an ephemeral container shares with its target (`kubectl debug --target`):
// the debug container joins the target container's PID namespace, so `ps` in either shows the
// target's processes (its main process keeps PID 1) followed by the debugger's.
import type { KObj } from '../api/types.js';
import type { Cluster } from '../sim/engine.js';
import { hostProcesses } from './host-pids.js';
import type { PodRt, Proc } from './state.js';

type Entry = { ct: string; proc: Proc; pid: number };

/** The containers in `name`'s PID namespace: the target first, then the ephemeral ones targeting it. */
function namespaceOf(pod: KObj, name: string): string[] {
  const eph: KObj[] = pod.spec?.ephemeralContainers ?? [];
  const target = eph.find((e) => e.name === name)?.targetContainerName || name;
  const members = eph.filter((e) => e.targetContainerName === target).map((e) => e.name as string);
  return members.length ? [target, ...members] : [name];
}

export function targetedProcesses(pod: KObj, rt: PodRt, name: string): Entry[] {
  const members = namespaceOf(pod, name);
  const out: Entry[] = [];
  let base = 0;
  for (const ct of members) {
    const crt = rt.containers[ct];
    if (!crt || (crt.exited && ct !== name)) continue;
    const shift = out.length ? base + 5 : 0;
    for (const proc of crt.procs) out.push({ ct, proc, pid: proc.pid + shift });
    base = Math.max(base, ...out.map((e) => e.pid));
  }
  return out;
}

/** The processes `name` sees without a pod-wide shared namespace: the host's (hostPID), or its own and its target's. */
export function ownNamespace(c: Cluster, pod: KObj, rt: PodRt, name: string): Entry[] {
  return pod.spec?.hostPID ? hostProcesses(c, pod, rt, name) : targetedProcesses(pod, rt, name);
}
