// describe pod (describe.go describePod) and the pod QoS class.

import type { KObj } from '../../api/types.js';
import { ageOf } from '../duration.js';
import { cmpQuantity, parseResourceList, addQuantity, type Quantity } from '../quantity.js';
import { formatLabelSelector } from '../tables/common.js';
import { controllerOf, d, maybeEvents, printAnnotationsMultiline, printLabelsMultiline, printTolerationsMultiline, stableSortBy, timeText, v, type DescribeContext } from './common.js';
import { describeContainers, describeResources } from './containers.js';
import { describeVolumes } from './volumes.js';
import { LEVEL_0, LEVEL_1, tabbedString, type Writer } from './writer.js';

const QOS_RESOURCES = new Set(['cpu', 'memory']);

/** kubectl's qos.GetPodQOS: status.qosClass, else computed from requests and limits. */
export function podQOS(pod: KObj): string {
  if (pod.status?.qosClass) return String(pod.status.qosClass);
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const add = (into: Map<string, Quantity>, list: unknown) => {
    for (const [name, q] of parseResourceList(list)) {
      if (!QOS_RESOURCES.has(name) || q.nano <= 0n) continue;
      const cur = into.get(name);
      into.set(name, cur ? addQuantity(q, cur) : q);
    }
  };
  const limitsHaveBoth = (list: unknown) => {
    const l = parseResourceList(list);
    return ['cpu', 'memory'].every((n) => (l.get(n)?.nano ?? 0n) > 0n);
  };
  const podRes = pod.spec?.resources;
  if (podRes) {
    if (podRes.requests) add(requests, podRes.requests);
    if (podRes.limits) {
      add(limits, podRes.limits);
      if (!limitsHaveBoth(podRes.limits)) guaranteed = false;
    }
  } else {
    for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])] as KObj[]) {
      add(requests, c.resources?.requests);
      add(limits, c.resources?.limits);
      if (!limitsHaveBoth(c.resources?.limits)) guaranteed = false;
    }
  }
  if (!requests.size && !limits.size) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || cmpQuantity(lim, req) !== 0) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

export function describeTopologySpreadConstraints(tscs: KObj[] | undefined, w: Writer, space: string): void {
  const list = [...(tscs ?? [])];
  if (!list.length) return;
  stableSortBy(list, (t) => v(t.topologyKey));
  w.write(LEVEL_0, `${space}Topology Spread Constraints:\t`);
  list.forEach((t, i) => {
    if (i !== 0) {
      w.write(LEVEL_0, space);
      w.write(LEVEL_0, '\t');
    }
    let s = `${v(t.topologyKey)}:${v(t.whenUnsatisfiable)} when max skew ${d(t.maxSkew)} is exceeded`;
    if (t.labelSelector) s += ` for selector ${formatLabelSelector(t.labelSelector)}`;
    w.write(LEVEL_0, `${s}\n`);
  });
}

export function describePod(pod: KObj, ctx: DescribeContext): string {
  const age = (ts: unknown) => ageOf(typeof ts === 'string' ? ts : undefined, ctx.now);
  return tabbedString((w) => {
    const spec = pod.spec ?? {};
    const status = pod.status ?? {};
    const meta = pod.metadata ?? {};
    w.write(LEVEL_0, `Name:\t${v(meta.name)}\n`);
    w.write(LEVEL_0, `Namespace:\t${v(meta.namespace)}\n`);
    if (spec.priority !== undefined && spec.priority !== null) w.write(LEVEL_0, `Priority:\t${d(spec.priority)}\n`);
    if (spec.priorityClassName) w.write(LEVEL_0, `Priority Class Name:\t${v(spec.priorityClassName)}\n`);
    if (spec.runtimeClassName) w.write(LEVEL_0, `Runtime Class Name:\t${v(spec.runtimeClassName)}\n`);
    if (spec.serviceAccountName) w.write(LEVEL_0, `Service Account:\t${v(spec.serviceAccountName)}\n`);
    if (!spec.nodeName) w.write(LEVEL_0, 'Node:\t<none>\n');
    else w.write(LEVEL_0, `Node:\t${v(spec.nodeName)}/${v(status.hostIP)}\n`);
    if (status.startTime) w.write(LEVEL_0, `Start Time:\t${timeText(status.startTime)}\n`);
    printLabelsMultiline(w, 'Labels', meta.labels);
    printAnnotationsMultiline(w, 'Annotations', meta.annotations);
    if (meta.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
      w.write(LEVEL_0, `Status:\tTerminating (lasts ${age(meta.deletionTimestamp)})\n`);
      w.write(LEVEL_0, `Termination Grace Period:\t${d(meta.deletionGracePeriodSeconds)}s\n`);
    } else {
      w.write(LEVEL_0, `Status:\t${v(status.phase)}\n`);
    }
    if (status.reason) w.write(LEVEL_0, `Reason:\t${v(status.reason)}\n`);
    if (status.message) w.write(LEVEL_0, `Message:\t${v(status.message)}\n`);
    const sp = spec.securityContext?.seccompProfile;
    if (sp) {
      w.write(LEVEL_0, `SeccompProfile:\t${v(sp.type)}\n`);
      if (sp.type === 'Localhost') w.write(LEVEL_0, `LocalhostProfile:\t${v(sp.localhostProfile)}\n`);
    }
    w.write(LEVEL_0, `IP:\t${v(status.podIP)}\n`);
    const ips = (status.podIPs ?? []) as KObj[];
    if (!ips.length) w.write(LEVEL_0, 'IPs:\t<none>\n');
    else {
      w.write(LEVEL_0, 'IPs:\n');
      for (const ip of ips) w.write(LEVEL_1, `IP:\t${v(ip.ip)}\n`);
    }
    const controlledBy = controllerOf(pod);
    if (controlledBy) w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`);
    if (status.nominatedNodeName) w.write(LEVEL_0, `NominatedNodeName:\t${v(status.nominatedNodeName)}\n`);
    if (spec.resources) {
      w.write(LEVEL_0, 'Resources:\n');
      describeResources(spec.resources, w, LEVEL_1);
    }
    if ((spec.initContainers ?? []).length) describeContainers('Init Containers', spec.initContainers, status.initContainerStatuses, pod, w, '');
    describeContainers('Containers', spec.containers ?? [], status.containerStatuses, pod, w, '');
    if ((spec.ephemeralContainers ?? []).length) describeContainers('Ephemeral Containers', spec.ephemeralContainers, status.ephemeralContainerStatuses, pod, w, '');
    const conditions = (status.conditions ?? []) as KObj[];
    if ((spec.readinessGates ?? []).length) {
      w.write(LEVEL_0, 'Readiness Gates:\n  Type\tStatus\n');
      for (const g of spec.readinessGates as KObj[]) {
        const c = conditions.find((x) => x.type === g.conditionType);
        w.write(LEVEL_1, `${v(g.conditionType)} \t${c ? v(c.status) : '<none>'} \n`);
      }
    }
    if (conditions.length) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\n');
      for (const c of conditions) w.write(LEVEL_1, `${v(c.type)} \t${v(c.status)} \n`);
    }
    describeVolumes(spec.volumes, w, '', ctx.now, age);
    w.write(LEVEL_0, `QoS Class:\t${podQOS(pod)}\n`);
    printLabelsMultiline(w, 'Node-Selectors', spec.nodeSelector);
    printTolerationsMultiline(w, 'Tolerations', spec.tolerations);
    describeTopologySpreadConstraints(spec.topologySpreadConstraints, w, '');
    maybeEvents(ctx, w);
  });
}
