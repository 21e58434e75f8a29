// The container's side of `kubectl cp`: what `tar cf - PATH` and `tar -xmf - -C DIR` do inside the
// container, over its filesystem (bytes, modes, links as links), with the messages of the image's
// tar (GNU tar, or BusyBox's on busybox/alpine images).
import { posix } from 'node:path';
import { catalog, resolveImage } from './catalog.js';
import { readEntry, putEntry, type Entry, type Fs } from './files.js';
import { hasProgram } from './shell.js';

export type TarFlavor = 'gnu' | 'busybox';

/** One archive member: its name as tar writes it (relative) and what it holds. */
export interface TarMember {
  name: string;
  entry: Entry;
}

export interface TarRun {
  /** what tar printed on its standard error */
  stderr: string;
  code: number;
}

const ERRNO: Record<string, string> = {
  ENOENT: 'No such file or directory',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EROFS: 'Read-only file system',
  EACCES: 'Permission denied',
  EEXIST: 'File exists',
};

function reason(e: unknown): string {
  const err = e as { code?: string; message?: string };
  if (err?.code && ERRNO[err.code]) return ERRNO[err.code];
  const m = /^(E[A-Z]+)\b/.exec(err?.message ?? '');
  return (m && ERRNO[m[1]]) || 'Input/output error';
}

/** `tar cf - PATH` run in `cwd`: the members in archive order (a directory before what it holds). */
export async function tarCreate(fs: Fs, path: string, cwd: string, flavor: TarFlavor): Promise<TarRun & { members: TarMember[] }> {
  const abs = posix.resolve(cwd, path);
  const name = path.replace(/^\/+/, '');
  const members: TarMember[] = [];
  let stderr = '';
  const top = await readEntry(fs, abs);
  if (name !== path && (flavor === 'gnu' || top)) stderr += flavor === 'gnu' ? "tar: Removing leading `/' from member names\n" : "tar: removing leading '/' from member names\n";
  if (!top) {
    if (flavor === 'gnu') return { members, stderr: `${stderr}tar: ${path}: Cannot stat: No such file or directory\ntar: Exiting with failure status due to previous errors\n`, code: 2 };
    return { members, stderr: `${stderr}tar: ${path}: No such file or directory\ntar: error exit delayed from previous errors\n`, code: 1 };
  }
  const walk = async (p: string, n: string, e: Entry) => {
    members.push({ name: n, entry: e });
    if (e.type !== 'dir') return;
    for (const child of (await fs.readdir(p)).sort()) {
      const ce = await readEntry(fs, `${p.replace(/\/$/, '')}/${child}`);
      if (ce) await walk(`${p.replace(/\/$/, '')}/${child}`, n ? `${n.replace(/\/$/, '')}/${child}` : child, ce);
    }
  };
  await walk(abs, name, top);
  return { members, stderr, code: 0 };
}

export interface ExtractOptions {
  flavor: TarFlavor;
  /** `--no-same-permissions` (kubectl cp --no-preserve), or tar not run by root: the umask applies */
  umask: boolean;
}

/** `tar -xmf - -C DIR` run in `cwd` with the members on its standard input. */
export async function tarExtract(fs: Fs, members: TarMember[], dir: string, cwd: string, opts: ExtractOptions): Promise<TarRun> {
  const base = posix.resolve(cwd, dir || '.');
  const st = await fs.stat(base).catch((e: unknown) => e as Error);
  if (st instanceof Error || !st.isDirectory) {
    const why = st instanceof Error ? reason(st) : 'Not a directory';
    if (opts.flavor === 'gnu') return { stderr: `tar: ${dir}: Cannot open: ${why}\ntar: Error is not recoverable: exiting now\n`, code: 2 };
    return { stderr: `tar: can't change directory to '${dir}': ${why}\n`, code: 1 };
  }
  let stderr = opts.flavor === 'gnu' && members.some((m) => m.name.startsWith('/')) ? "tar: Removing leading `/' from member names\n" : '';
  let failed = false;
  for (const m of members) {
    const name = m.name.replace(/^\/+/, '');
    const target = posix.join(base, name);
    let e = m.entry;
    if (opts.umask && e.type !== 'symlink') e = { ...e, mode: e.mode & ~0o022 };
    try {
      await putEntry(fs, target, e);
    } catch (err) {
      if (opts.flavor === 'busybox') return { stderr: `${stderr}tar: can't ${e.type === 'dir' ? 'create directory' : 'open'} '${name}': ${reason(err)}\n`, code: 1 };
      failed = true;
      const what = e.type === 'dir' ? 'mkdir' : e.type === 'symlink' ? `create symlink to '${e.target}'` : 'open';
      stderr += `tar: ${name}: Cannot ${what}: ${reason(err)}\n`;
    }
  }
  if (failed) return { stderr: `${stderr}tar: Exiting with failure status due to previous errors\n`, code: 2 };
  return { stderr, code: 0 };
}

/** Which tar an image has (BusyBox's on busybox/alpine, GNU tar elsewhere; none without a shell),
 * and the working directory its processes start in. */
export function imageTar(image: string): { flavor?: TarFlavor; workingDir: string } {
  const r = resolveImage(image);
  const cat = catalog();
  const variant = r.found ? r.variant : cat.generic;
  const os = r.found ? r.os : cat.os[cat.generic.os];
  const flavor = hasProgram(variant, os, 'tar') ? (os.shellKind === 'ash' ? 'busybox' : 'gnu') : undefined;
  return { flavor, workingDir: variant.workingDir || '/' };
}
