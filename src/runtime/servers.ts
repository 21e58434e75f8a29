// Small HTTP servers of the images the Kubernetes task pages use, as data (the catalog's
// `process.routes`, or a subcommand's): registry.k8s.io/liveness (/healthz answers 200 "ok" for 10 s,
// then 500 "error: <seconds>"), agnhost's liveness / netexec / serve-hostname, goproxy's answer to a
// non-proxy request, node-hello's "Hello Kubernetes!". Go's net/http: unknown paths get
// `404 page not found`.
import type { Variant } from './catalog.js';
import type { DaemonCtx, HttpResponse } from './daemons.js';
import type { Daemon } from './state.js';

export interface Route {
  status?: number;
  body: string;
  /** after `ms` since the server started, the route answers this instead */
  after?: { ms: number; status?: number; body: string };
  contentType?: string;
  /** the line the server logs per request (Go's log: on stderr, after its timestamp) */
  log?: string;
}

export interface Subcommand {
  kind: string;
  port?: number;
  /** the flag that sets the port (`--http-port`, `--port`) */
  portFlag?: string;
  routes?: Record<string, Route>;
  log?: string[];
  /** its `log` lines go to stderr (Go's log package) */
  stderr?: boolean;
  /** signal number → [exit code (-1: it logs and keeps running), lines on stderr ({time}: Go's log time)] */
  onSignal?: Record<string, [number, ...string[]]>;
  /** the program ends at once with this code (after `log`, on stderr) */
  exit?: number;
}

const REASONS: Record<number, string> = { 200: 'OK', 404: 'Not Found', 500: 'Internal Server Error' };

/** Go's %v of a float64 number of seconds (shortest form, as strconv 'g' gives for these values). */
function goSeconds(ms: number): string {
  return String(ms / 1000);
}

/** Go's time.Duration String (`10.5s`, `1m5s`, `350ms`). */
function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const m = Math.floor(ms / 60_000);
  const s = (ms % 60_000) / 1000;
  return m ? `${m}m${s}s` : `${s}s`;
}

/** Go's time.Now().String(): fraction with trailing zeros trimmed, then the monotonic reading. */
function goNow(t: number, since: number): string {
  const iso = new Date(t).toISOString();
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac ? `.${frac}` : ''} +0000 UTC m=+${((t - since) / 1000).toFixed(9)}`;
}

/** Go's log package timestamp (2026/11/22 21:00:03). */
function goLogTime(t: number): string {
  const iso = new Date(t).toISOString();
  return `${iso.slice(0, 10).replaceAll('-', '/')} ${iso.slice(11, 19)}`;
}

/** Which subcommand of a multi-command image (agnhost) argv runs, with its port from the flag. */
export function subcommandOf(argv: string[], variant: Variant): (Subcommand & { name: string }) | undefined {
  const subs = variant.process.subcommands as Record<string, Subcommand> | undefined;
  if (!subs) return undefined;
  const name = argv[1] ?? '';
  // agnhost ignores Execute's error: cobra's message on stderr, exit 0
  const sub = subs[name] ?? { kind: 'exit', exit: 0, log: [`Error: unknown command "${name}" for "app"`, "Run 'app --help' for usage."] };
  let port = sub.port;
  if (sub.portFlag) {
    for (let i = 2; i < argv.length; i++) {
      if (argv[i].startsWith(`${sub.portFlag}=`)) port = Number(argv[i].slice(sub.portFlag.length + 1));
      else if (argv[i] === sub.portFlag) port = Number(argv[i + 1]);
    }
  }
  return { ...sub, name, port };
}

/** Answers a request to one of these servers (its routes kept in the daemon's data). */
export function serveRoutes(d: Daemon, variant: Variant, path: string, client: string, ctx: DaemonCtx): HttpResponse {
  const routes = (d.data?.routes ?? variant.process.routes ?? {}) as Record<string, Route>;
  const since = Number(d.data?.since ?? ctx.t);
  const [p, query = ''] = path.split('?');
  const route = routes[p] ?? routes['*'];
  const date = new Date(ctx.t).toUTCString();
  if (!route) {
    const body = '404 page not found\n';
    return { status: 404, reason: 'Not Found', headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', Date: date, 'Content-Length': String(body.length) }, body };
  }
  const late = route.after && ctx.t - since > route.after.ms ? route.after : undefined;
  const status = late?.status ?? route.status ?? 200;
  const q = new URLSearchParams(query);
  const expand = (text: string) =>
    text
      .replaceAll('{hostname}', ctx.hostname)
      .replaceAll('{client}', client)
      .replaceAll('{clientport}', String(32768 + (ctx.t % 28000)))
      .replaceAll('{seconds}', goSeconds(ctx.t - since))
      .replaceAll('{elapsed}', goDuration(ctx.t - since))
      .replaceAll('{now}', goNow(ctx.t, since))
      .replace(/\{q:(\w+)\}/g, (_, k: string) => q.get(k) ?? '');
  if (route.log) ctx.log('e', `${goLogTime(ctx.t)} ${expand(route.log)}`);
  const body = expand(late?.body ?? route.body);
  const headers: Record<string, string> = { Date: date, 'Content-Length': String(Buffer.byteLength(body)), 'Content-Type': route.contentType ?? 'text/plain; charset=utf-8' };
  return { status, reason: REASONS[status] ?? 'OK', headers, body };
}
