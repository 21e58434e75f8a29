// What pulling an image reference gets from its registry, as containerd reports it to the kubelet
// (the gRPC error's text): the image, or `not found` (no such tag), `pull access denied` (Docker Hub
// has no such official image, or the repository is private), `401 Unauthorized` (a private registry
// asked without credentials). Which references are private is data (fixtures/images.json
// `registries`): hosts such as `*.azurecr.io`, ECR, any host or repository path with `private` in it.
import type { KObj } from '../api/types.js';
import { catalog, resolveImage } from './catalog.js';
import { normalizeImage, splitImage } from './images.js';

const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/** The registry host of a normalised reference (`docker.io` for Docker Hub). */
export function registryHost(normalized: string): string {
  return normalized.slice(0, normalized.indexOf('/'));
}

/** Whether anonymous pulls of the reference are refused (the catalog's registry rules). */
export function needsCredentials(image: string): boolean {
  const n = normalizeImage(image);
  const { repo } = splitImage(n);
  const host = registryHost(n);
  const path = repo.slice(host.length + 1);
  const rules = catalog().registries ?? {};
  if ((rules.privateHosts ?? []).some((re) => new RegExp(re).test(host))) return true;
  return !!rules.privatePath && !path.startsWith('library/') && new RegExp(rules.privatePath).test(path);
}

/** A docker config key (`https://index.docker.io/v1/`, `registry.example.com:5000`) as a host pattern. */
function keyHost(key: string): string {
  const host = key.replace(/^[a-z]+:\/\//, '').split('/')[0];
  return DOCKER_HUB.has(host) ? 'docker.io' : host;
}

/** The registry hosts an image pull secret has credentials for (its .dockerconfigjson or .dockercfg). */
export function credentialHosts(secret: KObj): string[] {
  const data = secret.data ?? {};
  let parsed: Record<string, unknown> | undefined;
  try {
    if (secret.type === 'kubernetes.io/dockerconfigjson' && data['.dockerconfigjson']) {
      parsed = (JSON.parse(Buffer.from(String(data['.dockerconfigjson']), 'base64').toString('utf8')) as { auths?: Record<string, unknown> }).auths;
    } else if (secret.type === 'kubernetes.io/dockercfg' && data['.dockercfg']) {
      parsed = JSON.parse(Buffer.from(String(data['.dockercfg']), 'base64').toString('utf8')) as Record<string, unknown>;
    }
  } catch {
    return [];
  }
  return Object.keys(parsed ?? {}).map(keyHost);
}

function hostMatches(pattern: string, host: string): boolean {
  if (!pattern.includes('*')) return pattern === host;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^.]*')}$`);
  return re.test(host);
}

/**
 * The error containerd returns for pulling `image` with credentials for `hosts` (as the kubelet
 * prints it: `rpc error: code = … desc = …`), or undefined when the pull succeeds.
 */
export function pullError(image: string, hosts: string[]): string | undefined {
  const n = normalizeImage(image);
  const host = registryHost(n);
  const head = `failed to pull and unpack image "${n}": failed to resolve reference "${n}"`;
  const denied = `rpc error: code = Unknown desc = ${head}: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`;
  if (needsCredentials(image) && !hosts.some((h) => hostMatches(h, host))) {
    if (host === 'docker.io') return denied;
    const { repo, tag, digest } = splitImage(n);
    const ref = digest ?? tag ?? 'latest';
    return `rpc error: code = Unknown desc = ${head}: unexpected status from HEAD request to https://${host}/v2/${repo.slice(host.length + 1)}/manifests/${ref}: 401 Unauthorized`;
  }
  const r = resolveImage(image);
  if (r.found) return undefined;
  if (r.why === 'repo') return denied;
  return `rpc error: code = NotFound desc = ${head}: ${n}: not found`;
}
