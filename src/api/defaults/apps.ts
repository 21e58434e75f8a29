// apps/v1 Deployment and ReplicaSet on the API server: SetDefaults_Deployment / SetDefaults_ReplicaSet,
// the pod template's defaults (SetDefaults_PodSpec, SetDefaults_Container and the nested ones; the
// pod-only parts — admission's service account volume and tolerations, priority, enableServiceLinks,
// requests copied from limits — are not a template's), and the strategies that validate them.
import type { KObj } from '../types.js';
import type { Strategy } from '../strategy.js';
import { validateDeployment, validateDeploymentUpdate, validateReplicaSet, validateReplicaSetUpdate } from '../validation/apps.js';
import { defaultProbe, defaultPullPolicy, defaultVolume } from './pod.js';

function defaultTemplateContainer(c: KObj, hostNetwork: boolean): void {
  if (!c || typeof c !== 'object') return;
  c.imagePullPolicy ??= defaultPullPolicy(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  for (const p of c.ports ?? []) {
    if (!p || typeof p !== 'object') continue;
    p.protocol ??= 'TCP';
    if (hostNetwork && p.hostPort === undefined && p.containerPort !== undefined) p.hostPort = p.containerPort;
  }
  for (const e of c.env ?? []) if (e?.valueFrom?.fieldRef) e.valueFrom.fieldRef.apiVersion ??= 'v1';
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

/** A workload's pod template as the server stores it (metadata.creationTimestamp: null included, as a 1.32 server returns it). */
export function defaultPodTemplateSpec(tpl: KObj): void {
  const meta = (tpl.metadata ??= {});
  if (!('creationTimestamp' in meta)) meta.creationTimestamp = null;
  const spec = (tpl.spec ??= {});
  spec.dnsPolicy ||= 'ClusterFirst';
  spec.restartPolicy ||= 'Always';
  spec.schedulerName ||= 'default-scheduler';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  // the v1 conversion keeps the deprecated serviceAccount in step with serviceAccountName
  const sa = spec.serviceAccountName || spec.serviceAccount;
  if (sa) {
    spec.serviceAccountName = sa;
    spec.serviceAccount = sa;
  }
  for (const v of spec.volumes ?? []) if (v && typeof v === 'object') defaultVolume(v);
  const hostNetwork = spec.hostNetwork === true;
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) defaultTemplateContainer(c, hostNetwork);
}

const unset = (v: unknown): boolean => v === undefined || v === null;

/** SetDefaults_Deployment (apps/v1). */
export function defaultDeployment(d: KObj): void {
  const spec = (d.spec ??= {});
  if (unset(spec.replicas)) spec.replicas = 1;
  const strategy = (spec.strategy ??= {});
  if (!strategy.type) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    if (unset(ru.maxUnavailable)) ru.maxUnavailable = '25%';
    if (unset(ru.maxSurge)) ru.maxSurge = '25%';
  }
  if (unset(spec.revisionHistoryLimit)) spec.revisionHistoryLimit = 10;
  if (unset(spec.progressDeadlineSeconds)) spec.progressDeadlineSeconds = 600;
  defaultPodTemplateSpec((spec.template ??= {}));
}

/** SetDefaults_ReplicaSet (apps/v1). */
export function defaultReplicaSet(rs: KObj): void {
  const spec = (rs.spec ??= {});
  if (unset(spec.replicas)) spec.replicas = 1;
  defaultPodTemplateSpec((spec.template ??= {}));
}

export const deploymentStrategy: Strategy = {
  generation: true,
  prepareForCreate(d) {
    defaultDeployment(d);
    d.status = {};
  },
  prepareForUpdate(d) {
    defaultDeployment(d);
  },
  validate: validateDeployment,
  validateUpdate: validateDeploymentUpdate,
};

export const replicaSetStrategy: Strategy = {
  generation: true,
  prepareForCreate(rs) {
    defaultReplicaSet(rs);
    rs.status = { replicas: 0 };
  },
  prepareForUpdate(rs) {
    defaultReplicaSet(rs);
  },
  validate: validateReplicaSet,
  validateUpdate: validateReplicaSetUpdate,
};
