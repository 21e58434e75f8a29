// The pods and claims a StatefulSet makes (stateful_set_utils.go): identity (name `<set>-<ordinal>`,
// hostname, subdomain, the pod-name / pod-index / revision labels), storage (a claim per
// volumeClaimTemplate `<template>-<set>-<ordinal>`, labelled with the selector's labels, mounted in
// place of a template volume of the same name), and the pod health checks the controller uses.
import type { KObj } from '../../api/types.js';
import { ownerRef } from './statefulset-revisions.js';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
export const REVISION_LABEL = 'controller-revision-hash';

export function claimName(tpl: KObj, sts: KObj, ordinal: number): string {
  return `${tpl.metadata?.name}-${sts.metadata.name}-${ordinal}`;
}

/** getPersistentVolumeClaims: the claims a pod of the set needs, by template name. */
export function claimsFor(sts: KObj, ordinal: number): { volume: string; claim: KObj }[] {
  return ((sts.spec?.volumeClaimTemplates ?? []) as KObj[]).map((tpl) => {
    const claim = structuredClone(tpl);
    delete claim.status;
    delete claim.apiVersion;
    delete claim.kind;
    const meta = (claim.metadata ??= {});
    delete meta.creationTimestamp;
    meta.name = claimName(tpl, sts, ordinal);
    meta.namespace = sts.metadata.namespace;
    meta.labels = { ...(meta.labels ?? {}), ...(sts.spec?.selector?.matchLabels ?? {}) };
    if (sts.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete') {
      meta.ownerReferences = [{ apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: 'StatefulSet', name: sts.metadata.name, uid: sts.metadata.uid }];
    }
    return { volume: String(tpl.metadata?.name), claim };
  });
}

/** newVersionedStatefulSetPod for the template of a revision. */
export function newStatefulPod(sts: KObj, template: KObj, ordinal: number, revision: string): KObj {
  const tpl = structuredClone(template ?? {});
  const name = `${sts.metadata.name}-${ordinal}`;
  const labels: Record<string, string> = { ...(tpl.metadata?.labels ?? {}) };
  labels[POD_NAME_LABEL] = name;
  labels[POD_INDEX_LABEL] = String(ordinal);
  labels[REVISION_LABEL] = revision;
  const metadata: KObj = { name, namespace: sts.metadata.namespace, labels, ownerReferences: [ownerRef(sts)] };
  if (tpl.metadata?.annotations && Object.keys(tpl.metadata.annotations).length) metadata.annotations = tpl.metadata.annotations;
  if (tpl.metadata?.finalizers?.length) metadata.finalizers = tpl.metadata.finalizers;
  const spec: KObj = tpl.spec ?? {};
  spec.hostname = name;
  if (sts.spec?.serviceName) spec.subdomain = sts.spec.serviceName;
  else delete spec.subdomain;
  const claims = claimsFor(sts, ordinal);
  if (claims.length) {
    const names = new Set(claims.map((x) => x.volume));
    spec.volumes = [
      ...claims.map((x) => ({ name: x.volume, persistentVolumeClaim: { claimName: x.claim.metadata.name } })),
      ...((spec.volumes ?? []) as KObj[]).filter((v) => !names.has(v.name)),
    ];
  }
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

export function ordinalOf(sts: KObj, podName: string): number {
  const prefix = `${sts.metadata.name}-`;
  if (!podName.startsWith(prefix)) return -1;
  const rest = podName.slice(prefix.length);
  return /^(0|[1-9][0-9]*)$/.test(rest) ? Number(rest) : -1;
}

const readyCondition = (pod: KObj) => (pod.status?.conditions ?? []).find((x: KObj) => x.type === 'Ready');

export function isRunningAndReady(pod: KObj): boolean {
  return pod.status?.phase === 'Running' && readyCondition(pod)?.status === 'True';
}

/** Ready for at least minReadySeconds (ms until it will be, when not yet). */
export function availableIn(pod: KObj, minReadySeconds: number, now: number): number | undefined {
  if (!isRunningAndReady(pod)) return undefined;
  if (!minReadySeconds) return 0;
  const since = Date.parse(readyCondition(pod)?.lastTransitionTime ?? '');
  if (Number.isNaN(since)) return 0;
  return Math.max(0, since + minReadySeconds * 1000 - now);
}

export const isTerminating = (pod: KObj) => Boolean(pod.metadata?.deletionTimestamp);
export const isFailedOrSucceeded = (pod: KObj) => pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded';
