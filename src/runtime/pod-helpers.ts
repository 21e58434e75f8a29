// Helpers of the pod runtime that need none of its state: program lookup, PIDs, read-only mounts,
// shell failure texts, endless-loop detection.
import type { OsSpec, Variant } from './catalog.js';
import { compile } from './program.js';
import { osHas, SHELL_BUILTINS } from './programs.js';
import { hasProgram, justBash } from './shell.js';
import type { ContainerRt } from './state.js';

export function quote(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`;
}

/** Whether a top-level statement of the script is a loop that cannot end (the rest never runs). */
export async function endsInEndlessLoop(script: string): Promise<boolean> {
  try {
    const jb = await justBash();
    const statements = (jb.parse(script) as { statements: unknown[] }).statements;
    return statements.some((st) => compile(jb as never, jb.serialize({ type: 'Script', statements: [st] } as never)).steady);
  } catch {
    return false;
  }
}

/** PIDs as a container's processes get them (a few apart, as short-lived helpers take some). */
export function nextPid(ct: ContainerRt): number {
  const pid = ct.nextPid;
  ct.nextPid += 6;
  return pid;
}

const EXTRA = ['ps', 'kill', 'killall', 'pkill', 'id', 'hostname', 'uname', 'whoami', 'hello-app', 'curl', 'wget'];

export async function programExists(variant: Variant, os: OsSpec, name: string): Promise<boolean> {
  if (!hasProgram(variant, os, name)) return false;
  const own = [variant.entrypoint?.[0], variant.cmd?.[0]].map((x) => (x ?? '').split('/').pop());
  if (own.includes(name)) return true;
  if (os.shell === null) return false;
  if (EXTRA.includes(name)) return true;
  // builtins (alias, history…) are not files on PATH
  return !SHELL_BUILTINS.has(name) || osHas(os, name);
}

const WRITES = new Set(['writeFile', 'appendFile', 'mkdir', 'mkdirSync', 'rm', 'cp', 'mv', 'chmod', 'symlink', 'link', 'utimes']);

/** A mount the container cannot change (configMap, secret, downward API volumes). */
export function readOnly<T extends object>(fs: T, prefix = ''): T {
  return new Proxy(fs, {
    get(target, prop, recv) {
      const v = Reflect.get(target, prop, recv);
      if (typeof prop === 'string' && WRITES.has(prop) && typeof v === 'function') {
        const fail = (path: unknown) => Object.assign(new Error(`EROFS: read-only file system, open '${prefix}${String(path)}'`), { code: 'EROFS' });
        return prop.endsWith('Sync')
          ? (path: unknown) => {
              throw fail(path);
            }
          : async (path: unknown) => {
              throw fail(path);
            };
      }
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

/** A shell-level failure (a redirect into a read-only file system…) as the image's shell words it. */
export function failureText(e: unknown, os: OsSpec): string {
  const msg = e instanceof Error ? e.message : String(e);
  const m = /EROFS: read-only file system, open '(.*)'/.exec(msg);
  const sh = os.shellKind === 'ash' ? 'sh' : os.shellKind === 'dash' ? 'sh: 1' : 'bash';
  if (m) return os.shellKind === 'ash' ? `sh: can't create ${m[1]}: Read-only file system\n` : `${sh}: ${m[1]}: Read-only file system\n`;
  return `${sh}: ${msg}\n`;
}
