// Which programs a container can reach: the image OS's program set (fixtures/images.json programSets),
// the image's own programs and bins, and the shell's builtins — never the rest of just-bash's
// commands (jq, sqlite3, rg…), which would otherwise answer in images that do not have them. Programs
// an image has but the simulation cannot run (node, psql, git…) print one kubesim line and exit 126.
import type { OsSpec, Variant } from './catalog.js';
import { perlAnswer } from './perl.js';

type JB = typeof import('just-bash');

/** just-bash commands that are shell builtins or keywords in a real shell (not files on PATH). */
export const SHELL_BUILTINS = new Set(['alias', 'unalias', 'history', 'help', 'time', 'echo', 'printf', 'pwd', 'true', 'false', 'kill']);

/** Programs kubesim itself runs in a container (commands.ts and the shell's builtins). */
const SIMULATED = new Set(['curl', 'wget', 'ps', 'kill', 'killall', 'pkill', 'id', 'hostname', 'uname', 'whoami', 'date', 'env', 'printenv', 'sleep', 'nslookup', 'dig', 'host']);

/** Exit status of a program the image has but the simulation cannot run. */
export const UNRUNNABLE_EXIT = 126;

/** Whether the image's OS has `name` on its PATH (its catalog program set). */
export function osHas(os: OsSpec, name: string): boolean {
  return Array.isArray(os.programs) && os.programs.includes(name);
}

/** Programs of the image itself (beyond its OS): the image entry's programs and the variant's bins. */
export function imageOwn(variant: Variant): string[] {
  return [...(variant.programs ?? []), ...((variant as { bins?: string[] }).bins ?? [])];
}

/** just-bash's built-in commands the container's shell may run: what the image has, plus builtins. */
export function allowedBuiltins(jb: JB, has: (name: string) => boolean): string[] {
  return jb.getCommandNames().filter((n) => SHELL_BUILTINS.has(n) || has(n));
}

type Answer = { stdout: string; stderr: string; exitCode: number };

/** What the simulation can answer for an image's own program: versions, nginx's config test and signals. */
function answer(variant: Variant, name: string, args: string[], now: number): Answer | undefined {
  const p = variant.process;
  const out = (stdout: string): Answer => ({ stdout, stderr: '', exitCode: 0 });
  if ((name === 'node' || name === 'nodejs') && (args[0] === '--version' || args[0] === '-v') && p.nodeVersion) return out(`v${String(p.nodeVersion)}\n`);
  if (/^python(3(\.\d+)?)?$/.test(name) && (args[0] === '--version' || args[0] === '-V') && p.pythonVersion) return out(`Python ${String(p.pythonVersion)}\n`);
  if (/^perl(\d[\d.]*)?$/.test(name) && p.perlVersion) return perlAnswer(args, String(p.perlVersion));
  if (name === 'nginx' && p.kind === 'nginx' && args.length) {
    const conf = String(p.confFile ?? '/etc/nginx/nginx.conf');
    if (args[0] === '-v') return { stdout: '', stderr: `nginx version: nginx/${String(p.version)}\n`, exitCode: 0 };
    if (args[0] === '-t') return { stdout: '', stderr: `nginx: the configuration file ${conf} syntax is ok\nnginx: configuration file ${conf} test is successful\n`, exitCode: 0 };
    if (args[0] === '-s' && (args[1] === 'reload' || args[1] === 'reopen')) {
      const d = new Date(now).toISOString();
      return { stdout: '', stderr: `${d.slice(0, 10).replaceAll('-', '/')} ${d.slice(11, 19)} [notice] 42#42: signal process started\n`, exitCode: 0 };
    }
  }
  return undefined;
}

/** One line saying the image has the program but the simulation cannot run it. */
export function unrunnableNote(name: string): string {
  return `kubesim: ${name} is in the image, but the simulation cannot run it\n`;
}

/** Commands for the image's own programs that kubesim does not simulate: a few answers, else the note. */
export function unrunnableCommands(jb: JB, variant: Variant, os: OsSpec, now: () => number) {
  if (os.shell === null) return [];
  // an image's own bash (bash:5) is the shell just-bash runs, not an unrunnable program
  const names = new Set(imageOwn(variant).filter((n) => !SIMULATED.has(n) && !osHas(os, n) && n !== 'bash'));
  if (variant.process.kind === 'python') for (const n of ['python', 'python3']) names.add(n);
  return [...names].map((n) =>
    jb.defineCommand(n, async (args) => answer(variant, n, args, now()) ?? { stdout: '', stderr: unrunnableNote(n), exitCode: UNRUNNABLE_EXIT }),
  );
}

/** The OS as the invoked shell words its errors: `sh` is dash on Debian/Ubuntu, bash elsewhere it is bash. */
export function invokedShell(os: OsSpec, argv0: string | undefined): OsSpec {
  const base = (argv0 ?? '').split('/').pop();
  if (base === 'sh' && os.sh === 'dash') return { ...os, shellKind: 'dash' };
  return os;
}
