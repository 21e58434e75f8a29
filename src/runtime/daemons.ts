// Long-running programs of the catalog's images, as the kubelet and curl see them: what they log
// when they start, the port they bind (a taken port is nginx's bind() error and exit 1), how they
// answer HTTP, and what a signal does to them.
import type { Variant } from './catalog.js';
import { serveRoutes, subcommandOf, type Route } from './servers.js';
import type { Daemon } from './state.js';

type Kind = { kind: string; port?: number; root?: string; routes?: Record<string, Route>; log?: string[]; stderr?: boolean; onSignal?: Record<string, [number, ...string[]]>; exit?: number };

/** Kinds whose HTTP answers are the catalog's routes (servers.ts). */
const ROUTED = new Set(['http', 'liveness-http', 'netexec', 'serve-hostname']);

export interface HttpResponse {
  status: number;
  reason: string;
  headers: Record<string, string>;
  body: string;
}

export interface DaemonCtx {
  t: number;
  log(stream: 'o' | 'e', text: string, t?: number): void;
  readFile(path: string): Promise<string | undefined>;
  isDir(path: string): Promise<boolean>;
  portInUse(port: number): boolean;
  hostname: string;
  podIP: string;
  env: Record<string, string>;
  cwd: string;
}

export interface Started {
  daemon: Daemon;
  /** the program ends by itself: after ms with code */
  exit?: { ms: number; code: number };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function nginxTime(t: number): string {
  const d = new Date(t);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

function clfTime(t: number): string {
  const d = new Date(t);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

function pyTime(t: number): string {
  const d = new Date(t);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function fill(line: string, t: number, hostname: string, podIP = ''): string {
  const d = new Date(t);
  const iso = new Date(t).toISOString();
  const us = `${pad(d.getUTCMilliseconds(), 3)}${String(t % 997).padStart(3, '0')}`;
  const httpdTime = `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${us} ${d.getUTCFullYear()}`;
  const hms = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(Math.floor(d.getUTCMilliseconds() / 10))}`;
  const ts = `${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${hms}0`;
  return line
    .replaceAll('{time}', nginxTime(t))
    .replaceAll('{pid}', '1')
    .replaceAll('{wpid}', '29')
    .replaceAll('{hms}', hms)
    .replaceAll('{ts}', ts)
    .replaceAll('{hostname}', hostname)
    .replaceAll('{iso}', iso)
    .replaceAll('{podip}', podIP)
    .replaceAll('{httpdtime}', httpdTime)
    .replaceAll('{pgtime}', `${iso.slice(0, 10)} ${iso.slice(11, 23)}`)
    .replaceAll('{mysqltime}', `${iso.slice(0, 19)}.${us}`)
    .replaceAll('{rfc3339}', `${iso.slice(0, 10)} ${iso.slice(11, 19)}+00:00`)
    .replaceAll('{path}', '/');
}

/** Which kind of program a command line starts, given the image's default program. */
export function daemonKind(argv: string[], variant: Variant): Kind | undefined {
  const spec = variant.process;
  const line = argv.join(' ');
  const main = variant.entrypoint?.[0] ?? variant.cmd?.[0] ?? (spec.program as string | undefined);
  if (main && argv[0] === main && spec.subcommands) return subcommandOf(argv, variant);
  if (main && argv[0] === main && !['shell', 'python', 'node-repl'].includes(spec.kind)) return { kind: spec.kind, port: spec.port, root: spec.root };
  const base = (argv[0] ?? '').split('/').pop() ?? '';
  const py = /python3?(\.\d+)?\s+-m\s+http\.server(?:\s+(?:--bind\s+\S+\s+)?(\d+))?/.exec(line);
  if (py) {
    const dir = /--directory\s+(\S+)|-d\s+(\S+)/.exec(line);
    return { kind: 'python-http', port: py[2] ? Number(py[2]) : 8000, root: dir ? dir[1] ?? dir[2] : undefined };
  }
  // (a program that waits forever says nothing: not the image's own daemon's start-up lines)
  if (base === 'sleep' && /^(infinity|inf)$/.test(argv[1] ?? '')) return { kind: 'sleep-forever', log: [] };
  // `tail -f /dev/null` (the keep-alive of many manifests) follows a file that never grows
  if (base === 'tail' && argv.at(-1) === '/dev/null' && argv.slice(1, -1).some((a) => /^-[^-]*[fF]/.test(a) || a.startsWith('--follow'))) return { kind: 'sleep-forever', log: [] };
  if (base === 'docker-entrypoint.sh' || base === 'nginx' || base === 'hello-app' || base === 'httpd-foreground' || base === 'redis-server' || base === 'httpd') {
    if (base === 'nginx' && spec.kind !== 'nginx') return { kind: 'nginx', port: 80, root: '/usr/share/nginx/html' };
    return { kind: spec.kind, port: spec.port, root: spec.root };
  }
  return undefined;
}

export function startDaemon(kind: Kind, variant: Variant, ctx: DaemonCtx): Started {
  const spec = variant.process;
  const daemon: Daemon = { kind: kind.kind };
  if (kind.port) daemon.port = kind.port;
  if (kind.root) daemon.root = kind.root;
  if (ROUTED.has(kind.kind) || kind.onSignal) daemon.data = { since: ctx.t, ...(kind.routes ? { routes: kind.routes } : {}), ...(kind.onSignal ? { onSignal: kind.onSignal } : {}) };
  const startup = (kind.log ?? spec.startupLog ?? []).map((l) => fill(l, ctx.t, ctx.hostname, ctx.podIP).replaceAll('{port}', String(kind.port ?? '')));
  switch (kind.kind) {
    case 'exit':
      for (const l of startup) ctx.log('e', l);
      return { daemon, exit: { ms: 0, code: kind.exit ?? 1 } };
    case 'nginx': {
      if (daemon.port && ctx.portInUse(daemon.port)) {
        const half = startup.filter((l) => !/\[notice\]/.test(l));
        for (const l of half) ctx.log('o', l);
        let t = ctx.t;
        for (let i = 0; i < 5; i++, t += 500) {
          for (const addr of [`0.0.0.0:${daemon.port}`, `[::]:${daemon.port}`]) {
            ctx.log('e', `${nginxTime(t)} [emerg] 1#1: bind() to ${addr} failed (98: Address already in use)`, t);
            ctx.log('e', `nginx: [emerg] bind() to ${addr} failed (98: Address already in use)`, t);
          }
        }
        ctx.log('e', `${nginxTime(t)} [emerg] 1#1: still could not bind()`, t);
        ctx.log('e', `nginx: [emerg] still could not bind()`, t);
        return { daemon, exit: { ms: 2500, code: 1 } };
      }
      for (const l of startup) ctx.log(/\[notice\]/.test(l) ? 'e' : 'o', l);
      return { daemon };
    }
    case 'python-http':
      daemon.root ??= ctx.cwd;
      if (ctx.portInUse(daemon.port!)) {
        ctx.log('e', 'Traceback (most recent call last):\nOSError: [Errno 98] Address already in use');
        return { daemon, exit: { ms: 100, code: 1 } };
      }
      if (ctx.env.PYTHONUNBUFFERED) ctx.log('o', `Serving HTTP on 0.0.0.0 port ${daemon.port} (http://0.0.0.0:${daemon.port}/) ...`);
      return { daemon };
    case 'postgres':
    case 'mysql': {
      const need = kind.kind === 'postgres' ? ['POSTGRES_PASSWORD', 'POSTGRES_HOST_AUTH_METHOD'] : ['MYSQL_ROOT_PASSWORD', 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MYSQL_RANDOM_ROOT_PASSWORD'];
      if (!need.some((k) => ctx.env[k])) {
        for (const l of (spec.missingPasswordLog as string[] | undefined) ?? []) ctx.log('e', fill(l, ctx.t, ctx.hostname, ctx.podIP));
        return { daemon, exit: { ms: 200, code: Number(spec.exitCodeWithoutPassword ?? 1) } };
      }
      for (const l of startup) ctx.log('o', l);
      return { daemon };
    }
    case 'shell':
    case 'python':
    case 'node-repl':
      return { daemon, exit: { ms: 0, code: 0 } };
    default:
      if (daemon.port && ctx.portInUse(daemon.port)) {
        ctx.log('e', `listen tcp :${daemon.port}: bind: address already in use`);
        return { daemon, exit: { ms: 0, code: 1 } };
      }
      for (const l of startup) ctx.log(kind.kind === 'httpd' || kind.stderr ? 'e' : 'o', l);
      return { daemon };
  }
}

/** Exit code when the program gets `sig`, or undefined when it ignores it (PID 1 without a handler). */
export function signalExit(d: Daemon | undefined, sig: number, pid1: boolean, variant: Variant, ctx: DaemonCtx): number | undefined {
  if (sig === 9) return 137;
  const kind = d?.kind;
  const on = ((d?.data?.onSignal ?? variant.process.onSignal) as Record<string, [number, ...string[]]> | undefined)?.[String(sig)];
  if (on && d) {
    const [code, ...lines] = on;
    for (const l of lines) ctx.log('e', fill(l, ctx.t, ctx.hostname, ctx.podIP));
    return code < 0 ? undefined : code;
  }
  if (kind === 'nginx' && [2, 3, 15].includes(sig)) {
    ctx.log('e', `${nginxTime(ctx.t)} [notice] 1#1: signal ${sig} (${{ 2: 'SIGINT', 3: 'SIGQUIT', 15: 'SIGTERM' }[sig]}) received, ${sig === 3 ? 'shutting down' : 'exiting'}`);
    return 0;
  }
  if (kind === 'hello-app' && [1, 2, 15].includes(sig)) return Number(variant.process.exitOnSigterm ?? 2);
  if ((kind === 'redis' || kind === 'postgres' || kind === 'mysql' || kind === 'httpd') && [2, 15, 28].includes(sig)) return 0;
  if (pid1) return undefined;
  return 128 + sig;
}

async function fileResponse(root: string, path: string, ctx: DaemonCtx, index: string[]): Promise<{ status: number; body: string; type: string }> {
  const clean = decodeURIComponent(path.split('?')[0]);
  let file = `${root.replace(/\/$/, '')}${clean}`;
  if (await ctx.isDir(file)) {
    for (const i of index) {
      const body = await ctx.readFile(`${file.replace(/\/$/, '')}/${i}`);
      if (body !== undefined) return { status: 200, body, type: 'text/html' };
    }
    return { status: 403, body: '', type: 'text/html' };
  }
  const body = await ctx.readFile(file);
  if (body === undefined) return { status: 404, body: '', type: 'text/html' };
  file = file.toLowerCase();
  return { status: 200, body, type: file.endsWith('.html') ? 'text/html' : file.endsWith('.json') ? 'application/json' : 'text/plain' };
}

const REASONS: Record<number, string> = { 200: 'OK', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error' };

function nginxError(status: number, version: string): string {
  const reason = REASONS[status];
  return `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>nginx/${version}</center>\r\n</body>\r\n</html>\r\n`;
}

/** Answers one HTTP request; writes the access-log line the program writes. */
export async function serveHttp(d: Daemon, variant: Variant, method: string, path: string, client: string, agent: string, ctx: DaemonCtx): Promise<HttpResponse> {
  const date = new Date(ctx.t).toUTCString();
  if (ROUTED.has(d.kind)) return serveRoutes(d, variant, path, client, ctx);
  if (d.kind === 'nginx') {
    const version = String(variant.process.version ?? variant.env.NGINX_VERSION ?? '1.27.3');
    const r = await fileResponse(d.root ?? '/usr/share/nginx/html', path, ctx, ['index.html', 'index.htm']);
    const body = r.status === 200 ? r.body : nginxError(r.status, version);
    ctx.log('o', `${client} - - [${clfTime(ctx.t)}] "${method} ${path} HTTP/1.1" ${r.status} ${Buffer.byteLength(body)} "-" "${agent}"${variant.process.accessLogFormat === 'combined' ? '' : ' "-"'}`);
    return { status: r.status, reason: REASONS[r.status], headers: { Server: `nginx/${version}`, Date: date, 'Content-Type': r.type, 'Content-Length': String(Buffer.byteLength(body)), Connection: 'keep-alive' }, body: method === 'HEAD' ? '' : body };
  }
  if (d.kind === 'python-http') {
    const r = await fileResponse(d.root ?? '/', path, ctx, ['index.html', 'index.htm']);
    ctx.log('e', `${client} - - [${pyTime(ctx.t)}] "${method} ${path} HTTP/1.1" ${r.status} -`);
    const body = r.status === 200 ? r.body : `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN"\n        "http://www.w3.org/TR/html4/strict.dtd">\n<html>\n    <head>\n        <meta http-equiv="Content-Type" content="text/html;charset=utf-8">\n        <title>Error response</title>\n    </head>\n    <body>\n        <h1>Error response</h1>\n        <p>Error code: 404</p>\n        <p>Message: File not found.</p>\n        <p>Error code explanation: HTTPStatus.NOT_FOUND - Nothing matches the given URI.</p>\n    </body>\n</html>\n`;
    return { status: r.status, reason: REASONS[r.status] ?? 'OK', headers: { Server: `SimpleHTTP/0.6 Python/${String(variant.process.pythonVersion ?? '3.6.15')}`, Date: date, 'Content-type': r.type, 'Content-Length': String(Buffer.byteLength(body)) }, body };
  }
  if (d.kind === 'hello-app') {
    ctx.log('o', `${nginxTime(ctx.t)} Serving request: ${path.split('?')[0]}`);
    const version = /2\.0/.test(JSON.stringify(variant.env)) || variant.process.version === '2.0.0' ? '2.0.0' : String(variant.process.version ?? '1.0.0');
    const body = String(variant.process.response ?? `Hello, world!\nVersion: ${version}\nHostname: {hostname}\n`).replaceAll('{hostname}', ctx.hostname);
    return { status: 200, reason: 'OK', headers: { Date: date, 'Content-Length': String(Buffer.byteLength(body)), 'Content-Type': 'text/plain; charset=utf-8' }, body };
  }
  if (d.kind === 'httpd') {
    const r = await fileResponse(d.root ?? '/usr/local/apache2/htdocs', path, ctx, ['index.html']);
    ctx.log('o', `${client} - - [${clfTime(ctx.t)}] "${method} ${path} HTTP/1.1" ${r.status} ${Buffer.byteLength(r.body)}`);
    return { status: r.status, reason: REASONS[r.status], headers: { Date: date, Server: String(variant.process.serverHeader ?? 'Apache/2.4.62 (Unix)'), 'Content-Type': r.type }, body: r.status === 200 ? r.body : `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n` };
  }
  return { status: 400, reason: 'Bad Request', headers: {}, body: '' };
}
