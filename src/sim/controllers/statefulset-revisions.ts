// ControllerRevisions of a StatefulSet (pkg/controller/history and the StatefulSet's getPatch): the
// revision's data is the pod template as a `$patch: replace` patch, its name `<set>-<hash>` with the
// hash of that data, revision numbers counting up, and history truncated to revisionHistoryLimit.
import { resourceForKind } from '../../api/registry.js';
import type { KObj, ResourceDef } from '../../api/types.js';
import type { Cluster } from '../engine.js';
import { fnv1aBytes } from '../../api/fnv.js';

export const CONTROLLER_REVISION: ResourceDef = resourceForKind('apps/v1', 'ControllerRevision')!;
export const STATEFULSET: ResourceDef = resourceForKind('apps/v1', 'StatefulSet')!;
export const HASH_LABEL = 'controller.kubernetes.io/hash';

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString: maps every byte onto consonants and digits that spell no words. */
export function safeEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

/** FNV-1a, 32 bits, over a text's UTF-8. */
const fnv32a = (s: string): number => fnv1aBytes(Buffer.from(s, 'utf8'));

/** getPatch: the template as the strategic merge patch a revision stores. */
export function revisionData(sts: KObj): KObj {
  const template = structuredClone(sts.spec?.template ?? {});
  template.$patch = 'replace';
  return { spec: { template } };
}

export function revisionHash(data: KObj, collisionCount: number): string {
  let text = canonical(data);
  if (collisionCount) text += String(collisionCount);
  return safeEncode(String(fnv32a(text)));
}

export function ownerRef(sts: KObj): KObj {
  return { apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: 'StatefulSet', name: sts.metadata.name, uid: sts.metadata.uid };
}

const ownedBy = (o: KObj, uid: string) => (o.metadata?.ownerReferences ?? []).some((r: KObj) => r.controller && r.uid === uid);

/** The set's revisions, oldest revision first. */
export function listRevisions(c: Cluster, sts: KObj): KObj[] {
  return c.api
    .list(CONTROLLER_REVISION, sts.metadata.namespace)
    .filter((r) => ownedBy(r, sts.metadata.uid))
    .sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0) || (a.metadata.name < b.metadata.name ? -1 : 1));
}

/**
 * adoptOrphanRevisions: revisions no controller owns whose labels the set's selector matches (left by
 * delete --cascade=orphan) become the set's, so its history goes on from their revision numbers.
 */
export function adoptOrphanRevisions(c: Cluster, sts: KObj): void {
  const match = Object.entries(sts.spec?.selector?.matchLabels ?? {});
  if (!match.length) return;
  for (const r of c.api.list(CONTROLLER_REVISION, sts.metadata.namespace)) {
    if ((r.metadata.ownerReferences ?? []).some((o: KObj) => o.controller) || r.metadata.deletionTimestamp) continue;
    const labels: Record<string, string> = r.metadata.labels ?? {};
    if (!match.every(([k, v]) => labels[k] === v)) continue;
    const adopted = structuredClone(r);
    adopted.metadata.ownerReferences = [...(adopted.metadata.ownerReferences ?? []), ownerRef(sts)];
    c.api.write(CONTROLLER_REVISION, adopted);
  }
}

/** JSON with object keys sorted, so equal templates compare (and hash) equal whatever their key order. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x));
}

const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/**
 * The revision for the set's current template: an equal existing one (moved to the newest revision
 * number when it is not the newest, as a rollback does) or a new one.
 */
export function ensureUpdateRevision(c: Cluster, sts: KObj, revisions: KObj[]): KObj {
  const data = revisionData(sts);
  const max = revisions.reduce((m, r) => Math.max(m, Number(r.revision ?? 0)), 0);
  const equal = revisions.filter((r) => same(r.data, data));
  if (equal.length) {
    const found = equal[equal.length - 1];
    if (found.revision === max) return found;
    const updated = structuredClone(found);
    updated.revision = max + 1;
    return c.api.write(CONTROLLER_REVISION, updated);
  }
  let collision = Number(sts.status?.collisionCount ?? 0);
  for (;;) {
    const hash = revisionHash(data, collision);
    const name = `${sts.metadata.name.slice(0, 223)}-${hash}`;
    const existing = c.api.peek(CONTROLLER_REVISION, sts.metadata.namespace, name);
    if (existing && !same(existing.data, data)) {
      collision++;
      continue;
    }
    if (existing) {
      // an orphaned revision of the same template (the set was deleted with --cascade=orphan) is adopted
      if ((existing.metadata.ownerReferences ?? []).some((r: KObj) => r.controller)) return existing;
      const adopted = structuredClone(existing);
      adopted.metadata.ownerReferences = [...(adopted.metadata.ownerReferences ?? []), ownerRef(sts)];
      adopted.revision = max + 1;
      return c.api.write(CONTROLLER_REVISION, adopted);
    }
    const labels = { ...(sts.spec?.template?.metadata?.labels ?? {}), [HASH_LABEL]: hash };
    return c.api.create(CONTROLLER_REVISION, {
      metadata: { name, namespace: sts.metadata.namespace, labels, ownerReferences: [ownerRef(sts)] },
      data,
      revision: max + 1,
    });
  }
}

/** Deletes the oldest revisions no pod and no status names, beyond revisionHistoryLimit. */
export function truncateHistory(c: Cluster, sts: KObj, revisions: KObj[], live: Set<string>): void {
  const limit = Number(sts.spec?.revisionHistoryLimit ?? 10);
  const history = revisions.filter((r) => !live.has(r.metadata.name));
  const excess = history.length - limit;
  for (let i = 0; i < excess; i++) {
    try {
      c.api.delete(CONTROLLER_REVISION, sts.metadata.namespace, history[i].metadata.name);
    } catch {
      /* already gone */
    }
  }
}
