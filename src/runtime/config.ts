// What a container gets from the API: env from ConfigMaps, Secrets and the downward API, volume
// contents (configMap, secret, downwardAPI, projected), and the checks the kubelet makes before it
// starts a container (CreateContainerConfigError) or mounts volumes (FailedMount), with its texts.
import { formatMap, kubeletAnnotations } from './atomic-writer.js';
import type { KObj } from '../api/types.js';
import type { Cluster } from '../sim/engine.js';
import { CONFIGMAP, SECRET } from '../api/kinds.js';
import { encodeEntry } from './files.js';
import type { FileMap } from './state.js';

function cm(c: Cluster, ns: string, name: string): KObj | undefined {
  return c.api.peek(CONFIGMAP, ns, name);
}

function secret(c: Cluster, ns: string, name: string): KObj | undefined {
  return c.api.peek(SECRET, ns, name);
}

function decode(v: string): string {
  return Buffer.from(v, 'base64').toString('utf8');
}

export function fieldValue(pod: KObj, path: string): string {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return pod.metadata[m[1]]?.[m[2]] ?? '';
  const map: Record<string, unknown> = {
    'metadata.name': pod.metadata.name,
    'metadata.namespace': pod.metadata.namespace,
    'metadata.uid': pod.metadata.uid,
    'spec.nodeName': pod.spec.nodeName,
    'spec.serviceAccountName': pod.spec.serviceAccountName,
    'status.hostIP': pod.status?.hostIP,
    'status.hostIPs': pod.status?.hostIP,
    'status.podIP': pod.status?.podIP,
    'status.podIPs': pod.status?.podIP,
  };
  return String(map[path] ?? '');
}

const CPU_UNITS: Record<string, number> = { '': 1, m: 0.001 };
const MEM_UNITS: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };

function quantity(q: string | number | undefined, cpu: boolean): number | undefined {
  if (q === undefined) return undefined;
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(String(q));
  if (!m) return undefined;
  return Number(m[1]) * ((cpu ? CPU_UNITS : MEM_UNITS)[m[2]] ?? 1);
}

export function resourceValue(spec: KObj, ref: KObj): string {
  const [kind, res] = String(ref.resource).split('.');
  const cpu = res === 'cpu';
  let v = quantity(spec.resources?.[kind]?.[res], cpu);
  if (v === undefined) v = cpu ? 2 : 8 * 1024 ** 3; // node allocatable when no limit
  const divisor = quantity(ref.divisor ?? '1', cpu) ?? 1;
  return String(Math.ceil(v / divisor));
}

/** The container's env from its spec; `error` is the kubelet's CreateContainerConfigError message. */
/**
 * The kubelet's $(VAR) expansion (env values, command and args): `$(NAME)` becomes the variable's
 * value when it is defined and stays as written otherwise, `$$` is a literal `$`, and a `$(` that is
 * never closed is kept as it is.
 */
export function expandVars(s: string, vars: Record<string, string>): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '$' || i + 1 >= s.length) {
      out += s[i];
      continue;
    }
    const next = s[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const close = s.indexOf(')', i + 2);
      if (close < 0) {
        out += s.slice(i);
        break;
      }
      const name = s.slice(i + 2, close);
      out += Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : `$(${name})`;
      i = close;
    } else {
      out += `$${next}`;
      i++;
    }
  }
  return out;
}

export function resolveEnv(c: Cluster, pod: KObj, spec: KObj): { env: Record<string, string>; error?: string } {
  const ns = pod.metadata.namespace;
  const env: Record<string, string> = {};
  for (const from of spec.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const o = cm(c, ns, from.configMapRef.name);
      if (!o) {
        if (from.configMapRef.optional) continue;
        return { env, error: `configmap "${from.configMapRef.name}" not found` };
      }
      for (const [k, v] of Object.entries(o.data ?? {})) env[prefix + k] = String(v);
    } else if (from.secretRef) {
      const o = secret(c, ns, from.secretRef.name);
      if (!o) {
        if (from.secretRef.optional) continue;
        return { env, error: `secret "${from.secretRef.name}" not found` };
      }
      for (const [k, v] of Object.entries(o.data ?? {})) env[prefix + k] = decode(String(v));
    }
  }
  for (const e of spec.env ?? []) {
    const vf = e.valueFrom;
    if (!vf) {
      env[e.name] = expandVars(String(e.value ?? ''), env);
    } else if (vf.fieldRef) env[e.name] = fieldValue(pod, vf.fieldRef.fieldPath);
    else if (vf.resourceFieldRef) env[e.name] = resourceValue(spec, vf.resourceFieldRef);
    else if (vf.configMapKeyRef) {
      const r = vf.configMapKeyRef;
      const o = cm(c, ns, r.name);
      if (!o) {
        if (r.optional) continue;
        return { env, error: `configmap "${r.name}" not found` };
      }
      if (!(r.key in (o.data ?? {}))) {
        if (r.optional) continue;
        return { env, error: `couldn't find key ${r.key} in ConfigMap ${ns}/${r.name}` };
      }
      env[e.name] = String(o.data[r.key]);
    } else if (vf.secretKeyRef) {
      const r = vf.secretKeyRef;
      const o = secret(c, ns, r.name);
      if (!o) {
        if (r.optional) continue;
        return { env, error: `secret "${r.name}" not found` };
      }
      if (!(r.key in (o.data ?? {}))) {
        if (r.optional) continue;
        return { env, error: `couldn't find key ${r.key} in Secret ${ns}/${r.name}` };
      }
      env[e.name] = decode(String(o.data[r.key]));
    }
  }
  return { env };
}

/** The first volume that cannot be set up, as kubelet's FailedMount message. */
export function mountError(c: Cluster, pod: KObj): string | undefined {
  const ns = pod.metadata.namespace;
  for (const v of pod.spec.volumes ?? []) {
    const sources: { kind: 'configmap' | 'secret'; name: string; optional?: boolean }[] = [];
    if (v.configMap) sources.push({ kind: 'configmap', name: v.configMap.name, optional: v.configMap.optional });
    if (v.secret) sources.push({ kind: 'secret', name: v.secret.secretName, optional: v.secret.optional });
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap) sources.push({ kind: 'configmap', name: s.configMap.name, optional: s.configMap.optional });
      if (s.secret) sources.push({ kind: 'secret', name: s.secret.name, optional: s.secret.optional });
    }
    for (const s of sources) {
      if (s.optional) continue;
      const found = s.kind === 'configmap' ? cm(c, ns, s.name) : secret(c, ns, s.name);
      if (!found) return `MountVolume.SetUp failed for volume "${v.name}" : ${s.kind} "${s.name}" not found`;
    }
  }
  return undefined;
}

/** Keys as files: bytes as the store keeps them (files.ts), with defaultMode or an item's mode. */
function keyed(data: Record<string, Uint8Array>, items: KObj[] | undefined, into: FileMap, defaultMode: number | undefined, dir = ''): void {
  const file = (b: Uint8Array, mode?: number) => encodeEntry({ type: 'file', data: b, mode: mode ?? defaultMode ?? 0o644 });
  if (items?.length) {
    for (const it of items) if (it.key in data) into[`${dir}/${it.path}`] = file(data[it.key], it.mode);
  } else for (const [k, v] of Object.entries(data)) into[`${dir}/${k}`] = file(v);
}

/** A ConfigMap's data (text) and binaryData (base64) as bytes. */
function cmBytes(o: KObj | undefined): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const [k, x] of Object.entries(o?.data ?? {})) out[k] = Buffer.from(String(x), 'utf8');
  for (const [k, x] of Object.entries(o?.binaryData ?? {})) out[k] = Buffer.from(String(x), 'base64');
  return out;
}

/** A Secret's data (base64) as bytes: binary keys stay binary. */
function secretBytes(o: KObj | undefined): Record<string, Uint8Array> {
  return Object.fromEntries(Object.entries(o?.data ?? {}).map(([k, x]) => [k, Buffer.from(String(x), 'base64')]));
}

function downward(pod: KObj, spec: KObj | undefined, items: KObj[], into: FileMap): void {
  for (const it of items ?? []) {
    let v = '';
    if (it.fieldRef?.fieldPath === 'metadata.labels' || it.fieldRef?.fieldPath === 'metadata.annotations') {
      v = formatMap(it.fieldRef.fieldPath === 'metadata.labels' ? pod.metadata.labels : kubeletAnnotations(pod));
    } else if (it.fieldRef) v = fieldValue(pod, it.fieldRef.fieldPath);
    else if (it.resourceFieldRef) {
      const ct = (pod.spec.containers ?? []).find((x: KObj) => x.name === it.resourceFieldRef.containerName) ?? spec ?? {};
      v = resourceValue(ct, it.resourceFieldRef);
    }
    into[`/${it.path}`] = v;
  }
}

/** Files of an API-backed volume as the kubelet writes them (paths relative to the mount). */
/**
 * A ConfigMap's files as a volume holds them (keyed), kept per stored object and resourceVersion: every
 * pod's service account volume holds kube-root-ca.crt, synced each minute.
 */
const cmFiles = new WeakMap<KObj, { rv: unknown; byItems: Map<string, FileMap> }>();

function cmKeyed(o: KObj | undefined, items: KObj[] | undefined, into: FileMap, defaultMode: number | undefined): void {
  if (!o) return keyed(cmBytes(o), items, into, defaultMode);
  let memo = cmFiles.get(o);
  if (!memo || memo.rv !== o.metadata?.resourceVersion) cmFiles.set(o, (memo = { rv: o.metadata?.resourceVersion, byItems: new Map() }));
  const key = JSON.stringify([items ?? null, defaultMode ?? null]);
  let files = memo.byItems.get(key);
  if (!files) {
    files = {};
    keyed(cmBytes(o), items, files, defaultMode);
    memo.byItems.set(key, files);
  }
  Object.assign(into, files);
}

export function volumeContents(c: Cluster, pod: KObj, v: KObj): FileMap | undefined {
  const ns = pod.metadata.namespace;
  const out: FileMap = {};
  if (v.configMap) cmKeyed(cm(c, ns, v.configMap.name), v.configMap.items, out, v.configMap.defaultMode);
  else if (v.secret) keyed(secretBytes(secret(c, ns, v.secret.secretName)), v.secret.items, out, v.secret.defaultMode);
  else if (v.downwardAPI) downward(pod, undefined, v.downwardAPI.items, out);
  else if (v.projected) {
    for (const s of v.projected.sources ?? []) {
      if (s.configMap) cmKeyed(cm(c, ns, s.configMap.name), s.configMap.items, out, v.projected.defaultMode);
      if (s.secret) keyed(secretBytes(secret(c, ns, s.secret.name)), s.secret.items, out, v.projected.defaultMode);
      if (s.downwardAPI) downward(pod, undefined, s.downwardAPI.items, out);
      if (s.serviceAccountToken) out[`/${s.serviceAccountToken.path}`] = `eyJhbGciOiJSUzI1NiIsImtpZCI6Imt1YmVzaW0ifQ.${Buffer.from(JSON.stringify({ sub: `system:serviceaccount:${ns}:${pod.spec.serviceAccountName ?? 'default'}` })).toString('base64url')}.c2ln`;
    }
  } else return undefined;
  return out;
}

/** runAsNonRoot against the user the image runs as. */
export function securityError(pod: KObj, spec: KObj, imageUser: string): string | undefined {
  const sc = { ...(pod.spec.securityContext ?? {}), ...(spec.securityContext ?? {}) };
  if (!sc.runAsNonRoot) return undefined;
  const uid = sc.runAsUser ?? (/^\d+$/.test(imageUser || '0') ? Number(imageUser || '0') : undefined);
  if (uid === undefined) return `container has runAsNonRoot and image has non-numeric user (${imageUser}), cannot verify user is non-root (pod: "${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})", container: ${spec.name})`;
  if (uid === 0) return `container has runAsNonRoot and image will run as root (pod: "${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})", container: ${spec.name})`;
  return undefined;
}
