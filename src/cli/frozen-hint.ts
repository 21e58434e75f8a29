// With the clock frozen nothing moves by itself, which surprises whoever watches a pod stay
// ContainerCreating. On a terminal (never in pipes or scripts) a listing of pods that would progress
// if time moved ends with one line on stderr saying so.
import { podKey } from '../api/kinds.js';
import type { KObj } from '../api/types.js';
import { podStatusCells } from '../printers/tables/pods.js';
import type { Cluster } from '../sim/engine.js';
import type { IO } from './io.js';

/** What the kubelet redoes periodically on any running pod (not progress). */
const PERIODIC = new Set(['kubelet-volume-sync']);

/** Pod states that change by themselves once time moves (with a timer of the pod waiting). */
function moving(pod: KObj, now: number): boolean {
  if (!pod.spec?.nodeName) return false;
  const { ready, reason } = podStatusCells(pod, now);
  if (['ContainerCreating', 'Pending', 'PodInitializing', 'Terminating', 'ErrImagePull', 'ImagePullBackOff', 'CrashLoopBackOff'].includes(reason) || reason.startsWith('Init:')) return true;
  const [have, want] = ready.split('/').map(Number);
  return reason === 'Running' && have < want;
}

export function frozenClockHint(io: IO, c: Cluster, pods: KObj[]): void {
  if (!io.stdoutIsTTY || c.state.clock.mode !== 'frozen' || !pods.length) return;
  const candidates = pods.filter((p) => p.kind === 'Pod' && moving(p, c.now()));
  if (!candidates.length) return;
  const keys = new Set(candidates.map(podKey));
  const due = c.state.timers.some((t) => keys.has(t.key) && !PERIODIC.has(t.type));
  if (due) io.stderr.write(`kubesim: the clock is frozen at ${c.isoNow()} (kubesim clock resume)\n`);
}
