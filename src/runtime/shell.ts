// A container's shell: just-bash (loaded lazily) over an in-memory filesystem built from the image
// (OS files, image files, a stub per program the image has), the kubelet-managed files, the pod's
// volumes mounted at their mountPaths, and the container's writable layer from the store.
import type { KObj } from '../api/types.js';
import type { OsSpec, Variant } from './catalog.js';
import { containerCommands, type Kernel } from './commands.js';
import { allowedBuiltins, imageOwn, osHas, SHELL_BUILTINS, unrunnableCommands } from './programs.js';
import { MISSING_BUILTINS, missingBuiltins } from './builtins.js';
import { applyMap, snapshot } from './files.js';
import { SHELL_LIMITS, type FileMap } from './state.js';
import { fastLocaleCompare } from './collation.js';
import { patchSymlinkResolution } from './fs-symlinks.js';
import { lsLong, type LsOwners } from './ls-long.js';

type JB = typeof import('just-bash');

let jbPromise: Promise<JB> | undefined;

declare const require: ((id: string) => unknown) | undefined;

/** just-bash, loaded on first use (require in the CommonJS bundle, whose code-cached script has no import()). */
export function justBash(): Promise<JB> {
  fastLocaleCompare();
  // links through links resolve as the kernel resolves them (fs-symlinks.ts)
  return (jbPromise ??= (typeof require === 'function' ? Promise.resolve(require('just-bash') as JB) : import('just-bash')).then((jb) => {
    patchSymlinkResolution(jb);
    return jb;
  }));
}

/** Programs an image has: its OS's program set (busybox applets, coreutils…), plus the image's own programs and `bins`. */
export function hasProgram(variant: Variant, os: OsSpec, name: string): boolean {
  const busybox = os.shellKind === 'ash';
  if (imageOwn(variant).includes(name)) return true;
  if (os.shell === null) return false;
  switch (name) {
    case 'curl':
      return false;
    case 'wget':
    case 'killall':
    case 'pkill':
      return busybox;
    case 'ps':
      return busybox || os.ps === 'procps';
    case 'bash':
      return os.shellKind === 'bash';
    case 'python':
    case 'python3':
      return variant.process.kind === 'python';
    default:
      return !Array.isArray(os.programs) || osHas(os, name);
  }
}

export interface ContainerShell {
  bash: InstanceType<JB['Bash']>;
  root: InstanceType<JB['InMemoryFs']>;
  volumes: Record<string, InstanceType<JB['InMemoryFs']>>;
  kernel: Kernel;
  /** files as they were when the shell was built (to find what changed) */
  baseline: Map<string, string>;
  /** the container's terminationMessagePath (the kubelet's bind-mounted file) */
  termPath?: string;
}

export interface ShellSpec {
  pod: KObj;
  container: KObj;
  variant: Variant;
  os: OsSpec;
  upper: FileMap;
  volumeFs: Record<string, InstanceType<JB['InMemoryFs']>>;
  kubeletFiles: Record<string, string>;
  env: Record<string, string>;
  kernel: Kernel;
  /** wraps a filesystem so writes fail (readOnlyRootFilesystem, API-backed volumes, readOnly mounts) */
  readOnly<T extends object>(fs: T, prefix?: string): T;
  readOnlyVolumes: Set<string>;
  /** the kubelet's termination-log file: where it is mounted and what the container wrote so far */
  termination?: { path: string; content: string };
}

/** A path and the directories above it (`/a/b` → `/a/b`, `/a`). */
function withParents(p: string): string[] {
  const out = [p];
  for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) out.push(p.slice(0, i));
  return out;
}

export async function buildShell(spec: ShellSpec): Promise<ContainerShell> {
  const jb = await justBash();
  const files: Record<string, string | { content: string; mode: number }> = {};
  const names = new Set([...jb.getCommandNames(), 'ps', 'kill', 'killall', 'pkill', 'id', 'hostname', 'python', 'python3', 'nginx', 'uname', 'curl', 'wget', 'whoami', 'nohup', 'nslookup', ...MISSING_BUILTINS, ...imageOwn(spec.variant)]);
  for (const n of names) {
    if (!hasProgram(spec.variant, spec.os, n) && !SHELL_BUILTINS.has(n) && !MISSING_BUILTINS.includes(n)) continue;
    files[`/usr/bin/${n}`] = { content: '', mode: 0o755 };
    files[`/bin/${n}`] = { content: '', mode: 0o755 };
  }
  // the image's top-level directories (the catalog's `dirs`: /boot, /media, /opt, /srv… as its base has them)
  const dirs = Array.isArray(spec.os.dirs) ? (spec.os.dirs as string[]) : [];
  for (const dir of ['/tmp', '/root', '/home', '/var/log', '/proc', '/dev', '/run', ...dirs]) files[`${dir}/.keep`] = '';
  Object.assign(files, spec.os.files, spec.variant.files ?? {}, spec.kubeletFiles);
  const root = new jb.InMemoryFs(files);
  for (const p of root.getAllPaths()) if (p.endsWith('/.keep')) await root.rm(p);
  // the image's scripts are executable (the entrypoint and what it runs: -rwxrwxr-x)
  for (const [p, content] of Object.entries({ ...spec.os.files, ...(spec.variant.files ?? {}) })) {
    if (typeof content === 'string' && content.startsWith('#!')) await root.chmod(p, 0o775);
  }
  // the writable layer: bytes, modes, links and whiteouts as files.ts stores them
  await applyMap(root, spec.upper);
  const sc = { ...(spec.pod.spec.securityContext ?? {}), ...(spec.container.securityContext ?? {}) };
  const fs = new jb.MountableFs({ base: sc.readOnlyRootFilesystem ? spec.readOnly(root) : root });
  // the container runtime's /dev: reading /dev/null works in every image (never saved in the layer)
  // and the kubelet's termination-log file, bind-mounted (empty at first) at terminationMessagePath
  const term = spec.termination;
  const devFiles: Record<string, string> = { '/null': '' };
  if (term?.path.startsWith('/dev/')) devFiles[term.path.slice(4)] = term.content;
  else if (term?.path.startsWith('/') && !(await root.exists(term.path))) await root.writeFile(term.path, term.content);
  fs.mount('/dev', new jb.InMemoryFs(devFiles));
  for (const m of spec.container.volumeMounts ?? []) {
    const v = spec.volumeFs[m.name];
    if (v) fs.mount(m.mountPath, m.readOnly || spec.readOnlyVolumes.has(m.name) ? spec.readOnly(v, String(m.mountPath).replace(/\/$/, '')) : v);
  }
  // who owns what, for ls -l (ls-long.ts): the image's files are root's, volumes follow fsGroup
  const writable = new Set((spec.pod.spec.volumes ?? []).filter((v: KObj) => v.emptyDir || v.hostPath || v.persistentVolumeClaim || v.ephemeral).map((v: KObj) => v.name));
  const fsGroup = spec.pod.spec.securityContext?.fsGroup;
  // (the runtime makes the directories a mount point needs: root's too)
  const mountDirs = (spec.container.volumeMounts ?? []).flatMap((m: KObj) => withParents(String(m.mountPath).replace(/(.)\/$/, '$1')).slice(1));
  const owners: LsOwners = {
    image: new Set(['/', ...Object.keys(files).flatMap(withParents), ...mountDirs]),
    mounts: (spec.container.volumeMounts ?? [])
      .map((m: KObj) => ({ path: String(m.mountPath).replace(/(.)\/$/, '$1'), writable: writable.has(m.name) && !m.readOnly }))
      .sort((a: { path: string }, b: { path: string }) => b.path.length - a.path.length),
    ...(typeof fsGroup === 'number' ? { fsGroup } : {}),
    uid: Number(spec.kernel.uid) || 0,
    gid: Number(spec.kernel.gid) || 0,
    style: spec.kernel.psStyle === 'busybox' ? 'busybox' : 'gnu',
  };
  const ls = jb.defineCommand('ls', async (args, ctx) => (await lsLong(args, ctx.fs as never, ctx.cwd, owners, spec.kernel.now())) ?? ctx.origCommand!(args));
  const bash = new jb.Bash({
    fs,
    cwd: spec.container.workingDir || spec.variant.workingDir || '/',
    env: spec.env,
    // only the image's programs: just-bash's other commands (jq, sqlite3…) are not in the image
    commands: allowedBuiltins(jb, (n) => hasProgram(spec.variant, spec.os, n)) as never,
    customCommands: [
      ...[...containerCommands(jb, spec.kernel), ls].filter((c) => SHELL_BUILTINS.has(c.name) || hasProgram(spec.variant, spec.os, c.name)),
      ...unrunnableCommands(jb, spec.variant, spec.os, () => spec.kernel.now()),
      ...(spec.os.shell === null ? [] : missingBuiltins(jb, (n) => hasProgram(spec.variant, spec.os, n))),
    ],
    sleep: async (ms: number) => spec.kernel.sleep(ms),
    processInfo: { pid: 1, uid: Number(spec.kernel.uid) || 0, gid: Number(spec.kernel.uid) || 0 },
    executionLimits: SHELL_LIMITS,
    // just-bash's defense in depth patches and restores the host's intrinsics (Function, Reflect,
    // JSON, timers…) around every exec, 25-80 ms an exec; the container runs no host JavaScript
    // (js-exec and python are not among its commands) and its files are in memory
    defenseInDepth: false,
  });
  const baseline = await snapshot(root);
  return { bash, root, volumes: spec.volumeFs, kernel: spec.kernel, baseline, ...(term ? { termPath: term.path } : {}) };
}

export { snapshot };

/** Folds what a run changed in the container's own files into its writable layer. */
export async function flushShell(sh: ContainerShell, upper: FileMap): Promise<void> {
  const now = await snapshot(sh.root);
  for (const [p, c] of now) {
    if (sh.baseline.get(p) !== c) upper[p] = c;
  }
  for (const p of sh.baseline.keys()) if (!now.has(p)) upper[p] = null;
  sh.baseline = now;
}

export async function volumeFiles(fs: InstanceType<JB['InMemoryFs']>): Promise<FileMap> {
  const out: FileMap = {};
  for (const [p, c] of await snapshot(fs)) if (p !== '/') out[p] = c;
  return out;
}

/** Rewrites just-bash's bash-style "not found" texts into the image shell's own. */
export function shellErrors(text: string, os: OsSpec): string {
  text = text.replace(/EROFS: read-only file system(, open '[^']*')?/g, 'Read-only file system');
  if (os.shellKind === 'ash') {
    text = text.replace(/^(cat|head|tail|wc): ([^:\n]+): No such file or directory$/gm, "$1: can't open '$2': No such file or directory");
  }
  if (os.shellKind === 'ash') return text.replace(/^bash: (?:line \d+: )?([^:\n]+): command not found$/gm, 'sh: $1: not found');
  if (os.shellKind === 'dash') return text.replace(/^bash: (?:line \d+: )?([^:\n]+): command not found$/gm, 'sh: 1: $1: not found');
  return text.replace(/^bash: ([^:\n]+): command not found$/gm, 'bash: line 1: $1: command not found');
}
