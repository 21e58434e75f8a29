// kubesim serve [--port 6443] [--address 127.0.0.1] [--tls]: the simulated cluster as a Kubernetes API
// over HTTP (HTTPS with a self-signed CA with --tls), for the real kubectl and client libraries. Adds a
// `kubesim` context (cluster and user of that name) to kubesim's kubeconfig and serves until interrupted.
import { isIP } from 'node:net';
import { CliError } from '../api/errors.js';
import { kubesimHome, loadKubeconfig, ownKubeconfig, saveKubeconfig } from '../store/kubeconfig.js';
import type { KObj } from '../api/types.js';
import { bool, parseFlags, str } from './flags.js';
import type { IO } from './io.js';

export const SERVE_CONTEXT = 'kubesim';

const FLAGS = [
  { name: 'port', type: 'int' as const, default: '6443' },
  { name: 'address', type: 'string' as const, default: '127.0.0.1' },
  { name: 'tls', type: 'bool' as const, default: false },
];

function isLoopback(address: string): boolean {
  if (address === 'localhost') return true;
  if (isIP(address) === 4) return address.startsWith('127.');
  return address === '::1';
}

/** Puts the `kubesim` cluster, user and context (server: url) into kubesim's own kubeconfig. */
export function addServeContext(io: IO, url: string, caPem?: string): string {
  const path = ownKubeconfig(io.env);
  const cfg = loadKubeconfig(path, io.env);
  const put = (list: KObj[], entry: KObj) => {
    const i = list.findIndex((e) => e.name === entry.name);
    if (i >= 0) list[i] = entry;
    else list.push(entry);
  };
  // plain HTTP: client libraries (@kubernetes/client-node) refuse an http server unless TLS checks are
  // off, which changes nothing for kubectl on http
  const cluster: KObj = caPem ? { 'certificate-authority-data': Buffer.from(caPem).toString('base64'), server: url } : { 'insecure-skip-tls-verify': true, server: url };
  put((cfg.clusters ??= []), { cluster, name: SERVE_CONTEXT });
  // over HTTPS kubectl asks for a user name unless the user has credentials: a token (never checked)
  put((cfg.users ??= []), { name: SERVE_CONTEXT, user: caPem ? { token: 'kubesim' } : {} });
  put((cfg.contexts ??= []), { context: { cluster: SERVE_CONTEXT, namespace: 'default', user: SERVE_CONTEXT }, name: SERVE_CONTEXT });
  saveKubeconfig(path, cfg);
  return path;
}

export default async function serve(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'serve');
  if (p.args.length) throw new CliError(`unknown command "${p.args[0]}" for "kubesim serve"`);
  const port = Number(p.flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`invalid port ${p.flags.port}: must be between 0 and 65535`);
  const address = str(p, 'address');
  if (!isIP(address) && address !== 'localhost') throw new CliError(`invalid address "${address}": must be an IP address or localhost`);
  if (!isLoopback(address)) {
    io.stderr.write(`Warning: serving the simulated cluster's API on ${address}, a non-loopback address: anyone who can reach it can read and change the cluster (including its Secrets), with no authentication\n`);
  }
  const { startServer } = await import('../serve/server.js');
  const tls = bool(p, 'tls') ? (await import('../serve/tls.js')).tlsMaterial(kubesimHome(io.env), new Date(io.wallNow())) : undefined;
  let server;
  try {
    server = await startServer(io, { address: address === 'localhost' ? '127.0.0.1' : address, port, tls });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') throw new CliError(`listen tcp ${address}:${port}: bind: address already in use`);
    if (err.code === 'EADDRNOTAVAIL') throw new CliError(`listen tcp ${address}:${port}: bind: cannot assign requested address`);
    throw new CliError(`listen tcp ${address}:${port}: ${err.message}`);
  }
  addServeContext(io, server.url, tls?.cert);
  io.stdout.write(`Serving the simulated cluster's API on ${server.url}\n`);
  io.stdout.write(`kubeconfig context "${SERVE_CONTEXT}" added to ${ownKubeconfig(io.env)} (KUBESIM_HOME ${kubesimHome(io.env)})\n`);
  await io.flush?.();
  if (io.waitForInterrupt) await io.waitForInterrupt();
  else await new Promise(() => undefined);
  await server.close();
  return 0;
}
