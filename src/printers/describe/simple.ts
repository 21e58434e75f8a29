// describe namespace, configmap, secret, serviceaccount, service.

import type { KObj } from '../../api/types.js';
import { canonicalQuantity } from '../quantity.js';
import { formatLabels } from '../tables/common.js';
import { byteSort, d, maybeEvents, printAnnotationsMultiline, printLabelsMultiline, timeText, v, type DescribeContext } from './common.js';
import { LEVEL_0, LEVEL_1, tabbedString, type Writer } from './writer.js';

function header(w: Writer, obj: KObj): void {
  w.write(LEVEL_0, `Name:\t${v(obj.metadata?.name)}\n`);
  w.write(LEVEL_0, `Namespace:\t${v(obj.metadata?.namespace)}\n`);
  printLabelsMultiline(w, 'Labels', obj.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', obj.metadata?.annotations);
}

const QUOTA_SCOPE_HELP: Record<string, string> = {
  Terminating: 'Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.',
  NotTerminating: 'Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.',
  BestEffort: 'Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.',
  NotBestEffort: 'Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.',
};

export function describeNamespace(ns: KObj, ctx: DescribeContext): string {
  const related = ctx.related ?? {};
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${v(ns.metadata?.name)}\n`);
    printLabelsMultiline(w, 'Labels', ns.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', ns.metadata?.annotations);
    w.write(LEVEL_0, `Status:\t${v(ns.status?.phase)}\n`);
    const conds = (ns.status?.conditions ?? []) as KObj[];
    if (conds.length) {
      w.write(LEVEL_0, 'Conditions:\n');
      w.write(LEVEL_1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
      w.write(LEVEL_1, '----\t------\t------------------\t------\t-------\n');
      for (const c of conds) w.write(LEVEL_1, `${v(c.type)}\t${v(c.status)}\t${timeText(c.lastTransitionTime)}\t${v(c.reason)}\t${v(c.message)}\n`);
    }
    w.write(LEVEL_0, '\n');
    const quotas = [...(related.resourcequotas ?? [])].sort((a, c) => byteSort(v(a.metadata?.name), v(c.metadata?.name)));
    if (!quotas.length) w.write(LEVEL_0, 'No resource quota.\n');
    else {
      w.write(LEVEL_0, 'Resource Quotas\n');
      for (const q of quotas) {
        w.write(LEVEL_1, `Name:\t${v(q.metadata?.name)}\n`);
        const scopes = ((q.spec?.scopes ?? []) as string[]).map(String).sort(byteSort);
        if (scopes.length) {
          w.write(LEVEL_1, `Scopes:\t${scopes.join(', ')}\n`);
          for (const s of scopes) if (QUOTA_SCOPE_HELP[s]) w.write(LEVEL_1, `* ${QUOTA_SCOPE_HELP[s]}\n`);
        }
        w.write(LEVEL_1, 'Resource\tUsed\tHard\n');
        w.write(LEVEL_1, '--------\t---\t---\n');
        const hard = q.status?.hard ?? {};
        const used = q.status?.used ?? {};
        for (const r of Object.keys(hard).sort(byteSort)) w.write(LEVEL_1, `${r}\t${canonicalQuantity(used[r] ?? '0')}\t${canonicalQuantity(hard[r])}\n`);
      }
    }
    w.write(LEVEL_0, '\n');
    const limitRanges = related.limitranges ?? [];
    if (!limitRanges.length) w.write(LEVEL_0, 'No LimitRange resource.\n');
    else {
      w.write(LEVEL_0, 'Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
      w.write(LEVEL_0, ' ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
      for (const lr of limitRanges) {
        for (const item of (lr.spec?.limits ?? []) as KObj[]) {
          const lists = [item.min, item.max, item.defaultRequest, item.default, item.maxLimitRequestRatio].map((x) => (x ?? {}) as Record<string, unknown>);
          const names = new Set<string>();
          for (const l of lists) for (const k of Object.keys(l)) names.add(k);
          for (const k of [...names].sort(byteSort)) {
            const cells = lists.map((l) => (k in l ? canonicalQuantity(l[k]) : '-'));
            w.write(LEVEL_0, ` ${v(item.type)}\t${k}\t${cells.join('\t')}\n`);
          }
        }
      }
    }
  });
}

export function describeConfigMap(cm: KObj, ctx: DescribeContext): string {
  return tabbedString((w) => {
    header(w, cm);
    w.write(LEVEL_0, '\nData\n====\n');
    const data = (cm.data ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(data).sort(byteSort)) {
      w.write(LEVEL_0, `${k}:\n----\n`);
      w.write(LEVEL_0, `${v(data[k])}\n`);
      w.write(LEVEL_0, '\n');
    }
    w.write(LEVEL_0, '\nBinaryData\n====\n');
    const bin = (cm.binaryData ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(bin).sort(byteSort)) w.write(LEVEL_0, `${k}: ${Buffer.from(v(bin[k]), 'base64').length} bytes\n`);
    w.write(LEVEL_0, '\n');
    maybeEvents(ctx, w);
  });
}

export function describeSecret(secret: KObj): string {
  return tabbedString((w) => {
    header(w, secret);
    w.write(LEVEL_0, `\nType:\t${v(secret.type)}\n`);
    w.write(LEVEL_0, '\nData\n====\n');
    const data = (secret.data ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(data).sort(byteSort)) {
      const bytes = Buffer.from(v(data[k]), 'base64');
      if (k === 'token' && secret.type === 'kubernetes.io/service-account-token') w.write(LEVEL_0, `${k}:\t${bytes.toString()}\n`);
      else w.write(LEVEL_0, `${k}:\t${bytes.length} bytes\n`);
    }
  });
}

export function describeServiceAccount(sa: KObj, ctx: DescribeContext): string {
  const secrets = ctx.related?.secrets;
  return tabbedString((w) => {
    header(w, sa);
    const tokens: string[] = [];
    const missing = new Set<string>();
    if (secrets) {
      const existing = new Set<string>();
      for (const s of secrets) {
        const ann = s.metadata?.annotations ?? {};
        if (s.type === 'kubernetes.io/service-account-token' && ann['kubernetes.io/service-account.name'] === sa.metadata?.name && ann['kubernetes.io/service-account.uid'] === sa.metadata?.uid) tokens.push(v(s.metadata?.name));
        existing.add(v(s.metadata?.name));
      }
      for (const s of [...((sa.secrets ?? []) as KObj[]), ...((sa.imagePullSecrets ?? []) as KObj[])]) if (!existing.has(v(s.name))) missing.add(v(s.name));
    }
    const groups: Array<[string, string[]]> = [
      ['Image pull secrets:', ((sa.imagePullSecrets ?? []) as KObj[]).map((s) => v(s.name))],
      ['Mountable secrets: ', ((sa.secrets ?? []) as KObj[]).map((s) => v(s.name))],
      ['Tokens:            ', tokens],
    ];
    for (const [title, names] of groups) {
      if (!names.length) {
        w.write(LEVEL_0, `${title}\t<none>\n`);
        continue;
      }
      let prefix = title;
      for (const n of names) {
        w.write(LEVEL_0, `${prefix}\t${n}${missing.has(n) ? ' (not found)' : ''}\n`);
        prefix = '                   ';
      }
    }
    maybeEvents(ctx, w);
  });
}

/** EndpointSlices of a service; converted from Endpoints subsets when only those are given. */
function serviceSlices(ctx: DescribeContext, name: string): KObj[] | undefined {
  const related = ctx.related ?? {};
  if (related.endpointslices) return related.endpointslices.filter((s) => s.metadata?.labels?.['kubernetes.io/service-name'] === name);
  if (related.endpoints) {
    const ep = related.endpoints.find((e) => e.metadata?.name === name);
    if (!ep) return [];
    return ((ep.subsets ?? []) as KObj[]).map((ss) => ({
      ports: ((ss.ports ?? []) as KObj[]).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol })),
      endpoints: [
        ...((ss.addresses ?? []) as KObj[]).map((a) => ({ addresses: [a.ip], conditions: { ready: true } })),
        ...((ss.notReadyAddresses ?? []) as KObj[]).map((a) => ({ addresses: [a.ip], conditions: { ready: false } })),
      ],
    }));
  }
  return undefined;
}

function formatEndpointSlices(slices: KObj[] | undefined, portName: string): string {
  if (!slices || !slices.length) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  const hostPort = (ip: string, port: unknown) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);
  for (const s of slices) {
    const eps = (s.endpoints ?? []) as KObj[];
    const ready = (e: KObj) => e.conditions?.ready === undefined || e.conditions?.ready === null || e.conditions.ready === true;
    if (!(s.ports ?? []).length) {
      for (const e of eps) {
        if (list.length === max) more = true;
        if (!ready(e)) continue;
        if (!more) list.push(v(e.addresses?.[0]));
        count++;
      }
    } else {
      for (const p of s.ports as KObj[]) {
        if (v(p.name) !== portName) continue;
        for (const e of eps) {
          if (list.length === max) more = true;
          if (!ready(e)) continue;
          if (!more) list.push(hostPort(v(e.addresses?.[0]), d(p.port)));
          count++;
        }
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

export function describeService(svc: KObj, ctx: DescribeContext): string {
  return tabbedString((w) => {
    const spec = svc.spec ?? {};
    header(w, svc);
    w.write(LEVEL_0, `Selector:\t${formatLabels(spec.selector)}\n`);
    w.write(LEVEL_0, `Type:\t${v(spec.type)}\n`);
    if (spec.ipFamilyPolicy) w.write(LEVEL_0, `IP Family Policy:\t${v(spec.ipFamilyPolicy)}\n`);
    const fams = (spec.ipFamilies ?? []) as string[];
    w.write(LEVEL_0, `IP Families:\t${fams.length ? fams.join(',') : '<none>'}\n`);
    w.write(LEVEL_0, `IP:\t${v(spec.clusterIP)}\n`);
    const ips = (spec.clusterIPs ?? []) as string[];
    w.write(LEVEL_0, `IPs:\t${ips.length ? ips.join(',') : '<none>'}\n`);
    if ((spec.externalIPs ?? []).length) w.write(LEVEL_0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
    if (spec.loadBalancerIP) w.write(LEVEL_0, `Desired LoadBalancer IP:\t${v(spec.loadBalancerIP)}\n`);
    if (spec.externalName) w.write(LEVEL_0, `External Name:\t${v(spec.externalName)}\n`);
    const ingress = (svc.status?.loadBalancer?.ingress ?? []) as KObj[];
    if (ingress.length) {
      const s = ingress.map((i) => (i.ip ? `${v(i.ip)}${i.ipMode ? ` (${v(i.ipMode)})` : ''}` : v(i.hostname))).join(', ');
      w.write(LEVEL_0, `LoadBalancer Ingress:\t${s}\n`);
    }
    const slices = serviceSlices(ctx, v(svc.metadata?.name));
    for (const p of (spec.ports ?? []) as KObj[]) {
      const name = p.name ? v(p.name) : '<unset>';
      w.write(LEVEL_0, `Port:\t${name}\t${d(p.port)}/${v(p.protocol)}\n`);
      const tp = p.targetPort;
      w.write(LEVEL_0, `TargetPort:\t${typeof tp === 'string' ? tp : d(tp)}/${v(p.protocol)}\n`);
      if (Number(p.nodePort ?? 0) !== 0) w.write(LEVEL_0, `NodePort:\t${name}\t${d(p.nodePort)}/${v(p.protocol)}\n`);
      w.write(LEVEL_0, `Endpoints:\t${formatEndpointSlices(slices, v(p.name))}\n`);
    }
    w.write(LEVEL_0, `Session Affinity:\t${v(spec.sessionAffinity)}\n`);
    if (spec.externalTrafficPolicy) w.write(LEVEL_0, `External Traffic Policy:\t${v(spec.externalTrafficPolicy)}\n`);
    if (spec.internalTrafficPolicy) w.write(LEVEL_0, `Internal Traffic Policy:\t${v(spec.internalTrafficPolicy)}\n`);
    if (Number(spec.healthCheckNodePort ?? 0) !== 0) w.write(LEVEL_0, `HealthCheck NodePort:\t${d(spec.healthCheckNodePort)}\n`);
    if ((spec.loadBalancerSourceRanges ?? []).length) w.write(LEVEL_0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}\n`);
    maybeEvents(ctx, w);
  });
}
