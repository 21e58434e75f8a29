// describe node (describe.go describeNode / describeNodeResource).

import type { KObj } from '../../api/types.js';
import { ageOf } from '../duration.js';
import { addQuantity, cmpQuantity, formatQuantity, milliValue, parseResourceList, unitValue, zeroQuantity, type Quantity } from '../quantity.js';
import { nodeRoles } from '../tables/nodes.js';
import { byteSort, maybeEvents, printAnnotationsMultiline, printLabelsMultiline, printTaintsMultiline, timeText, v, type DescribeContext } from './common.js';
import { LEVEL_0, LEVEL_1, tabbedString, type Writer } from './writer.js';

type RL = Map<string, Quantity>;

function addList(list: RL, add: RL): void {
  for (const [k, q] of add) {
    const cur = list.get(k);
    list.set(k, cur ? addQuantity(cur, q) : q);
  }
}
function maxList(list: RL, other: RL): void {
  for (const [k, q] of other) {
    const cur = list.get(k);
    if (!cur || cmpQuantity(q, cur) > 0) list.set(k, q);
  }
}

/** kubectl resourcehelper.PodRequestsAndLimits (sidecars, init max, overhead). */
export function podRequestsAndLimits(pod: KObj): { reqs: RL; limits: RL } {
  const spec = pod.spec ?? {};
  const statuses = new Map<string, KObj>();
  for (const s of (pod.status?.containerStatuses ?? []) as KObj[]) statuses.set(s.name, s);
  const reqs: RL = new Map();
  for (const c of (spec.containers ?? []) as KObj[]) {
    let r = parseResourceList(c.resources?.requests);
    const cs = statuses.get(c.name);
    if (cs?.resources) {
      const sr = parseResourceList(cs.resources.requests);
      if (pod.status?.resize === 'Infeasible') r = sr;
      else {
        const m: RL = new Map();
        for (const [k, q] of r) {
          const o = sr.get(k);
          m.set(k, o && cmpQuantity(q, o) <= 0 ? o : q);
        }
        for (const [k, q] of sr) if (!m.has(k)) m.set(k, q);
        r = m;
      }
    }
    addList(reqs, r);
  }
  const limits: RL = new Map();
  for (const c of (spec.containers ?? []) as KObj[]) addList(limits, parseResourceList(c.resources?.limits));
  for (const [into, field] of [
    [reqs, 'requests'],
    [limits, 'limits'],
  ] as const) {
    const sidecars: RL = new Map();
    const init: RL = new Map();
    for (const c of (spec.initContainers ?? []) as KObj[]) {
      let r = parseResourceList(c.resources?.[field]);
      if (c.restartPolicy === 'Always') {
        addList(into, r);
        addList(sidecars, r);
        r = sidecars;
      } else {
        const tmp: RL = new Map();
        addList(tmp, r);
        addList(tmp, sidecars);
        r = tmp;
      }
      maxList(init, r);
    }
    maxList(into, init);
  }
  const overhead = parseResourceList(spec.overhead);
  if (overhead.size) {
    addList(reqs, overhead);
    for (const [k, q] of overhead) {
      const cur = limits.get(k);
      if (cur && cur.nano !== 0n) limits.set(k, addQuantity(cur, q));
    }
  }
  return { reqs, limits };
}

const get = (l: RL, k: string) => l.get(k) ?? zeroQuantity();
const q = (x: Quantity) => formatQuantity(x);
/** int64(float64(a)/float64(b)*100) */
function pct(a: bigint, bTotal: bigint): string {
  const f = (Number(a) / Number(bTotal)) * 100;
  if (!Number.isFinite(f)) return '-9223372036854775808';
  return String(Math.trunc(f));
}

function describeNodeResource(pods: KObj[], node: KObj, w: Writer, now: number): void {
  w.write(LEVEL_0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(LEVEL_1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(LEVEL_1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const alloc = parseResourceList(Object.keys(node.status?.allocatable ?? {}).length ? node.status.allocatable : node.status?.capacity);
  const allocCpu = milliValue(get(alloc, 'cpu'));
  const allocMem = unitValue(get(alloc, 'memory'));
  for (const pod of pods) {
    const { reqs, limits } = podRequestsAndLimits(pod);
    const [cr, cl, mr, ml] = [get(reqs, 'cpu'), get(limits, 'cpu'), get(reqs, 'memory'), get(limits, 'memory')];
    w.write(
      LEVEL_1,
      `${v(pod.metadata?.namespace)}\t${v(pod.metadata?.name)}\t\t${q(cr)} (${pct(milliValue(cr), allocCpu)}%)\t${q(cl)} (${pct(milliValue(cl), allocCpu)}%)\t${q(mr)} (${pct(unitValue(mr), allocMem)}%)\t${q(ml)} (${pct(unitValue(ml), allocMem)}%)\t${ageOf(pod.metadata?.creationTimestamp, now)}\n`,
    );
  }
  w.write(LEVEL_0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(LEVEL_1, 'Resource\tRequests\tLimits\n');
  w.write(LEVEL_1, '--------\t--------\t------\n');
  const reqs: RL = new Map();
  const limits: RL = new Map();
  for (const pod of pods) {
    const r = podRequestsAndLimits(pod);
    addList(reqs, r.reqs);
    addList(limits, r.limits);
  }
  const frac = (a: bigint, total: bigint) => (total !== 0n ? pct(a, total) : '0');
  const line = (name: string, scale: (x: Quantity) => bigint) => {
    const total = scale(get(alloc, name));
    const [r, l] = [get(reqs, name), get(limits, name)];
    w.write(LEVEL_1, `${name}\t${q(r)} (${frac(scale(r), total)}%)\t${q(l)} (${frac(scale(l), total)}%)\n`);
  };
  line('cpu', milliValue);
  line('memory', unitValue);
  line('ephemeral-storage', unitValue);
  const names = [...alloc.keys()];
  const huge = names.filter((n) => n.startsWith('hugepages-')).sort(byteSort);
  const standard = new Set(['cpu', 'memory', 'ephemeral-storage', 'storage', 'pods']);
  const ext = names.filter((n) => !n.startsWith('hugepages-') && !standard.has(n) && !n.startsWith('requests.') && !n.startsWith('limits.')).sort(byteSort);
  for (const n of huge) line(n, unitValue);
  for (const n of ext) w.write(LEVEL_1, `${n}\t${q(get(reqs, n))}\t${q(get(limits, n))}\n`);
}

export function describeNode(node: KObj, ctx: DescribeContext): string {
  const related = ctx.related ?? {};
  return tabbedString((w) => {
    const meta = node.metadata ?? {};
    const spec = node.spec ?? {};
    const status = node.status ?? {};
    w.write(LEVEL_0, `Name:\t${v(meta.name)}\n`);
    const roles = nodeRoles(node);
    w.write(LEVEL_0, `Roles:\t${roles.length ? roles.join(',') : '<none>'}\n`);
    printLabelsMultiline(w, 'Labels', meta.labels);
    printAnnotationsMultiline(w, 'Annotations', meta.annotations);
    w.write(LEVEL_0, `CreationTimestamp:\t${timeText(meta.creationTimestamp)}\n`);
    printTaintsMultiline(w, 'Taints', spec.taints);
    w.write(LEVEL_0, `Unschedulable:\t${spec.unschedulable ? 'true' : 'false'}\n`);
    const lease = (related.leases ?? []).find((l) => l.metadata?.name === meta.name && (l.metadata?.namespace ?? 'kube-node-lease') === 'kube-node-lease');
    if (lease) {
      w.write(LEVEL_0, 'Lease:\n');
      w.write(LEVEL_1, `HolderIdentity:\t${lease.spec?.holderIdentity ?? '<unset>'}\n`);
      w.write(LEVEL_1, `AcquireTime:\t${lease.spec?.acquireTime ? timeText(lease.spec.acquireTime) : '<unset>'}\n`);
      w.write(LEVEL_1, `RenewTime:\t${lease.spec?.renewTime ? timeText(lease.spec.renewTime) : '<unset>'}\n`);
    } else {
      w.write(LEVEL_0, `Lease:\tFailed to get lease: leases.coordination.k8s.io "${v(meta.name)}" not found\n`);
    }
    const conds = (status.conditions ?? []) as KObj[];
    if (conds.length) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
      w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n');
      for (const c of conds) {
        w.write(LEVEL_1, `${v(c.type)} \t${v(c.status)} \t${timeText(c.lastHeartbeatTime)} \t${timeText(c.lastTransitionTime)} \t${v(c.reason)} \t${v(c.message)}\n`);
      }
    }
    w.write(LEVEL_0, 'Addresses:\n');
    for (const a of (status.addresses ?? []) as KObj[]) w.write(LEVEL_1, `${v(a.type)}:\t${v(a.address)}\n`);
    const printList = (list: Record<string, unknown>) => {
      for (const k of Object.keys(list).sort(byteSort)) w.write(LEVEL_0, `  ${k}:\t${formatListValue(list[k])}\n`);
    };
    if (Object.keys(status.capacity ?? {}).length) {
      w.write(LEVEL_0, 'Capacity:\n');
      printList(status.capacity);
    }
    if (Object.keys(status.allocatable ?? {}).length) {
      w.write(LEVEL_0, 'Allocatable:\n');
      printList(status.allocatable);
    }
    const info = status.nodeInfo ?? {};
    w.write(LEVEL_0, 'System Info:\n');
    for (const [label, key] of [
      ['Machine ID', 'machineID'],
      ['System UUID', 'systemUUID'],
      ['Boot ID', 'bootID'],
      ['Kernel Version', 'kernelVersion'],
      ['OS Image', 'osImage'],
      ['Operating System', 'operatingSystem'],
      ['Architecture', 'architecture'],
      ['Container Runtime Version', 'containerRuntimeVersion'],
      ['Kubelet Version', 'kubeletVersion'],
      ['Kube-Proxy Version', 'kubeProxyVersion'],
    ]) {
      w.write(LEVEL_0, `  ${label}:\t${v(info[key])}\n`);
    }
    if (spec.podCIDR) w.write(LEVEL_0, `PodCIDR:\t${v(spec.podCIDR)}\n`);
    if ((spec.podCIDRs ?? []).length) w.write(LEVEL_0, `PodCIDRs:\t${(spec.podCIDRs as unknown[]).map(v).join(',')}\n`);
    if (spec.providerID) w.write(LEVEL_0, `ProviderID:\t${v(spec.providerID)}\n`);
    const pods = (related.pods ?? []).filter((p) => p.spec?.nodeName === meta.name && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
    describeNodeResource(pods, node, w, ctx.now);
    maybeEvents(ctx, w);
  });
}

function formatListValue(x: unknown): string {
  const l = parseResourceList({ x });
  const qq = l.get('x');
  return qq ? formatQuantity(qq) : v(x);
}
