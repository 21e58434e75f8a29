// What kubectl's client does around every request, for the global flags that change it:
// -v=1 and above log client-go's feature gates, -v=4 the Status of a request that failed the
// command, -v=6 and above each request as client-go's round tripper does (klog `round_trippers.go:560]
// GET https://…/api/v1/namespaces/default/pods?limit=500 200 OK in 3 milliseconds`) after the
// loader's `Config loaded from file:` line; --request-timeout
// is checked as clientcmd parses it and sent as the `timeout` parameter; --as/--as-group impersonate:
// the API server then authorizes the requests as that user, who has no RBAC grant on a fresh cluster
// (only the system:masters and kubeadm:cluster-admins groups are bound to cluster-admin), so they are
// Forbidden with the authorizer's text.
//
// The requests are the verb's own calls of the in-process API server (not the controllers' nor the
// kubelet's, which run inside the simulation or inside another call): the hooks wrap ApiServer's
// methods for the duration of one command.
import { resolve } from 'node:path';
import { CliError, notFound, StatusError } from '../api/errors.js';
import { ApiServer } from '../api/server.js';
import type { KObj, ResourceDef } from '../api/types.js';
import { Cluster } from '../sim/engine.js';
import { kubeconfigPath, loadKubeconfig } from '../store/kubeconfig.js';
import type { IO } from './io.js';
import { klogPrefix } from './output.js';
import { fnv1a } from '../api/fnv.js';

/** kubesim's own commands and those that never reach the API server. */
const OFFLINE = new Set(['config', 'completion', '__complete', '__completeNoDesc', 'kustomize', 'clock', 'cluster', 'reset', 'repair', 'replay', 'explain', 'serve']);

/** Commands whose requests anyone authenticated may make (discovery, version, self reviews). */
const OPEN_TO_ALL = new Set(['auth', 'version', 'api-resources', 'api-versions']);

/** Groups bound to cluster-admin on minikube and kind clusters. */
const ADMIN_GROUPS = new Set(['system:masters', 'kubeadm:cluster-admins']);

/** The identity an impersonating command acts as (`--as`, `--as-group`), or undefined. */
export function impersonatedUser(argv: string[]): { username: string; groups: string[] } | undefined {
  const o = scanClientFlags(argv);
  return o.as ? { username: o.as, groups: [...o.asGroups, 'system:authenticated'] } : undefined;
}

export interface ClientOptions {
  verbosity: number;
  as: string;
  asGroups: string[];
  asUid: string;
  timeout: string;
  kubeconfig: string;
  context: string;
  user: string;
  server: string;
}

/** The values of the global flags that matter here, wherever they stand (pflag's forms). */
export function scanClientFlags(argv: string[]): ClientOptions {
  const o: ClientOptions = { verbosity: 0, as: '', asGroups: [], asUid: '', timeout: '', kubeconfig: '', context: '', user: '', server: '' };
  const set = (name: string, value: string) => {
    if (name === 'v') o.verbosity = Number(value) || 0;
    else if (name === 'as') o.as = value;
    else if (name === 'as-group') o.asGroups.push(value);
    else if (name === 'as-uid') o.asUid = value;
    else if (name === 'request-timeout') o.timeout = value;
    else if (name === 'kubeconfig' || name === 'context' || name === 'user' || name === 'server') o[name] = value;
  };
  const longs = ['v', 'as', 'as-group', 'as-uid', 'request-timeout', 'kubeconfig', 'context', 'user', 'server'];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    const long = /^--([a-z-]+)(?:=(.*))?$/s.exec(a);
    if (long && longs.includes(long[1])) {
      if (long[2] !== undefined) set(long[1], long[2]);
      else if (i + 1 < argv.length) set(long[1], argv[++i]);
      continue;
    }
    const short = /^-([vs])(=?)(.*)$/s.exec(a);
    if (short) {
      const name = short[1] === 'v' ? 'v' : 'server';
      if (short[3] !== '' || short[2]) set(name, short[3]);
      else if (i + 1 < argv.length) set(name, argv[++i]);
    }
  }
  return o;
}

/** clientcmd's ParseTimeout: seconds or a Go duration; the Go duration text for the query. */
export function parseTimeout(text: string): string | undefined {
  if (text === '' || text === '0') return undefined;
  const invalid = new CliError('Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)');
  let ms: number;
  if (/^-?\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    const re = /(\d+(?:\.\d+)?)(ns|us|\u00b5s|ms|s|m|h)/gy;
    let total = 0;
    let used = 0;
    const body = text.replace(/^[-+]/, '');
    for (const m of body.matchAll(re)) {
      total += Number(m[1]) * { ns: 1e-6, us: 1e-3, '\u00b5s': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2]]!;
      used += m[0].length;
    }
    if (!body || used !== body.length) throw invalid;
    ms = text.startsWith('-') ? -total : total;
  }
  if (ms === 0) return undefined;
  // time.Duration.String()
  if (Math.abs(ms) < 1000) return `${Number(ms.toFixed(6))}ms`;
  const neg = ms < 0;
  let rest = Math.abs(ms);
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = `${Number((rest / 1000).toFixed(9))}s`;
  return `${neg ? '-' : ''}${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}`;
}

function resourcePath(def: ResourceDef, ns: string | undefined, name?: string): string {
  const base = def.group ? `/apis/${def.group}/${def.version}` : `/api/${def.version}`;
  const scope = def.namespaced && ns ? `/namespaces/${ns}` : '';
  return `${base}${scope}/${def.plural}${name ? `/${name}` : ''}`;
}

/** What kubectl get asks for when it prints a table (server-side printing). */
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

/** Verbs that send JSON merge patches (the rest send strategic merge patches). */
const MERGE_PATCHING = new Set(['label', 'annotate', 'scale']);

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 422: 'Unprocessable Entity', 500: 'Internal Server Error' };

/** Verbs whose writes kubectl sends as patches. */
const PATCHING = new Set(['apply', 'patch', 'label', 'annotate', 'scale', 'set', 'rollout', 'cordon', 'uncordon', 'taint', 'drain', 'edit']);

const fnv = (text: string): number => fnv1a(text);

type Method = 'get' | 'peek' | 'list' | 'listBrief' | 'create' | 'update' | 'delete';

export interface ClientEffects {
  /** the command failed with this error (kubectl's CheckErr logs a server's Status at -v=4) */
  failed(err: unknown): void;
  /** the command ended: the hooks come off */
  undo(): void;
}

const NONE: ClientEffects = { failed: () => {}, undo: () => {} };

/** apimachinery's StatusError.DebugError as CheckErr logs it through klog's Info (`%s` left in). */
function statusDebug(io: IO, err: StatusError): string {
  const details: Record<string, unknown> = {};
  if (err.details?.name !== undefined) details.name = err.details.name;
  // the API server names the resource in details.kind (`pods`), its group apart
  const kind = err.details?.kind ?? /^([a-z0-9.-]+) "/.exec(err.message)?.[1];
  if (kind) {
    const [plural, ...group] = kind.split('.');
    if (group.length) details.group = group.join('.');
    details.kind = plural;
  }
  const status: Record<string, unknown> = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: err.message, reason: err.reason };
  if (Object.keys(details).length) status.details = details;
  status.code = err.code;
  return `${klogPrefix('I', io)} helpers.go:246] server response object: %s[${JSON.stringify(status, null, 2)}]\n`;
}

/**
 * Sets up the client effects of the global flags for one command; `undo` takes them off when the
 * command ends. Throws kubectl's errors for flag values it refuses.
 */
export function installClientEffects(argv: string[], io: IO, verb: string): ClientEffects {
  if (OFFLINE.has(verb)) return NONE;
  const o = scanClientFlags(argv);
  const timeout = parseTimeout(o.timeout);
  const cfgPath = resolve(io.cwd, kubeconfigPath(io.env, o.kubeconfig));
  if ((o.asGroups.length || o.asUid) && !o.as) {
    const cfg = loadKubeconfig(cfgPath, io.env);
    const ctx = (cfg.contexts ?? []).find((c: KObj) => c.name === (o.context || cfg['current-context']))?.context;
    throw new CliError(`requesting uid, groups or user-extra for ${o.user || ctx?.user || ''} without impersonating a user`);
  }
  const impersonating = o.as !== '' && !o.asGroups.some((g) => ADMIN_GROUPS.has(g));
  // CheckErr logs the Status of a server error it reports (-v=4): for errors a verb prints itself
  // too, so the line that names a failed request's Status gets its block first
  const failures = new Map<string, StatusError>();
  const debugged = new Set<string>();
  const stderr = io.stderr;
  const debug = (err: StatusError) => {
    const line = `Error from server (${err.reason}): ${err.message}`;
    if (debugged.has(line)) return;
    debugged.add(line);
    stderr.write(statusDebug(io, err));
  };
  if (o.verbosity >= 4) {
    io.stderr = {
      write: (text: string) => {
        for (const line of text.split('\n')) {
          const f = failures.get(line);
          if (f) debug(f);
        }
        stderr.write(text);
      },
    };
  }
  const failed = (err: unknown) => {
    if (o.verbosity >= 4 && err instanceof StatusError && err.reason !== 'Invalid') debug(err);
  };
  const restoreStderr = () => {
    if (o.verbosity >= 4) io.stderr = stderr;
  };
  // the loader logs at V(6), client-go's feature gates at V(1) (in Go's map order; here one fixed order)
  const p = (file: string) => `${klogPrefix('I', io)} ${file}] `;
  if (o.verbosity >= 6) io.stderr.write(`${p('loader.go:402')}Config loaded from file:  ${cfgPath}\n`);
  if (o.verbosity >= 1) {
    for (const gate of ['ClientsAllowCBOR', 'ClientsPreferCBOR', 'InformerResourceVersion', 'WatchListClient']) {
      io.stderr.write(`${p('envvar.go:172')}"Feature gate default state" feature="${gate}" enabled=false\n`);
    }
  }
  if (o.verbosity < 4 && !impersonating) return { failed, undo: restoreStderr };
  let server = o.server;
  if (!server) {
    const cfg = loadKubeconfig(cfgPath, io.env);
    const ctx = (cfg.contexts ?? []).find((c: KObj) => c.name === (o.context || cfg['current-context']))?.context;
    server = (cfg.clusters ?? []).find((c: KObj) => c.name === ctx?.cluster)?.cluster?.server ?? 'https://192.168.49.2:8443';
  }
  const output = argv.map((x, i) => (/^(-o|--output)$/.test(x) ? argv[i + 1] : /^(?:-o=?|--output=)(.+)$/.exec(x)?.[1])).filter(Boolean).pop() ?? '';
  const tables = verb === 'get' && (output === '' || output === 'wide');
  const logged = new Set<string>();
  const log = (method: string, path: string, query: string[], code: number) => {
    if (o.verbosity < 6) return;
    const q = [...query, ...(timeout ? [`timeout=${timeout}`] : [])];
    const url = `${server.replace(/\/$/, '')}${path}${q.length ? `?${q.join('&')}` : ''}`;
    const line = `${method} ${url} ${code} ${STATUS_TEXT[code] ?? ''}`;
    if (method === 'GET' && logged.has(line)) return;
    logged.add(line);
    const ms = 1 + (fnv(line) % 7);
    const k = (file: string) => `${klogPrefix('I', io)} round_trippers.go:${file}] `;
    if (o.verbosity < 7) {
      io.stderr.write(`${k('560')}${line} in ${ms} milliseconds\n`);
      return;
    }
    // -v=7: the request line, its headers (Go's map order; here one fixed order) and the status
    const headers: [string, string][] = [];
    if (method === 'POST' || method === 'PUT') headers.push(['Content-Type', 'application/json']);
    if (method === 'PATCH') headers.push(['Content-Type', MERGE_PATCHING.has(verb) ? 'application/merge-patch+json' : 'application/strategic-merge-patch+json']);
    headers.push(['Accept', tables && method === 'GET' ? TABLE_ACCEPT : 'application/json']);
    headers.push(['User-Agent', `${io.program ?? 'kubectl'}/v1.32.4 (linux/amd64) kubernetes/c9c4b6e`]);
    if (o.as) headers.push(['Impersonate-User', o.as], ...o.asGroups.map((g): [string, string] => ['Impersonate-Group', g]));
    let text = `${k('470')}${method} ${url}\n${k('476')}Request Headers:\n`;
    for (const [h, v] of headers) text += `${k('480')}    ${h}: ${v}\n`;
    text += `${k('581')}Response Status: ${code} ${STATUS_TEXT[code] ?? ''} in ${ms} milliseconds\n`;
    io.stderr.write(text);
  };
  const forbidden = (rbacVerb: string, def: ResourceDef, ns: string | undefined, name?: string) => {
    const what = def.group ? `${def.plural}.${def.group}` : def.plural;
    const scope = def.namespaced && ns ? `in the namespace "${ns}"` : 'at the cluster scope';
    return new StatusError('Forbidden', `${what}${name ? ` "${name}"` : ''} is forbidden: User "${o.as}" cannot ${rbacVerb} resource "${def.plural}" in API group "${def.group}" ${scope}`);
  };
  const manager = verb === 'apply' ? 'kubectl-client-side-apply' : `kubectl-${verb}`;
  // the verbs with --validate send the server-side field validation they ask for (strict by default)
  const asked = argv.map((x) => /^--validate(?:=(.*))?$/.exec(x)).filter(Boolean).pop()?.[1] ?? 'strict';
  const level = ({ true: 'Strict', strict: 'Strict', warn: 'Warn', false: 'Ignore', ignore: 'Ignore' } as Record<string, string>)[asked] ?? 'Strict';
  const validation = ['create', 'apply', 'replace', 'edit'].includes(verb) ? [`fieldValidation=${level}`] : [];
  const request = (m: Method, args: unknown[]): { method: string; rbac: string; def: ResourceDef; ns?: string; name?: string; path: string; query: string[]; ok: number } => {
    const def = args[0] as ResourceDef;
    if (m === 'create' || m === 'update') {
      const obj = args[1] as KObj;
      const ns = def.namespaced ? (obj.metadata?.namespace ?? 'default') : undefined;
      const name = m === 'update' ? obj.metadata?.name : undefined;
      const patching = m === 'update' && PATCHING.has(verb);
      return { method: m === 'create' ? 'POST' : patching ? 'PATCH' : 'PUT', rbac: m === 'create' ? 'create' : patching ? 'patch' : 'update', def, ns, name, path: resourcePath(def, ns, name), query: [`fieldManager=${manager}`, ...validation], ok: m === 'create' ? 201 : 200 };
    }
    const ns = def.namespaced ? (args[1] as string | undefined) : undefined;
    if (m === 'list' || m === 'listBrief') return { method: 'GET', rbac: 'list', def, ns, path: resourcePath(def, ns), query: ['limit=500'], ok: 200 };
    const name = args[2] as string;
    return { method: m === 'delete' ? 'DELETE' : 'GET', rbac: m === 'delete' ? 'delete' : 'get', def, ns, name, path: resourcePath(def, ns, name), query: [], ok: 200 };
  };
  let depth = 0;
  let simDepth = 0;
  const proto = ApiServer.prototype as unknown as Record<Method, (...a: unknown[]) => unknown>;
  const originals = new Map<Method, (...a: unknown[]) => unknown>();
  for (const m of ['get', 'peek', 'list', 'listBrief', 'create', 'update', 'delete'] as Method[]) {
    const orig = proto[m];
    originals.set(m, orig);
    proto[m] = function (this: ApiServer, ...args: unknown[]) {
      if (depth > 0 || simDepth > 0) return orig.apply(this, args);
      const r = request(m, args);
      if (impersonating && !OPEN_TO_ALL.has(verb)) {
        log(r.method, r.path, r.query, 403);
        throw forbidden(r.rbac, r.def, r.ns, r.name);
      }
      depth++;
      // kubectl delete sends its DELETEs without reading the objects first
      const quiet = verb === 'delete' && (m === 'get' || m === 'peek');
      if (quiet) r.method = 'DELETE';
      try {
        const out = orig.apply(this, args);
        const code = m === 'peek' && out === undefined ? 404 : r.ok;
        if (!quiet || code !== 200) log(r.method, r.path, r.query, code);
        if (code === 404) {
          const e = notFound(r.def.group ? `${r.def.plural}.${r.def.group}` : r.def.plural, r.name ?? '');
          failures.set(`Error from server (NotFound): ${e.message}`, e);
        }
        return out;
      } catch (e) {
        log(r.method, r.path, r.query, e instanceof StatusError ? e.code : 500);
        if (e instanceof StatusError) failures.set(`Error from server (${e.reason}): ${e.message}`, e);
        throw e;
      } finally {
        depth--;
      }
    };
  }
  const runUntil = Cluster.prototype.runUntil;
  Cluster.prototype.runUntil = async function (this: Cluster, target: number) {
    simDepth++;
    try {
      return await runUntil.call(this, target);
    } finally {
      simDepth--;
    }
  };
  return {
    failed,
    undo: () => {
      restoreStderr();
      for (const [m, f] of originals) proto[m] = f;
      Cluster.prototype.runUntil = runUntil;
    },
  };
}
