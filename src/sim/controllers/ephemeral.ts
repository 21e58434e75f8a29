// The ephemeral volume controller (pkg/controller/volume/ephemeral): a pod's `ephemeral` volume gets a
// claim `<pod>-<volume>` made from its volumeClaimTemplate and owned by the pod (so it goes with it).
import type { ChangeEvent } from '../../api/server.js';
import type { KObj } from '../../api/types.js';
import type { Cluster, Controller } from '../engine.js';
import { recordEvent } from '../events.js';
import { POD, podKey } from '../keys.js';
import { PVC } from './storage-keys.js';

const SYNC = 'ephemeral-sync';
const SOURCE = { component: 'ephemeral_volume' };

export const ephemeralClaimName = (pod: KObj, vol: KObj) => `${pod.metadata.name}-${vol.name}`;

function sync(c: Cluster, key: string): void {
  const [, ns, name] = key.split('/');
  const pod = c.api.peek(POD, ns, name);
  if (!pod || pod.metadata.deletionTimestamp) return;
  for (const vol of (pod.spec?.volumes ?? []) as KObj[]) {
    const tpl = vol.ephemeral?.volumeClaimTemplate;
    if (!tpl) continue;
    const claimName = ephemeralClaimName(pod, vol);
    if (c.api.peek(PVC, ns, claimName)) continue;
    const meta: KObj = { name: claimName, namespace: ns, ownerReferences: [{ apiVersion: 'v1', blockOwnerDeletion: true, controller: true, kind: 'Pod', name, uid: pod.metadata.uid }] };
    if (tpl.metadata?.labels) meta.labels = tpl.metadata.labels;
    if (tpl.metadata?.annotations) meta.annotations = tpl.metadata.annotations;
    try {
      c.api.create(PVC, { metadata: meta, spec: structuredClone(tpl.spec ?? {}) });
    } catch (e) {
      recordEvent(c, pod, 'Warning', 'FailedCreate', `create PVC ${claimName}: ${e instanceof Error ? e.message : String(e)}`, SOURCE);
    }
  }
}

export const ephemeralVolumeController: Controller = {
  name: 'ephemeral-volume',
  onChange(c: Cluster, ev: ChangeEvent) {
    if (ev.def.kind !== 'Pod' || ev.type !== 'ADDED') return;
    if ((ev.obj.spec?.volumes ?? []).some((v: KObj) => v.ephemeral)) c.schedule(0, SYNC, podKey(ev.obj));
  },
  timers: {
    [SYNC]: (c: Cluster, t: { key: string }) => sync(c, t.key),
  },
};
