// kubectl logs POD|TYPE/NAME [-c C] [-p] [-f] [--tail N] [--since D] [--timestamps] [--all-containers]
// [--prefix] [-l selector]: the container log the runtime kept, after running the pod's processes
// up to now. -f follows while simulated time passes (wall clock); a frozen clock prints and exits.
import { CliError, StatusError } from '../api/errors.js';
import type { KObj } from '../api/types.js';
import { parseLabelSelector } from '../api/selectors.js';
import { PodRuntime } from '../runtime/pod.js';
import { containerLogLines } from '../runtime/log-endpoint.js';
import { logText } from '../runtime/state.js';
import { parseDuration } from '../sim/clock.js';
import type { Cluster } from '../sim/engine.js';
import { bool, parseFlags, str } from './flags.js';
import type { IO } from './io.js';
import { findPods, pickContainer, usageError } from './pod-target.js';
import { parseRfc3339 } from './rfc3339.js';
import { POD } from '../sim/keys.js';
import { withCluster } from './session.js';
import { waitUntil } from './waiting.js';

const FLAGS = [
  { name: 'container', short: 'c', type: 'string' as const, default: '' },
  { name: 'previous', short: 'p', type: 'bool' as const, default: false },
  { name: 'follow', short: 'f', type: 'bool' as const, default: false },
  { name: 'tail', type: 'int' as const, default: -1 },
  { name: 'since', type: 'duration' as const, default: '0s' },
  { name: 'since-time', type: 'string' as const, default: '' },
  { name: 'timestamps', type: 'bool' as const, default: false },
  { name: 'all-containers', type: 'bool' as const, default: false },
  { name: 'all-pods', type: 'bool' as const, default: false },
  { name: 'prefix', type: 'bool' as const, default: false },
  { name: 'selector', short: 'l', type: 'string' as const, default: '' },
  { name: 'max-log-requests', type: 'int' as const, default: 5 },
  { name: 'ignore-errors', type: 'bool' as const, default: false },
  { name: 'limit-bytes', type: 'int' as const, default: 0 },
  { name: 'pod-running-timeout', type: 'duration' as const, default: '20s' },
  { name: 'insecure-skip-tls-verify-backend', type: 'bool' as const, default: false },
];

/** RFC 3339 with nanoseconds, as kubelet stamps log lines (the sub-millisecond digits are stable per line). */
function stamp(t: number, i: number): string {
  return new Date(t).toISOString().replace(/\.(\d{3})Z$/, (_, ms) => `.${ms}${String(((t + i) * 7919) % 1_000_000).padStart(6, '0')}Z`);
}

interface Target {
  pod: KObj;
  container: string;
}


export default async function logs(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'logs');
  const selector = str(p, 'selector');
  if (!selector && p.args.length === 0) throw usageError('logs', "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command");
  if (selector && p.args.length) throw usageError('logs', 'only a selector (-l) or a POD name is allowed');
  if (p.args.length > 2) throw usageError('logs', "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command");
  // a duration flag (checked by the parser, sign allowed); zero, the default, means no limit
  const sinceText = str(p, 'since');
  const sinceGiven = (sinceText.startsWith('-') ? -1 : 1) * (parseDuration(sinceText.replace(/^[-+]/, '')) ?? 0);
  const sinceMs = sinceGiven !== 0 ? sinceGiven : undefined;
  const sinceTime = str(p, 'since-time') ? parseRfc3339(str(p, 'since-time')) : undefined;
  const tail = Number(p.flags.tail);
  const container = str(p, 'container') || p.args[1] || '';
  // kubectl's Validate, in its order
  if (sinceTime !== undefined && sinceMs !== undefined) throw new CliError('at most one of `sinceTime` or `sinceSeconds` may be specified');
  if (bool(p, 'all-containers') && container) throw new CliError(`--all-containers=true should not be specified with container name ${container}`);
  if (p.changed.has('container') && p.args.length === 2) throw new CliError('only one of -c or an inline [CONTAINER] arg is allowed');
  if (Number(p.flags['limit-bytes']) < 0) throw new CliError('--limit-bytes must be greater than 0');
  if (sinceMs !== undefined && Math.round(sinceMs / 1000) < 0) throw new CliError('--since must be greater than 0');
  if (tail < -1) throw new CliError('--tail must be greater than or equal to -1');
  const printed = new Map<string, number>();
  let namespace = '';
  /** Prints what is new; true when every followed container has stopped (the streams end). */
  const look = async (c: Cluster): Promise<boolean> => {
    let pods: KObj[];
    if (selector) {
      const sel = parseLabelSelector(selector);
      pods = c.listAll('pods').filter((x) => x.metadata.namespace === namespace && sel.matches(x.metadata.labels ?? {}));
      if (!pods.length) {
        io.stderr.write(`No resources found in ${namespace} namespace.\n`);
        return true;
      }
    } else {
      try {
        pods = findPods(c, namespace, p.args[0]);
        if (pods.length > 1 && !bool(p, 'all-pods')) {
          io.stderr.write(`Found ${pods.length} pods, using pod/${pods[0].metadata.name}\n`);
          pods = [pods[0]];
        }
      } catch (e) {
        // kubectl 1.30+ wraps the server's NotFound for logs
        // (a TYPE/NAME that does not exist is the resource builder's own NotFound)
        const podRef = !p.args[0].includes('/') || /^(po|pod|pods)\//.test(p.args[0]);
        if (e instanceof StatusError && e.reason === 'NotFound' && podRef) throw new CliError(`error from server (NotFound): ${e.message} in namespace "${namespace}"`);
        throw e;
      }
    }
    const targets: Target[] = [];
    for (const pod of pods) {
      const given = str(p, 'container') || p.args[1] || '';
      if (bool(p, 'all-containers')) {
        for (const x of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) targets.push({ pod, container: x.name });
      } else {
        const name = pickContainer(pod, given, io, printed.size > 0);
        const all = [...pod.spec.containers, ...(pod.spec.initContainers ?? []), ...(pod.spec.ephemeralContainers ?? [])];
        if (!all.some((x: KObj) => x.name === name)) throw new CliError(`container ${name} is not valid for pod ${pod.metadata.name}`);
        targets.push({ pod, container: name });
      }
    }
    // --all-pods sets --prefix, as kubectl's Complete does
    const prefix = bool(p, 'prefix') || bool(p, 'all-pods');
    // kubectl refuses to follow more streams than --max-log-requests
    const max = Number(p.flags['max-log-requests']);
    if (bool(p, 'follow') && printed.size === 0 && targets.length > 1 && targets.length > max) {
      throw new CliError(`you are attempting to follow ${targets.length} log streams, but maximum allowed concurrency is ${max}, use --max-log-requests to increase the limit`);
    }
    for (const t of targets) {
      if (!t.pod.spec.nodeName) continue;
      await PodRuntime.of(c, t.pod).advance(c.now());
      let lines = containerLogLines(c.state, t.pod, t.container, bool(p, 'previous'));
      if (sinceMs !== undefined) lines = lines.filter((l) => l.t >= c.now() - sinceMs);
      if (sinceTime !== undefined) lines = lines.filter((l) => l.t >= sinceTime);
      const key = `${t.pod.metadata.uid}/${t.container}`;
      const already = printed.get(key);
      if (already === undefined && tail >= 0) lines = lines.slice(Math.max(0, lines.length - tail));
      else if (already !== undefined) lines = lines.filter((l) => l.t > already);
      let out = '';
      lines.forEach((l, i) => {
        const pre = prefix ? `[pod/${t.pod.metadata.name}/${t.container}] ` : '';
        out += `${pre}${bool(p, 'timestamps') ? `${stamp(l.t, i)} ` : ''}${logText(l)}`;
      });
      io.stdout.write(out);
      const lastT = lines.length ? lines[lines.length - 1].t : already ?? -1;
      printed.set(key, lastT);
    }
    return targets.every((t) => {
      const now = c.api.peek(POD, t.pod.metadata.namespace, t.pod.metadata.name);
      if (!now || now.metadata.uid !== t.pod.metadata.uid) return true;
      const st = [...(now.status?.containerStatuses ?? []), ...(now.status?.initContainerStatuses ?? []), ...(now.status?.ephemeralContainerStatuses ?? [])].find((x: KObj) => x.name === t.container);
      return !st?.state?.running;
    });
  };
  const done = await withCluster(io, p, 'read', (s) => {
    namespace = s.namespace;
    return look(s.cluster);
  });
  if (!bool(p, 'follow') || done) return 0;
  // -f: the streams end when the containers stop (a frozen clock is run forward for at most a minute)
  await waitUntil(io, p, { check: async (c) => ((await look(c)) ? true : undefined), timeoutMs: Infinity, frozenLimitMs: 60_000 });
  return 0;
}
