// `kubectl config view -o json`: the kubeconfig in clientcmd's v1 struct order (not sorted), four
// spaces of indent, Go's HTML escapes.
import type { KObj } from '../api/types.js';
import { goJsonEscape } from './json.js';

const CLUSTER = ['server', 'tls-server-name', 'insecure-skip-tls-verify', 'certificate-authority', 'certificate-authority-data', 'proxy-url', 'disable-compression', 'extensions'];
const USER = ['client-certificate', 'client-certificate-data', 'client-key', 'client-key-data', 'token', 'tokenFile', 'as', 'as-uid', 'as-groups', 'as-user-extra', 'username', 'password', 'auth-provider', 'exec', 'extensions'];
const CONTEXT = ['cluster', 'user', 'namespace', 'extensions'];

/** The known fields in their order, then any others as stored. */
function ordered(obj: KObj | undefined, order: string[]): KObj {
  const out: KObj = {};
  for (const k of order) if (obj?.[k] !== undefined) out[k] = obj[k];
  for (const [k, v] of Object.entries(obj ?? {})) if (!(k in out)) out[k] = v;
  if (out.extensions) out.extensions = (out.extensions as KObj[]).map((e) => ({ name: e.name, extension: e.extension }));
  return out;
}

function named(list: KObj[] | undefined, key: string, order: string[]): KObj[] | null {
  if (!list?.length) return null;
  return list.map((x) => ({ name: x.name, [key]: ordered(x[key], order) }));
}

export function kubeconfigJson(cfg: KObj): string {
  const doc: KObj = {
    kind: 'Config',
    apiVersion: 'v1',
    preferences: cfg.preferences ?? {},
    clusters: named(cfg.clusters, 'cluster', CLUSTER),
    users: named(cfg.users, 'user', USER),
    contexts: named(cfg.contexts, 'context', CONTEXT),
    'current-context': cfg['current-context'] ?? '',
  };
  if (cfg.extensions?.length) doc.extensions = cfg.extensions;
  return `${goJsonEscape(JSON.stringify(doc, null, 4))}\n`;
}
