// kustomize's built-in transformers over a list of resources: namespace, name prefix/suffix,
// labels (with the selector and template fields its default field specs name), annotations,
// images, replicas, and the name references a renamed ConfigMap, Secret, ServiceAccount,
// PersistentVolumeClaim or Service leaves behind in the objects that use it.
import type { KObj } from '../../api/types.js';
import { resourceForKind } from '../../api/registry.js';

export interface Res {
  obj: KObj;
  /** the name before any prefix, suffix or hash (what patches and references use) */
  origName: string;
  origNamespace?: string;
  /** a generated ConfigMap/Secret that gets the content hash */
  hash?: boolean;
}

/** kustomize's ResId text: `ConfigMap.v1.[noGrp]/x.[noNs]`. */
export function resId(obj: KObj): string {
  const av = String(obj.apiVersion ?? '');
  const slash = av.indexOf('/');
  const group = slash >= 0 ? av.slice(0, slash) : '[noGrp]';
  const version = slash >= 0 ? av.slice(slash + 1) : av;
  return `${obj.kind}.${version}.${group}/${obj.metadata?.name}.${obj.metadata?.namespace ?? '[noNs]'}`;
}

const WORKLOADS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController']);

/** Pod specs inside an object (Pod, workload templates, CronJob's job template). */
export function podSpecs(obj: KObj): KObj[] {
  if (obj.kind === 'Pod') return obj.spec ? [obj.spec] : [];
  if (WORKLOADS.has(obj.kind)) return obj.spec?.template?.spec ? [obj.spec.template.spec] : [];
  if (obj.kind === 'CronJob') return obj.spec?.jobTemplate?.spec?.template?.spec ? [obj.spec.jobTemplate.spec.template.spec] : [];
  return [];
}

function templates(obj: KObj): KObj[] {
  if (WORKLOADS.has(obj.kind)) return obj.spec?.template ? [obj.spec.template] : [];
  if (obj.kind === 'CronJob') return [obj.spec?.jobTemplate, obj.spec?.jobTemplate?.spec?.template].filter(Boolean);
  return [];
}

function namespaced(obj: KObj): boolean {
  const def = resourceForKind(obj.apiVersion ?? '', obj.kind ?? '');
  if (def) return def.namespaced;
  return !['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'Node'].includes(obj.kind);
}

export function setNamespace(items: Res[], ns: string): void {
  for (const r of items) {
    const o = r.obj;
    if (o.kind === 'Namespace') o.metadata.name = ns;
    else if (namespaced(o)) o.metadata.namespace = ns;
    if (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') {
      for (const s of o.subjects ?? []) if (s?.kind === 'ServiceAccount' && (s.namespace === undefined || s.name === 'default')) s.namespace = ns;
    }
  }
}

export function prefixSuffix(items: Res[], prefix: string, suffix: string): void {
  for (const r of items) {
    if (['Namespace', 'CustomResourceDefinition'].includes(r.obj.kind)) continue;
    r.obj.metadata.name = `${prefix}${r.obj.metadata.name}${suffix}`;
  }
}

function addTo(target: KObj, field: string, pairs: Record<string, string>): void {
  target[field] = { ...(target[field] ?? {}), ...pairs };
}

/** commonLabels (selectors and templates too) or a `labels` entry (only where it says). */
export function addLabels(items: Res[], pairs: Record<string, string>, selectors: boolean, templatesToo: boolean): void {
  for (const { obj } of items) {
    addTo((obj.metadata ??= {}), 'labels', pairs);
    if (selectors) {
      if (obj.kind === 'Service') addTo((obj.spec ??= {}), 'selector', pairs);
      if (['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].includes(obj.kind)) addTo(((obj.spec ??= {}).selector ??= {}), 'matchLabels', pairs);
      if (obj.kind === 'PodDisruptionBudget') addTo(((obj.spec ??= {}).selector ??= {}), 'matchLabels', pairs);
      if (obj.kind === 'ReplicationController') addTo((obj.spec ??= {}), 'selector', pairs);
    }
    if (selectors || templatesToo) for (const t of templates(obj)) addTo((t.metadata ??= {}), 'labels', pairs);
  }
}

export function addAnnotations(items: Res[], pairs: Record<string, string>): void {
  for (const { obj } of items) {
    addTo((obj.metadata ??= {}), 'annotations', pairs);
    for (const t of templates(obj)) addTo((t.metadata ??= {}), 'annotations', pairs);
  }
}

/** `images:` entries: containers whose image (without tag or digest) is `name`. */
export function setImages(items: Res[], images: KObj[]): void {
  for (const { obj } of items) {
    for (const spec of podSpecs(obj)) {
      for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
        if (typeof c?.image !== 'string') continue;
        const at = c.image.indexOf('@');
        const noDigest = at >= 0 ? c.image.slice(0, at) : c.image;
        const colon = noDigest.lastIndexOf(':');
        const hasTag = colon > noDigest.lastIndexOf('/');
        const name = hasTag ? noDigest.slice(0, colon) : noDigest;
        const tag = hasTag ? noDigest.slice(colon) : '';
        const digest = at >= 0 ? c.image.slice(at) : '';
        const img = images.find((i) => i?.name === name);
        if (!img) continue;
        let out = img.newName ?? name;
        if (img.digest) out += `@${img.digest}`;
        else if (img.newTag !== undefined) out += `:${img.newTag}`;
        else out += tag + digest;
        c.image = out;
      }
    }
  }
}

export function setReplicas(items: Res[], replicas: KObj[]): void {
  for (const rep of replicas) {
    for (const r of items) {
      if ((r.origName === rep?.name || r.obj.metadata.name === rep?.name) && (r.obj.spec?.replicas !== undefined || WORKLOADS.has(r.obj.kind))) {
        (r.obj.spec ??= {}).replicas = rep.count;
      }
    }
  }
}

/** References by name to objects kustomize renamed, updated to the new names. */
export function fixNameReferences(items: Res[]): void {
  const renamed = (kind: string, name: unknown): string | undefined => {
    if (typeof name !== 'string') return undefined;
    const hit = items.find((r) => r.obj.kind === kind && r.origName === name);
    return hit && hit.obj.metadata.name !== name ? hit.obj.metadata.name : undefined;
  };
  const fix = (holder: KObj | undefined, field: string, kind: string) => {
    if (!holder) return;
    const n = renamed(kind, holder[field]);
    if (n) holder[field] = n;
  };
  for (const { obj } of items) {
    for (const spec of podSpecs(obj)) {
      fix(spec, 'serviceAccountName', 'ServiceAccount');
      fix(spec, 'serviceAccount', 'ServiceAccount');
      for (const s of spec.imagePullSecrets ?? []) fix(s, 'name', 'Secret');
      for (const v of spec.volumes ?? []) {
        fix(v?.configMap, 'name', 'ConfigMap');
        fix(v?.secret, 'secretName', 'Secret');
        fix(v?.persistentVolumeClaim, 'claimName', 'PersistentVolumeClaim');
        for (const src of v?.projected?.sources ?? []) {
          fix(src?.configMap, 'name', 'ConfigMap');
          fix(src?.secret, 'name', 'Secret');
        }
      }
      for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
        for (const e of c?.env ?? []) {
          fix(e?.valueFrom?.configMapKeyRef, 'name', 'ConfigMap');
          fix(e?.valueFrom?.secretKeyRef, 'name', 'Secret');
        }
        for (const e of c?.envFrom ?? []) {
          fix(e?.configMapRef, 'name', 'ConfigMap');
          fix(e?.secretRef, 'name', 'Secret');
        }
      }
    }
    if (obj.kind === 'StatefulSet') fix(obj.spec, 'serviceName', 'Service');
    if (obj.kind === 'RoleBinding' || obj.kind === 'ClusterRoleBinding') {
      for (const s of obj.subjects ?? []) if (s?.kind === 'ServiceAccount') fix(s, 'name', 'ServiceAccount');
    }
  }
}
