// What the kubelet reports for a container that ended (kuberuntime_container.go): the runtime's
// reason (OOMKilled when the kernel's OOM killer ended it, Completed for exit 0, else Error) and the
// termination message — the last 4 KiB of the file at terminationMessagePath, or, with
// terminationMessagePolicy FallbackToLogsOnError, a failed container's last 80 log lines cut to their
// last 2 KiB when the file is empty; a pod's messages share 12 KiB (the first bytes of each are kept).
import type { KObj } from '../api/types.js';
import { logText, type ContainerRt } from '../runtime/state.js';

/** kubecontainer.MaxPodTerminationMessageLogLength */
export const MAX_POD_MESSAGE_BYTES = 1024 * 12;
/** kubecontainer.MaxContainerTerminationMessageLength */
export const MAX_MESSAGE_BYTES = 1024 * 4;
/** kubecontainer.MaxContainerTerminationMessageLogLength */
export const MAX_LOG_MESSAGE_BYTES = 1024 * 2;
/** kubecontainer.MaxContainerTerminationMessageLogLines */
export const MAX_LOG_MESSAGE_LINES = 80;

/** The last `max` bytes of a text (as the kubelet's tail reads and its circular buffer keep them). */
function tailBytes(text: string, max: number): string {
  const b = Buffer.from(text, 'utf8');
  return b.length <= max ? text : b.subarray(b.length - max).toString('utf8');
}

/** The container's log as the kubelet reads it back: its last `lines` lines, both streams. */
function logTail(ct: ContainerRt, lines: number): string {
  return ct.log.slice(-lines).map(logText).join('');
}

/** `reason` and `message` of the container's terminated state. */
export function terminatedFields(spec: KObj | undefined, ct: ContainerRt | undefined, info: { code: number; oom?: boolean }, pod?: KObj): { reason: string; message?: string } {
  const reason = info.oom ? 'OOMKilled' : info.code === 0 ? 'Completed' : 'Error';
  const fallback = spec?.terminationMessagePolicy === 'FallbackToLogsOnError' && info.code !== 0;
  let message = '';
  if (spec?.terminationMessagePath && ct?.term !== undefined) message = tailBytes(ct.term!, MAX_MESSAGE_BYTES);
  if (fallback && ct && message === '') message = tailBytes(logTail(ct, MAX_LOG_MESSAGE_LINES), MAX_LOG_MESSAGE_BYTES);
  // the status manager's normalizeStatus: 12 KiB per pod, split evenly over its (init) containers, the message's first bytes kept
  const containers = (pod?.spec?.containers?.length ?? 0) + (pod?.spec?.initContainers?.length ?? 0);
  const perStatus = Math.floor(MAX_POD_MESSAGE_BYTES / Math.max(1, containers));
  if (Buffer.byteLength(message) > perStatus) message = Buffer.from(message).subarray(0, perStatus).toString('utf8');
  return message ? { reason, message } : { reason };
}
