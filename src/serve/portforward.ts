// pods/portforward, as kubectl 1.31+ asks for it: SPDY/3.1 tunneled in a WebSocket
// (`SPDY/3.1+portforward.k8s.io`). Each forwarded connection is a pair of streams (error and data,
// with `port` and `requestID` headers); the data stream's HTTP requests are answered by whatever
// program serves that port in the simulated pod (PodRuntime.http, as kubesim's own port-forward),
// one response per connection (Connection: close). A port nothing listens on gets the kubelet's
// error on the error stream.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { PodRuntime } from '../runtime/pod.js';
import type { ClusterAccess } from './access.js';
import type { ResourcePath } from './route.js';
import { SpdySession, type SpdyStream } from './spdy.js';
import { acceptWebSocket, offeredProtocols, refuseUpgrade } from './websocket.js';

const PROTOCOL = 'SPDY/3.1+portforward.k8s.io';

interface Pair {
  error?: SpdyStream;
  data?: SpdyStream;
}

/** One HTTP request from the start of `buf`, when it has all arrived. */
function request(buf: Buffer): { method: string; path: string; agent: string; size: number } | undefined {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const head = buf.subarray(0, end).toString('latin1').split('\r\n');
  const [method = 'GET', path = '/'] = head[0].split(' ');
  const headers = new Map(head.slice(1).map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  const length = Number(headers.get('content-length') ?? '0') || 0;
  if (buf.length < end + 4 + length) return undefined;
  return { method, path, agent: headers.get('user-agent') ?? '-', size: end + 4 + length };
}

function serveConnection(access: ClusterAccess, rp: ResourcePath, pair: Required<Pair>): void {
  const port = Number(pair.data.headers.port);
  let buf = Buffer.alloc(0);
  let answered = false;
  pair.data.onData(async (d) => {
    buf = Buffer.concat([buf, d]);
    const req = request(buf);
    if (!req || answered) return;
    answered = true;
    const r = await access
      .run('write', async (s) => {
        const pod = s.cluster.api.peek(rp.def, rp.namespace, rp.name!);
        if (!pod) return 'refused' as const;
        const rt = PodRuntime.of(s.cluster, pod);
        await rt.advance(s.cluster.now());
        return rt.http(port, req.method, req.path, '127.0.0.1', req.agent);
      })
      .catch(() => 'refused' as const);
    if (r === 'refused') {
      pair.error.write(`error forwarding port ${port} to pod ${rp.name}: failed to connect to localhost:${port} inside namespace: dial tcp4 127.0.0.1:${port}: connect: connection refused`);
      pair.error.end();
      pair.data.end();
      return;
    }
    const body = Buffer.from(req.method === 'HEAD' ? '' : r.body, 'utf8');
    const headers = { ...r.headers, 'Content-Length': String(Buffer.from(r.body, 'utf8').length), Connection: 'close' };
    const head = `HTTP/1.1 ${r.status} ${r.reason}\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}\r\n`;
    pair.data.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));
    pair.data.end();
    pair.error.end();
  });
}

export async function upgradePortForward(access: ClusterAccess, rp: ResourcePath, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  if (!offeredProtocols(req).includes(PROTOCOL)) {
    refuseUpgrade(socket, 400, JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `unable to upgrade: the port-forward protocol ${PROTOCOL} (over WebSocket) is the one served`, reason: 'BadRequest', code: 400 }));
    return;
  }
  const ws = acceptWebSocket(req, socket, head, PROTOCOL);
  const pairs = new Map<string, Pair>();
  const session = new SpdySession(
    (bytes) => ws.send(bytes),
    (stream) => {
      const id = stream.headers.requestid ?? String(stream.id);
      const pair = pairs.get(id) ?? {};
      pairs.set(id, pair);
      if (stream.headers.streamtype === 'error') pair.error = stream;
      else pair.data = stream;
      if (pair.error && pair.data) {
        pairs.delete(id);
        serveConnection(access, rp, pair as Required<Pair>);
      }
    },
  );
  ws.onMessage((data) => session.feed(data));
  ws.onClose(() => session.close());
}
