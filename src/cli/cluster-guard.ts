// `kubesim cluster create` replaces the whole cluster: when the one it replaces holds objects a user
// made, it asks first on a terminal and wants --force otherwise (a lab script must say so).
import type { StoreState } from '../store/state.js';
import { Cluster } from '../sim/engine.js';
import { CliError } from '../api/errors.js';
import type { IO } from './io.js';

/** What users make, by storage key, with the singular and plural words for the summary. */
const KINDS: [string, string, string][] = [
  ['pods', 'pod', 'pods'],
  ['deployments.apps', 'deployment', 'deployments'],
  ['statefulsets.apps', 'statefulset', 'statefulsets'],
  ['daemonsets.apps', 'daemonset', 'daemonsets'],
  ['jobs.batch', 'job', 'jobs'],
  ['cronjobs.batch', 'cronjob', 'cronjobs'],
  ['services', 'service', 'services'],
  ['configmaps', 'configmap', 'configmaps'],
  ['secrets', 'secret', 'secrets'],
  ['persistentvolumeclaims', 'persistentvolumeclaim', 'persistentvolumeclaims'],
  ['horizontalpodautoscalers.autoscaling', 'horizontalpodautoscaler', 'horizontalpodautoscalers'],
  ['namespaces', 'namespace', 'namespaces'],
];

const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

/** `3 pods, 1 deployment`: the objects outside what a fresh cluster has, or '' when none. */
export function userObjects(state: StoreState): string {
  const c = new Cluster(state);
  const parts: string[] = [];
  for (const [resource, one, many] of KINDS) {
    const n = c.listAll(resource).filter((o) => {
      const ns = o.metadata?.namespace;
      const name = o.metadata?.name;
      if (resource === 'namespaces') return !SYSTEM_NAMESPACES.has(name) && name !== 'default';
      if (SYSTEM_NAMESPACES.has(ns)) return false;
      if (resource === 'services' && name === 'kubernetes' && ns === 'default') return false;
      if (resource === 'configmaps' && name === 'kube-root-ca.crt') return false;
      return true;
    }).length;
    if (n) parts.push(`${n} ${n === 1 ? one : many}`);
  }
  return parts.join(', ');
}

/**
 * Whether to go on replacing a cluster that holds `what`: --force, or a `y` typed on a terminal;
 * otherwise an error says how to go on.
 */
export async function confirmReplace(io: IO, home: string, what: string, force: boolean): Promise<boolean> {
  if (!what || force) return true;
  if (io.stdinIsTTY && io.readLine) {
    const answer = await io.readLine(`The cluster in ${home} holds ${what}. Replace it with a new cluster? [y/N]: `);
    if (/^y(es)?$/i.test((answer ?? '').trim())) return true;
    io.stderr.write('cluster not created\n');
    return false;
  }
  throw new CliError(`the cluster in ${home} holds ${what}; kubesim cluster create --force replaces it`);
}
