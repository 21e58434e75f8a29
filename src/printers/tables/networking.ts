// Ingresses and horizontal pod autoscalers.

import type { KObj } from '../../api/types.js';
import { age, ageCol, nameCol, type Cell, type KindTable } from './common.js';
import { loadBalancerStatusString } from './services.js';

function formatHosts(rules: KObj[] | undefined): string {
  const rs = rules ?? [];
  const list: string[] = [];
  const max = 3;
  let more = false;
  for (const r of rs) {
    if (list.length === max) more = true;
    if (!more && r.host) list.push(String(r.host));
  }
  if (!list.length) return '*';
  const ret = list.join(',');
  return more ? `${ret} + ${rs.length - max} more...` : ret;
}

/** ADDRESS is never cut: the API server builds tables with Wide=true. */
export function ingressesTable(wide = true): KindTable {
  return {
    columns: [nameCol, { name: 'Class' }, { name: 'Hosts' }, { name: 'Address' }, { name: 'Ports' }, ageCol],
    row(ing: KObj, now: number): Cell[] {
      const spec = ing.spec ?? {};
      return [
        ing.metadata?.name,
        spec.ingressClassName ?? '<none>',
        formatHosts(spec.rules),
        loadBalancerStatusString(ing.status?.loadBalancer, wide),
        (spec.tls ?? []).length ? '80, 443' : '80',
        age(ing, now),
      ];
    },
  };
}

const q = (v: unknown) => String(v ?? '0');

/** TARGETS: up to 2 metrics, e.g. `cpu: 40%/80%`, `<unknown>/50%`, then ` + N more...`. */
export function formatHpaMetrics(specs: KObj[] | undefined, statuses: KObj[] | undefined): string {
  const sp = specs ?? [];
  const st = statuses ?? [];
  if (!sp.length) return '<none>';
  const list: string[] = [];
  for (let i = 0; i < sp.length; i++) {
    const s = sp[i];
    const cur = st[i];
    switch (s.type) {
      case 'External':
      case 'Object': {
        const key = s.type === 'External' ? 'external' : 'object';
        const target = s[key]?.target ?? {};
        const status = cur?.[key];
        if (target.averageValue !== undefined) {
          const c = status?.current?.averageValue !== undefined ? q(status.current.averageValue) : '<unknown>';
          list.push(`${c}/${q(target.averageValue)} (avg)`);
        } else {
          const c = status ? q(status.current?.value) : '<unknown>';
          list.push(`${c}/${q(target.value)}`);
        }
        break;
      }
      case 'Pods': {
        const c = cur?.pods ? q(cur.pods.current?.averageValue) : '<unknown>';
        list.push(`${c}/${q(s.pods?.target?.averageValue)}`);
        break;
      }
      case 'Resource':
      case 'ContainerResource': {
        const key = s.type === 'Resource' ? 'resource' : 'containerResource';
        const res = s[key] ?? {};
        const status = cur?.[key];
        if (res.target?.averageValue !== undefined) {
          const c = status ? q(status.current?.averageValue) : '<unknown>';
          list.push(`${res.name}: ${c}/${q(res.target.averageValue)}`);
        } else {
          const c = status?.current?.averageUtilization !== undefined ? `${status.current.averageUtilization}%` : '<unknown>';
          const t = res.target?.averageUtilization !== undefined ? `${res.target.averageUtilization}%` : '<auto>';
          list.push(`${res.name}: ${c}/${t}`);
        }
        break;
      }
      default:
        list.push('<unknown type>');
    }
  }
  const max = 2;
  if (list.length > max) return `${list.slice(0, max).join(', ')} + ${list.length - max} more...`;
  return list.join(', ');
}

export const hpaTable: KindTable = {
  columns: [nameCol, { name: 'Reference' }, { name: 'Targets' }, { name: 'MinPods' }, { name: 'MaxPods' }, { name: 'Replicas' }, ageCol],
  row(hpa: KObj, now: number): Cell[] {
    const spec = hpa.spec ?? {};
    const ref = spec.scaleTargetRef ?? {};
    return [
      hpa.metadata?.name,
      `${ref.kind ?? ''}/${ref.name ?? ''}`,
      formatHpaMetrics(spec.metrics, hpa.status?.currentMetrics),
      spec.minReplicas !== undefined && spec.minReplicas !== null ? String(spec.minReplicas) : '<unset>',
      Number(spec.maxReplicas ?? 0),
      Number(hpa.status?.currentReplicas ?? 0),
      age(hpa, now),
    ];
  },
};
