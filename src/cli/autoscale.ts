// kubectl autoscale (kubectl/pkg/cmd/autoscale, 1.32): an autoscaling/v1 HorizontalPodAutoscaler for
// each Deployment, ReplicaSet or StatefulSet named (TYPE NAME, TYPE/NAME or -f), named after it or
// --name, `--max` required, `--min` and `--cpu-percent` only when given (the server defaults 1 and 80%),
// `<hpa> autoscaled`; the API server keeps it as autoscaling/v2 (api/defaults/hpa.ts).
import { CliError, StatusError } from '../api/errors.js';
import { resourceForKind } from '../api/registry.js';
import { apiVersionOf, type KObj } from '../api/types.js';
import { v1SpecToV2 } from '../api/defaults/hpa.js';
import { NO_RESOURCES } from './common.js';
import { manifestArgs } from './files.js';
import { bool, int, parseFlags, str, type FlagSpec } from './flags.js';
import type { IO } from './io.js';
import { DRY_RUN_FLAG, dryRunMode, outputFormat, OUTPUT_FLAGS, printResult, printStructured } from './output.js';
import { withCluster } from './session.js';
import { FILE_FLAGS, requiredFlagMissing, resolveTargets } from './workload-common.js';

const FLAGS: FlagSpec[] = [
  ...OUTPUT_FLAGS,
  ...FILE_FLAGS,
  DRY_RUN_FLAG,
  { name: 'cpu-percent', type: 'int', default: -1 },
  { name: 'field-manager', type: 'string', default: 'kubectl-autoscale' },
  { name: 'max', type: 'int', default: -1 },
  { name: 'min', type: 'int', default: -1 },
  { name: 'name', type: 'string', default: '' },
  { name: 'save-config', type: 'bool', default: false },
];

/** Kinds with a scale subresource in discovery (apps/v1; no ReplicationController is served here). */
const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'StatefulSet']);

/** The autoscaling/v1 object as kubectl builds it (createHorizontalPodAutoscaler). */
function buildV1(name: string, target: KObj, p: ReturnType<typeof parseFlags>): KObj {
  const spec: KObj = { scaleTargetRef: { kind: target.kind, name: target.metadata.name, apiVersion: target.apiVersion }, ...(int(p, 'min') > 0 ? { minReplicas: int(p, 'min') } : {}), maxReplicas: int(p, 'max') };
  if (int(p, 'cpu-percent') >= 0) spec.targetCPUUtilizationPercentage = int(p, 'cpu-percent');
  return { kind: 'HorizontalPodAutoscaler', apiVersion: 'autoscaling/v1', metadata: { name, creationTimestamp: null }, spec, status: { currentReplicas: 0, desiredReplicas: 0 } };
}

/** A stored (v2) HPA as the autoscaling/v1 endpoint returns it: the CPU target as a percentage. */
function asV1(hpa: KObj): KObj {
  const { metrics, behavior: _b, ...spec } = hpa.spec ?? {};
  const cpu = ((metrics ?? []) as KObj[]).find((m) => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.type === 'Utilization');
  const out: KObj = { ...spec };
  if (cpu) out.targetCPUUtilizationPercentage = cpu.resource.target.averageUtilization;
  const st = hpa.status ?? {};
  return {
    kind: 'HorizontalPodAutoscaler',
    apiVersion: 'autoscaling/v1',
    metadata: hpa.metadata,
    spec: { scaleTargetRef: out.scaleTargetRef, minReplicas: out.minReplicas, maxReplicas: out.maxReplicas, ...(cpu ? { targetCPUUtilizationPercentage: out.targetCPUUtilizationPercentage } : {}) },
    status: { currentReplicas: st.currentReplicas ?? 0, desiredReplicas: st.desiredReplicas ?? 0 },
  };
}

export default async function autoscale(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'autoscale');
  if (!p.changed.has('max')) return requiredFlagMissing(io, 'max');
  const dryRun = dryRunMode(p, io);
  outputFormat(p, ['json', 'yaml', 'name', 'jsonpath', 'jsonpath-file', 'jsonpath-as-json']);
  const max = int(p, 'max');
  const min = int(p, 'min');
  if (max < 1) throw new CliError(`--max=MAXPODS is required and must be at least 1, max: ${max}`);
  if (max < min) throw new CliError(`--max=MAXPODS must be larger or equal to --min=MINPODS, max: ${max}, min: ${min}`);
  if (!p.args.length && !manifestArgs(p).length) throw new CliError(NO_RESOURCES);
  const hpaDef = resourceForKind('autoscaling/v2', 'HorizontalPodAutoscaler')!;
  return withCluster(io, p, dryRun === 'none' ? 'write' : 'read', async (s) => {
    const { items, errors } = await resolveTargets(io, p, s, p.args, { verb: 'autoscale' });
    if (errors.length) throw errors[0];
    let count = 0;
    for (const f of items) {
      if (!SCALABLE.has(f.def.kind)) {
        const gvr = `${f.def.group}/${f.def.version}, Resource=${f.def.plural}`;
        throw new CliError(`cannot autoscale a ${f.def.kind}: could not find scale subresource for ${gvr} in discovery information`);
      }
      const target = { ...f.obj, apiVersion: apiVersionOf(f.def), kind: f.def.kind };
      const v1 = buildV1(str(p, 'name') || f.obj.metadata.name, target, p);
      count++;
      if (dryRun === 'client') {
        if (str(p, 'output') && str(p, 'output') !== 'name') await printStructured(io, p, [{ def: hpaDef, obj: v1 }], true, { typed: true });
        else await printResult(io, p, { def: hpaDef, obj: v1 }, 'created', dryRun);
        continue;
      }
      const obj: KObj = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: v1.metadata.name, namespace: s.namespace }, spec: v1SpecToV2(v1.spec) };
      if (bool(p, 'save-config')) {
        // the annotation holds the v1 object kubectl sends (CreateOrUpdateAnnotation)
        const { LAST_APPLIED, lastAppliedValue } = await import('./apply-annotation.js');
        const { status: _s, ...sent } = v1;
        obj.metadata.annotations = { [LAST_APPLIED]: lastAppliedValue({ ...sent, metadata: { name: v1.metadata.name, creationTimestamp: null } }) };
      }
      let created: KObj;
      try {
        created = s.cluster.api.create(hpaDef, obj, { dryRun: dryRun === 'server' });
      } catch (e) {
        if (e instanceof StatusError && e.reason === 'AlreadyExists') throw new StatusError('AlreadyExists', `horizontalpodautoscalers.autoscaling "${obj.metadata.name}" already exists`);
        throw e;
      }
      const shown = asV1(created);
      if (str(p, 'output') && str(p, 'output') !== 'name') await printStructured(io, p, [{ def: hpaDef, obj: shown }], true, { typed: true });
      else await printResult(io, p, { def: hpaDef, obj: shown }, 'autoscaled', dryRun);
    }
    if (count === 0) throw new CliError('no objects passed to autoscale');
    return 0;
  });
}
