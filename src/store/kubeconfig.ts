// kubesim's own kubeconfig: one context for the simulated cluster, kept in $KUBESIM_HOME unless
// --kubeconfig or KUBECONFIG names another file. The user's ~/.kube/config is never read or written.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { homedir } from 'node:os';
import { parse, stringify } from 'yaml';
import type { KObj } from '../api/types.js';

export const CONTEXT_NAME = 'minikube';

export function kubesimHome(env: Record<string, string | undefined>): string {
  return env.KUBESIM_HOME || join(env.HOME || homedir(), '.kubesim');
}

export function kubeconfigPath(env: Record<string, string | undefined>, flag: string): string {
  if (flag) return flag;
  const fromEnv = (env.KUBECONFIG ?? '').split(':').find((p) => p);
  return fromEnv || join(kubesimHome(env), 'kubeconfig');
}

export function defaultKubeconfig(): KObj {
  return {
    apiVersion: 'v1',
    clusters: [
      {
        cluster: {
          'certificate-authority-data': 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCmt1YmVzaW0tY2EKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=',
          extensions: [{ extension: { 'last-update': 'Sun, 22 Nov 2026 21:00:00 UTC', provider: 'minikube.sigs.k8s.io', version: 'v1.35.0' }, name: 'cluster_info' }],
          server: 'https://192.168.49.2:8443',
        },
        name: CONTEXT_NAME,
      },
    ],
    contexts: [
      {
        context: {
          cluster: CONTEXT_NAME,
          extensions: [{ extension: { 'last-update': 'Sun, 22 Nov 2026 21:00:00 UTC', provider: 'minikube.sigs.k8s.io', version: 'v1.35.0' }, name: 'context_info' }],
          namespace: 'default',
          user: CONTEXT_NAME,
        },
        name: CONTEXT_NAME,
      },
    ],
    'current-context': CONTEXT_NAME,
    kind: 'Config',
    preferences: {},
    users: [
      {
        name: CONTEXT_NAME,
        user: {
          'client-certificate-data': 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCmt1YmVzaW0tY2xpZW50Ci0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K',
          'client-key-data': 'LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQprdWJlc2ltLWtleQotLS0tLUVORCBSU0EgUFJJVkFURSBLRVktLS0tLQo=',
        },
      },
    ],
  };
}

/** Loads the kubeconfig; a missing file is created with kubesim's default context. */
export function loadKubeconfig(path: string): KObj {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    const cfg = defaultKubeconfig();
    try {
      saveKubeconfig(path, cfg);
    } catch {
      /* read-only location: use it in memory */
    }
    return cfg;
  }
  const cfg = (parse(text) as KObj) ?? {};
  cfg.clusters ??= [];
  cfg.contexts ??= [];
  cfg.users ??= [];
  return cfg;
}

export function saveKubeconfig(path: string, cfg: KObj): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, stringify(cfg), { mode: 0o600 });
  renameSync(tmp, path);
}

/** The namespace of the current (or named) context, `default` when unset. */
export function contextNamespace(cfg: KObj, contextName?: string): string {
  const name = contextName || cfg['current-context'];
  const ctx = (cfg.contexts ?? []).find((c: KObj) => c.name === name);
  return ctx?.context?.namespace || 'default';
}
