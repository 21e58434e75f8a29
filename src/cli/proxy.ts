// kubectl proxy [--port=8001] [--address=127.0.0.1] [--api-prefix=/] [--www=DIR] [--www-prefix=/static/]:
// an HTTP proxy to the cluster's API on a local port, as kubectl's (pkg/proxy): requests whose Host,
// path or method the filter refuses get 403 Forbidden (by default exec and attach, and hosts other
// than localhost), the API prefix is taken off, --www serves static files. The API behind it is
// kubesim serve's, started on a loopback port of its own. Runs until interrupted.
import { createReadStream, statSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, normalize } from 'node:path';
import { CliError } from '../api/errors.js';
import { parseFlags, str } from './flags.js';
import type { IO } from './io.js';
import { klogPrefix } from './output.js';

const FLAGS = [
  { name: 'accept-hosts', type: 'string' as const, default: '^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$' },
  { name: 'accept-paths', type: 'string' as const, default: '^.*' },
  { name: 'address', type: 'string' as const, default: '127.0.0.1' },
  { name: 'api-prefix', type: 'string' as const, default: '/' },
  { name: 'append-server-path', type: 'bool' as const, default: false },
  { name: 'disable-filter', type: 'bool' as const, default: false },
  { name: 'keepalive', type: 'duration' as const, default: '0s' },
  { name: 'port', short: 'p', type: 'int' as const, default: '8001' },
  { name: 'reject-methods', type: 'string' as const, default: '^$' },
  { name: 'reject-paths', type: 'string' as const, default: '^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach' },
  { name: 'unix-socket', short: 'u', type: 'string' as const, default: '' },
  { name: 'www', short: 'w', type: 'string' as const, default: '' },
  { name: 'www-prefix', short: 'P', type: 'string' as const, default: '/static/' },
];

/** kubectl's comma-separated regular expressions (MakeRegexpArray), each matched anywhere. */
function regexps(text: string, flag: string): RegExp[] {
  if (!text) return [];
  return text.split(',').map((r) => {
    try {
      return new RegExp(r);
    } catch (e) {
      throw new CliError(`error parsing regexp: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}: \`${r}\` (--${flag})`);
    }
  });
}

const matchesAny = (res: RegExp[], s: string) => res.some((r) => r.test(s));

/** The Host header without its port, as the filter's extractHost reads it. */
function hostOf(req: IncomingMessage): string {
  const host = req.headers.host ?? '';
  const m = /^(\[[^\]]*\]|[^:]*)(:\d+)?$/.exec(host);
  return m ? m[1] : host;
}

export default async function proxy(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'proxy');
  if (p.args.length) throw new CliError(`unknown command "${p.args[0]}" for "kubectl proxy"`);
  if (str(p, 'unix-socket')) throw new CliError('kubectl proxy --unix-socket is not supported by kubesim (simulated cluster)');
  const port = Number(p.flags.port);
  const address = str(p, 'address');
  const apiPrefix = (() => {
    const a = str(p, 'api-prefix') || '/';
    return a.endsWith('/') ? a : `${a}/`;
  })();
  const wwwPrefix = str(p, 'www-prefix') || '/static/';
  const www = str(p, 'www');
  const filter = !p.flags['disable-filter'];
  const accept = { hosts: regexps(str(p, 'accept-hosts'), 'accept-hosts'), paths: regexps(str(p, 'accept-paths'), 'accept-paths') };
  const reject = { paths: regexps(str(p, 'reject-paths'), 'reject-paths'), methods: regexps(str(p, 'reject-methods'), 'reject-methods') };
  if (!filter) io.stderr.write(`${klogPrefix('W', io)} proxy.go:175] Request filter disabled, your proxy is vulnerable to XSRF attacks, please be cautious\n`);

  const { startServer } = await import('../serve/server.js');
  const api = await startServer(io, { address: '127.0.0.1', port: 0 });
  const forward = (req: IncomingMessage, res: ServerResponse, path: string) => {
    const up = request({ host: '127.0.0.1', port: api.port, method: req.method, path, headers: { ...req.headers, host: `127.0.0.1:${api.port}` } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  };
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const path = url.split('?')[0];
    // the filter (pkg/proxy FilterServer): path first, then host, then method
    if (filter && (!matchesAny(accept.paths, path) || matchesAny(reject.paths, path) || !matchesAny(accept.hosts, hostOf(req)) || matchesAny(reject.methods, req.method ?? ''))) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
      res.end('Forbidden\n');
      return;
    }
    if (www && path.startsWith(wwwPrefix)) {
      const file = join(www, normalize(`/${path.slice(wwwPrefix.length)}`));
      try {
        if (statSync(file).isFile()) {
          res.writeHead(200);
          createReadStream(file).pipe(res);
          return;
        }
      } catch {
        /* not there: 404 below */
      }
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('404 page not found\n');
      return;
    }
    if (!path.startsWith(apiPrefix)) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('404 page not found\n');
      return;
    }
    forward(req, res, `/${url.slice(apiPrefix.length)}`);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, address, () => resolve());
    });
  } catch (e) {
    await api.close();
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') throw new CliError(`listen tcp ${address}:${port}: bind: address already in use`);
    throw new CliError(`listen tcp ${address}:${port}: ${err.message}`);
  }
  const bound = server.address();
  const shown = typeof bound === 'object' && bound ? `${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}` : `${address}:${port}`;
  io.stdout.write(`Starting to serve on ${shown}\n`);
  await io.flush?.();
  if (io.waitForInterrupt) await io.waitForInterrupt();
  else await new Promise(() => undefined);
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await api.close();
  return 0;
}
