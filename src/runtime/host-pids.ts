// The node's process table, as a container in the host PID namespace (hostPID: true, `kubectl debug
// node/NAME`) sees it: the node's init, containerd and the kubelet, then each pod on the node — its
// sandbox's /pause and its containers' processes (running programs as the runtime has them, else the
// container's command). Processes of other pods are shown, not signalled.
import type { KObj } from '../api/types.js';
import type { Cluster } from '../sim/engine.js';
import { runtimeOf, type PodRt, type Proc } from './state.js';
import { podsOnNode } from '../api/owner-index.js';

type Entry = { ct: string; proc: Proc; pid: number };

function nodeDaemons(node: KObj | undefined, name: string, at: number): Proc[] {
  const ip = (node?.status?.addresses ?? []).find((a: KObj) => a.type === 'InternalIP')?.address ?? '';
  const version = node?.status?.nodeInfo?.kubeletVersion ?? 'v1.32.0';
  const kubelet = name.startsWith('minikube')
    ? [`/var/lib/minikube/binaries/${version}/kubelet`, '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf', '--config=/var/lib/kubelet/config.yaml', `--hostname-override=${name}`, '--kubeconfig=/etc/kubernetes/kubelet.conf', `--node-ip=${ip}`]
    : ['/usr/bin/kubelet', '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf', '--kubeconfig=/etc/kubernetes/kubelet.conf', '--config=/var/lib/kubelet/config.yaml', `--node-ip=${ip}`];
  return [
    { pid: 1, argv: ['/sbin/init'], user: 'root', startedAt: at },
    { pid: 90, argv: ['/lib/systemd/systemd-journald'], user: 'root', startedAt: at },
    { pid: 200, argv: ['/usr/bin/containerd'], user: 'root', startedAt: at },
    { pid: 300, argv: kubelet, user: 'root', startedAt: at },
  ];
}

export function hostProcesses(c: Cluster, pod: KObj, self: PodRt, name: string): Entry[] {
  const nodeName: string = pod.spec?.nodeName ?? '';
  const node = c.listAll('nodes').find((n) => n.metadata.name === nodeName);
  const boot = Date.parse(node?.metadata?.creationTimestamp ?? '') || 0;
  const out: Entry[] = nodeDaemons(node, nodeName, boot).map((proc) => ({ ct: '', proc, pid: proc.pid }));
  const rts = runtimeOf(c.state);
  const pods = podsOnNode(c.state, nodeName).filter((p) => p.spec?.nodeName === nodeName && p.status?.podIP);
  pods.sort((a, b) => String(a.status?.startTime).localeCompare(String(b.status?.startTime)) || String(a.metadata.name).localeCompare(b.metadata.name));
  pods.forEach((p, i) => {
    const base = 1000 + 100 * i;
    const started = Date.parse(p.status?.startTime ?? '') || boot;
    out.push({ ct: '', proc: { pid: 1, argv: ['/pause'], user: '65535', startedAt: started }, pid: base });
    const rt = p.metadata.uid === pod.metadata.uid ? self : rts[p.metadata.uid];
    let next = base + 10;
    for (const ct of (p.spec?.containers ?? []) as KObj[]) {
      const crt = rt?.containers[ct.name];
      if (crt && !crt.exited) {
        for (const proc of crt.procs) out.push({ ct: p.metadata.uid === pod.metadata.uid && ct.name === name ? name : '', proc, pid: next + proc.pid });
      } else if (!rt && ct.command?.length) {
        out.push({ ct: '', proc: { pid: 1, argv: ct.command, user: 'root', startedAt: started }, pid: next + 1 });
      }
      next += 20;
    }
  });
  return out;
}
