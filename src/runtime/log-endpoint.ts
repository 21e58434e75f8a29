// The kubelet's container log endpoint, as `kubectl logs` and the pod's log subresource
// (`get --raw …/pods/NAME/log`) both reach it: a container's lines, its previous run's with
// ?previous, and the API server's BadRequest texts when there is nothing to read yet.
import { StatusError } from '../api/errors.js';
import type { KObj } from '../api/types.js';
import type { StoreState } from '../store/state.js';
import { runtimeOf, type LogLine } from './state.js';

export function containerLogLines(state: StoreState, pod: KObj, name: string, previous: boolean): LogLine[] {
  const st = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find((s: KObj) => s.name === name);
  const ct = runtimeOf(state)[pod.metadata.uid]?.containers[name];
  if (previous) {
    if (!ct?.prevLog || !st?.lastState?.terminated) throw new StatusError('BadRequest', `previous terminated container "${name}" in pod "${pod.metadata.name}" not found`);
    return ct.prevLog;
  }
  if (!st || (!st.state?.running && !st.state?.terminated && !st.lastState?.terminated)) {
    const reason = st?.state?.waiting?.reason ?? 'ContainerCreating';
    const why = reason === 'ErrImagePull' ? "image can't be pulled" : reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : reason;
    throw new StatusError('BadRequest', `container "${name}" in pod "${pod.metadata.name}" is waiting to start: ${why}`);
  }
  return ct?.log ?? [];
}
