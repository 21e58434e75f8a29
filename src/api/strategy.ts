// Per-kind behaviour of the API server: defaults on create, validation, update rules, deletion grace.
import type { Cause } from './errors.js';
import type { KObj } from './types.js';
import { defaultPod, podQosClass } from './defaults/pod.js';
import { prepareServiceCreate, prepareServiceUpdate } from './defaults/service-alloc.js';
import { daemonSetStrategy } from './defaults/daemonset.js';
import { limitRangeStrategy, resourceQuotaStrategy } from './defaults/policy.js';
import { deploymentStrategy, replicaSetStrategy } from './defaults/apps.js';
import { cronJobStrategy, jobStrategy } from './defaults/batch.js';
import { hpaStrategy } from './defaults/hpa.js';
import { validateCreate, validateUpdate } from './validation/index.js';
import { controllerRevisionStrategy, persistentVolumeClaimStrategy, persistentVolumeStrategy, statefulSetStrategy, storageClassStrategy } from './defaults/storage-strategies.js';

export interface StrategyHost {
  isoNow(): string;
  randomSuffix(n: number): string;
  randomInt(n: number): number;
  /** all stored objects of a resource (`services`) */
  listAll(resource: string): KObj[];
}

export interface Strategy {
  /** metadata.generation is kept and bumped on spec changes */
  generation?: boolean;
  prepareForCreate?(obj: KObj, host: StrategyHost): void;
  prepareForUpdate?(obj: KObj, old: KObj, host: StrategyHost): void;
  validate?(obj: KObj): Cause[];
  validateUpdate?(obj: KObj, old: KObj): Cause[];
  /** status is server-owned: an update keeps the stored one (default true) */
  keepStatusOnUpdate?: boolean;
  /** metadata.uid is assigned before prepareForCreate (a Job's generated selector names it) */
  uidFirst?: boolean;
  /** grace period in seconds for a deletion, undefined = removed at once */
  gracePeriod?(obj: KObj, requested: number | undefined): number | undefined;
}

/** Secrets store stringData base64-encoded under data. */
function foldStringData(s: KObj): void {
  if (!s.stringData) return;
  s.data = { ...(s.data ?? {}) };
  for (const [k, v] of Object.entries(s.stringData)) s.data[k] = Buffer.from(String(v)).toString('base64');
  delete s.stringData;
}

function generic(kind: string, extra: Strategy = {}): Strategy {
  return {
    validate: (o) => validateCreate(kind, o),
    validateUpdate: (o, old) => validateUpdate(kind, o, old),
    ...extra,
  };
}

const STRATEGIES: Record<string, Strategy> = {
  Pod: generic('Pod', {
    prepareForCreate(pod, host) {
      defaultPod(pod, host.randomSuffix(5));
      pod.status = { phase: 'Pending', qosClass: podQosClass(pod) };
      // applySchedulingGatedCondition: the API server marks a gated pod, which the scheduler leaves alone
      if (pod.spec?.schedulingGates?.length) {
        pod.status.conditions = [{ lastProbeTime: null, lastTransitionTime: host.isoNow(), message: 'Scheduling is blocked due to non-empty scheduling gates', reason: 'SchedulingGated', status: 'False', type: 'PodScheduled' }];
      }
    },
    gracePeriod(pod, requested) {
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return 0;
      if (!pod.spec?.nodeName) return 0;
      return requested ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    },
  }),
  Namespace: generic('Namespace', {
    prepareForCreate(ns) {
      ns.metadata.labels = { ...(ns.metadata.labels ?? {}), 'kubernetes.io/metadata.name': ns.metadata.name };
      ns.spec = { finalizers: ['kubernetes'], ...(ns.spec ?? {}) };
      ns.status = { phase: 'Active' };
    },
    gracePeriod: () => 1,
    prepareForUpdate(ns) {
      ns.metadata.labels = { ...(ns.metadata.labels ?? {}), 'kubernetes.io/metadata.name': ns.metadata.name };
    },
  }),
  Service: generic('Service', {
    prepareForCreate: (svc, host) => prepareServiceCreate(svc, host),
    prepareForUpdate: (svc, old, host) => prepareServiceUpdate(svc, old, host),
  }),
  Secret: generic('Secret', {
    // the server defaults an empty type on every write, before validating it against the stored one
    prepareForCreate(s) {
      s.type ||= 'Opaque';
      foldStringData(s);
    },
    prepareForUpdate(s) {
      s.type ||= 'Opaque';
      foldStringData(s);
    },
    keepStatusOnUpdate: false,
  }),
  ConfigMap: generic('ConfigMap', { keepStatusOnUpdate: false }),
  Event: { keepStatusOnUpdate: false },
  StatefulSet: statefulSetStrategy,
  ControllerRevision: controllerRevisionStrategy,
  PersistentVolumeClaim: persistentVolumeClaimStrategy,
  PersistentVolume: persistentVolumeStrategy,
  StorageClass: storageClassStrategy,
  DaemonSet: daemonSetStrategy,
  LimitRange: limitRangeStrategy,
  ResourceQuota: resourceQuotaStrategy,
  Deployment: deploymentStrategy,
  ReplicaSet: replicaSetStrategy,
  Job: jobStrategy,
  CronJob: cronJobStrategy,
  HorizontalPodAutoscaler: hpaStrategy,
};

export function strategyFor(kind: string): Strategy {
  return (STRATEGIES[kind] ??= generic(kind));
}

export function registerStrategy(kind: string, s: Strategy): void {
  STRATEGIES[kind] = s;
}
