// The pod's log subresource: ?container, previous, tailLines, sinceSeconds, sinceTime, timestamps,
// limitBytes and follow (the stream goes on while simulated time passes, until the container stops or
// the client goes away), from the kubelet's log endpoint (runtime/log-endpoint.ts).
import { notFound, StatusError } from '../api/errors.js';
import type { KObj } from '../api/types.js';
import { containerLogLines } from '../runtime/log-endpoint.js';
import { PodRuntime } from '../runtime/pod.js';
import { logText, type LogLine } from '../runtime/state.js';
import type { Cluster } from '../sim/engine.js';
import type { ClusterAccess } from './access.js';
import { badRequest, statusOf, type ApiRequest, type ApiResponse } from './http-types.js';
import type { ResourcePath } from './route.js';

/** The stamp of `--timestamps` (RFC 3339 with nanoseconds), as kubesim's own logs prints it. */
function stamp(t: number, i: number): string {
  return new Date(t).toISOString().replace(/\.(\d{3})Z$/, (_, ms) => `.${ms}${String(((t + i) * 7919) % 1_000_000).padStart(6, '0')}Z`);
}

interface LogQuery {
  container: string;
  previous: boolean;
  tail?: number;
  sinceMs?: number;
  sinceTime?: number;
  timestamps: boolean;
  follow: boolean;
  limitBytes?: number;
}

function parseQuery(q: URLSearchParams): Omit<LogQuery, 'container'> & { container?: string } {
  const int = (k: string): number | undefined => {
    if (!q.has(k)) return undefined;
    const n = Number(q.get(k));
    if (!Number.isInteger(n)) throw badRequest(`${k}: Invalid value: ${JSON.stringify(q.get(k))}: must be an integer`);
    return n;
  };
  const tail = int('tailLines');
  if (tail !== undefined && tail < 0) throw new StatusError('Invalid', `PodLogOptions "" is invalid: tailLines: Invalid value: ${tail}: must be greater than or equal to 0`);
  const since = int('sinceSeconds');
  if (since !== undefined && since < 1) throw new StatusError('Invalid', `PodLogOptions "" is invalid: sinceSeconds: Invalid value: ${since}: must be greater than 0`);
  const sinceTime = q.get('sinceTime') ? Date.parse(q.get('sinceTime')!) : undefined;
  return {
    container: q.get('container') || undefined,
    previous: q.get('previous') === 'true',
    tail,
    sinceMs: since !== undefined ? since * 1000 : undefined,
    sinceTime: sinceTime !== undefined && !Number.isNaN(sinceTime) ? sinceTime : undefined,
    timestamps: q.get('timestamps') === 'true',
    follow: q.get('follow') === 'true',
    limitBytes: int('limitBytes'),
  };
}

/** The container the request means (the only one when there is one), checked against the pod. */
function containerOf(pod: KObj, given: string | undefined): string {
  const names = (pod.spec?.containers ?? []).map((x: KObj) => x.name);
  const all = [...names, ...(pod.spec?.initContainers ?? []).map((x: KObj) => x.name), ...(pod.spec?.ephemeralContainers ?? []).map((x: KObj) => x.name)];
  if (!given) {
    if (names.length === 1 && all.length === 1) return names[0];
    const init = (pod.spec?.initContainers ?? []).map((x: KObj) => x.name);
    const more = init.length ? ` or one of the init containers: [${init.join(' ')}]` : '';
    throw badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]${more}`);
  }
  if (!all.includes(given)) throw badRequest(`container ${given} is not valid for pod ${pod.metadata.name}`);
  return given;
}

async function lines(c: Cluster, rp: ResourcePath, lq: Omit<LogQuery, 'container'> & { container?: string }): Promise<{ pod: KObj; container: string; lines: LogLine[] }> {
  const pod = c.api.peek(rp.def, rp.namespace, rp.name!);
  if (!pod) throw notFound('pods', rp.name!);
  const container = containerOf(pod, lq.container);
  if (pod.spec?.nodeName) await PodRuntime.of(c, pod).advance(c.now());
  let out = containerLogLines(c.state, pod, container, lq.previous);
  if (lq.sinceMs !== undefined) out = out.filter((l) => l.t >= c.now() - lq.sinceMs!);
  if (lq.sinceTime !== undefined) out = out.filter((l) => l.t >= lq.sinceTime!);
  return { pod, container, lines: out };
}

function text(ls: LogLine[], timestamps: boolean): string {
  return ls.map((l, i) => `${timestamps ? `${stamp(l.t, i)} ` : ''}${logText(l)}`).join('');
}

function running(c: Cluster, rp: ResourcePath, pod: KObj, container: string): boolean {
  const now = c.api.peek(rp.def, rp.namespace, rp.name!);
  if (!now || now.metadata.uid !== pod.metadata.uid) return false;
  const st = [...(now.status?.containerStatuses ?? []), ...(now.status?.initContainerStatuses ?? []), ...(now.status?.ephemeralContainerStatuses ?? [])].find((x: KObj) => x.name === container);
  return Boolean(st?.state?.running);
}

const FOLLOW_POLL_MS = 500;

export async function podLog(access: ClusterAccess, rp: ResourcePath, req: ApiRequest): Promise<ApiResponse> {
  try {
    const lq = parseQuery(req.query);
    const first = await access.run('read', async (s) => {
      const r = await lines(s.cluster, rp, lq);
      const shown = lq.tail !== undefined ? (lq.tail === 0 ? [] : r.lines.slice(-lq.tail)) : r.lines;
      const last = r.lines.length ? r.lines[r.lines.length - 1].t : -1;
      return { ...r, body: text(shown, lq.timestamps), last, alive: running(s.cluster, rp, r.pod, r.container) };
    });
    let body = first.body;
    if (lq.limitBytes !== undefined && lq.limitBytes > 0) body = Buffer.from(body).subarray(0, lq.limitBytes).toString('utf8');
    const type = 'text/plain';
    if (!lq.follow || !first.alive) return { status: 200, body, type };
    return {
      status: 200,
      body,
      type,
      stream: async (sink) => {
        let last = first.last;
        for (;;) {
          await Promise.race([new Promise((r) => setTimeout(r, FOLLOW_POLL_MS)), sink.gone]);
          if (sink.closed) return;
          const step = await access.run('read', async (s) => {
            const r = await lines(s.cluster, rp, { ...lq, container: first.container, previous: false });
            const fresh = r.lines.filter((l) => l.t > last);
            return { fresh, alive: running(s.cluster, rp, first.pod, first.container) };
          });
          if (step.fresh.length) {
            sink.write(text(step.fresh, lq.timestamps));
            last = step.fresh[step.fresh.length - 1].t;
          }
          if (!step.alive) return;
        }
      },
    };
  } catch (e) {
    return statusOf(e, rp.def);
  }
}
