// kubectl diff --prune: the objects `apply --prune` would delete (kubectl's pkg/cmd/diff/prune.go):
// in every namespace the file's objects are in, the allowlisted kinds' objects that carry the
// last-applied annotation, match -l and are not among the file's objects; then Namespaces and
// PersistentVolumes the same way. They appear on the LIVE side only.
import { CliError } from '../api/errors.js';
import { resourceForKind } from '../api/registry.js';
import type { LabelSelector } from '../api/selectors.js';
import type { KObj, ResourceDef } from '../api/types.js';
import type { Cluster } from '../sim/engine.js';
import { LAST_APPLIED } from './apply-annotation.js';

const DEFAULT_NAMESPACED = [
  ['', 'v1', 'ConfigMap'], ['', 'v1', 'Endpoints'], ['', 'v1', 'PersistentVolumeClaim'], ['', 'v1', 'Pod'],
  ['', 'v1', 'ReplicationController'], ['', 'v1', 'Secret'], ['', 'v1', 'Service'], ['batch', 'v1', 'Job'],
  ['batch', 'v1', 'CronJob'], ['networking.k8s.io', 'v1', 'Ingress'], ['apps', 'v1', 'DaemonSet'],
  ['apps', 'v1', 'Deployment'], ['apps', 'v1', 'ReplicaSet'], ['apps', 'v1', 'StatefulSet'],
];
const DEFAULT_CLUSTER = [['', 'v1', 'Namespace'], ['', 'v1', 'PersistentVolume']];

const defOf = (group: string, version: string, kind: string) => resourceForKind(group ? `${group}/${version}` : version, kind);

/** prune.ParseResources of --prune-allowlist (`<group/version/kind>`, `core` for the core group). */
export function pruneResources(allowlist: string[]): { defs: ResourceDef[]; defaulted: boolean } {
  if (!allowlist.length) {
    const defs = [...DEFAULT_NAMESPACED, ...DEFAULT_CLUSTER].map(([g, v, k]) => defOf(g, v, k)).filter((d): d is ResourceDef => Boolean(d));
    return { defs, defaulted: true };
  }
  const defs: ResourceDef[] = [];
  for (const gvkText of allowlist) {
    const gvk = gvkText.split('/');
    if (gvk.length !== 3) throw new CliError(`invalid GroupVersionKind format: ${gvkText}, please follow <group/version/kind>`);
    const group = gvk[0] === 'core' ? '' : gvk[0];
    const def = defOf(group, gvk[1], gvk[2]);
    if (!def) throw new CliError(`no matches for kind "${gvk[2]}" in version "${group ? `${group}/` : ''}${gvk[1]}"`);
    defs.push(def);
  }
  return { defs, defaulted: false };
}

/** The objects pruning would delete, with their definitions. */
export function prunedObjects(c: Cluster, defs: ResourceDef[], namespaces: Set<string>, visited: Set<string>, selector: LabelSelector | undefined): { def: ResourceDef; obj: KObj }[] {
  const out: { def: ResourceDef; obj: KObj }[] = [];
  const take = (def: ResourceDef, objs: KObj[]) => {
    for (const obj of objs) {
      if (selector && !selector.matches(obj.metadata.labels)) continue;
      if (obj.metadata.annotations?.[LAST_APPLIED] === undefined) continue;
      if (visited.has(obj.metadata.uid)) continue;
      out.push({ def, obj });
    }
  };
  for (const ns of [...namespaces].sort()) for (const def of defs) if (def.namespaced) take(def, c.api.list(def, ns));
  for (const def of defs) if (!def.namespaced) take(def, c.api.list(def));
  return out;
}
