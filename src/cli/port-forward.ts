// kubectl port-forward pod/NAME|NAME|deploy/NAME|svc/NAME [LOCAL:]REMOTE… [--address A,B]: real
// listeners on the given addresses (default localhost: 127.0.0.1 and [::1]) whose requests are
// answered by whatever program serves the port inside the simulated pod (nginx's welcome page…).
// Runs until interrupted (Ctrl-C: exit 0).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIPv4, isIPv6 } from 'node:net';
import { CliError, notFound } from '../api/errors.js';
import type { KObj } from '../api/types.js';
import { PodRuntime } from '../runtime/pod.js';
import type { Cluster } from '../sim/engine.js';
import { parseDuration } from '../sim/clock.js';
import { SERVICE } from '../sim/keys.js';
import { list, parseFlags, str } from './flags.js';
import type { IO } from './io.js';
import { klogPrefix } from './output.js';
import { findPod, usageError } from './pod-target.js';
import { resolveNamespace, withCluster } from './session.js';
import { waitUntil } from './waiting.js';

const FLAGS = [
  // default localhost (a given --address replaces it, as pflag's string slices do)
  { name: 'address', type: 'stringSlice' as const, default: ['localhost'] },
  { name: 'pod-running-timeout', type: 'duration' as const, default: '1m0s' },
];

interface Mapping {
  local: number;
  remote: number;
}

function target(c: Cluster, ns: string, ref: string, io: IO): { pod: KObj; service?: KObj } {
  const m = /^(svc|service|services)\/(.+)$/.exec(ref);
  if (!m) return { pod: findPod(c, ns, ref, io) };
  const svc = c.api.peek(SERVICE, ns, m[2]);
  if (!svc) throw notFound('services', m[2]);
  const sel = svc.spec.selector ?? {};
  // GetFirstPod sorted by reverse ActivePods: a ready running pod first
  const ready = (p: KObj) => ((p.status?.conditions ?? []) as KObj[]).some((x) => x.type === 'Ready' && x.status === 'True');
  const rank = (p: KObj) => (p.status?.phase === 'Running' ? 2 : 0) + (ready(p) ? 1 : 0) - (p.metadata.deletionTimestamp ? 4 : 0);
  const pod = servicePods(c, ns, sel).sort((a, b) => rank(b) - rank(a))[0];
  if (!pod) throw new CliError('timed out waiting for the condition');
  return { pod, service: svc };
}

function servicePods(c: Cluster, ns: string, sel: Record<string, string>): KObj[] {
  return c.listAll('pods').filter((p) => p.metadata.namespace === ns && Object.entries(sel).every(([k, v]) => p.metadata.labels?.[k] === v));
}

function remotePort(spec: string, pod: KObj, svc?: KObj): number {
  if (svc) {
    const sp = (svc.spec.ports ?? []).find((p: KObj) => String(p.port) === spec || p.name === spec);
    if (!sp) throw new CliError(`Service ${svc.metadata.name} does not have a service port ${spec}`);
    const tp = sp.targetPort ?? sp.port;
    return typeof tp === 'number' ? tp : namedPort(pod, tp);
  }
  return /^\d+$/.test(spec) ? Number(spec) : namedPort(pod, spec);
}

function namedPort(pod: KObj, name: string): number {
  for (const ct of pod.spec.containers) for (const p of ct.ports ?? []) if (p.name === name) return Number(p.containerPort);
  throw new CliError(`Pod '${pod.metadata.name}' does not have a named port '${name}'`);
}

export default async function portForward(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'port-forward');
  if (p.args.length < 2) throw usageError('port-forward', 'TYPE/NAME and list of ports are required for port-forward');
  const [ref, ...specs] = p.args;
  // svc/NAME without pods: GetFirstPod watches for one up to --pod-running-timeout
  const svcRef = /^(svc|service|services)\/(.+)$/.exec(ref);
  if (svcRef) {
    const timeoutMs = parseDuration(str(p, 'pod-running-timeout'));
    if (timeoutMs === undefined || timeoutMs <= 0) throw new CliError('--pod-running-timeout must be higher than zero');
    const r = await waitUntil(io, p, {
      timeoutMs,
      check: (c) => {
        const svc = c.api.peek(SERVICE, resolveNamespace(io, p).namespace, svcRef[2]);
        return !svc || servicePods(c, svc.metadata.namespace, svc.spec?.selector ?? {}).length ? true : undefined;
      },
    });
    if (r.timedOut) throw new CliError('timed out waiting for the condition');
  }
  const { pod, mappings, ns } = await withCluster(io, p, 'read', (s) => {
    const t = target(s.cluster, s.namespace, ref, io);
    if (t.pod.status?.phase !== 'Running') throw new CliError(`unable to forward port because pod is not running. Current status=${t.pod.status?.phase ?? 'Pending'}`);
    const maps: Mapping[] = specs.map((spec) => {
      const [l, r] = spec.includes(':') ? spec.split(':') : [spec, spec];
      return { local: l === '' ? 0 : Number(l), remote: remotePort(r, t.pod, t.service) };
    });
    return { pod: t.pod, mappings: maps, ns: s.namespace };
  });
  const addresses = parseAddresses(list(p, 'address'));
  for (const a of addresses) {
    if (!a.loopback) io.stderr.write(`kubesim: warning: ${a.address} is not a loopback address: the forwarded ports are reachable from other hosts\n`);
  }
  const servers: Server[] = [];
  let listening = false;
  for (const m of mappings) {
    const handler = (req: IncomingMessage, res: ServerResponse) => void answer(io, p, ns, pod.metadata.name, m, req, res, m.local);
    const errors: string[] = [];
    const failed = { all: 0, any: 0 };
    const ok = { all: 0, any: 0 };
    for (const a of addresses) {
      const r = await listen(a, m.local, handler);
      if (typeof r === 'string') {
        errors.push(r);
        failed[a.failureMode]++;
        continue;
      }
      ok[a.failureMode]++;
      servers.push(r.server);
      m.local = r.port;
      io.stdout.write(`Forwarding from ${joinHostPort(a.address, r.port)} -> ${m.remote}\n`);
    }
    // client-go: localhost's two listeners may fail one at a time (no IPv6); a given address may not
    if ((ok.all === 0 && failed.all > 0) || failed.any > 0) {
      io.stderr.write(`Unable to listen on port ${m.local}: Listeners failed to create with the following errors: [${errors.join(' ')}]\n`);
    } else listening = true;
  }
  if (!listening) {
    for (const srv of servers) srv.close();
    throw new CliError(`unable to listen on any of the requested ports: [${mappings.map((m) => `{${m.local} ${m.remote}}`).join(' ')}]`);
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      active.delete(stop);
      for (const srv of servers) srv.close();
      resolve();
    };
    active.add(stop);
    // Ctrl-C ends kubectl's forwarding cleanly (exit 0)
    void io.waitForInterrupt?.().then(stop);
  });
  return 0;
}

/** Forwards in progress (stopped as an interrupt stops kubectl's). */
const active = new Set<() => void>();

/** Stops every port-forward running in this process (its command then returns 0). */
export function stopPortForwards(): void {
  for (const stop of [...active]) stop();
}

interface ListenAddress {
  address: string;
  protocol: 'tcp4' | 'tcp6';
  /** localhost's pair needs one listener to succeed; a given address must */
  failureMode: 'all' | 'any';
  loopback: boolean;
}

/** client-go's parseAddresses: localhost is 127.0.0.1 and ::1; IPs only; unique and sorted. */
function parseAddresses(given: string[]): ListenAddress[] {
  if (!given.length) throw new CliError('you must specify at least 1 address');
  const parsed = new Map<string, ListenAddress>();
  for (const a of given) {
    if (a === 'localhost') {
      if (!parsed.has('127.0.0.1')) parsed.set('127.0.0.1', { address: '127.0.0.1', protocol: 'tcp4', failureMode: 'all', loopback: true });
      if (!parsed.has('::1')) parsed.set('::1', { address: '::1', protocol: 'tcp6', failureMode: 'all', loopback: true });
    } else if (isIPv4(a)) parsed.set(a, { address: a, protocol: 'tcp4', failureMode: 'any', loopback: a.startsWith('127.') });
    else if (isIPv6(a)) parsed.set(a, { address: a, protocol: 'tcp6', failureMode: 'any', loopback: new URL(`http://[${a}]/`).hostname === '[::1]' });
    else throw new CliError(`${a} is not a valid IP`);
  }
  return [...parsed.values()].sort((x, y) => (x.address < y.address ? -1 : x.address > y.address ? 1 : 0));
}

/** Go's net.JoinHostPort. */
function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Go's texts for the errors a listen can meet. */
const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: 'bind: address already in use',
  EADDRNOTAVAIL: 'bind: cannot assign requested address',
  EACCES: 'bind: permission denied',
  EAFNOSUPPORT: 'socket: address family not supported by protocol',
};

/** One listener (client-go's getListener); a string is its error as client-go words it. */
function listen(a: ListenAddress, port: number, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; port: number } | string> {
  return new Promise((resolve) => {
    const srv = createServer(handler);
    srv.once('error', (e: NodeJS.ErrnoException) => {
      const why = LISTEN_ERRORS[e.code ?? ''] ?? e.message;
      resolve(`unable to create listener: Error listen ${a.protocol} ${joinHostPort(a.address, port)}: ${why}`);
    });
    srv.listen({ port, host: a.address, ipv6Only: a.protocol === 'tcp6' }, () => resolve({ server: srv, port: (srv.address() as { port: number }).port }));
  });
}

async function answer(io: IO, p: ReturnType<typeof parseFlags>, ns: string, name: string, m: Mapping, req: IncomingMessage, res: ServerResponse, local: number) {
  io.stdout.write(`Handling connection for ${local}\n`);
  try {
    const r = await withCluster(io, p, 'write', async (s) => {
      const pod = findPod(s.cluster, ns, name, io);
      const rt = PodRuntime.of(s.cluster, pod);
      await rt.advance(s.cluster.now());
      return rt.http(m.remote, req.method ?? 'GET', req.url ?? '/', '127.0.0.1', String(req.headers['user-agent'] ?? '-'));
    });
    if (r === 'refused') {
      io.stderr.write(
        `${klogPrefix('E', io)} portforward.go:424] "Unhandled Error" err="an error occurred forwarding ${local} -> ${m.remote}: error forwarding port ${m.remote} to pod ${name}: failed to connect to localhost:${m.remote} inside namespace: dial tcp4 127.0.0.1:${m.remote}: connect: connection refused"\n`,
      );
      res.destroy();
      return;
    }
    res.writeHead(r.status, r.headers);
    res.end(req.method === 'HEAD' ? undefined : r.body);
  } catch (e) {
    io.stderr.write(`error: ${(e as Error).message}\n`);
    res.destroy();
  }
}
