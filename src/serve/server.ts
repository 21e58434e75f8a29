// The HTTP server of `kubesim serve`: the simulated cluster as a Kubernetes API on loopback, for the
// real kubectl and client libraries. Routing: health and version, discovery, the REST paths of every
// registered kind (rest.ts), watches (watch.ts), the pod log (pods.ts) and the live page (/ui).
import { createServer as createHttpsServer } from 'node:https';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StatusError } from '../api/errors.js';
import type { IO } from '../cli/io.js';
import { serverVersionInfo } from '../cli/version.js';
import { ClusterAccess } from './access.js';
import {
  aggregatedDiscovery, AGGREGATED_V2, AGGREGATED_V2BETA1, apiGroup, apiGroupList, apiResourceList, apiVersions, hasGroupVersion, wantsAggregated,
} from './discovery.js';
import { json, pageNotFound, statusOf, type ApiRequest, type ApiResponse, type Sink } from './http-types.js';
import { handleResource } from './rest.js';
import { parseResourcePath } from './route.js';
import { WatchHub } from './watch.js';

export interface ServeOptions {
  address: string;
  port: number;
  /** serve HTTPS with this certificate and key (PEM) */
  tls?: { cert: string; key: string };
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
  /** requests answered so far */
  readonly requests: number;
}

const HEALTH = new Set(['/healthz', '/livez', '/readyz', '/healthz/ping', '/livez/ping', '/readyz/ping']);

class Api {
  readonly access: ClusterAccess;
  readonly hub: WatchHub;
  requests = 0;

  constructor(
    io: IO,
    private readonly serverAddress: () => string,
  ) {
    this.access = new ClusterAccess(io);
    this.hub = new WatchHub(this.access);
  }

  async handle(req: ApiRequest): Promise<ApiResponse> {
    const path = req.path.replace(/\/+$/, '') || '/';
    if (path === '/ui' || path.startsWith('/ui/')) {
      const { uiPage } = await import('./ui.js');
      return uiPage(this.access, path, req);
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (path === '/version') return { status: 200, body: `${JSON.stringify(serverVersionInfo(), null, 2)}\n`, type: 'application/json' };
      if (HEALTH.has(path)) return { status: 200, body: 'ok', type: 'text/plain; charset=utf-8', headers: { 'X-Content-Type-Options': 'nosniff' } };

      const agg = path === '/api' || path === '/apis' ? wantsAggregated(String(req.headers.accept ?? '')) : undefined;
      if (agg) {
        const doc = aggregatedDiscovery(path === '/api');
        if (agg === 'v2beta1') doc.apiVersion = 'apidiscovery.k8s.io/v2beta1';
        return { ...json(200, doc), type: agg === 'v2' ? AGGREGATED_V2 : AGGREGATED_V2BETA1, headers: { Vary: 'Accept' } };
      }
      if (path === '/api') return json(200, apiVersions(this.serverAddress()));
      if (path === '/apis') return json(200, apiGroupList());
      if (path === '/api/v1') return json(200, apiResourceList('', 'v1'));
      const g = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(path);
      if (g) {
        if (g[2] === undefined) {
          const doc = apiGroup(g[1]);
          return doc ? json(200, doc) : pageNotFound();
        }
        return hasGroupVersion(g[1], g[2]) ? json(200, apiResourceList(g[1], g[2])) : pageNotFound();
      }
      if (path.startsWith('/openapi/')) {
        const { openapi } = await import('./openapi.js');
        return openapi(path, req);
      }
    }
    const { isLeasePath, serveLeases } = await import('./leases.js');
    if (isLeasePath(path)) return serveLeases(this.access, path, req);
    const rp = parseResourcePath(path);
    if (!rp) return pageNotFound();

    const watching = ['1', 'true'].includes(req.query.get('watch') ?? '');
    if (req.method === 'GET' && watching) return this.hub.watch(rp, req);
    const res = await handleResource(this.access, rp, req);
    if (req.method !== 'GET' && res.status < 300) this.hub.poke();
    return res;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The body as JSON text: protobuf bodies (kubectl's typed clients) are decoded first. */
async function bodyText(req: IncomingMessage, bytes: Buffer): Promise<string> {
  const type = String(req.headers['content-type'] ?? '');
  if (!bytes.length || !type.startsWith('application/vnd.kubernetes.protobuf')) return bytes.toString('utf8');
  const { decodeProtobuf } = await import('./protobuf.js');
  req.headers['content-type'] = 'application/json';
  return JSON.stringify(decodeProtobuf(bytes));
}

async function respond(api: Api, req: IncomingMessage, res: ServerResponse): Promise<void> {
  api.requests++;
  const url = new URL(req.url ?? '/', 'http://localhost');
  let out: ApiResponse;
  try {
    const body = await bodyText(req, await readBody(req));
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      path = url.pathname;
    }
    out = await api.handle({ method: req.method ?? 'GET', path, query: url.searchParams, headers: req.headers, body });
  } catch (e) {
    out = statusOf(e instanceof StatusError ? e : e);
  }
  const headers: Record<string, string | string[]> = { 'Content-Type': out.type, 'Cache-Control': 'no-cache, private', ...(out.headers ?? {}) };
  if (!out.stream) {
    const buf = Buffer.from(out.body, 'utf8');
    headers['Content-Length'] = String(buf.length);
    res.writeHead(out.status, headers);
    res.end(req.method === 'HEAD' ? undefined : buf);
    return;
  }
  delete headers['Transfer-Encoding'];
  res.writeHead(out.status, headers);
  res.flushHeaders();
  if (out.body) res.write(out.body);
  let closed = false;
  let markGone: () => void = () => undefined;
  const gone = new Promise<void>((r) => (markGone = r));
  const onClose = () => {
    closed = true;
    markGone();
  };
  res.on('close', onClose);
  const sink: Sink = {
    write: (s) => {
      if (!closed) res.write(s);
    },
    get closed() {
      return closed;
    },
    gone,
  };
  try {
    await out.stream(sink);
  } finally {
    res.off('close', onClose);
    if (!closed) res.end();
  }
}

/** WebSocket upgrades: pods/exec, pods/attach and pods/portforward; anything else is refused. */
async function upgrade(api: Api, req: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer): Promise<void> {
  api.requests++;
  socket.on('error', () => undefined);
  const url = new URL(req.url ?? '/', 'http://localhost');
  const rp = parseResourcePath(url.pathname);
  const { refuseUpgrade } = await import('./websocket.js');
  if (rp && rp.def.kind === 'Pod' && rp.name !== undefined && rp.sub === 'portforward') {
    const { upgradePortForward } = await import('./portforward.js');
    await upgradePortForward(api.access, rp, req, socket, head);
    return;
  }
  if (!rp || rp.def.kind !== 'Pod' || rp.name === undefined || (rp.sub !== 'exec' && rp.sub !== 'attach')) {
    refuseUpgrade(socket, 400, JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'upgrade request not supported for this path', reason: 'BadRequest', code: 400 }));
    return;
  }
  const { upgradeExec } = await import('./exec.js');
  await upgradeExec(api.access, rp, req, socket, head, url.searchParams);
}

/** Starts serving; resolves once the server listens. */
export async function startServer(io: IO, opts: ServeOptions): Promise<RunningServer> {
  let bound = `${opts.address}:${opts.port}`;
  const api = new Api(io, () => bound);
  const sockets = new Set<import('node:net').Socket>();
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    respond(api, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };
  const server: Server = opts.tls ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, handler) : createServer(handler);
  server.on('upgrade', (req: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => {
    void upgrade(api, req, socket, head);
  });
  server.on(opts.tls ? 'secureConnection' : 'connection', (s: import('node:net').Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.keepAliveTimeout = 60_000;
  const scheme = opts.tls ? 'https' : 'http';
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.address, () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      const host = opts.address.includes(':') ? `[${opts.address}]` : opts.address;
      bound = `${host}:${port}`;
      // watches are followed from here on (the first look queues before any request)
      api.hub.start();
      resolve({
        url: `${scheme}://${host}:${port}`,
        port,
        get requests() {
          return api.requests;
        },
        close: () =>
          new Promise<void>((done) => {
            api.hub.stop();
            server.close(() => done());
            for (const s of sockets) s.destroy();
          }),
      });
    });
  });
}
