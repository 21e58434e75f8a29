// HorizontalPodAutoscaler (autoscaling/v2) as the API server stores it: SetDefaults_HorizontalPodAutoscaler
// (minReplicas 1; no metrics: 80% average CPU utilization, autoscaling.DefaultCPUUtilization; a
// behavior is defaulted only when one is given) and the v1 form kubectl autoscale sends
// (targetCPUUtilizationPercentage) converted to its v2 metric.
import type { Cause } from '../errors.js';
import type { KObj } from '../types.js';
import type { Strategy } from '../strategy.js';

export const DEFAULT_CPU_UTILIZATION = 80;

/** A v1 spec (targetCPUUtilizationPercentage) as the v2 metrics list the server converts it to. */
export function v1SpecToV2(spec: KObj): KObj {
  const { targetCPUUtilizationPercentage: cpu, ...rest } = spec;
  if (cpu === undefined || cpu === null) return rest;
  return { ...rest, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } }] };
}

function defaultRules(rules: KObj | undefined, up: boolean): KObj {
  const r: KObj = { ...(rules ?? {}) };
  r.stabilizationWindowSeconds ??= up ? 0 : 300;
  r.selectPolicy ??= 'Max';
  r.policies ??= up
    ? [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ]
    : [{ type: 'Percent', value: 100, periodSeconds: 15 }];
  return r;
}

export function defaultHpa(hpa: KObj): void {
  const spec = (hpa.spec ??= {});
  if (spec.minReplicas === undefined || spec.minReplicas === null) spec.minReplicas = 1;
  if (!spec.metrics?.length) spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  if (spec.behavior) spec.behavior = { scaleUp: defaultRules(spec.behavior.scaleUp, true), scaleDown: defaultRules(spec.behavior.scaleDown, false) };
}

/** validateHorizontalPodAutoscalerSpec (minReplicas' lower bound 1 without the HPAScaleToZero gate). */
function validateHpa(hpa: KObj): Cause[] {
  const spec = hpa.spec ?? {};
  const causes: Cause[] = [];
  const max = Number(spec.maxReplicas ?? 0);
  const min = spec.minReplicas === undefined || spec.minReplicas === null ? undefined : Number(spec.minReplicas);
  if (min !== undefined && min < 1) causes.push({ field: 'spec.minReplicas', message: `Invalid value: ${min}: must be greater than or equal to 1` });
  if (max < 1) causes.push({ field: 'spec.maxReplicas', message: `Invalid value: ${max}: must be greater than 0` });
  if (min !== undefined && max < min) causes.push({ field: 'spec.maxReplicas', message: `Invalid value: ${max}: must be greater than or equal to \`minReplicas\`` });
  if (!spec.scaleTargetRef?.kind) causes.push({ field: 'spec.scaleTargetRef.kind', message: 'Required value' });
  if (!spec.scaleTargetRef?.name) causes.push({ field: 'spec.scaleTargetRef.name', message: 'Required value' });
  return causes;
}

export const hpaStrategy: Strategy = {
  generation: true,
  prepareForCreate(hpa) {
    defaultHpa(hpa);
    hpa.status = { currentMetrics: null, desiredReplicas: 0 };
  },
  prepareForUpdate(hpa) {
    defaultHpa(hpa);
  },
  validate: validateHpa,
};

/**
 * A manifest in a version the API server serves besides the stored one, as the server converts it:
 * an autoscaling/v1 HorizontalPodAutoscaler (targetCPUUtilizationPercentage) becomes autoscaling/v2.
 * Other objects are returned as they are.
 */
export function toStoredVersion(obj: KObj): KObj {
  if (obj?.apiVersion !== 'autoscaling/v1' || obj?.kind !== 'HorizontalPodAutoscaler') return obj;
  const { status: _status, ...rest } = obj;
  return { ...rest, apiVersion: 'autoscaling/v2', spec: v1SpecToV2(obj.spec ?? {}) };
}
