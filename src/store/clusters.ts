// Named clusters: `kubesim cluster create lab2` keeps a second simulated cluster in
// $KUBESIM_HOME/clusters/lab2 (its own store and lock) with a context of the same name in kubesim's
// kubeconfig, as `minikube start -p lab2` adds a profile and its context. Which store a command uses
// follows the kubeconfig's context (--context, else current-context): a context whose cluster is a
// named cluster uses that cluster's store, any other the default store in $KUBESIM_HOME.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { KObj } from '../api/types.js';
import { CONTEXT_NAME, defaultKubeconfig, kubesimHome } from './kubeconfig.js';

type Env = Record<string, string | undefined>;

/** Names a cluster may have: a DNS label, as minikube profiles and kind clusters are named. */
export const CLUSTER_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function clusterDir(env: Env, name: string): string {
  return join(kubesimHome(env), 'clusters', name);
}

/** The named clusters (not the default one), by name. */
export function namedClusters(env: Env): string[] {
  try {
    return readdirSync(join(kubesimHome(env), 'clusters'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && CLUSTER_NAME.test(d.name))
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}

/** The cluster a context names (undefined when the context is unknown). */
export function contextCluster(cfg: KObj, contextName?: string): string | undefined {
  const name = contextName || cfg['current-context'];
  return (cfg.contexts ?? []).find((c: KObj) => c?.name === name)?.context?.cluster;
}

/** The store directory of the kubeconfig context in use: a named cluster's, or $KUBESIM_HOME. */
export function storeHome(env: Env, cfg: KObj | undefined, contextName?: string): string {
  const cluster = cfg ? contextCluster(cfg, contextName) : undefined;
  if (cluster && cluster !== CONTEXT_NAME && CLUSTER_NAME.test(cluster)) {
    const dir = clusterDir(env, cluster);
    if (existsSync(dir)) return dir;
  }
  return kubesimHome(env);
}

/** kubesim's kubeconfig with a named cluster's cluster, user and context added (replacing any of that name). */
export function withClusterContext(cfg: KObj, name: string): KObj {
  const base = defaultKubeconfig();
  const put = (list: KObj[] | undefined, entry: KObj) => [...(list ?? []).filter((e) => e?.name !== name), entry];
  const cluster = { ...base.clusters[0], name };
  const user = { ...base.users[0], name };
  const context = { context: { ...base.contexts[0].context, cluster: name, user: name }, name };
  return { ...cfg, clusters: put(cfg.clusters, cluster), users: put(cfg.users, user), contexts: put(cfg.contexts, context) };
}

/** kubesim's kubeconfig without a named cluster's entries; its current context falls back to the default one. */
export function withoutClusterContext(cfg: KObj, name: string): KObj {
  const drop = (list: KObj[] | undefined) => (list ?? []).filter((e) => e?.name !== name);
  const out: KObj = { ...cfg, clusters: drop(cfg.clusters), users: drop(cfg.users), contexts: drop(cfg.contexts) };
  if (cfg['current-context'] === name) out['current-context'] = CONTEXT_NAME;
  return out;
}
