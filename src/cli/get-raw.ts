// kubectl get --raw PATH: the API server's answer to a GET, printed as it comes (rawhttp.RawGet):
// /version (indented JSON, no newline), /healthz, /livez, /readyz (`ok`), /api, /apis, and the REST
// paths of the kinds the cluster serves (objects and lists as the API server serializes them). A
// path the server does not serve is its 404 Status: `Error from server (NotFound): the server could
// not find the requested resource`.
import { apiGroups } from '../api/api-groups.js';
import { CliError, notFound, StatusError } from '../api/errors.js';
import { allResources } from '../api/registry.js';
import type { KObj, ResourceDef } from '../api/types.js';
import { goJson, wireList, wireObject } from '../printers/wire-json.js';
import type { Cluster } from '../sim/engine.js';
import { bool, str, type Parsed } from './flags.js';
import type { IO } from './io.js';
import { PodRuntime } from '../runtime/pod.js';
import { containerLogLines } from '../runtime/log-endpoint.js';
import { logText } from '../runtime/state.js';
import { withCluster } from './session.js';
import { serverVersionInfo } from './version.js';

const SERVER_NOT_FOUND = 'the server could not find the requested resource';

/** kubectl's client-side checks of --raw (GetOptions.Complete and Validate), in its order. */
export function checkRaw(p: Parsed): void {
  if (p.args.length) throw new CliError('Error: arguments may not be passed when --raw is specified', 1, true);
  if (bool(p, 'watch') || bool(p, 'watch-only') || str(p, 'selector')) throw new CliError('--raw may not be specified with other flags that filter the server request or alter the output');
  if (str(p, 'output')) throw new CliError('--raw and --output are mutually exclusive');
  const raw = str(p, 'raw');
  const err = requestUriError(raw);
  if (err) throw new CliError(`--raw must be a valid URL path: parse ${JSON.stringify(raw)}: ${err}`);
}

/** Go's url.ParseRequestURI refusal of a path, if any. */
function requestUriError(raw: string): string | undefined {
  if (/[\x00-\x1f\x7f]/.test(raw)) return 'net/url: invalid control character in URL';
  if (raw.startsWith('/')) return undefined;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(raw);
  if (raw.startsWith(':')) return 'missing protocol scheme';
  if (!scheme) return 'invalid URI for request';
  return undefined;
}

function groupsDoc(): string {
  const groups = apiGroups().map(({ name, versions }) => {
    const gv = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
    return { name, versions: gv, preferredVersion: gv[0] };
  });
  return `${goJson({ kind: 'APIGroupList', apiVersion: 'v1', groups })}\n`;
}

function resource(group: string, version: string, plural: string): ResourceDef | undefined {
  return allResources().find((d) => d.group === group && d.version === version && d.plural === plural);
}


/** The pod's log subresource: the container's log as text (?container=, ?previous=true, ?tailLines=N). */
async function podLog(c: Cluster, pod: KObj, query: URLSearchParams): Promise<string> {
  const names = (pod.spec?.containers ?? []).map((x: KObj) => x.name);
  let container = query.get('container') ?? '';
  if (!container && names.length === 1) container = names[0];
  if (!container) throw new StatusError('BadRequest', `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]`);
  const all = [...names, ...(pod.spec?.initContainers ?? []).map((x: KObj) => x.name)];
  if (!all.includes(container)) throw new StatusError('BadRequest', `container ${container} is not valid for pod ${pod.metadata.name}`);
  await PodRuntime.of(c, pod).advance(c.now());
  let lines = containerLogLines(c.state, pod, container, query.get('previous') === 'true');
  const tail = Number(query.get('tailLines') ?? '');
  if (query.has('tailLines') && Number.isInteger(tail) && tail >= 0) lines = tail === 0 ? [] : lines.slice(-tail);
  return lines.map(logText).join('');
}

/** The API server's answer to GET path, or a StatusError. */
export async function rawGet(c: Cluster, path: string): Promise<string> {
  const query = new URLSearchParams(/\?([^#]*)/.exec(path)?.[1] ?? '');
  const clean = path.replace(/[?#].*$/, '').replace(/\/+$/, '') || '/';
  if (clean === '/version') return JSON.stringify(serverVersionInfo(), null, 2);
  if (['/healthz', '/livez', '/readyz'].includes(clean)) return 'ok';
  if (clean === '/api') {
    const node = c.listAll('nodes').find((n) => n.metadata.labels?.['node-role.kubernetes.io/control-plane'] !== undefined) ?? c.listAll('nodes')[0];
    const ip = node?.status?.addresses?.find((a: KObj) => a.type === 'InternalIP')?.address ?? '192.168.49.2';
    return `${goJson({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `${ip}:8443` }] })}\n`;
  }
  if (clean === '/apis') return groupsDoc();
  // metrics-server's aggregated API (sim/metrics-api.ts)
  if (clean.startsWith('/apis/metrics.k8s.io')) {
    const { metricsRaw } = await import('../sim/metrics-api.js');
    const { metricsServed } = await import('./top.js');
    const answer = metricsRaw(c, clean, metricsServed(c));
    if (answer !== undefined) return answer;
  }
  const parts = clean.split('/').slice(1);
  let group = '';
  let rest: string[];
  if (parts[0] === 'api' && parts[1] === 'v1') rest = parts.slice(2);
  else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1];
    rest = parts.slice(3);
  } else throw new StatusError('NotFound', SERVER_NOT_FOUND);
  const version = group ? parts[2] : 'v1';
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const def = rest[0] ? resource(group, version, rest[0]) : undefined;
  const sub = rest[2];
  if (!def || (namespace !== undefined && !def.namespaced) || rest.length > 3 || (sub !== undefined && sub !== 'status' && !(sub === 'log' && def.kind === 'Pod'))) throw new StatusError('NotFound', SERVER_NOT_FOUND);
  const apiVersion = group ? `${group}/${version}` : version;
  if (rest.length === 1) {
    if (def.namespaced && namespace === undefined) return wireList(`${def.kind}List`, apiVersion, String(c.state.rv), c.api.list(def));
    return wireList(`${def.kind}List`, apiVersion, String(c.state.rv), c.api.list(def, namespace));
  }
  // a namespaced kind asked for by name needs its namespace in the path
  if (def.namespaced && namespace === undefined) throw new StatusError('NotFound', SERVER_NOT_FOUND);
  const obj = c.api.peek(def, namespace, rest[1]);
  if (!obj) throw notFound(def.group ? `${def.plural}.${def.group}` : def.plural, rest[1]);
  if (sub === 'log') return podLog(c, obj, query);
  return wireObject(obj);
}

export async function getRaw(p: Parsed, io: IO): Promise<number> {
  checkRaw(p);
  const path = str(p, 'raw');
  return withCluster(io, p, 'read', async (s) => {
    io.stdout.write(await rawGet(s.cluster, path));
    return 0;
  });
}
