// The ResourceQuota admission plugin (apiserver/pkg/admission/plugin/resourcequota): a create is
// refused when it would take a matching quota's usage over its hard limit (`exceeded quota: …`), or
// when a pod leaves out a compute resource a quota limits (`failed quota: q: must specify …`).
import { addQuantity, parseResourceList, type Quantity } from '../quantity.js';
import type { KObj, ResourceDef } from '../types.js';
import { matchingResources, objectUsage, prettyPrint, scopesMatch } from './quota-usage.js';

const VALIDATION_SET = ['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];

/** podEvaluator.Constraints: every container must name each limited cpu/memory resource. */
function podConstraints(pod: KObj, restricted: string[]): string | undefined {
  const required = restricted.filter((r) => VALIDATION_SET.includes(r));
  if (!required.length) return undefined;
  const missing = new Map<string, Set<string>>();
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])] as KObj[]) {
    const have = new Set<string>();
    for (const k of Object.keys(c.resources?.requests ?? {})) {
      have.add(k);
      have.add(`requests.${k}`);
    }
    for (const k of Object.keys(c.resources?.limits ?? {})) have.add(`limits.${k}`);
    for (const r of required) if (!have.has(r)) (missing.get(r) ?? missing.set(r, new Set()).get(r)!).add(c.name);
  }
  if (!missing.size) return undefined;
  return `must specify ${[...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`).join('; ')}`;
}

/** The Forbidden message for creating `obj` under the namespace's quotas, or undefined when admitted. */
export function quotaRejection(def: ResourceDef, obj: KObj, quotas: KObj[], now: number): string | undefined {
  if (!quotas.length) return undefined;
  const chosen: { q: KObj; restricted: string[] }[] = [];
  for (const q of quotas) {
    if (!scopesMatch(q, def, obj)) continue;
    const hard = Object.keys(q.status?.hard ?? q.spec?.hard ?? {});
    const restricted = matchingResources(def, hard);
    if (!restricted.length) continue;
    if (def.kind === 'Pod') {
      const missing = podConstraints(obj, restricted);
      if (missing) return `failed quota: ${q.metadata.name}: ${missing}`;
    }
    if (!q.status?.hard) return `status unknown for quota: ${q.metadata.name}, resources: ${[...restricted].sort().join(',')}`;
    chosen.push({ q, restricted });
  }
  if (!chosen.length) return undefined;
  const usage = objectUsage(def, obj, now);
  for (const { q, restricted } of chosen) {
    const hard = parseResourceList(q.status.hard);
    const used = parseResourceList(q.status.used);
    const requested = new Map<string, Quantity>();
    for (const r of restricted) if (usage.has(r)) requested.set(r, usage.get(r)!);
    const exceeded: string[] = [];
    for (const [r, req] of requested) {
      const total = used.has(r) ? addQuantity(used.get(r)!, req) : req;
      const limit = hard.get(r);
      if (limit && total.nano > limit.nano) exceeded.push(r);
    }
    if (exceeded.length) {
      const pick = (m: Map<string, Quantity>) => new Map(exceeded.filter((r) => m.has(r)).map((r) => [r, m.get(r)!]));
      const zeroUsed = new Map(exceeded.map((r) => [r, used.get(r) ?? { nano: 0n, format: 'DecimalSI' as const }]));
      return `exceeded quota: ${q.metadata.name}, requested: ${prettyPrint(pick(requested))}, used: ${prettyPrint(zeroUsed)}, limited: ${prettyPrint(pick(hard))}`;
    }
  }
  return undefined;
}
