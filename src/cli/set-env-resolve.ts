// `kubectl set env --list --resolve`: the values of variables taken from ConfigMaps, Secrets, the
// object's own fields and the container's resources (kubectl/pkg/cmd/set/env/env_resolve.go).
import { resourceForKind } from '../api/registry.js';
import type { KObj } from '../api/types.js';
import { parseQuantity } from '../api/quantity.js';
import type { Cluster } from '../sim/engine.js';

function fieldPath(obj: KObj, path: string): string {
  const m = /^(.+)\['(.*)'\]$/.exec(path);
  if (m) {
    if (m[1] === 'metadata.annotations') return obj.metadata?.annotations?.[m[2]] ?? '';
    if (m[1] === 'metadata.labels') return obj.metadata?.labels?.[m[2]] ?? '';
    throw new Error(`fieldPath "${path}" does not support subscript`);
  }
  const formatMap = (mp: Record<string, string> | undefined) =>
    Object.keys(mp ?? {})
      .sort()
      .map((k) => `${k}=${JSON.stringify(mp![k])}`)
      .join('\n');
  switch (path) {
    case 'metadata.annotations':
      return formatMap(obj.metadata?.annotations);
    case 'metadata.labels':
      return formatMap(obj.metadata?.labels);
    case 'metadata.name':
      return obj.metadata?.name ?? '';
    case 'metadata.namespace':
      return obj.metadata?.namespace ?? '';
    case 'metadata.uid':
      return obj.metadata?.uid ?? '';
    default:
      throw new Error(`unsupported fieldPath: ${path}`);
  }
}

function resourceValue(sel: KObj, container: KObj): string {
  const [kind, name] = String(sel.resource ?? '').split('.', 2);
  const list = kind === 'limits' ? container.resources?.limits : kind === 'requests' ? container.resources?.requests : undefined;
  if (!list || !['cpu', 'memory', 'ephemeral-storage'].includes(name)) throw new Error(`Unsupported container resource : ${sel.resource}`);
  const q = parseQuantity(list[name] ?? '0')?.nano ?? 0n;
  const divisor = parseQuantity(sel.divisor ?? '1')?.nano || 1_000_000_000n;
  // cpu in milli-units, the others in whole units, rounded up
  const scale = name === 'cpu' ? 1_000_000n : 1_000_000_000n;
  const a = q / scale;
  const b = divisor / scale || 1n;
  return String((a + b - 1n) / b);
}

/** GetEnvVarRefValue: the value, or throws the error kubectl reports for the variable. */
export function resolveEnvRef(c: Cluster, namespace: string, from: KObj, obj: KObj, container: KObj): string {
  const get = (kind: string, name: string) => c.api.peek(resourceForKind('v1', kind)!, namespace, name);
  if (from.secretKeyRef) {
    const s = get('Secret', from.secretKeyRef.name);
    if (!s) throw new Error(`secrets "${from.secretKeyRef.name}" not found`);
    const v = s.data?.[from.secretKeyRef.key];
    if (v === undefined) throw new Error(`key ${from.secretKeyRef.key} not found in secret ${from.secretKeyRef.name}`);
    return Buffer.from(String(v), 'base64').toString('utf8');
  }
  if (from.configMapKeyRef) {
    const cm = get('ConfigMap', from.configMapKeyRef.name);
    if (!cm) throw new Error(`configmaps "${from.configMapKeyRef.name}" not found`);
    const v = cm.data?.[from.configMapKeyRef.key];
    if (v === undefined) throw new Error(`key ${from.configMapKeyRef.key} not found in config map ${from.configMapKeyRef.name}`);
    return String(v);
  }
  if (from.fieldRef) return fieldPath(obj, String(from.fieldRef.fieldPath ?? ''));
  if (from.resourceFieldRef) return resourceValue(from.resourceFieldRef, container);
  throw new Error('invalid valueFrom');
}
