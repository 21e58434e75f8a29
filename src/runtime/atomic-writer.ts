// How the kubelet writes API-backed volumes (pkg/volume/util/atomic_writer.go, pkg/volume/downwardapi):
// the files go into a timestamped directory `..2026_12_01_20_30_00.<random>` (os.MkdirTemp with the UTC
// time as its pattern), `..data` is a symbolic link to it (swapped by rename(2) on each update), and
// each path the user asked for is a symbolic link `name -> ..data/name` at the top. Labels and
// annotations files are `key="value"` lines sorted by key, the value quoted as Go's %q does, without
// a final newline; the annotations are the kubelet's copy of the pod's, with the two it adds when it
// first sees the pod (kubernetes.io/config.seen, kubernetes.io/config.source).
import type { KObj } from '../api/types.js';
import type { FileMap } from './state.js';
import { fnv1a } from '../api/fnv.js';

/** Go's strconv.Quote. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (r >= 0x20 && r !== 0x7f && /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u.test(ch)) out += ch;
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\v') out += '\\v';
    else if (r < 0x20 || r === 0x7f) out += `\\x${r.toString(16).padStart(2, '0')}`;
    else if (r < 0x10000) out += `\\u${r.toString(16).padStart(4, '0')}`;
    else out += `\\U${r.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** The downward API's formatMap: sorted `key="value"` lines, no newline after the last. */
export function formatMap(m: Record<string, unknown> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${goQuote(String(m![k]))}`)
    .join('\n');
}

const hash = (s: string): number => fnv1a(s);

/** When the kubelet first saw the pod: its admission (status.startTime), with a stable sub-second part. */
function seenAt(pod: KObj): string {
  const t = Date.parse(pod.status?.startTime ?? pod.metadata?.creationTimestamp ?? '') || 0;
  const nanos = String(hash(`${pod.metadata?.uid}/seen`) % 1_000_000_000).padStart(9, '0').replace(/0+$/, '');
  return `${new Date(t).toISOString().slice(0, 19)}${nanos ? `.${nanos}` : ''}Z`;
}

/** The pod's annotations as the kubelet holds them (what a downward API annotations file shows). */
export function kubeletAnnotations(pod: KObj): Record<string, string> {
  return { ...(pod.metadata?.annotations ?? {}), 'kubernetes.io/config.seen': seenAt(pod), 'kubernetes.io/config.source': 'api' };
}

/** `..2026_12_01_20_30_00.1234567890`: MkdirTemp's pattern with its random suffix (stable per pod, volume and write). */
export function timestampedDir(at: number, seed: string): string {
  const d = new Date(at);
  const p = (n: number) => String(n).padStart(2, '0');
  return `..${d.getUTCFullYear()}_${p(d.getUTCMonth() + 1)}_${p(d.getUTCDate())}_${p(d.getUTCHours())}_${p(d.getUTCMinutes())}_${p(d.getUTCSeconds())}.${hash(`${seed}@${at}`)}`;
}

/** The files of a volume laid out as the atomic writer leaves them (paths relative to the mount). */
export function atomicLayout(files: FileMap, dir: string): FileMap {
  const out: FileMap = { [`/${dir}`]: '\0dir' };
  const top = new Set<string>();
  for (const [p, content] of Object.entries(files)) {
    const rel = p.replace(/^\/+/, '');
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) out[`/${dir}/${parts.slice(0, i).join('/')}`] ??= '\0dir';
    out[`/${dir}/${rel}`] = content;
    top.add(parts[0]);
  }
  out['/..data'] = `\0link:${dir}`;
  // the kubelet links `name -> ..data/name` (followed through ..data as the kernel does, fs-symlinks.ts)
  for (const name of [...top].sort()) out[`/${name}`] = `\0link:..data/${name}`;
  return out;
}

/**
 * A volume's files as the container sees them: downward API volumes in the atomic writer's layout
 * (written at `at`: status.startTime for the first write), the others as plain files — the shell's cp
 * and tar would copy configMap and secret links rather than what they point to.
 */
export function mountedLayout(pod: KObj, v: KObj, files: FileMap, at: number | undefined): FileMap {
  if (!v.downwardAPI) return files;
  const first = Date.parse(pod.status?.startTime ?? '');
  return atomicLayout(files, timestampedDir(at ?? first, `${pod.metadata.uid}/${v.name}`));
}
