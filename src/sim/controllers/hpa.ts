// The horizontal pod autoscaler controller (pkg/controller/podautoscaler/horizontal.go) for HPAs
// without a behavior: every 15 s (--horizontal-pod-autoscaler-sync-period) it reads the target's
// scale, computes a replica count per metric from the simulated metrics-server (hpa-replicas.ts),
// keeps the highest recommendation of the last 5 minutes on a scale-down (the downscale
// stabilization window), limits a scale-up to max(2×current, 4) and [min, max], rescales the target,
// and reports its conditions (AbleToScale, ScalingActive, ScalingLimited), current metrics and events.
import { resourceForKind } from '../../api/registry.js';
import { selectorFromLabelSelector } from '../../api/selectors.js';
import type { KObj, ResourceDef } from '../../api/types.js';
import type { Cluster, Controller } from '../engine.js';
import { observationsAfter, recordEvent, replayTurns } from '../events.js';
import { periodsBehind } from '../skip.js';
import { resourceReplicas } from './hpa-replicas.js';

const SYNC_MS = 15_000;
const DOWNSCALE_STABILIZATION_MS = 5 * 60_000;
const TIMER = 'hpa-sync';
const SOURCE = { component: 'horizontal-pod-autoscaler' };

const hpaDef = (): ResourceDef => resourceForKind('autoscaling/v2', 'HorizontalPodAutoscaler')!;

interface Condition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
}

/** setCondition: the transition time moves only when the status changes. */
function setConditions(hpa: KObj, conds: Condition[], now: string): void {
  const old: KObj[] = hpa.status?.conditions ?? [];
  const out: KObj[] = [...old];
  for (const c of conds) {
    const i = out.findIndex((x) => x.type === c.type);
    const prev = i >= 0 ? out[i] : undefined;
    const next = { type: c.type, status: c.status, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : now, reason: c.reason, message: c.message };
    if (i >= 0) out[i] = next;
    else out.push(next);
  }
  hpa.status.conditions = out;
}

function metricName(spec: KObj): string {
  const r = spec.resource ?? {};
  return r.target?.type === 'Utilization' ? `${r.name} resource utilization (percentage of request)` : `${r.name} resource`;
}

/** The milli-units of a quantity text (cpu `500m` → 500, memory `100Mi` → 104857600000). */
function milliOf(q: unknown): number {
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(String(q ?? '0'));
  const mult: Record<string, number> = { m: 1, '': 1000, k: 1e6, M: 1e9, G: 1e12, Ki: 1024e3, Mi: 1024 ** 2 * 1e3, Gi: 1024 ** 3 * 1e3 };
  return m ? Number(m[1]) * (mult[m[2]] ?? 1000) : 0;
}

/** resource.NewMilliQuantity(milli, DecimalSI).String(): the value the controller reports for any resource. */
function quantityText(_resource: string, milli: number): string {
  const m = Math.trunc(milli);
  if (m === 0) return '0';
  if (m % 1000 !== 0) return `${m}m`;
  let v = m / 1000;
  let i = 0;
  while (v % 1000 === 0 && i < 6) {
    v /= 1000;
    i++;
  }
  return `${v}${['', 'k', 'M', 'G', 'T', 'P', 'E'][i]}`;
}

interface Computed {
  replicas: number;
  reason: string;
  statuses: KObj[];
  error?: string;
  /** the first metric's text for ScalingActive */
  metric: string;
}

function computeReplicas(c: Cluster, hpa: KObj, current: number, pods: KObj[]): Computed {
  const specs: KObj[] = hpa.spec.metrics ?? [];
  const statuses: KObj[] = specs.map(() => ({ type: '' }));
  let best = 0;
  let bestName = '';
  let invalid = 0;
  let firstError: string | undefined;
  specs.forEach((spec, i) => {
    if (spec.type !== 'Resource' || !spec.resource?.name) {
      invalid++;
      firstError ??= `the HPA was unable to compute the replica count: unsupported metric source type "${spec.type}"`;
      return;
    }
    const res = spec.resource;
    const util = res.target?.type === 'Utilization' ? Number(res.target.averageUtilization ?? 0) : undefined;
    try {
      const r = resourceReplicas(c, current, pods, res.name, util !== undefined ? { utilization: util } : { averageMilli: milliOf(res.target?.averageValue) });
      statuses[i] = {
        type: 'Resource',
        resource: { name: res.name, current: util !== undefined ? { averageUtilization: r.utilization, averageValue: quantityText(res.name, r.rawAverage) } : { averageValue: quantityText(res.name, r.rawAverage) } },
      };
      if (r.replicas > best || bestName === '') [best, bestName] = [r.replicas, metricName(spec)];
    } catch (e) {
      const text = `failed to get ${res.name} ${util !== undefined ? 'utilization' : 'usage'}: ${(e as Error).message}`;
      recordEvent(c, hpa, 'Warning', 'FailedGetResourceMetric', text, SOURCE);
      invalid++;
      firstError ??= `failed to get ${res.name} resource metric value: ${text}`;
    }
  });
  if (invalid > 0 && (invalid === specs.length || best < current)) {
    const err = `invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${firstError}`;
    return { replicas: 0, reason: '', statuses, error: err, metric: firstError!.replace(/^failed to get \w+ resource metric value: /, '') };
  }
  return { replicas: best, reason: bestName, statuses, metric: bestName };
}

interface Normalized {
  desired: number;
  able: Condition;
  limited: Condition;
}

const READY: Condition = { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' };
const DOWN_STABILIZED: Condition = { type: 'AbleToScale', status: 'True', reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
const UP_STABILIZED: Condition = { type: 'AbleToScale', status: 'True', reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' };
const limited = (reason: string, message: string): Condition => ({ type: 'ScalingLimited', status: 'True', reason, message });
const WITHIN: Condition = { type: 'ScalingLimited', status: 'False', reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };

/** Keeps the recommendations younger than `windowMs` and adds this one. */
function remember(c: Cluster, recs: [number, number][], replicas: number, windowMs: number): [number, number][] {
  const within = recs.filter(([t]) => t > c.now() - windowMs);
  within.push([c.now(), replicas]);
  recs.splice(0, recs.length, ...within);
  return within;
}

/** normalizeDesiredReplicas (no behavior): the 5-minute downscale stabilization, then the scale rules. */
function normalize(c: Cluster, current: number, proposed: number, min: number, max: number, recs: [number, number][]): Normalized {
  const within = remember(c, recs, proposed, DOWNSCALE_STABILIZATION_MS);
  const stabilized = Math.max(...within.map(([, n]) => n));
  const able = stabilized !== proposed ? DOWN_STABILIZED : READY;
  const scaleUpLimit = Math.max(2 * current, 4);
  const minAllowed = min === 0 ? 1 : min;
  const maxAllowed = Math.min(max, scaleUpLimit);
  if (stabilized < minAllowed) return { desired: minAllowed, able, limited: limited('TooFewReplicas', min === 0 ? 'the desired replica count is zero' : 'the desired replica count is less than the minimum replica count') };
  if (stabilized > maxAllowed) {
    return {
      desired: maxAllowed,
      able,
      limited: max < scaleUpLimit ? limited('TooManyReplicas', 'the desired replica count is more than the maximum replica count') : limited('ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate'),
    };
  }
  return { desired: stabilized, able, limited: WITHIN };
}

/** A direction's policies applied from the current count (no earlier scaling within their periods). */
function policyLimit(rules: KObj | undefined, current: number, up: boolean): number {
  const select = rules?.selectPolicy ?? 'Max';
  if (select === 'Disabled') return current;
  const proposals = ((rules?.policies ?? []) as KObj[]).map((p) => {
    const v = Number(p.value ?? 0);
    if (p.type === 'Pods') return up ? current + v : current - v;
    return up ? Math.ceil(current * (1 + v / 100)) : Math.trunc(current * (1 - v / 100));
  });
  if (!proposals.length) return current;
  // Max picks the policy allowing the largest change
  const largest = up === (select === 'Max');
  return largest ? Math.max(...proposals) : Math.min(...proposals);
}

/** normalizeDesiredReplicasWithBehaviors: both stabilization windows, then the policies' rates. */
function normalizeWithBehaviors(c: Cluster, hpa: KObj, current: number, proposed: number, min: number, max: number, recs: [number, number][]): Normalized {
  const b = hpa.spec.behavior ?? {};
  const upMs = Number(b.scaleUp?.stabilizationWindowSeconds ?? 0) * 1000;
  const downMs = Number(b.scaleDown?.stabilizationWindowSeconds ?? 300) * 1000;
  const within = remember(c, recs, proposed, Math.max(upMs, downMs));
  const up = Math.min(...within.filter(([t]) => t > c.now() - upMs || t === c.now()).map(([, n]) => n));
  const down = Math.max(...within.filter(([t]) => t > c.now() - downMs || t === c.now()).map(([, n]) => n));
  let stabilized = current;
  if (stabilized < up) stabilized = up;
  if (stabilized > down) stabilized = down;
  const able = stabilized === proposed ? READY : stabilized < proposed ? UP_STABILIZED : DOWN_STABILIZED;
  if (stabilized > current) {
    const limit = Math.max(policyLimit(b.scaleUp, current, true), current);
    const allowed = Math.min(max, limit);
    const why = max > limit ? limited('ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate') : limited('TooManyReplicas', 'the desired replica count is more than the maximum replica count');
    if (stabilized > allowed) return { desired: allowed, able, limited: why };
  } else if (stabilized < current) {
    const limit = Math.min(policyLimit(b.scaleDown, current, false), current);
    const allowed = Math.max(min, limit);
    const why = min < limit ? limited('ScaleDownLimit', 'the desired replica count is decreasing faster than the maximum scale rate') : limited('TooFewReplicas', 'the desired replica count is less than the minimum replica count');
    if (stabilized < allowed) return { desired: allowed, able, limited: why };
  }
  return { desired: stabilized, able, limited: WITHIN };
}

/**
 * One sync. `recs` are the HPA's recent recommendations ([time, replicas]), which the real
 * controller keeps in memory: here they travel with the next sync's timer.
 */
function reconcile(c: Cluster, ns: string, name: string, recs: [number, number][], prevSig?: string): void {
  const def = hpaDef();
  const stored = c.api.peek(def, ns, name);
  if (!stored || stored.metadata.deletionTimestamp) return;
  const started = c.now();
  const next: Record<string, unknown> = { uid: stored.metadata.uid, recs };
  let steady = false;
  try {
    const sig = sync(c, ns, stored, recs);
    // the same outcome twice in a row, with every pod past its start: the next syncs repeat it
    steady = sig !== undefined && sig === prevSig;
    if (sig !== undefined) next.sig = sig;
  } finally {
    // far behind a catch-up's target, a steady sync repeats until the window before it: those syncs
    // are skipped, their events counted as the recorder would (skip.ts, events.ts)
    const behind = steady ? periodsBehind(c, SYNC_MS) : 0;
    if (behind > 0) {
      const turn = observationsAfter(c, stored.metadata.uid, started - 1);
      if (turn?.length) replayTurns(c, turn, behind, SYNC_MS);
    }
    c.schedule(SYNC_MS * (1 + behind), TIMER, `${ns}/${name}`, next);
  }
}

/**
 * One reconcileAutoscaler. Returns what it concluded (replicas, conditions) when
 * nothing can change by time alone (no rescale, every pod running past its CPU initialization
 * period), else undefined.
 */
function sync(c: Cluster, ns: string, stored: KObj, recs: [number, number][]): string | undefined {
  const def = hpaDef();
  const hpa = structuredClone(stored);
  hpa.status ??= {};
  const now = c.isoNow();
  const ref = hpa.spec.scaleTargetRef ?? {};
  const targetDef = resourceForKind(String(ref.apiVersion ?? ''), String(ref.kind ?? ''));
  const target = targetDef && ['Deployment', 'ReplicaSet', 'StatefulSet'].includes(targetDef.kind) ? c.api.peek(targetDef, ns, ref.name) : undefined;
  if (!target) {
    const [group] = String(ref.apiVersion ?? '').split('/');
    // the scale subresource's NotFound names the target's resource (`deployments.apps "web" not found`)
    const msg = targetDef ? `${targetDef.plural}${targetDef.group ? `.${targetDef.group}` : ''} "${ref.name}" not found` : `no matches for kind "${ref.kind}" in group "${String(ref.apiVersion ?? '').includes('/') ? group : ''}"`;
    recordEvent(c, hpa, 'Warning', 'FailedGetScale', msg, SOURCE);
    setConditions(hpa, [{ type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message: `the HPA controller was unable to get the target's current scale: ${msg}` }], now);
    c.api.write(def, hpa);
    return `scale:${msg}`;
  }
  const current = Number(target.spec?.replicas ?? 1);
  // a new HPA's recommendations start with the target's current count (so it does not scale down at once)
  if (!recs.length) recs.push([c.now(), current]);
  const min = Number(hpa.spec.minReplicas ?? 1);
  const max = Number(hpa.spec.maxReplicas ?? 1);
  const conds: Condition[] = [{ type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: "the HPA controller was able to get the target's current scale" }];
  let desired = current;
  let rescaleReason = '';
  // metrics are computed only when the replica count is within [min, max] (metricStatuses stays nil)
  let statuses: KObj[] | undefined;
  let settled = true;
  if (current === 0 && min !== 0) {
    desired = 0;
    conds.push({ type: 'ScalingActive', status: 'False', reason: 'ScalingDisabled', message: 'scaling is disabled since the replica count of the target is zero' });
  } else if (current > max) {
    [desired, rescaleReason] = [max, 'Current number of replicas above Spec.MaxReplicas'];
  } else if (current < min) {
    [desired, rescaleReason] = [min, 'Current number of replicas below Spec.MinReplicas'];
  } else {
    const selector = selectorFromLabelSelector(target.spec?.selector);
    const pods = c.api.list(resourceForKind('v1', 'Pod')!, ns).filter((p) => selector.matches(p.metadata.labels));
    settled = pods.every((p) => p.status?.phase === 'Running' && Date.parse(p.status?.startTime ?? '') + 5 * 60_000 <= c.now());
    const r = computeReplicas(c, hpa, current, pods);
    statuses = r.statuses;
    if (r.error) {
      recordEvent(c, hpa, 'Warning', 'FailedComputeMetricsReplicas', r.error, SOURCE);
      setConditions(hpa, [...conds, { type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric', message: `the HPA was unable to compute the replica count: ${r.metric}` }], now);
      Object.assign(hpa.status, { currentReplicas: current, desiredReplicas: hpa.status.desiredReplicas ?? 0, currentMetrics: statuses });
      c.api.write(def, hpa);
      return settled ? `error:${current}:${r.error}` : undefined;
    }
    conds.push({ type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: `the HPA was able to successfully calculate a replica count from ${r.metric}` });
    const norm = hpa.spec.behavior ? normalizeWithBehaviors(c, hpa, current, r.replicas, min, max, recs) : normalize(c, current, r.replicas, min, max, recs);
    conds[0] = norm.able;
    conds.push(norm.limited);
    desired = norm.desired;
    if (desired > current) rescaleReason = `${r.reason} above target`;
    if (desired < current) rescaleReason = 'All metrics below target';
  }
  if (desired !== current) {
    const scaled = structuredClone(target);
    scaled.spec.replicas = desired;
    c.api.update(targetDef!, scaled);
    conds[0] = { type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', message: `the HPA controller was able to update the target scale to ${desired}` };
    recordEvent(c, hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${rescaleReason}`, SOURCE);
    hpa.status.lastScaleTime = now;
  }
  Object.assign(hpa.status, { currentReplicas: current, desiredReplicas: desired, currentMetrics: statuses ?? null });
  setConditions(hpa, conds, now);
  c.api.write(def, hpa);
  if (desired !== current || !settled) return undefined;
  // the usage itself wavers from scrape to scrape; what it leads to is what must repeat
  return JSON.stringify([current, conds.map((x) => [x.reason, x.message])]);
}

export const hpaController: Controller = {
  name: 'horizontal-pod-autoscaler',
  onChange(c, ev) {
    if (ev.def.kind !== 'HorizontalPodAutoscaler') return;
    // a new HPA is synced at once; after that every 15 s
    if (ev.type === 'ADDED') c.schedule(0, TIMER, `${ev.obj.metadata.namespace}/${ev.obj.metadata.name}`, { uid: ev.obj.metadata.uid, recs: [] });
  },
  timers: {
    [TIMER]: (c, t) => {
      const [ns, name] = t.key.split('/');
      // a timer of an HPA deleted and created again under the name belongs to the old one
      const hpa = c.api.peek(hpaDef(), ns, name);
      if (!hpa || hpa.metadata.uid !== t.data?.uid) return;
      reconcile(c, ns, name, (t.data?.recs as [number, number][]) ?? [], t.data?.sig as string | undefined);
    },
  },
};
