// The API groups the registry serves, as the kube-apiserver's aggregator lists them (/apis, discovery):
// in its group priority, each with its versions, the preferred (GA before beta, newest first) first.
import { allResources } from './registry.js';

/** The kube-apiserver's group priority (the aggregator's order of /apis). */
const GROUP_ORDER = [
  'apiregistration.k8s.io', 'apps', 'events.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'autoscaling', 'batch', 'certificates.k8s.io', 'networking.k8s.io', 'policy',
  'rbac.authorization.k8s.io', 'storage.k8s.io', 'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'node.k8s.io', 'discovery.k8s.io', 'flowcontrol.apiserver.k8s.io',
];

/** A version's priority (apimachinery's version.CompareKubeAwareVersionStrings): GA > beta > alpha, higher numbers first. */
export function versionRank(v: string): number {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
  if (!m) return 0;
  return Number(m[1]) * 1000 + (m[2] === undefined ? 900 : m[2] === 'beta' ? 500 + Number(m[3]) : 100 + Number(m[3]));
}

/** The named groups (not the core one) in the aggregator's order, each with its versions, preferred first. */
export function apiGroups(): { name: string; versions: string[] }[] {
  const byGroup = new Map<string, string[]>();
  for (const d of allResources()) {
    if (!d.group) continue;
    const vs = byGroup.get(d.group) ?? [];
    if (!vs.includes(d.version)) vs.push(d.version);
    byGroup.set(d.group, vs);
  }
  const rank = (g: string) => (GROUP_ORDER.includes(g) ? GROUP_ORDER.indexOf(g) : GROUP_ORDER.length);
  return [...byGroup.keys()]
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1))
    .map((name) => ({ name, versions: byGroup.get(name)!.sort((a, b) => versionRank(b) - versionRank(a)) }));
}
