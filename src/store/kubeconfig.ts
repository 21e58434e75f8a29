// kubesim's own kubeconfig: one context for the simulated cluster, kept in $KUBESIM_HOME unless
// --kubeconfig or KUBECONFIG names another file. The user's ~/.kube/config is never read or written.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { homedir } from 'node:os';
import { parseDocument, stringify, YAMLError } from 'yaml';
import { CliError } from '../api/errors.js';
import { GO_YAML_OPTIONS, resolvePlainScalars } from '../api/goyaml.js';
import { goYamlError } from '../api/manifest.js';
import type { KObj } from '../api/types.js';
import { cachedKubeconfig, keepKubeconfig, statOf } from './kubeconfig-cache.js';

export const CONTEXT_NAME = 'minikube';

export function kubesimHome(env: Record<string, string | undefined>): string {
  return env.KUBESIM_HOME || join(env.HOME || homedir(), '.kubesim');
}

/** kubesim's own kubeconfig, in $KUBESIM_HOME. */
export function ownKubeconfig(env: Record<string, string | undefined>): string {
  return join(kubesimHome(env), 'kubeconfig');
}

export function kubeconfigPath(env: Record<string, string | undefined>, flag: string): string {
  if (flag) return flag;
  const fromEnv = (env.KUBECONFIG ?? '').split(':').find((p) => p);
  return fromEnv || ownKubeconfig(env);
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
export function loadKubeconfig(path: string, env?: Record<string, string | undefined>): KObj {
  let bytes: Buffer;
  // stat before reading: a copy is never kept for content newer than its stat
  const st = env ? statOf(path) : undefined;
  if (st?.isFile()) {
    const hit = cachedKubeconfig(kubesimHome(env!), path, st);
    if (hit) return hit;
  }
  try {
    bytes = readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EISDIR') throw new KubeconfigError(path, `read ${path}: is a directory`);
    // kubesim's own kubeconfig is made on first use; a file named elsewhere is only written by `config`
    const cfg = defaultKubeconfig();
    if (env && path === ownKubeconfig(env)) {
      try {
        saveKubeconfig(path, cfg);
      } catch {
        /* read-only location: use it in memory */
      }
    }
    return cfg;
  }
  const cfg = decodeKubeconfig(bytes);
  if (typeof cfg === 'string') throw new KubeconfigError(path, cfg, Boolean(env) && path === ownKubeconfig(env!));
  if (st?.isFile()) keepKubeconfig(kubesimHome(env!), path, st, cfg);
  return cfg;
}

/** A kubeconfig that cannot be loaded: kubectl's error, and kubesim's way out for its own file. */
export class KubeconfigError extends CliError {
  constructor(
    readonly path: string,
    reason: string,
    own = false,
  ) {
    const hint = own ? `\n'kubesim reset' replaces kubesim's kubeconfig (keeping this one as ${basename(path)}.broken-<time>).` : '';
    super(`error loading config file "${path}": ${reason}${hint}`);
  }
}

/** kubectl's text for a mistyped field (encoding/json's unmarshal error). */
function unmarshal(x: unknown, field: string, goType: string): string {
  const t = x === null ? 'null' : Array.isArray(x) ? 'array' : typeof x === 'object' ? 'object' : typeof x === 'boolean' ? 'bool' : typeof x;
  return `json: cannot unmarshal ${t} into Go ${field} of type ${goType}`;
}

/** The kubeconfig in the file at `path`, or why it cannot be loaded (a string). */
export function decodeKubeconfigFile(path: string): KObj | string {
  try {
    return decodeKubeconfig(readFileSync(path));
  } catch (e) {
    return (e as Error).message;
  }
}

/** The kubeconfig in `bytes`, or kubectl's reason why it cannot be loaded. */
export function decodeKubeconfig(bytes: Buffer): KObj | string {
  const text = bytes.toString('utf8');
  if (text.includes('\uFFFD') && !Buffer.from(text, 'utf8').equals(bytes)) return 'yaml: invalid leading UTF-8 octet';
  let doc: unknown;
  try {
    const d = parseDocument(text.replace(/^\uFEFF/, ''), GO_YAML_OPTIONS);
    if (d.errors.length) return goYamlError(d.errors[0]);
    resolvePlainScalars(d);
    doc = d.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return e instanceof YAMLError ? goYamlError(e) : 'yaml: document is too complex';
  }
  if (doc === null || doc === undefined) doc = {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    return `couldn't get version/kind; json parse error: ${unmarshal(doc, 'value', 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }')}`;
  }
  const cfg = doc as KObj;
  const lists: [string, string][] = [['clusters', 'v1.NamedCluster'], ['contexts', 'v1.NamedContext'], ['users', 'v1.NamedAuthInfo']];
  for (const [field, item] of lists) {
    const v = cfg[field];
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v)) return unmarshal(v, `struct field Config.${field}`, `[]${item}`);
    const bad = v.find((x) => typeof x !== 'object' || x === null || Array.isArray(x));
    if (bad !== undefined) return unmarshal(bad, `struct field Config.${field}`, item);
  }
  const cur = cfg['current-context'];
  if (cur !== undefined && cur !== null && typeof cur !== 'string') return unmarshal(cur, 'struct field Config.current-context', 'string');
  cfg.clusters ??= [];
  cfg.contexts ??= [];
  cfg.users ??= [];
  return cfg;
}

export function saveKubeconfig(path: string, cfg: KObj): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 }); // $KUBESIM_HOME holds Secrets too
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
