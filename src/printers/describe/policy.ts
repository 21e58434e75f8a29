// describe resourcequota / limitrange (kubectl describe.go describeQuota, describeLimitRange).

import type { KObj } from '../../api/types.js';
import { formatQuantity, parseQuantity, unitValue } from '../../api/quantity.js';
import { byteSort, v } from './common.js';
import { LEVEL_0, tabbedString } from './writer.js';

const SCOPE_HELP: Record<string, string> = {
  Terminating: 'Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.',
  NotTerminating: 'Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.',
  BestEffort: 'Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.',
  NotBestEffort: 'Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.',
};

/** usedQuantity printed in the hard quantity's format when they differ (resource.NewQuantity(used.Value(), hard.Format)). */
function usedText(used: unknown, hard: unknown): string {
  const u = parseQuantity(used ?? '0') ?? { nano: 0n, format: 'DecimalSI' as const };
  const h = parseQuantity(hard);
  if (!h || h.format === u.format) return formatQuantity(u);
  return formatQuantity({ nano: unitValue(u) * 1_000_000_000n, format: h.format });
}

export function describeResourceQuota(q: KObj): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${v(q.metadata?.name)}\n`);
    w.write(LEVEL_0, `Namespace:\t${v(q.metadata?.namespace)}\n`);
    const scopes = ((q.spec?.scopes ?? []) as unknown[]).map(String).sort();
    if (scopes.length) {
      w.write(LEVEL_0, `Scopes:\t${scopes.join(', ')}\n`);
      for (const s of scopes) if (SCOPE_HELP[s]) w.write(LEVEL_0, ` * ${SCOPE_HELP[s]}\n`);
    }
    w.write(LEVEL_0, 'Resource\tUsed\tHard\n');
    w.write(LEVEL_0, '--------\t----\t----\n');
    const hard = (q.status?.hard ?? {}) as Record<string, unknown>;
    const used = (q.status?.used ?? {}) as Record<string, unknown>;
    for (const r of Object.keys(hard).sort(byteSort)) {
      const h = parseQuantity(hard[r]);
      w.write(LEVEL_0, `${r}\t${usedText(used[r], hard[r])}\t${h ? formatQuantity(h) : v(hard[r])}\n`);
    }
  });
}

export function describeLimitRange(lr: KObj): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${v(lr.metadata?.name)}\n`);
    w.write(LEVEL_0, `Namespace:\t${v(lr.metadata?.namespace)}\n`);
    w.write(LEVEL_0, 'Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
    w.write(LEVEL_0, '----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
    for (const item of (lr.spec?.limits ?? []) as KObj[]) {
      const lists = [item.min, item.max, item.defaultRequest, item.default, item.maxLimitRequestRatio].map((x) => (x ?? {}) as Record<string, unknown>);
      const names = new Set<string>();
      for (const l of [item.max, item.min, item.default, item.defaultRequest, item.maxLimitRequestRatio]) for (const k of Object.keys(l ?? {})) names.add(k);
      for (const k of [...names].sort(byteSort)) {
        const cells = lists.map((l) => {
          if (!(k in l)) return '-';
          const q = parseQuantity(l[k]);
          return q ? formatQuantity(q) : v(l[k]);
        });
        w.write(LEVEL_0, `${v(item.type)}\t${k}\t${cells.join('\t')}\n`);
      }
    }
  });
}
