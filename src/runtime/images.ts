// Image references: normalisation as the container runtime reports them, and stable fake digests.
import { createHash } from 'node:crypto';

/** `nginx` → `docker.io/library/nginx:latest`; `bitnami/nginx:1.2` → `docker.io/bitnami/nginx:1.2`. */
export function normalizeImage(image: string): string {
  let ref = image;
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at) : '';
  if (at >= 0) ref = ref.slice(0, at);
  const firstSlash = ref.indexOf('/');
  const first = firstSlash >= 0 ? ref.slice(0, firstSlash) : '';
  const hasRegistry = firstSlash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) ref = firstSlash >= 0 ? `docker.io/${ref}` : `docker.io/library/${ref}`;
  // Docker Hub's own names: index.docker.io is docker.io, and its official images live under library/
  else if (first === 'docker.io' || first === 'index.docker.io') {
    const rest = ref.slice(firstSlash + 1);
    ref = `docker.io/${rest.includes('/') ? rest : `library/${rest}`}`;
  }
  const lastSlash = ref.lastIndexOf('/');
  if (!digest && !ref.slice(lastSlash + 1).includes(':')) ref += ':latest';
  return ref + digest;
}

/** A normalised reference's parts: `docker.io/library/nginx`, `1.27` (or none), `sha256:…` (or none). */
export function splitImage(normalized: string): { repo: string; tag?: string; digest?: string } {
  const at = normalized.indexOf('@');
  const digest = at >= 0 ? normalized.slice(at + 1) : undefined;
  const name = at >= 0 ? normalized.slice(0, at) : normalized;
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) return { repo: name.slice(0, colon), tag: name.slice(colon + 1), digest };
  return { repo: name, digest };
}

/** The image's digest: the one the reference names, else a stable made-up one. */
export function imageDigest(image: string): string {
  const { digest } = splitImage(normalizeImage(image));
  if (digest && /^sha256:[0-9a-f]{64}$/.test(digest)) return digest;
  return `sha256:${createHash('sha256').update(normalizeImage(image).replace(/@.*$/, '')).digest('hex')}`;
}

/** `docker.io/library/nginx@sha256:…`, as containerStatuses[].imageID. */
export function imageId(image: string): string {
  return `${splitImage(normalizeImage(image)).repo}@${imageDigest(image)}`;
}

/** Stable pseudo-random number in [0,1) derived from a string. */
export function hashFraction(text: string): number {
  return createHash('sha1').update(text).digest().readUInt32BE(0) / 4294967296;
}

/** Compressed size reported in the Pulled event, stable per image. */
export function imageSizeBytes(image: string): number {
  return 20_000_000 + Math.floor(hashFraction(`size:${normalizeImage(image)}`) * 180_000_000);
}

/** How long a pull takes, in ms, stable per image. */
export function pullDurationMs(image: string): number {
  return 800 + Math.floor(hashFraction(`pull:${normalizeImage(image)}`) * 4_200);
}

/** Go's time.Duration String for the Pulled message (`4.118s`, `512ms`). */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = ms / 1000;
  return `${Number.parseFloat(s.toFixed(3))}s`;
}

// docker/distribution's reference grammar, as the kubelet parses a pod's image (ParseNormalizedNamed)
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*';
const DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?';
const REFERENCE = new RegExp(
  `^((?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*)(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`,
);

/** The kubelet's error for an image reference it cannot parse (InvalidImageName), else undefined. */
export function imageNameError(image: string): string | undefined {
  const fail = (why: string) => `couldn't parse image name "${image}": ${why}`;
  if (/^[a-f0-9]{64}$/.test(image)) return fail(`invalid repository name (${image}), cannot specify 64-byte hexadecimal strings`);
  const i = image.indexOf('/');
  const first = i >= 0 ? image.slice(0, i) : '';
  const isDomain = i >= 0 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
  let remote = isDomain ? image.slice(i + 1) : image;
  if (!isDomain && !remote.includes('/')) remote = `library/${remote}`;
  const colon = remote.indexOf(':');
  const at = remote.indexOf('@');
  const cut = [colon, at].filter((x) => x >= 0);
  const remoteName = cut.length ? remote.slice(0, Math.min(...cut)) : remote;
  if (remoteName.toLowerCase() !== remoteName) return fail(`invalid reference format: repository name (${remoteName}) must be lowercase`);
  const full = isDomain ? image : `docker.io/${remote}`;
  const m = REFERENCE.exec(full);
  if (!m) return fail(REFERENCE.test(full.toLowerCase()) ? 'repository name must be lowercase' : 'invalid reference format');
  if (m[1].length > 255) return fail('repository name must not be more than 255 characters');
  return undefined;
}
