// Pod validation as the API server's validation.go does it (field paths, messages and order).
import type { Cause } from '../errors.js';
import type { KObj } from '../types.js';
import { canonicalJson } from '../equal.js';
import { dns1123Label, goStringMap, q, qualifiedName, unsupported } from './names.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL = ['Always', 'IfNotPresent', 'Never'];
const RESTART = ['Always', 'OnFailure', 'Never'];
const DNS = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

function port(value: unknown, field: string): Cause[] {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) return [{ field, message: `Invalid value: ${value}: must be between 1 and 65535, inclusive` }];
  return [];
}

function quantity(v: unknown): number | undefined {
  const s = String(v);
  const m = QUANTITY.exec(s);
  if (!m) return undefined;
  const mult: Record<string, number> = { '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5 };
  if (m[2] in mult) return Number(m[1]) * mult[m[2]];
  if (/^[eE][-+]?\d+$/.test(m[2])) return Number(s);
  return undefined;
}

function resources(r: KObj | undefined, field: string): Cause[] {
  const out: Cause[] = [];
  for (const kind of ['limits', 'requests']) {
    for (const [name, v] of Object.entries(r?.[kind] ?? {})) {
      if (quantity(v) === undefined) {
        out.push({ field: `${field}.${kind}[${name}]`, message: `Invalid value: ${q(String(v))}: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'` });
      }
    }
  }
  for (const [name, v] of Object.entries(r?.requests ?? {})) {
    const lim = r?.limits?.[name];
    if (lim !== undefined && (quantity(v) ?? 0) > (quantity(lim) ?? Infinity)) {
      out.push({ field: `${field}.requests`, message: `Invalid value: ${q(String(v))}: must be less than or equal to ${name} limit of ${lim}` });
    }
  }
  return out;
}

function probe(p: KObj | undefined, field: string): Cause[] {
  if (!p) return [];
  const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((h) => p[h]);
  if (handlers.length === 0) return [{ field, message: 'Required value: must specify a handler type' }];
  if (handlers.length > 1) return [{ field: `${field}.${handlers[1]}`, message: 'Forbidden: may not specify more than 1 handler type' }];
  return [];
}

function container(c: KObj, field: string, volumes: Set<string>, regular: boolean): Cause[] {
  const out: Cause[] = [];
  if (!c.name) out.push({ field: `${field}.name`, message: 'Required value' });
  else out.push(...dns1123Label(c.name, `${field}.name`));
  if (!c.image) out.push({ field: `${field}.image`, message: 'Required value' });
  const portNames = new Set<string>();
  (c.ports ?? []).forEach((p: KObj, i: number) => {
    const pf = `${field}.ports[${i}]`;
    if (p.name) {
      if (p.name.length > 15) out.push({ field: `${pf}.name`, message: `Invalid value: ${q(p.name)}: must be no more than 15 characters` });
      if (portNames.has(p.name)) out.push({ field: `${pf}.name`, message: `Duplicate value: ${q(p.name)}` });
      portNames.add(p.name);
    }
    if (p.containerPort === undefined) out.push({ field: `${pf}.containerPort`, message: 'Required value' });
    else out.push(...port(p.containerPort, `${pf}.containerPort`));
    if (p.hostPort) out.push(...port(p.hostPort, `${pf}.hostPort`));
    if (p.protocol && !PROTOCOLS.includes(p.protocol)) out.push(unsupported(`${pf}.protocol`, p.protocol, PROTOCOLS));
  });
  (c.env ?? []).forEach((e: KObj, i: number) => {
    if (!e.name) out.push({ field: `${field}.env[${i}].name`, message: 'Required value' });
    else if (e.name.includes('=')) {
      out.push({ field: `${field}.env[${i}].name`, message: `Invalid value: ${q(e.name)}: a valid environment variable name must consist only of printable ASCII characters other than '='` });
    }
  });
  const mountPaths = new Set<string>();
  (c.volumeMounts ?? []).forEach((m: KObj, i: number) => {
    const mf = `${field}.volumeMounts[${i}]`;
    if (!m.name) out.push({ field: `${mf}.name`, message: 'Required value' });
    else if (!volumes.has(m.name)) out.push({ field: `${mf}.name`, message: `Not found: ${q(m.name)}` });
    if (!m.mountPath) out.push({ field: `${mf}.mountPath`, message: 'Required value' });
    else if (mountPaths.has(m.mountPath)) out.push({ field: `${mf}.mountPath`, message: 'Invalid value: ' + q(m.mountPath) + ': must be unique' });
    mountPaths.add(m.mountPath);
  });
  if (c.imagePullPolicy && !PULL.includes(c.imagePullPolicy)) out.push(unsupported(`${field}.imagePullPolicy`, c.imagePullPolicy, PULL));
  out.push(...resources(c.resources, `${field}.resources`));
  if (regular) {
    out.push(...probe(c.livenessProbe, `${field}.livenessProbe`));
    out.push(...probe(c.readinessProbe, `${field}.readinessProbe`));
    out.push(...probe(c.startupProbe, `${field}.startupProbe`));
  }
  return out;
}

export function validatePodSpec(spec: KObj | undefined, field: string): Cause[] {
  const out: Cause[] = [];
  const s = spec ?? {};
  const volumes = new Set<string>();
  (s.volumes ?? []).forEach((v: KObj, i: number) => {
    if (!v.name) out.push({ field: `${field}.volumes[${i}].name`, message: 'Required value' });
    else {
      out.push(...dns1123Label(v.name, `${field}.volumes[${i}].name`));
      if (volumes.has(v.name)) out.push({ field: `${field}.volumes[${i}].name`, message: `Duplicate value: ${q(v.name)}` });
    }
    volumes.add(v.name);
  });
  const names = new Set<string>();
  const containers: KObj[] = s.containers ?? [];
  if (!containers.length) out.push({ field: `${field}.containers`, message: 'Required value' });
  containers.forEach((c, i) => {
    out.push(...container(c, `${field}.containers[${i}]`, volumes, true));
    if (names.has(c.name)) out.push({ field: `${field}.containers[${i}].name`, message: `Duplicate value: ${q(c.name)}` });
    names.add(c.name);
  });
  (s.initContainers ?? []).forEach((c: KObj, i: number) => {
    out.push(...container(c, `${field}.initContainers[${i}]`, volumes, false));
    if (names.has(c.name)) out.push({ field: `${field}.initContainers[${i}].name`, message: `Duplicate value: ${q(c.name)}` });
    names.add(c.name);
  });
  if (s.restartPolicy !== undefined && !RESTART.includes(s.restartPolicy)) out.push(unsupported(`${field}.restartPolicy`, s.restartPolicy, RESTART));
  if (s.dnsPolicy !== undefined && !DNS.includes(s.dnsPolicy)) out.push(unsupported(`${field}.dnsPolicy`, s.dnsPolicy, DNS));
  if (s.activeDeadlineSeconds !== undefined && !(s.activeDeadlineSeconds > 0)) {
    out.push({ field: `${field}.activeDeadlineSeconds`, message: `Invalid value: ${s.activeDeadlineSeconds}: must be between 1 and 2147483647, inclusive` });
  }
  if (s.terminationGracePeriodSeconds !== undefined && s.terminationGracePeriodSeconds < 0) {
    out.push({ field: `${field}.terminationGracePeriodSeconds`, message: `Invalid value: ${s.terminationGracePeriodSeconds}: must be greater than or equal to 0` });
  }
  // validateSchedulingGates: qualified names, no duplicates
  const gates = new Set<string>();
  (Array.isArray(s.schedulingGates) ? s.schedulingGates : []).forEach((g: KObj, i: number) => {
    const name = String(g?.name ?? '');
    out.push(...qualifiedName(name, `${field}.schedulingGates[${i}]`));
    if (gates.has(name)) out.push({ field: `${field}.schedulingGates[${i}]`, message: `Duplicate value: ${q(name)}` });
    gates.add(name);
  });
  return out;
}

/** ValidatePodCreate's check beyond the spec's: a pod bound at creation cannot wait on gates. */
export function validatePodCreate(pod: KObj): Cause[] {
  if (pod.spec?.schedulingGates?.length && pod.spec?.nodeName) return [{ field: 'spec.nodeName', message: 'Forbidden: cannot be set until all schedulingGates have been cleared' }];
  return [];
}

/** validateNodeSelectorMutation: while a pod is gated, its node selector may only gain entries. */
function gatedNodeSelector(pod: KObj, old: KObj): Cause[] {
  if (!old.spec?.schedulingGates?.length) return [];
  const before = (old.spec?.nodeSelector ?? {}) as Record<string, string>;
  const after = (pod.spec?.nodeSelector ?? {}) as Record<string, string>;
  if (Object.entries(before).every(([k, v]) => k in after && after[k] === v)) return [];
  // the value as 1.32's field.Invalid prints a map (Go's %#v)
  return [{ field: 'spec.nodeSelector', message: `Invalid value: ${goStringMap(pod.spec?.nodeSelector)}: only additions to spec.nodeSelector are allowed (no mutations or deletions)` }];
}

/** validateOnlyDeletedSchedulingGates: gates may be removed from a pod, never added. */
function onlyDeletedGates(pod: KObj, old: KObj): Cause[] {
  const added = new Map<string, number>();
  ((pod.spec?.schedulingGates ?? []) as KObj[]).forEach((g, i) => added.set(String(g?.name), i));
  for (const g of (old.spec?.schedulingGates ?? []) as KObj[]) added.delete(String(g?.name));
  return [...added].map(([name, i]) => ({ field: `spec.schedulingGates[${i}].name`, message: `Forbidden: only deletion is allowed, but found new scheduling gate '${name}'` }));
}

const ALLOWED_UPDATE =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

const pascal = (k: string) => k[0].toUpperCase() + k.slice(1);

/** The go-cmp-like diff kubectl shows under the Forbidden message (the real one is deliberately unstable). */
function specDiff(oldSpec: KObj, newSpec: KObj): string {
  const keys = [...new Set([...Object.keys(oldSpec), ...Object.keys(newSpec)])];
  const lines = ['  core.PodSpec{'];
  let same = 0;
  for (const k of keys) {
    const a = oldSpec[k] === undefined ? undefined : canonicalJson(oldSpec[k]);
    const b = newSpec[k] === undefined ? undefined : canonicalJson(newSpec[k]);
    if (a === b) {
      same++;
      continue;
    }
    if (same) lines.push(`  \t... // ${same} identical fields`);
    same = 0;
    if (a !== undefined) lines.push(`- \t${pascal(k)}: ${a},`);
    if (b !== undefined) lines.push(`+ \t${pascal(k)}: ${b},`);
  }
  if (same) lines.push(`  \t... // ${same} identical fields`);
  lines.push('  }');
  return lines.join('\n');
}

export function validatePodUpdate(pod: KObj, old: KObj): Cause[] {
  const out = validatePodSpec(pod.spec, 'spec');
  if (out.length) return out;
  out.push(...onlyDeletedGates(pod, old), ...gatedNodeSelector(pod, old));
  // What may change: images, activeDeadlineSeconds, added tolerations, grace period from negative to 1.
  const norm = (spec: KObj, other: KObj): KObj => {
    const s = structuredClone(spec ?? {});
    for (const list of ['containers', 'initContainers']) {
      (s[list] ?? []).forEach((c: KObj, i: number) => {
        const o = other?.[list]?.[i];
        if (o) c.image = o.image;
      });
    }
    s.activeDeadlineSeconds = other?.activeDeadlineSeconds;
    s.tolerations = other?.tolerations;
    if (other?.schedulingGates === undefined) delete s.schedulingGates;
    else s.schedulingGates = other.schedulingGates;
    // a gated pod's node selector may grow (checked by gatedNodeSelector)
    if (other?.schedulingGates?.length) {
      if (other.nodeSelector === undefined) delete s.nodeSelector;
      else s.nodeSelector = other.nodeSelector;
    }
    if (spec?.terminationGracePeriodSeconds === 1 && (other?.terminationGracePeriodSeconds ?? 0) < 0) s.terminationGracePeriodSeconds = other.terminationGracePeriodSeconds;
    return s;
  };
  const newNorm = norm(pod.spec, old.spec);
  const oldTol: KObj[] = old.spec?.tolerations ?? [];
  const newTol: KObj[] = pod.spec?.tolerations ?? [];
  const removedTol = oldTol.some((t) => !newTol.some((n) => canonicalJson(n) === canonicalJson(t)));
  if (canonicalJson(newNorm) !== canonicalJson(old.spec ?? {}) || removedTol) {
    return [...out, { field: 'spec', message: `Forbidden: ${ALLOWED_UPDATE}\n${specDiff(old.spec ?? {}, pod.spec ?? {})}` }];
  }
  if (old.spec?.activeDeadlineSeconds !== undefined && pod.spec?.activeDeadlineSeconds === undefined) {
    return [...out, { field: 'spec.activeDeadlineSeconds', message: 'Invalid value: "null": must not update from a positive integer to nil value' }];
  }
  return out;
}
