// Shared by logs, exec and cp: which pod (POD, pod/NAME, TYPE/NAME via its selector) and which
// container, with kubectl's "Defaulted container" notice and errors.
import { CliError, notFound, StatusError } from '../api/errors.js';
import { findResource } from '../api/registry.js';
import type { KObj } from '../api/types.js';
import type { Cluster } from '../sim/engine.js';
import { POD } from '../sim/keys.js';
import type { IO } from './io.js';

export function findPod(c: Cluster, namespace: string, ref: string, io: IO): KObj {
  const pods = findPods(c, namespace, ref);
  if (pods.length > 1) io.stderr.write(`Found ${pods.length} pods, using pod/${pods[0].metadata.name}\n`);
  return pods[0];
}

/** The pod a POD or TYPE/NAME names, or every pod of the object (best for logging first), as logs --all-pods takes them. */
export function findPods(c: Cluster, namespace: string, ref: string): KObj[] {
  const slash = ref.indexOf('/');
  if (slash < 0 || /^(po|pod|pods)$/.test(ref.slice(0, slash))) {
    const name = slash < 0 ? ref : ref.slice(slash + 1);
    const pod = c.api.peek(POD, namespace, name);
    if (!pod) throw notFound('pods', name);
    return [pod];
  }
  const kind = ref.slice(0, slash);
  const name = ref.slice(slash + 1);
  const owned = c.listAll('pods').filter((p) => p.metadata.namespace === namespace && ownedBy(c, p, name));
  if (!owned.length) {
    // the object exists but has no pod yet: kubectl watches for one until --pod-running-timeout
    const def = findResource(kind);
    if (def && c.api.peek(def, def.namespaced ? namespace : undefined, name)) throw new CliError('timed out waiting for the condition');
    throw new StatusError('NotFound', `${kindResource(kind)} "${name}" not found`);
  }
  return owned.sort(byLogging);
}

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function readyCondition(p: KObj): KObj | undefined {
  return ((p.status?.conditions ?? []) as KObj[]).find((c) => c.type === 'Ready' && c.status === 'True');
}

function maxRestarts(p: KObj): number {
  return Math.max(0, ...((p.status?.containerStatuses ?? []) as KObj[]).map((s) => Number(s.restartCount ?? 0)));
}

/** kubectl's podutils.ByLogging: assigned, running, ready (longest), most restarts, oldest first. */
function byLogging(a: KObj, b: KObj): number {
  const na = a.spec?.nodeName ?? '';
  const nb = b.spec?.nodeName ?? '';
  if (na !== nb && (!na || !nb)) return na ? -1 : 1;
  const pa = PHASE_ORDINAL[a.status?.phase] ?? 0;
  const pb = PHASE_ORDINAL[b.status?.phase] ?? 0;
  if (a.status?.phase !== b.status?.phase && pa !== pb) return pb - pa;
  const ra = readyCondition(a);
  const rb = readyCondition(b);
  if (Boolean(ra) !== Boolean(rb)) return ra ? -1 : 1;
  if (ra && rb && ra.lastTransitionTime !== rb.lastTransitionTime) return String(ra.lastTransitionTime).localeCompare(String(rb.lastTransitionTime));
  const ca = maxRestarts(a);
  const cb = maxRestarts(b);
  if (ca !== cb) return cb - ca;
  return String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp));
}

function kindResource(kind: string): string {
  const m: Record<string, string> = { deploy: 'deployments.apps', deployment: 'deployments.apps', deployments: 'deployments.apps', job: 'jobs.batch', jobs: 'jobs.batch', rs: 'replicasets.apps', replicaset: 'replicasets.apps', sts: 'statefulsets.apps', ds: 'daemonsets.apps', svc: 'services', service: 'services' };
  return m[kind] ?? kind;
}

function ownedBy(c: Cluster, pod: KObj, name: string): boolean {
  for (const o of pod.metadata.ownerReferences ?? []) {
    if (o.name === name) return true;
    if (o.kind === 'ReplicaSet') {
      const rs = c.listAll('replicasets.apps').find((r) => r.metadata.name === o.name && r.metadata.namespace === pod.metadata.namespace);
      if (rs?.metadata.ownerReferences?.some((x: KObj) => x.name === name)) return true;
    }
  }
  return false;
}

export function containerNames(pod: KObj): string {
  const names = pod.spec.containers.map((x: KObj) => x.name);
  for (const e of pod.spec.ephemeralContainers ?? []) names.push(`${e.name} (ephem)`);
  for (const i of pod.spec.initContainers ?? []) names.push(`${i.name} (init)`);
  return names.join(', ');
}

/** The container -c names, or the default one (printing kubectl's notice when there is a choice). */
export function pickContainer(pod: KObj, given: string, io: IO, quiet = false): string {
  if (given) return given;
  const def = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  const name = def && pod.spec.containers.some((x: KObj) => x.name === def) ? def : pod.spec.containers[0].name;
  const many = pod.spec.containers.length > 1 || (pod.spec.initContainers ?? []).length || (pod.spec.ephemeralContainers ?? []).length;
  if (many && !quiet) io.stderr.write(`Defaulted container "${name}" out of: ${containerNames(pod)}\n`);
  return name;
}

export function usageError(verb: string, msg: string): CliError {
  return new CliError(`error: ${msg}\nSee 'kubectl ${verb} -h' for help and examples`, 1, true);
}
