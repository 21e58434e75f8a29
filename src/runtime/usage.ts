// What metrics-server would report for the simulated containers: CPU (millicores) and memory working
// set (bytes) of each running container, from what its program does. Idle servers and shells use
// what such images use on a real node (an idle nginx a few Mi and 0–1m); stress programs use what
// their arguments ask for (each --cpu/-cpus worker a core, --vm workers their --vm-bytes), throttled
// to the CPU limit and held under the memory limit (above it the container is OOM-killed instead).
// Values are stable within a scrape window (metrics-server's --metric-resolution=15s, as minikube's
// addon runs it) and vary a little between windows, from a hash, so they stay deterministic.
import { parseQuantity } from '../api/quantity.js';
import type { KObj } from '../api/types.js';
import type { StoreState } from '../store/state.js';
import { BASE_BYTES, memoryProgram } from './stress.js';
import { runtimeOf, type ContainerRt } from './state.js';
import { fnv1a } from '../api/fnv.js';

/** metrics-server's scrape interval (minikube's addon: --metric-resolution=15s). */
export const SCRAPE_MS = 15_000;

export interface Usage {
  cpuMilli: number;
  memBytes: number;
}

const Ki = 1024;
const Mi = 1024 * 1024;

/** An idle program's usage by image repository (the last path element, without tag or digest). */
const PROFILES: Record<string, [number, number]> = {
  nginx: [0, 3 * Mi],
  httpd: [1, 5 * Mi],
  redis: [2, 3 * Mi],
  postgres: [1, 22 * Mi],
  mysql: [4, 380 * Mi],
  python: [0, 10 * Mi],
  node: [0, 28 * Mi],
  'node-hello': [0, 28 * Mi],
  'hello-app': [0, 2 * Mi],
  agnhost: [0, 8 * Mi],
  goproxy: [0, 2 * Mi],
  liveness: [0, 2 * Mi],
  pause: [0, 300 * Ki],
  busybox: [0, 400 * Ki],
  alpine: [0, 500 * Ki],
  debian: [0, 700 * Ki],
  ubuntu: [0, 800 * Ki],
  coredns: [2, 13 * Mi],
  etcd: [19, 48 * Mi],
  'kube-apiserver': [48, 262 * Mi],
  'kube-controller-manager': [14, 46 * Mi],
  'kube-scheduler': [3, 20 * Mi],
  'kube-proxy': [1, 14 * Mi],
  'storage-provisioner': [1, 9 * Mi],
  'local-path-provisioner': [1, 8 * Mi],
  kindnetd: [1, 10 * Mi],
  'gb-frontend': [1, 18 * Mi],
  'hpa-example': [1, 9 * Mi],
  'gb-redis-follower': [2, 3 * Mi],
};

function repository(image: string): string {
  const noDigest = image.split('@')[0];
  const last = noDigest.split('/').pop() ?? '';
  return last.split(':')[0];
}

/** FNV-1a of a text: the deterministic jitter's source. */
const hash = (text: string): number => fnv1a(text);

function milli(q: unknown): number | undefined {
  const v = parseQuantity(q);
  return v ? Number(v.nano) / 1e6 : undefined;
}

function bytes(q: unknown): number | undefined {
  const v = parseQuantity(q);
  return v ? Number(v.nano) / 1e9 : undefined;
}

function optValue(argv: string[], names: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    for (const n of names) {
      if (argv[i] === n) return argv[i + 1];
      if (argv[i].startsWith(`${n}=`)) return argv[i].slice(n.length + 1);
    }
  }
  return undefined;
}

/** Cores a stress program keeps busy: stress's --cpu and --vm workers (--vm-hang ones mostly sleep), vish/stress's -cpus. */
function stressCores(argv: string[], held: number): number {
  if ((argv[0] ?? '').split('/').pop() !== 'stress') return 0;
  const vish = optValue(argv, ['-cpus', '--cpus']);
  if (vish !== undefined) return Number(vish) || 0;
  const cpu = Number(optValue(argv, ['--cpu', '-c']) ?? 0) || 0;
  const vm = Number(optValue(argv, ['--vm', '-m']) ?? 0) || 0;
  const hang = optValue(argv, ['--vm-hang']);
  // a vm worker touches its pages at about 1 GiB/s, then sleeps --vm-hang seconds when given
  const touch = held / vm / 1024 ** 3 || 0;
  const vmShare = hang === undefined || Number(hang) <= 0 ? 1 : touch / (touch + Number(hang));
  return cpu + vm * vmShare;
}

function containerProgramUsage(ct: ContainerRt | undefined, now: number): { cores: number; bytes: number } | undefined {
  let found: { cores: number; bytes: number } | undefined;
  for (const proc of ct?.procs ?? []) {
    const prog = memoryProgram(proc.argv, proc.startedAt);
    const cores = stressCores(proc.argv, prog?.bytes ?? 0);
    if (!prog && !cores) continue;
    const total = prog?.bytes ?? 0;
    // allocation goes on until reachMs(total) after the start
    const full = prog ? prog.reachMs(total) : 0;
    const elapsed = now - proc.startedAt;
    const held = full > 0 && elapsed < full ? (total * elapsed) / full : total;
    found = { cores: (found?.cores ?? 0) + cores, bytes: (found?.bytes ?? 0) + held + BASE_BYTES };
  }
  return found;
}

/** When metrics-server has two scrapes of a container started at `startedAt` (ms): its first sample. */
export function firstSampleAt(startedAt: number): number {
  return Math.ceil(startedAt / SCRAPE_MS) * SCRAPE_MS + SCRAPE_MS;
}

/**
 * The usage of each regular container of a pod at `now`, or undefined when metrics-server has none
 * for the pod (not running, or a container not yet scraped twice since it started). `servingMilli`:
 * the CPU its first container spends answering requests (sim/http-load.ts).
 */
export function podUsage(state: StoreState, pod: KObj, now: number, servingMilli = 0): Map<string, Usage> | undefined {
  if (pod.status?.phase !== 'Running' || pod.metadata?.deletionTimestamp) return undefined;
  const statuses: KObj[] = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const rt = runtimeOf(state)[pod.metadata.uid];
  const window = Math.floor(now / SCRAPE_MS);
  const out = new Map<string, Usage>();
  // sidecars (restartable init containers) run beside the containers and are measured with them
  const sidecars = ((pod.spec?.initContainers ?? []) as KObj[]).filter((c) => c.restartPolicy === 'Always');
  for (const spec of [...sidecars, ...(pod.spec?.containers ?? [])]) {
    const st = statuses.find((s) => s.name === spec.name);
    const started = Date.parse(st?.state?.running?.startedAt ?? '');
    if (Number.isNaN(started) || firstSampleAt(started) > now) return undefined;
    const [baseCpu, baseMem] = PROFILES[repository(String(spec.image ?? ''))] ?? [0, 1 * Mi];
    const seed = hash(`${pod.metadata.uid}/${spec.name}`);
    const tick = hash(`${seed}/${window}`);
    let cpu = baseCpu + (baseCpu >= 2 ? (tick % 3) - 1 : tick % 4 === 0 ? 1 : 0);
    // memory: the image's share of a few percent either way, steady for the container
    let mem = baseMem * (1 + ((seed % 9) - 4) / 100) + (tick % 5) * 4 * Ki;
    if (spec === pod.spec?.containers?.[0] && servingMilli > 0) cpu += Math.round(servingMilli * (0.97 + (tick % 7) / 100));
    const prog = containerProgramUsage(rt?.containers[spec.name], now);
    if (prog) {
      cpu = Math.round(prog.cores * 1000) + (tick % 3);
      mem = prog.bytes + (seed % 64) * Ki;
    }
    const cpuLimit = milli(spec.resources?.limits?.cpu);
    // CFS throttling holds a busy container a little under its quota
    if (cpuLimit !== undefined && cpu > cpuLimit * 0.96) cpu = Math.floor(cpuLimit * (0.96 + (tick % 30) / 1000));
    const memLimit = bytes(spec.resources?.limits?.memory);
    if (memLimit !== undefined && mem > memLimit) mem = memLimit;
    out.set(spec.name, { cpuMilli: Math.max(0, Math.round(cpu)), memBytes: Math.max(0, Math.round(mem)) });
  }
  return out.size ? out : undefined;
}

/** What the node itself runs besides pods (kubelet, containerd, the OS) and its page cache. */
export const NODE_OVERHEAD: Usage = { cpuMilli: 95, memBytes: 610 * Mi };
