// The cluster's own pods (kube-system's, placed Running by bootstrap) wrote their programs' start-up
// lines before anyone looked: coredns's `.:53`, the reload plugin's Corefile hash and its version
// lines, which `kubectl logs -n kube-system -l k8s-app=kube-dns` shows. Their containers get a main
// process in the runtime state with the daemon the image runs, so stopping them behaves as for
// any pod the kubelet started.
import type { KObj } from '../api/types.js';
import type { Cluster } from '../sim/engine.js';
import { resolveImage } from './catalog.js';
import { daemonKind, startDaemon, type DaemonCtx } from './daemons.js';
import { appendLog, runtimeOf, type ContainerRt, type Proc } from './state.js';

/** Records, for each container of a bootstrap pod whose image logs at start-up, its main process and those lines. */
export function seedSystemPod(c: Cluster, pod: KObj): void {
  const t = c.now();
  for (const spec of pod.spec?.containers ?? []) {
    const r = resolveImage(String(spec.image));
    if (!r.found || !r.known || !r.variant.process.startupLog?.length) continue;
    const v = r.variant;
    const argv: string[] = [...(spec.command ?? v.entrypoint ?? []), ...(spec.args ?? (spec.command ? [] : v.cmd ?? []))];
    const kind = daemonKind(argv, v);
    if (!kind) continue;
    const rt = (runtimeOf(c.state)[pod.metadata.uid] ??= { volumes: {}, containers: {} });
    const ct: ContainerRt = { image: String(spec.image), upper: {}, procs: [], nextPid: 7, log: [] };
    rt.containers[spec.name] = ct;
    const hostname = String(pod.metadata.name);
    const podIP = String(pod.status?.podIP ?? '');
    const ctx: DaemonCtx = {
      t,
      log: (s, text, at) => appendLog(ct, at ?? t, s, text === '' ? '\n' : text),
      readFile: async () => undefined,
      isDir: async () => false,
      portInUse: () => false,
      hostname,
      podIP,
      env: v.env,
      cwd: v.workingDir || '/',
    };
    const started = startDaemon(kind, v, ctx);
    const proc: Proc = { pid: 1, argv, user: (v.user || 'root').split(':')[0], startedAt: t, daemon: started.daemon };
    ct.procs.push(proc);
  }
}
