// kubectl exec POD [-c C] [-i] [-t] -- CMD…: runs the command in the container's shell; its exit
// status becomes kubectl's. `-it … sh` on a terminal is an interactive shell until `exit`.
import { CliError, StatusError } from '../api/errors.js';
import type { KObj } from '../api/types.js';
import { endlessNote, ENDLESS_EXIT } from '../runtime/limits.js';
import { PodRuntime, type ExecResult } from '../runtime/pod.js';
import { quote } from '../runtime/pod-helpers.js';
import { bool, parseFlags, str, type Parsed } from './flags.js';
import type { IO } from './io.js';
import { findPod, pickContainer, usageError } from './pod-target.js';
import { withCluster } from './session.js';

const FLAGS = [
  { name: 'container', short: 'c', type: 'string' as const, default: '' },
  { name: 'stdin', short: 'i', type: 'bool' as const, default: false },
  { name: 'tty', short: 't', type: 'bool' as const, default: false },
  { name: 'quiet', short: 'q', type: 'bool' as const, default: false },
  { name: 'filename', short: 'f', type: 'stringArray' as const, default: [] },
  { name: 'pod-running-timeout', type: 'duration' as const, default: '1m0s' },
];

function checkTarget(pod: KObj, name: string): void {
  if (!pod.spec.nodeName) throw new StatusError('BadRequest', `pod ${pod.metadata.name} does not have a host assigned`);
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw new CliError(`cannot exec into a container in a completed pod; current phase is ${phase}`);
  const all = [...pod.spec.containers, ...(pod.spec.initContainers ?? []), ...(pod.spec.ephemeralContainers ?? [])];
  if (!all.some((x: KObj) => x.name === name)) throw new StatusError('BadRequest', `container ${name} is not valid for pod ${pod.metadata.name}`);
  const st = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])].find((s: KObj) => s.name === name);
  if (!st?.state?.running) throw new CliError(`unable to upgrade connection: container not found ("${name}")`);
}

/** containerd's exec id: 64 hex digits, different per call. */
function execId(seed: number): string {
  let x = seed >>> 0 || 1;
  return Array.from({ length: 64 }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return '0123456789abcdef'[(x >>> 0) % 16];
  }).join('');
}

async function runOnce(
  io: IO,
  p: ReturnType<typeof parseFlags>,
  ref: string,
  argv: string[],
  stdin: string | undefined,
  quiet: boolean,
  opts: { cwd?: string; display?: string[] } = {},
) {
  return withCluster(io, p, 'write', async (s) => {
    const pod = findPod(s.cluster, s.namespace, ref, io);
    const name = pickContainer(pod, str(p, 'container'), io, quiet);
    checkTarget(pod, name);
    const r = await PodRuntime.of(s.cluster, pod).exec(name, argv, stdin, opts);
    if (r.notFound) {
      throw new CliError(
        `Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${execId(s.cluster.now() ^ s.cluster.randomInt(1 << 30))}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${argv[0]}": executable file not found in $PATH: unknown`,
      );
    }
    return { r, pod, name, frozen: s.cluster.state.clock.mode === 'frozen' };
  });
}

function interrupted(io: IO, tty: boolean): number {
  if (!tty) return 1;
  io.stderr.write('command terminated with exit code 130\n');
  return 130;
}

/**
 * A command that never ends (a loop without sleep). With the clock following wall time and a
 * terminal, it runs until Ctrl-C, as in a real container: kubectl dies of the SIGINT (130); with -i
 * its interrupt handler exits 1; with -t the container's shell gets the interrupt and ends with 130.
 * Otherwise (a script, a frozen clock) kubesim stops it with one line on stderr and exits 124.
 */
async function endless(io: IO, r: ExecResult, frozen: boolean, stdin: boolean, tty: boolean): Promise<number> {
  if (r.endless?.forever && !frozen && io.stdinIsTTY && io.waitForInterrupt) {
    await io.waitForInterrupt();
    return stdin || tty ? interrupted(io, tty) : 130;
  }
  io.stderr.write(endlessNote(r.endless));
  return ENDLESS_EXIT;
}

/**
 * Tab in a container shell: the file names of the container's filesystem that complete the last
 * word of the line (directories with a `/`; names starting with a dot only when the word does), as
 * the shell's filename completion offers them.
 */
async function completePath(io: IO, p: Parsed, ref: string, cwd: string, line: string): Promise<[string[], string]> {
  const word = /(\S*)$/.exec(line)![1];
  const slash = word.lastIndexOf('/');
  const dir = word.slice(0, slash + 1);
  const stem = word.slice(slash + 1);
  const at = dir ? quote(dir) : '';
  const script = `cd ${quote(cwd)} && for f in ${at}.* ${at}*; do [ -e "$f" ] || continue; if [ -d "$f" ]; then echo "\${f##*/}/"; else echo "\${f##*/}"; fi; done`;
  const { r } = await runOnce(io, p, ref, ['sh', '-c', script], undefined, true);
  if (r.exitCode !== 0) return [[], word];
  const names = r.stdout
    .split('\n')
    .filter((n) => n && n !== './' && n !== '../' && n.startsWith(stem) && (stem.startsWith('.') || !n.startsWith('.')));
  return [names.map((n) => dir + n), word];
}

function promptFor(pod: KObj, shell: string, user: string, cwd: string): string {
  if (shell === 'sh' && user === 'root') return `${cwd} # `;
  if (shell === 'sh') return `${cwd} $ `;
  return `${user === 'root' ? 'root' : 'I have no name!'}@${pod.metadata.name}:${cwd}${user === 'root' ? '#' : '$'} `;
}

export default async function exec(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'exec');
  if (p.args.length === 0) throw new CliError('pod, type/name or --filename must be specified');
  if (p.dashAt < 0 && p.args.length > 1) throw usageError('exec', 'exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead');
  const ref = p.args[0];
  const cmd = p.dashAt >= 0 ? p.args.slice(p.dashAt) : [];
  if (!cmd.length) throw new CliError('you must specify at least one command for the container');
  const base = cmd[0].split('/').pop()!;
  const interactive = bool(p, 'stdin') && bool(p, 'tty') && io.stdinIsTTY && io.readLine && ['sh', 'bash', 'ash'].includes(base) && !cmd.includes('-c');
  if (bool(p, 'tty') && !io.stdinIsTTY && bool(p, 'stdin')) io.stderr.write('Unable to use a TTY - input is not a terminal or the right kind of file\n');
  if (interactive) {
    const first = await runOnce(io, p, ref, ['sh', '-c', 'whoami; pwd'], undefined, bool(p, 'quiet'));
    const [user, startCwd] = first.r.stdout.split('\n');
    let cwd = startCwd || '/';
    let last = 0;
    for (;;) {
      const line = await io.readLine!(promptFor(first.pod, base, user, cwd), (typed) => completePath(io, p, ref, cwd, typed));
      if (line === undefined) break;
      if (/^\s*exit(\s+\d+)?\s*$/.test(line)) {
        last = Number(line.trim().split(/\s+/)[1] ?? last);
        break;
      }
      if (!line.trim()) continue;
      // the shell's working directory carries over from line to line
      const script = `${line}\n__s=$?; printf '\\036%s' "$PWD" >&2; exit $__s`;
      const { r, frozen } = await runOnce(io, p, ref, [cmd[0], '-c', script], undefined, true, { cwd, display: [cmd[0]] });
      const mark = r.stderr.lastIndexOf('\u001e');
      if (mark >= 0) {
        cwd = r.stderr.slice(mark + 1) || cwd;
        r.stderr = r.stderr.slice(0, mark);
      }
      io.stdout.write(r.stdout);
      io.stderr.write(r.stderr);
      last = r.exitCode;
      if (r.endless) {
        // the loop runs until Ctrl-C reaches it through the terminal; the shell goes on
        if (r.endless.forever && !frozen && io.waitForInterrupt) {
          await io.waitForInterrupt();
          io.stdout.write('\n');
          last = 130;
        } else io.stderr.write(endlessNote(r.endless));
      }
    }
    if (last) io.stderr.write(`command terminated with exit code ${last}\n`);
    return last;
  }
  let stdin: string | undefined;
  if (bool(p, 'stdin')) {
    // Ctrl-C while kubectl feeds the terminal to the command: with -t the container's process gets
    // it (130), with -i only kubectl's interrupt handler exits 1
    const reading = io.readStdin();
    if (io.stdinIsTTY && io.waitForInterrupt && (await io.waitForInterrupt(reading))) return interrupted(io, bool(p, 'tty'));
    stdin = await reading;
  }
  const { r, frozen } = await runOnce(io, p, ref, cmd, stdin, bool(p, 'quiet'));
  io.stdout.write(r.stdout);
  io.stderr.write(r.stderr);
  if (r.endless) return endless(io, r, frozen, bool(p, 'stdin'), bool(p, 'tty') && Boolean(io.stdinIsTTY));
  if (r.exitCode !== 0) {
    io.stderr.write(`command terminated with exit code ${r.exitCode}\n`);
    return r.exitCode;
  }
  return 0;
}
