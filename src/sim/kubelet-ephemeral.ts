// The kubelet's part for ephemeral containers (added through the pod's ephemeralcontainers
// subresource by `kubectl debug`): a new one gets a status in ephemeralContainerStatuses (sorted by
// name, as the kubelet reports them) and goes through the pull/create/start path once. It is never
// restarted, takes no part in readiness, and a pod that has ended starts none.
import type { KObj } from '../api/types.js';
import type { Cluster } from './engine.js';
import { POD, podKey } from './keys.js';
import { fetchPod } from './pod-status.js';

export const EPHEMERAL_TIMER = 'kubelet-ephemeral';

/** Names of ephemeral containers in `pod` that `old` did not have. */
export function addedEphemeral(pod: KObj, old: KObj | undefined): string[] {
  const before = new Set(((old?.spec?.ephemeralContainers ?? []) as KObj[]).map((e) => e.name));
  return ((pod.spec?.ephemeralContainers ?? []) as KObj[]).map((e) => e.name as string).filter((n) => !before.has(n));
}

/** Called from the kubelet's watch: schedules the start of ephemeral containers added to a running pod. */
export function watchEphemeral(c: Cluster, pod: KObj, old: KObj | undefined): void {
  if (!old || !pod.spec?.nodeName || pod.metadata.deletionTimestamp) return;
  for (const name of addedEphemeral(pod, old)) c.schedule(0, EPHEMERAL_TIMER, podKey(pod), { name });
}

export function startEphemeral(c: Cluster, key: string, name: string): void {
  const pod = fetchPod(c, key);
  if (!pod || pod.metadata.deletionTimestamp) return;
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
  // the sandbox must be up first: the kubelet starts these once it is (sandboxReady schedules them again)
  if (!pod.status?.podIP) return;
  const spec = ((pod.spec.ephemeralContainers ?? []) as KObj[]).find((e) => e.name === name);
  const statuses: KObj[] = (pod.status.ephemeralContainerStatuses ??= []);
  if (!spec || statuses.some((s) => s.name === name)) return;
  statuses.push({ image: spec.image, imageID: '', lastState: {}, name, ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } });
  statuses.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  c.api.write(POD, pod);
  c.schedule(0, 'kubelet-pull', key, { name });
}
