// The resource registry: every kind kubesim serves, with the names kubectl resolves.
import { CliError } from './errors.js';
import type { ResourceDef } from './types.js';

const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function core(kind: string, plural: string, shortNames: string[], namespaced: boolean, extra: Partial<ResourceDef> = {}): ResourceDef {
  return { kind, plural, singular: kind.toLowerCase(), shortNames, group: '', version: 'v1', namespaced, verbs: CRUD, ...extra };
}

function grouped(group: string, kind: string, plural: string, shortNames: string[], namespaced: boolean, categories?: string[]): ResourceDef {
  return { kind, plural, singular: kind.toLowerCase(), shortNames, group, version: 'v1', namespaced, verbs: CRUD, ...(categories ? { categories } : {}) };
}

const DEFS: ResourceDef[] = [
  core('ConfigMap', 'configmaps', ['cm'], true),
  core('Event', 'events', ['ev'], true),
  core('Namespace', 'namespaces', ['ns'], false, { verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] }),
  core('Node', 'nodes', ['no'], false),
  core('Pod', 'pods', ['po'], true, { categories: ['all'] }),
  core('Secret', 'secrets', [], true),
  core('ServiceAccount', 'serviceaccounts', ['sa'], true),
  core('Service', 'services', ['svc'], true, { categories: ['all'] }),
  core('Endpoints', 'endpoints', ['ep'], true),
  core('LimitRange', 'limitranges', ['limits'], true),
  core('PersistentVolumeClaim', 'persistentvolumeclaims', ['pvc'], true),
  core('PersistentVolume', 'persistentvolumes', ['pv'], false),
  core('ResourceQuota', 'resourcequotas', ['quota'], true),
  grouped('apps', 'ControllerRevision', 'controllerrevisions', [], true),
  grouped('apps', 'DaemonSet', 'daemonsets', ['ds'], true, ['all']),
  grouped('apps', 'Deployment', 'deployments', ['deploy'], true, ['all']),
  grouped('apps', 'ReplicaSet', 'replicasets', ['rs'], true, ['all']),
  grouped('apps', 'StatefulSet', 'statefulsets', ['sts'], true, ['all']),
  grouped('batch', 'CronJob', 'cronjobs', ['cj'], true, ['all']),
  grouped('batch', 'Job', 'jobs', [], true, ['all']),
  grouped('discovery.k8s.io', 'EndpointSlice', 'endpointslices', [], true),
  { ...grouped('autoscaling', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', ['hpa'], true, ['all']), version: 'v2' },
  grouped('storage.k8s.io', 'StorageClass', 'storageclasses', ['sc'], false),
];

export function allResources(): readonly ResourceDef[] {
  return DEFS;
}

/** Registers a kind (later layers add workloads through this). */
export function registerResource(def: ResourceDef): void {
  if (!DEFS.some((d) => d.kind === def.kind && d.group === def.group)) DEFS.push(def);
}

/** Storage key of a resource: `pods`, `deployments.apps`. */
export function resourceKey(def: ResourceDef): string {
  return def.group ? `${def.plural}.${def.group}` : def.plural;
}

/** Resolves what a user typed (`po`, `pods`, `pod`, `Pod`, `deployments.apps`, `deploy`) or undefined. */
export function findResource(token: string): ResourceDef | undefined {
  const t = token.toLowerCase();
  const dot = t.indexOf('.');
  const name = dot >= 0 ? t.slice(0, dot) : t;
  const rest = dot >= 0 ? t.slice(dot + 1) : undefined;
  for (const d of DEFS) {
    if (rest !== undefined) {
      // `deployments.apps`, `deployments.v1.apps`, `pods.v1.`… — group must match
      const group = rest.includes('.') && rest.split('.')[0] === d.version ? rest.slice(d.version.length + 1) : rest;
      if (group !== d.group && !(group === '' && d.group === '')) continue;
    }
    if (d.plural === name || d.singular === name || d.shortNames.includes(name) || d.kind.toLowerCase() === name) return d;
  }
  return undefined;
}

/** Like findResource but fails with kubectl's message. */
export function resolveResource(token: string): ResourceDef {
  const d = findResource(token);
  // kubectl names only the resource part of what was typed (`deployment` for `deployment.batch`)
  if (!d) throw new CliError(`the server doesn't have a resource type "${token.split('.')[0]}"`);
  return d;
}

/** The def serving an object's apiVersion/kind, or undefined when no such kind exists. */
export function resourceForKind(apiVersion: string, kind: string): ResourceDef | undefined {
  const slash = apiVersion.lastIndexOf('/');
  const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
  const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
  return DEFS.find((d) => d.kind === kind && d.group === group && d.version === version);
}
