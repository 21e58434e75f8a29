// kubectl create job NAME --image=IMAGE [-- COMMAND…] | create job NAME --from=cronjob/NAME
// (kubectl/pkg/cmd/create/create_job.go: a Never-restarting pod template with one container named
// after the job; --from copies the CronJob's jobTemplate with cronjob.kubernetes.io/instantiate=manual).
import { CliError, StatusError } from '../api/errors.js';
import { findResource, resourceForKind } from '../api/registry.js';
import type { KObj, ResourceDef } from '../api/types.js';
import { bool, parseFlags, str, type FlagSpec } from './flags.js';
import type { IO } from './io.js';
import { VALIDATE_FLAG } from './objects.js';
import { checkMutatingOutput, DRY_RUN_FLAG, dryRunMode, OUTPUT_FLAGS } from './output.js';
import { createBuilt, oneName, printCreated } from './create-built.js';
import { withCluster, type Session } from './session.js';

const FLAGS: FlagSpec[] = [
  ...OUTPUT_FLAGS,
  DRY_RUN_FLAG,
  VALIDATE_FLAG,
  { name: 'save-config', type: 'bool', default: false },
  { name: 'field-manager', type: 'string', default: 'kubectl-create' },
  { name: 'image', type: 'string', default: '' },
  { name: 'from', type: 'string', default: '' },
];

const JOB_DEF = resourceForKind('batch/v1', 'Job') as ResourceDef;

/** The Job kubectl builds from --image, in its typed field order. */
export function buildJob(name: string, image: string, command: string[], namespace?: string): KObj {
  const container: KObj = { name, image };
  if (command.length) container.command = [...command];
  container.resources = {};
  const metadata: KObj = { name };
  if (namespace) metadata.namespace = namespace;
  metadata.creationTimestamp = null;
  return {
    kind: 'Job',
    apiVersion: 'batch/v1',
    metadata,
    spec: { template: { metadata: { creationTimestamp: null }, spec: { containers: [container], restartPolicy: 'Never' } } },
    status: {},
  };
}

// Go struct field orders, so a stored jobTemplate prints (-o json) as kubectl's typed Job does
const ORDER: Record<string, string[]> = {
  jobSpec: ['parallelism', 'completions', 'activeDeadlineSeconds', 'podFailurePolicy', 'successPolicy', 'backoffLimit', 'backoffLimitPerIndex', 'maxFailedIndexes', 'selector', 'manualSelector', 'template', 'ttlSecondsAfterFinished', 'completionMode', 'suspend', 'podReplacementPolicy', 'managedBy'],
  meta: ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'],
  podSpec: ['volumes', 'initContainers', 'containers', 'ephemeralContainers', 'restartPolicy', 'terminationGracePeriodSeconds', 'activeDeadlineSeconds', 'dnsPolicy', 'nodeSelector', 'serviceAccountName', 'serviceAccount', 'automountServiceAccountToken', 'nodeName', 'hostNetwork', 'hostPID', 'hostIPC', 'shareProcessNamespace', 'securityContext', 'imagePullSecrets', 'hostname', 'subdomain', 'affinity', 'schedulerName', 'tolerations', 'hostAliases', 'priorityClassName', 'priority', 'dnsConfig', 'readinessGates', 'runtimeClassName', 'enableServiceLinks', 'preemptionPolicy', 'overhead', 'topologySpreadConstraints', 'setHostnameAsFQDN', 'os', 'hostUsers', 'schedulingGates', 'resourceClaims', 'resources'],
  container: ['name', 'image', 'command', 'args', 'workingDir', 'ports', 'envFrom', 'env', 'resources', 'resizePolicy', 'restartPolicy', 'volumeMounts', 'volumeDevices', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'terminationMessagePath', 'terminationMessagePolicy', 'imagePullPolicy', 'securityContext', 'stdin', 'stdinOnce', 'tty'],
};

function ordered(o: KObj | undefined, keys: string[]): KObj | undefined {
  if (!o || typeof o !== 'object') return o;
  const out: KObj = {};
  for (const k of keys) if (k in o) out[k] = o[k];
  for (const k of Object.keys(o)) if (!(k in out)) out[k] = o[k];
  return out;
}

function typedJobSpec(spec: KObj): KObj {
  const out = ordered(spec, ORDER.jobSpec)!;
  if (out.template) {
    const tpl = ordered(out.template, ['metadata', 'spec'])!;
    tpl.metadata = ordered(tpl.metadata, ORDER.meta);
    const ps = ordered(tpl.spec, ORDER.podSpec);
    if (ps) for (const k of ['initContainers', 'containers']) if (Array.isArray(ps[k])) ps[k] = ps[k].map((c: KObj) => ordered(c, ORDER.container));
    tpl.spec = ps;
    out.template = tpl;
  }
  return out;
}

/** createJobFromCronJob: the jobTemplate's spec, labels and annotations, a controller reference without blockOwnerDeletion. */
export function jobFromCronJob(name: string, cj: KObj, namespace?: string): KObj {
  const jt = cj.spec?.jobTemplate ?? {};
  const metadata: KObj = { name };
  if (namespace) metadata.namespace = namespace;
  metadata.creationTimestamp = null;
  if (jt.metadata?.labels) metadata.labels = { ...jt.metadata.labels };
  metadata.annotations = { 'cronjob.kubernetes.io/instantiate': 'manual', ...(jt.metadata?.annotations ?? {}) };
  metadata.ownerReferences = [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name, uid: cj.metadata.uid, controller: true }];
  return { kind: 'Job', apiVersion: 'batch/v1', metadata, spec: typedJobSpec(structuredClone(jt.spec ?? {})), status: {} };
}

function lookupCronJob(s: Session, from: string): KObj {
  const slash = from.indexOf('/');
  if (slash < 0) throw new CliError('from must be an existing cronjob');
  const type = from.slice(0, slash);
  const name = from.slice(slash + 1);
  const def = findResource(type);
  if (!def) throw new CliError(`the server doesn't have a resource type "${type}"`);
  const obj = s.cluster.api.peek(def, def.namespaced ? s.namespace : undefined, name);
  if (!obj) throw new StatusError('NotFound', `${def.group ? `${def.plural}.${def.group}` : def.plural} "${name}" not found`);
  if (def.kind !== 'CronJob') {
    const goType: Record<string, string> = { Pod: '*v1.Pod', Deployment: '*v1.Deployment', Job: '*v1.Job', ReplicaSet: '*v1.ReplicaSet', Service: '*v1.Service' };
    throw new CliError(`unknown object type ${goType[def.kind] ?? `*v1.${def.kind}`}`);
  }
  return obj;
}


export default async function createJob(word: string, argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, `create ${word}`);
  const name = oneName(p, word, p.dashAt >= 0 ? p.dashAt : p.args.length);
  const command = p.args.slice(1);
  const image = str(p, 'image');
  const from = str(p, 'from');
  if ((!image && !from) || (image && from)) throw new CliError('either --image or --from must be specified');
  if (command.length && from) throw new CliError('cannot specify --from and command');
  checkMutatingOutput(p);
  const dryRun = dryRunMode(p, io);
  const explicitNs = str(p, 'namespace') || undefined;
  if (dryRun === 'client' && !from) {
    await printCreated(io, p, JOB_DEF, buildJob(name, image, command, explicitNs), dryRun);
    return 0;
  }
  return withCluster(io, p, dryRun === 'client' ? 'read' : 'write', async (s) => {
    const obj = from ? jobFromCronJob(name, lookupCronJob(s, from), explicitNs) : buildJob(name, image, command, s.namespace);
    if (dryRun === 'client') {
      await printCreated(io, p, JOB_DEF, obj, dryRun);
      return 0;
    }
    obj.metadata.namespace = s.namespace;
    const created = await createBuilt(s, JOB_DEF, obj, { what: 'job', saveConfig: bool(p, 'save-config'), serverDryRun: dryRun === 'server' });
    await printCreated(io, p, JOB_DEF, created, dryRun);
    return 0;
  });
}
