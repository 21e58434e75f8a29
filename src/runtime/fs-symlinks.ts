// Path resolution through symbolic links as the kernel does it: a link's target is itself resolved
// component by component, so a link may point through another link (`labels -> ..data/labels`,
// `..data -> ..2026_12_01_21_00_00.123456789`, the kubelet's atomic writer layout). just-bash's
// in-memory filesystem follows a link's target only as a whole path; this replaces its two
// resolvers (all components; all but the last, for lstat and readlink) on its prototype.
type JB = typeof import('just-bash');

interface Entry {
  type: string;
  target?: string;
}

/** Linux's limit on links followed in one lookup (MAXSYMLINKS). */
const MAX_LINKS = 40;

function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

function resolveAll(data: Map<string, Entry>, path: string, original: string, verb: string, budget: { left: number }): string {
  const n = normalize(path);
  if (n === '/') return '/';
  let s = '/';
  for (const part of n.slice(1).split('/')) {
    s = s === '/' ? `/${part}` : `${s}/${part}`;
    let e = data.get(s);
    while (e && e.type === 'symlink') {
      if (--budget.left < 0) throw new Error(`ELOOP: too many levels of symbolic links, ${verb} '${original}'`);
      const target = String(e.target ?? '');
      s = resolveAll(data, target.startsWith('/') ? target : `${parentOf(s)}/${target}`, original, verb, budget);
      e = data.get(s);
    }
  }
  return s;
}

let patched = false;

/** Makes just-bash's InMemoryFs resolve links through links (once per process). */
export function patchSymlinkResolution(jb: JB): void {
  if (patched) return;
  patched = true;
  const proto = jb.InMemoryFs.prototype as unknown as {
    data: Map<string, Entry>;
    resolvePathWithSymlinks(p: string): string;
    resolveIntermediateSymlinks(p: string): string;
  };
  if (typeof proto.resolvePathWithSymlinks !== 'function' || typeof proto.resolveIntermediateSymlinks !== 'function') return;
  proto.resolvePathWithSymlinks = function (this: typeof proto, p: string): string {
    return resolveAll(this.data, p, p, 'open', { left: MAX_LINKS });
  };
  proto.resolveIntermediateSymlinks = function (this: typeof proto, p: string): string {
    const n = normalize(p);
    if (n === '/') return '/';
    const dir = resolveAll(this.data, parentOf(n), p, 'lstat', { left: MAX_LINKS });
    const last = n.slice(n.lastIndexOf('/') + 1);
    return dir === '/' ? `/${last}` : `${dir}/${last}`;
  };
}
