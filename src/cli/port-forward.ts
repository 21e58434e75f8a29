// kubectl port-forward pod/NAME|NAME|deploy/NAME|svc/NAME [LOCAL:]REMOTE…: a real listener on
// 127.0.0.1 whose requests are answered by whatever program serves the port inside the simulated
// pod (nginx's welcome page…). Runs until interrupted.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { CliError, notFound } from '../api/errors.js';
import type { KObj } from '../api/types.js';
import { PodRuntime } from '../runtime/pod.js';
import type { Cluster } from '../sim/engine.js';
import { SERVICE } from '../sim/keys.js';
import { parseFlags } from './flags.js';
import type { IO } from './io.js';
import { klogPrefix } from './output.js';
import { findPod, usageError } from './pod-target.js';
import { withCluster } from './session.js';

const FLAGS = [
  { name: 'address', type: 'stringSlice' as const, default: ['localhost'] },
  { name: 'pod-running-timeout', type: 'string' as const, default: '1m0s' },
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
  const pod = c
    .listAll('pods')
    .find((p) => p.metadata.namespace === ns && p.status?.phase === 'Running' && Object.entries(sel).every(([k, v]) => p.metadata.labels?.[k] === v));
  if (!pod) throw new CliError(`no pods found for service "${m[2]}"` );
  return { pod, service: svc };
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
  const { pod, mappings, ns } = await withCluster(io, p, 'read', (s) => {
    const t = target(s.cluster, s.namespace, ref, io);
    if (t.pod.status?.phase !== 'Running') throw new CliError(`unable to forward port because pod is not running. Current status=${t.pod.status?.phase ?? 'Pending'}`);
    const maps: Mapping[] = specs.map((spec) => {
      const [l, r] = spec.includes(':') ? spec.split(':') : [spec, spec];
      return { local: l === '' ? 0 : Number(l), remote: remotePort(r, t.pod, t.service) };
    });
    return { pod: t.pod, mappings: maps, ns: s.namespace };
  });
  const servers = await Promise.all(
    mappings.map(
      (m) =>
        new Promise<{ port: number; m: Mapping }>((resolve, reject) => {
          const srv = createServer((req, res) => void answer(io, p, ns, pod.metadata.name, m, req, res, port()));
          const port = () => (srv.address() as { port: number }).port;
          srv.once('error', (e: NodeJS.ErrnoException) =>
            reject(new CliError(e.code === 'EADDRINUSE' ? `unable to listen on port ${m.local}: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:${m.local}: bind: address already in use]` : e.message)),
          );
          srv.listen(m.local, '127.0.0.1', () => resolve({ port: port(), m }));
        }),
    ),
  );
  for (const s of servers) io.stdout.write(`Forwarding from 127.0.0.1:${s.port} -> ${s.m.remote}\n`);
  await new Promise<void>(() => undefined);
  return 0;
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
