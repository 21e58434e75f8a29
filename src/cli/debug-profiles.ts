// kubectl debug's --profile appliers (pkg/cmd/debug/profiles.go, kubectl 1.32): what each profile
// changes in the debug pod for the three journeys — an ephemeral container in the pod, a copy of
// the pod, a pod on a node — plus the --keep-* flags of the copy.
import { CliError } from '../api/errors.js';
import type { KObj } from '../api/types.js';

export type Style = 'ephemeral' | 'podCopy' | 'node';
export interface KeepFlags { labels: boolean; annotations: boolean; liveness: boolean; readiness: boolean; startup: boolean; initContainers: boolean }
export const PROFILES = ['legacy', 'general', 'baseline', 'netadmin', 'restricted', 'sysadmin'];

/** The container named `name` among the pod's containers, init containers and ephemeral containers. */
function visit(pod: KObj, name: string, fn: (c: KObj) => void, withEphemeral = true): void {
  const lists: KObj[][] = [pod.spec.initContainers ?? [], pod.spec.containers ?? [], withEphemeral ? pod.spec.ephemeralContainers ?? [] : []];
  for (const l of lists) {
    const c = l.find((x) => x.name === name);
    if (c) return fn(c);
  }
}

const sc = (c: KObj): KObj => (c.securityContext ??= {});

function mountRootPartition(pod: KObj, name: string): void {
  (pod.spec.volumes ??= []).push({ name: 'host-root', hostPath: { path: '/' } });
  visit(pod, name, (c) => (c.volumeMounts ??= []).push({ mountPath: '/host', name: 'host-root' }), false);
}

function useHostNamespaces(pod: KObj): void {
  pod.spec.hostNetwork = true;
  pod.spec.hostPID = true;
  pod.spec.hostIPC = true;
}

function shareProcessNamespace(pod: KObj): void {
  pod.spec.shareProcessNamespace ??= true;
}

function addCapability(c: KObj, cap: string): void {
  ((sc(c).capabilities ??= {}).add ??= []).push(cap);
}

function removeForCopy(pod: KObj, keep: KeepFlags): void {
  if (!keep.labels) delete pod.metadata.labels;
  if (!keep.annotations) delete pod.metadata.annotations;
  for (const c of pod.spec.containers ?? []) {
    if (!keep.liveness) delete c.livenessProbe;
    if (!keep.readiness) delete c.readinessProbe;
    if (!keep.startup) delete c.startupProbe;
  }
  if (!keep.initContainers) delete pod.spec.initContainers;
}

export function checkProfile(profile: string): void {
  if (!PROFILES.includes(profile)) throw new CliError(`unknown profile: ${profile}`);
}

/** Applies `profile` to container `name` of `pod` (the debug pod, the copy, or the pod with the new ephemeral container). */
export function applyProfile(profile: string, pod: KObj, name: string, style: Style, keep: KeepFlags): void {
  const copy = () => {
    removeForCopy(pod, keep);
    shareProcessNamespace(pod);
  };
  switch (profile) {
    case 'legacy':
      if (style === 'node') {
        mountRootPartition(pod, name);
        useHostNamespaces(pod);
      } else if (style === 'podCopy') delete pod.metadata.labels;
      return;
    case 'general':
      if (style === 'node') {
        mountRootPartition(pod, name);
        visit(pod, name, (c) => delete c.securityContext);
        useHostNamespaces(pod);
      } else {
        if (style === 'podCopy') copy();
        visit(pod, name, (c) => addCapability(c, 'SYS_PTRACE'));
      }
      return;
    case 'baseline':
      visit(pod, name, (c) => delete c.securityContext);
      if (style === 'podCopy') copy();
      return;
    case 'restricted':
      visit(pod, name, (c) => {
        delete c.securityContext;
        const s = sc(c);
        s.runAsNonRoot = true;
        s.capabilities = { drop: ['ALL'] };
        s.allowPrivilegeEscalation = false;
        s.seccompProfile = { type: 'RuntimeDefault' };
      });
      if (style === 'podCopy') copy();
      return;
    case 'netadmin':
      visit(pod, name, (c) => {
        addCapability(c, 'NET_ADMIN');
        addCapability(c, 'NET_RAW');
      });
      if (style === 'node') useHostNamespaces(pod);
      if (style === 'podCopy') copy();
      return;
    case 'sysadmin':
      visit(pod, name, (c) => (sc(c).privileged = true));
      if (style === 'node') {
        useHostNamespaces(pod);
        mountRootPartition(pod, name);
      }
      if (style === 'podCopy') copy();
      return;
  }
}
