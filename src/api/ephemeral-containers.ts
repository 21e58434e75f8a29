// The pod's `ephemeralcontainers` subresource (what `kubectl debug POD --image=…` patches): the only
// change it accepts is to spec.ephemeralContainers, which may only grow. New entries get the API
// server's container defaults and are validated as ValidatePodEphemeralContainersUpdate does:
// unique names across all the pod's containers, a target that names a container of the pod, no
// fields an ephemeral container may not have, existing ones neither removed nor changed.
import { defaultPullPolicy } from './defaults/pod.js';
import { canonicalJson } from './equal.js';
import { invalid, notFound, type Cause } from './errors.js';
import type { ApiServer } from './server.js';
import type { KObj, ResourceDef } from './types.js';
import { dns1123Label, q } from './validation/names.js';

const FORBIDDEN = ['ports', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'resizePolicy'];

function defaults(ec: KObj): KObj {
  const out = structuredClone(ec);
  out.imagePullPolicy ||= defaultPullPolicy(out.image);
  out.terminationMessagePath ||= '/dev/termination-log';
  out.terminationMessagePolicy ||= 'File';
  out.resources ??= {};
  for (const e of out.env ?? []) if (e.valueFrom?.fieldRef) e.valueFrom.fieldRef.apiVersion ??= 'v1';
  return out;
}

export function validateEphemeral(pod: KObj, list: KObj[], old: KObj[]): Cause[] {
  const out: Cause[] = [];
  const others = new Set<string>([...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? [])].map((c: KObj) => c.name));
  const seen = new Set<string>(others);
  list.forEach((ec, i) => {
    const f = `spec.ephemeralContainers[${i}]`;
    if (!ec.name) out.push({ field: `${f}.name`, message: 'Required value' });
    else {
      out.push(...dns1123Label(ec.name, `${f}.name`));
      if (seen.has(ec.name)) out.push({ field: `${f}.name`, message: `Duplicate value: ${q(ec.name)}` });
      seen.add(ec.name);
    }
    if (!ec.image) out.push({ field: `${f}.image`, message: 'Required value' });
    if (ec.targetContainerName && !others.has(ec.targetContainerName)) out.push({ field: `${f}.targetContainerName`, message: `Not found: ${q(ec.targetContainerName)}` });
    for (const k of FORBIDDEN) if (ec[k] !== undefined && ec[k] !== null && !(Array.isArray(ec[k]) && !ec[k].length)) out.push({ field: `${f}.${k}`, message: 'Forbidden: cannot be set for an Ephemeral Container' });
    const res = ec.resources ?? {};
    if (Object.keys(res.limits ?? {}).length || Object.keys(res.requests ?? {}).length) out.push({ field: `${f}.resources`, message: 'Forbidden: cannot be set for an Ephemeral Container' });
  });
  if (out.length) return out;
  const byName = new Map(list.map((ec) => [ec.name as string, ec]));
  for (const prev of old) {
    const now = byName.get(prev.name);
    if (!now) out.push({ field: 'spec.ephemeralContainers', message: `Forbidden: existing ephemeral containers ${q(prev.name)} may not be removed\n` });
    else if (canonicalJson(now) !== canonicalJson(prev)) out.push({ field: 'spec.ephemeralContainers', message: `Forbidden: existing ephemeral containers ${q(prev.name)} may not be changed\n` });
  }
  return out;
}

/** PUT/PATCH pods/NAME/ephemeralcontainers: stores the pod with `list` as its ephemeral containers. */
export function updateEphemeralContainers(api: ApiServer, def: ResourceDef, namespace: string, name: string, list: KObj[]): KObj {
  const old = api.peek(def, namespace, name);
  if (!old) throw notFound('pods', name);
  const prev: KObj[] = old.spec?.ephemeralContainers ?? [];
  const known = new Set(prev.map((e) => e.name));
  const next = list.map((ec) => (known.has(ec.name) ? ec : defaults(ec)));
  const causes = validateEphemeral(old, next, prev);
  if (causes.length) throw invalid('Pod', name, causes);
  if (canonicalJson(next) === canonicalJson(prev)) return structuredClone(old);
  const pod = structuredClone(old);
  pod.spec.ephemeralContainers = next;
  return structuredClone(api.write(def, pod));
}
