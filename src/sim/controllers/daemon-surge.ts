// The DaemonSet controller's rolling update with maxSurge > 0 (rollingUpdate's surge branch): a new
// pod is started next to an available old one on up to maxSurge nodes at a time, and the old pod is
// deleted once the new one is available; an old pod that is not available is replaced at once.
import type { KObj } from '../../api/types.js';
import { HASH_LABEL, podAvailable, scaledValue } from './daemon-util.js';

/** util.AllowsSurge: RollingUpdate with a maxSurge that resolves above 0. */
export function allowsSurge(ds: KObj, desired: number): boolean {
  const ru = ds.spec?.updateStrategy?.rollingUpdate;
  return ds.spec?.updateStrategy?.type === 'RollingUpdate' && scaledValue(ru?.maxSurge ?? 0, desired) > 0;
}

/** With surge, a node keeps its oldest updated pod and its oldest old pod; the rest go. */
export function surgeExtras(running: KObj[], hash: string): KObj[] {
  let newSeen = false;
  let oldSeen = false;
  const extra: KObj[] = [];
  for (const p of running) {
    const updated = p.metadata.labels?.[HASH_LABEL] === hash;
    if (updated && !newSeen) newSeen = true;
    else if (!updated && !oldSeen) oldSeen = true;
    else extra.push(p);
  }
  return extra;
}

export interface SurgePlan {
  deletes: KObj[];
  creates: string[];
}

/** What the surge branch does this sync: old pods to delete and nodes to start a new pod on. */
export function surgePlan(
  ds: KObj,
  byNode: Map<string, KObj[]>,
  shouldRun: (node: string) => boolean,
  desired: number,
  hash: string,
  minReady: number,
  now: number,
): SurgePlan {
  const maxSurge = scaledValue(ds.spec.updateStrategy?.rollingUpdate?.maxSurge ?? 0, desired);
  let surging = 0;
  const deletes: KObj[] = [];
  const allowed: string[] = [];
  const candidates: string[] = [];
  for (const n of [...byNode.keys()].sort()) {
    const live = byNode.get(n)!.filter((p) => !p.metadata.deletionTimestamp);
    const fresh = live.filter((p) => p.metadata.labels?.[HASH_LABEL] === hash);
    const stale = live.filter((p) => p.metadata.labels?.[HASH_LABEL] !== hash);
    if (fresh.length > 1 || stale.length > 1) {
      surging++;
      continue;
    }
    if (!shouldRun(n)) continue;
    const [newPod] = fresh;
    const [oldPod] = stale;
    if (!oldPod) continue;
    if (!newPod) {
      if (!podAvailable(oldPod, minReady, now)) allowed.push(n);
      else if (surging < maxSurge) candidates.push(n);
    } else if (!podAvailable(newPod, minReady, now)) surging++;
    else deletes.push(oldPod);
  }
  const room = Math.min(Math.max(0, maxSurge - surging), candidates.length);
  return { deletes, creates: [...allowed, ...candidates.slice(0, room)] };
}
