// A node's root filesystem as a pod sees it through a hostPath volume of `/` (what `kubectl debug
// node/NAME` mounts at /host): the node's own files (a minikube/kind node is an Ubuntu 22.04
// container image), the control plane's static pod manifests, and the kubelet's CRI log files
// under /var/log/pods — made from the cluster when mounted, under what pods wrote to the node's
// hostPath directories (state.nodeFiles). Only what a pod writes is kept in the store.
import type { KObj } from '../api/types.js';
import { toYaml } from '../printers/yaml.js';
import type { Cluster } from '../sim/engine.js';
import { DIR } from './files.js';
import { runtimeOf, type FileMap } from './state.js';
import { podsOnNode } from '../api/owner-index.js';

const OS_RELEASE = `PRETTY_NAME="Ubuntu 22.04.5 LTS"
NAME="Ubuntu"
VERSION_ID="22.04"
VERSION="22.04.5 LTS (Jammy Jellyfish)"
VERSION_CODENAME=jammy
ID=ubuntu
ID_LIKE=debian
HOME_URL="https://www.ubuntu.com/"
SUPPORT_URL="https://help.ubuntu.com/"
BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"
PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"
UBUNTU_CODENAME=jammy
`;

const TOP = ['bin', 'boot', 'dev', 'etc', 'home', 'kind', 'lib', 'media', 'mnt', 'opt', 'proc', 'root', 'run', 'sbin', 'srv', 'sys', 'tmp', 'usr', 'var'];

function criTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/** The kubelet's CRI log file of one container: `<RFC3339Nano> <stream> <F|P> <text>` per line. */
function criLog(lines: { t: number; s: string; l: string; p?: boolean }[]): string {
  return lines.map((x) => `${criTime(x.t)} ${x.s === 'e' ? 'stderr' : 'stdout'} ${x.p ? 'P' : 'F'} ${x.l}\n`).join('');
}

export function nodeRoot(c: Cluster, nodeName: string): FileMap {
  const files: FileMap = {};
  for (const d of TOP) files[`/${d}`] = DIR;
  const node = c.listAll('nodes').find((n) => n.metadata.name === nodeName);
  const ip = (node?.status?.addresses ?? []).find((a: KObj) => a.type === 'InternalIP')?.address ?? '';
  files['/etc/hostname'] = `${nodeName}\n`;
  files['/etc/os-release'] = OS_RELEASE;
  files['/etc/hosts'] = `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n${ip}\t${nodeName}\n`;
  files['/etc/kubernetes/manifests'] = DIR;
  files['/var/log/pods'] = DIR;
  const rts = runtimeOf(c.state);
  for (const pod of podsOnNode(c.state, nodeName)) {
    if (pod.spec?.nodeName !== nodeName) continue;
    const owner = (pod.metadata.ownerReferences ?? [])[0];
    if (owner?.kind === 'Node' && pod.metadata.labels?.component) {
      const manifest = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { labels: pod.metadata.labels, name: pod.metadata.labels.component, namespace: pod.metadata.namespace },
        spec: { containers: (pod.spec.containers ?? []).map((x: KObj) => ({ command: x.command, image: x.image, name: x.name, resources: x.resources })), hostNetwork: pod.spec.hostNetwork, priorityClassName: pod.spec.priorityClassName },
      };
      files[`/etc/kubernetes/manifests/${pod.metadata.labels.component}.yaml`] = toYaml(manifest);
    }
    const dir = `/var/log/pods/${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}`;
    files[dir] = DIR;
    for (const [name, ct] of Object.entries(rts[pod.metadata.uid]?.containers ?? {})) {
      files[`${dir}/${name}`] = DIR;
      files[`${dir}/${name}/0.log`] = criLog(ct.log ?? []);
    }
  }
  return files;
}

/** An entry of the node's root that is only the generated base (not kept in the store). */
export function isBaseEntry(base: FileMap, path: string, value: string | null): boolean {
  // the kubelet's log files are its own: made anew at each mount, never kept
  if (path === '/var/log/pods' || path.startsWith('/var/log/pods/')) return true;
  return base[path] !== undefined && base[path] === value;
}
