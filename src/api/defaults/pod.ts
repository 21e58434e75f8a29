// What the API server fills into a created Pod (defaulting + admission), per the 1.28–1.32 servers.
import type { KObj } from '../types.js';

const NOT_READY = 'node.kubernetes.io/not-ready';
const UNREACHABLE = 'node.kubernetes.io/unreachable';
export const SA_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/** `Always` for `:latest` or untagged images, else `IfNotPresent` (digests count as pinned). */
export function defaultPullPolicy(image: string | undefined): string {
  if (!image) return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  if (colon < 0) return 'Always';
  return image.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

export function defaultProbe(p: KObj | undefined): void {
  if (!p) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (p.httpGet) {
    p.httpGet.path ??= '/';
    p.httpGet.scheme ??= 'HTTP';
  }
  if (p.grpc) p.grpc.service ??= '';
}

function defaultContainer(c: KObj, saVolume: string | undefined): void {
  c.imagePullPolicy ??= defaultPullPolicy(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  if (c.resources.limits && !c.resources.requests) c.resources.requests = { ...c.resources.limits };
  else if (c.resources.limits) {
    for (const [k, v] of Object.entries(c.resources.limits)) c.resources.requests[k] ??= v;
  }
  for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  for (const e of c.env ?? []) {
    if (e.valueFrom?.fieldRef) e.valueFrom.fieldRef.apiVersion ??= 'v1';
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (saVolume && !(c.volumeMounts ?? []).some((m: KObj) => m.mountPath === SA_MOUNT_PATH)) {
    (c.volumeMounts ??= []).push({ mountPath: SA_MOUNT_PATH, name: saVolume, readOnly: true });
  }
}

export function defaultVolume(v: KObj): void {
  if (v.configMap) v.configMap.defaultMode ??= 420;
  if (v.secret) v.secret.defaultMode ??= 420;
  if (v.downwardAPI) {
    v.downwardAPI.defaultMode ??= 420;
    for (const i of v.downwardAPI.items ?? []) if (i.fieldRef) i.fieldRef.apiVersion ??= 'v1';
  }
  if (v.projected) v.projected.defaultMode ??= 420;
  if (v.hostPath) v.hostPath.type ??= '';
  if (v.emptyDir === null) v.emptyDir = {};
}

function apiAccessVolume(name: string): KObj {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
        {
          downwardAPI: {
            items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }],
          },
        },
      ],
    },
  };
}

/** Applies defaults in place. `suffix` is the random part of the kube-api-access volume name. */
export function defaultPod(pod: KObj, suffix: string): void {
  const spec = (pod.spec ??= {});
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.restartPolicy ??= 'Always';
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  spec.enableServiceLinks ??= true;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  spec.priority ??= 0;
  spec.serviceAccountName ??= spec.serviceAccount ?? 'default';
  spec.serviceAccount = spec.serviceAccountName;
  const tolerations: KObj[] = (spec.tolerations ??= []);
  for (const key of [NOT_READY, UNREACHABLE]) {
    const has = tolerations.some((t) => t.key === key && (t.effect === 'NoExecute' || !t.effect));
    const hasWildcard = tolerations.some((t) => !t.key && t.operator === 'Exists');
    if (!has && !hasWildcard) tolerations.push({ effect: 'NoExecute', key, operator: 'Exists', tolerationSeconds: 300 });
  }
  for (const v of spec.volumes ?? []) defaultVolume(v);
  let saVolume: string | undefined;
  if (spec.automountServiceAccountToken !== false) {
    const hasMount = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].every((c: KObj) =>
      (c.volumeMounts ?? []).some((m: KObj) => m.mountPath === SA_MOUNT_PATH),
    );
    // the ServiceAccount admission reuses a kube-api-access-* volume the pod already has (a copy of a pod)
    const existing = (spec.volumes ?? []).find((v: KObj) => String(v.name).startsWith('kube-api-access-'));
    if (!hasMount && existing) saVolume = existing.name;
    else if (!hasMount) {
      saVolume = `kube-api-access-${suffix}`;
      (spec.volumes ??= []).push(apiAccessVolume(saVolume));
    }
  }
  for (const c of spec.initContainers ?? []) defaultContainer(c, saVolume);
  for (const c of spec.containers ?? []) defaultContainer(c, saVolume);
}

const num = (q: unknown): boolean => q !== undefined && q !== null && q !== '';

/** QoS class from requests/limits (kubectl's qos.GetPodQOS rules). */
export function podQosClass(pod: KObj): string {
  const cs: KObj[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of cs) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      if (num(req[r]) || num(lim[r])) any = true;
      if (!num(lim[r]) || (num(req[r]) && String(req[r]) !== String(lim[r]))) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
