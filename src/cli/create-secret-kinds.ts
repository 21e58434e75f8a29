// The typed secrets of `kubectl create secret docker-registry|tls`: a .dockerconfigjson built from the
// registry flags (or files), and a certificate/key pair checked as Go's tls.X509KeyPair checks it.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError } from '../api/errors.js';
import type { KObj } from '../api/types.js';
import { toCompactJson } from '../printers/json.js';
import { list, str, type FlagSpec, type Parsed } from './flags.js';

export const DOCKER_REGISTRY_FLAGS: FlagSpec[] = [
  { name: 'docker-server', type: 'string', default: 'https://index.docker.io/v1/' },
  { name: 'docker-username', type: 'string', default: '' },
  { name: 'docker-password', type: 'string', default: '' },
  { name: 'docker-email', type: 'string', default: '' },
  { name: 'from-file', type: 'stringSlice', default: [] },
  { name: 'append-hash', type: 'bool', default: false },
];

export const TLS_FLAGS: FlagSpec[] = [
  { name: 'cert', type: 'string', default: '' },
  { name: 'key', type: 'string', default: '' },
  { name: 'append-hash', type: 'bool', default: false },
];

function readSource(cwd: string, path: string): Buffer {
  try {
    return readFileSync(resolve(cwd, path));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'EISDIR' ? 'is a directory' : 'no such file or directory';
    throw new CliError(`error reading ${path}: ${why}`);
  }
}

export function dockerRegistrySecret(name: string, p: Parsed, cwd: string): KObj {
  const o: KObj = { kind: 'Secret', apiVersion: 'v1', metadata: { name, creationTimestamp: null }, data: {}, type: 'kubernetes.io/dockerconfigjson' };
  const files = list(p, 'from-file');
  if (files.length) {
    for (const f of files) {
      const eq = f.indexOf('=');
      const key = eq > 0 ? f.slice(0, eq) : '.dockerconfigjson';
      o.data[key] = readSource(cwd, eq > 0 ? f.slice(eq + 1) : f).toString('base64');
    }
    return o;
  }
  const [server, user, password, email] = ['docker-server', 'docker-username', 'docker-password', 'docker-email'].map((f) => str(p, f));
  if (!user || !password || !server) {
    throw new CliError('either --from-file or the combination of --docker-username, --docker-password and --docker-server is required');
  }
  // DockerConfigJSON as Go marshals it: fields in struct order, email omitted when empty
  const entry = { username: user, password, ...(email ? { email } : {}), auth: Buffer.from(`${user}:${password}`).toString('base64') };
  o.data['.dockerconfigjson'] = Buffer.from(toCompactJson({ auths: { [server]: entry } }, { sort: false })).toString('base64');
  return o;
}

/** The types of the PEM blocks in `b`, in order (Go's pem.Decode loop). */
function pemTypes(b: Buffer): string[] {
  return [...b.toString('latin1').matchAll(/-----BEGIN ([^\n-]*)-----/g)].map((m) => m[1]);
}

export function tlsSecret(name: string, p: Parsed, cwd: string): KObj {
  const certPath = str(p, 'cert');
  const keyPath = str(p, 'key');
  if (!certPath || !keyPath) throw new CliError('key and cert must be specified');
  const read = (path: string) => {
    try {
      return readFileSync(resolve(cwd, path));
    } catch {
      throw new CliError(`Cannot read file ${path}, open ${path}: no such file or directory`);
    }
  };
  const cert = read(certPath);
  const key = read(keyPath);
  const certTypes = pemTypes(cert);
  if (!certTypes.includes('CERTIFICATE')) {
    if (!certTypes.length) throw new CliError('tls: failed to find any PEM data in certificate input');
    if (certTypes.every((t) => t.endsWith('PRIVATE KEY'))) {
      throw new CliError('tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched');
    }
    throw new CliError(`tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [${certTypes.join(' ')}]`);
  }
  const keyTypes = pemTypes(key);
  if (!keyTypes.some((t) => t === 'PRIVATE KEY' || t.endsWith(' PRIVATE KEY'))) {
    if (!keyTypes.length) throw new CliError('tls: failed to find any PEM data in key input');
    if (keyTypes.every((t) => t === 'CERTIFICATE')) throw new CliError('tls: found a certificate rather than a key in the PEM for the private key');
    throw new CliError(`tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [${keyTypes.join(' ')}]`);
  }
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new CliError('x509: malformed certificate');
  }
  let ok = false;
  try {
    ok = x509.checkPrivateKey(createPrivateKey(key));
  } catch {
    throw new CliError('tls: failed to parse private key');
  }
  if (!ok) throw new CliError('tls: private key does not match public key');
  return {
    kind: 'Secret',
    apiVersion: 'v1',
    metadata: { name, creationTimestamp: null },
    data: { 'tls.crt': cert.toString('base64'), 'tls.key': key.toString('base64') },
    type: 'kubernetes.io/tls',
  };
}
