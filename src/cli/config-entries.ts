// config set-cluster and set-credentials as kubectl's set_cluster.go and set_credentials.go change an
// entry: file paths made absolute, --embed-certs reading the file into the *-data field instead,
// insecure mode and a certificate authority excluding each other, a token or basic auth clearing the
// other; fields left empty are dropped (kubeconfig omits empty values).
import { statSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { CliError } from '../api/errors.js';
import type { KObj } from '../api/types.js';
import { bool, str, type Parsed } from './flags.js';

function statOrFail(cwd: string, flag: string, path: string): void {
  try {
    statSync(resolve(cwd, path));
  } catch {
    throw new CliError(`could not stat ${flag} file ${path}: stat ${path}: no such file or directory`);
  }
}

function setOrDrop(entry: KObj, key: string, value: unknown): void {
  if (value === '' || value === false || value === undefined) delete entry[key];
  else entry[key] = value;
}

/** Where a kubeconfig file's paths are relative to, and the command's working directory. */
export interface Where {
  cwd: string;
  kubeconfig: string;
}

/**
 * A file flag's effect: embedded as base64 data, or its path with the data dropped; the path is
 * absolute in kubectl's memory and written relative to the kubeconfig's directory (clientcmd's
 * RelativizeAuthInfoLocalPaths when it saves).
 */
function fileField(entry: KObj, p: Parsed, w: Where, flag: string): void {
  const cwd = w.cwd;
  if (!p.changed.has(flag)) return;
  const path = str(p, flag);
  if (bool(p, 'embed-certs')) {
    setOrDrop(entry, `${flag}-data`, readFileSync(resolve(cwd, path)).toString('base64'));
    delete entry[flag];
    return;
  }
  const abs = path ? resolve(cwd, path) : '';
  // RelativizePathWithNoBacksteps: a path outside the kubeconfig's directory stays absolute
  const rel = abs && relative(dirname(w.kubeconfig), abs);
  setOrDrop(entry, flag, rel.startsWith('..') ? abs : rel);
  if (abs) delete entry[`${flag}-data`];
}

export function checkCluster(p: Parsed, cwd: string): void {
  if (bool(p, 'insecure-skip-tls-verify') && str(p, 'certificate-authority')) throw new CliError('you cannot specify a certificate authority and insecure mode at the same time');
  if (bool(p, 'embed-certs')) {
    if (!str(p, 'certificate-authority')) throw new CliError('you must specify a --certificate-authority to embed');
    statOrFail(cwd, 'certificate-authority', str(p, 'certificate-authority'));
  }
}

export function modifyCluster(cluster: KObj, p: Parsed, w: Where): void {
  // a cluster's server is always written, empty or not
  cluster.server ??= '';
  if (p.changed.has('server')) {
    cluster.server = str(p, 'server');
    delete cluster['tls-server-name'];
  }
  if (p.changed.has('tls-server-name')) setOrDrop(cluster, 'tls-server-name', str(p, 'tls-server-name'));
  if (p.changed.has('insecure-skip-tls-verify')) {
    setOrDrop(cluster, 'insecure-skip-tls-verify', bool(p, 'insecure-skip-tls-verify'));
    if (bool(p, 'insecure-skip-tls-verify')) {
      delete cluster['certificate-authority'];
      delete cluster['certificate-authority-data'];
    }
  }
  if (p.changed.has('certificate-authority')) {
    fileField(cluster, p, w, 'certificate-authority');
    if (bool(p, 'embed-certs') || str(p, 'certificate-authority')) delete cluster['insecure-skip-tls-verify'];
  }
  if (p.changed.has('proxy-url')) setOrDrop(cluster, 'proxy-url', str(p, 'proxy-url'));
}

export function checkUser(p: Parsed, cwd: string): void {
  const methods: string[] = [];
  if (str(p, 'token')) methods.push('--token');
  if (str(p, 'username') || str(p, 'password')) methods.push('--username/--password');
  if (methods.length > 1) throw new CliError(`you cannot specify more than one authentication method at the same time: ${methods.join(', ')}`);
  if (bool(p, 'embed-certs')) {
    const cert = str(p, 'client-certificate');
    const key = str(p, 'client-key');
    if (!cert && !key) throw new CliError('you must specify a --client-certificate or --client-key to embed');
    if (cert) statOrFail(cwd, 'client-certificate', cert);
    if (key) statOrFail(cwd, 'client-key', key);
  }
}

export function modifyUser(user: KObj, p: Parsed, w: Where): void {
  fileField(user, p, w, 'client-certificate');
  fileField(user, p, w, 'client-key');
  let setToken = false;
  let setBasic = false;
  if (p.changed.has('token')) {
    setOrDrop(user, 'token', str(p, 'token'));
    setToken = Boolean(str(p, 'token'));
  }
  for (const f of ['username', 'password']) {
    if (!p.changed.has(f)) continue;
    setOrDrop(user, f, str(p, f));
    setBasic ||= Boolean(str(p, f));
  }
  if (setToken && !setBasic) {
    delete user.username;
    delete user.password;
  }
  if (setBasic && !setToken) delete user.token;
}

const BASE64 = /^[A-Za-z0-9+/]$/;

/**
 * config set of a bytes field (`*-data`): the value is base64 that Go's StdEncoding must decode
 * (its error names the input byte), stored re-encoded; with --set-raw-bytes the text itself is the
 * bytes.
 */
export function bytesValue(value: string, raw: boolean): string {
  if (raw) return Buffer.from(value).toString('base64');
  for (let i = 0; i < value.length; i += 4) {
    const chunk = value.slice(i, i + 4);
    const fail = (at: number) => new CliError(`error decoding input value: illegal base64 data at input byte ${at}`);
    if (chunk.length < 4 && ![...chunk].some((ch) => !BASE64.test(ch))) throw fail(i);
    for (let j = 0; j < chunk.length; j++) {
      const ch = chunk[j];
      if (BASE64.test(ch)) continue;
      // padding: only in the last quantum, after two characters, and to its end
      const padOk = ch === '=' && j >= 2 && i + 4 >= value.length && chunk.length === 4 && [...chunk.slice(j)].every((x) => x === '=');
      if (!padOk) throw fail(i + j);
      break;
    }
  }
  return Buffer.from(value, 'base64').toString('base64');
}
