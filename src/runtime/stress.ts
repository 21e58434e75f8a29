// Memory-hungry programs of the task pages, as the container runtime sees them: polinux/stress
// (stress 1.0.4: `--vm N --vm-bytes B [--vm-hang S] [--cpu N] [--timeout T]`) and vish/stress
// (github.com/vishh/stress: `-mem-total Q -mem-alloc-size Q -mem-alloc-sleep D -cpus N`). What they
// allocate is compared with the container's memory limit: over it, the kernel's OOM killer ends the
// container (cgroup v2 with memory.oom.group, as the kubelet sets it: the whole container, exit 137,
// the runtime reports OOMKilled).
import type { KObj } from '../api/types.js';
import { parseQuantity, unitValue } from '../api/quantity.js';
import type { Op, Proc } from './state.js';

export interface MemoryProgram {
  /** lines the program writes when it starts, with the simulated ms after start and the stream */
  log: { ms: number; s: 'o' | 'e'; line: string }[];
  /** bytes the program holds once it has allocated everything */
  bytes: number;
  /** ms after start at which `bytes` crosses `limit` (given the limit) */
  reachMs(limit: number): number;
  /** ends by itself (stress --timeout): after ms with code */
  exit?: { ms: number; code: number; line?: string };
}

/** stress's byte sizes: a number with an optional b/k/m/g suffix (powers of 1024). */
function stressBytes(s: string): number | undefined {
  const m = /^(\d+)([bBkKmMgG]?)$/.exec(s);
  if (!m) return undefined;
  const mult = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase()] ?? 1;
  return Number(m[1]) * mult;
}

/** stress's time spans: a number with an optional s/m/h/d/y suffix, in seconds. */
function stressSeconds(s: string): number | undefined {
  const m = /^(\d+)([smhdy]?)$/.exec(s);
  if (!m) return undefined;
  return Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600, d: 86400, y: 31536000 }[m[2]] ?? 1);
}

function polinux(args: string[]): MemoryProgram | undefined {
  const opt = (long: string, short: string): string | undefined => {
    for (let i = 0; i < args.length; i++) {
      if (args[i] === long || args[i] === short) return args[i + 1];
      if (args[i].startsWith(`${long}=`)) return args[i].slice(long.length + 1);
    }
    return undefined;
  };
  const vm = Number(opt('--vm', '-m') ?? 0) || 0;
  const cpu = Number(opt('--cpu', '-c') ?? 0) || 0;
  const io = Number(opt('--io', '-i') ?? 0) || 0;
  const hdd = Number(opt('--hdd', '-d') ?? 0) || 0;
  if (!vm && !cpu && !io && !hdd) return undefined;
  const per = stressBytes(opt('--vm-bytes', '--vm-bytes') ?? '256M') ?? 256 * 1024 ** 2;
  const bytes = vm * per;
  const timeout = stressSeconds(opt('--timeout', '-t') ?? '');
  const log: MemoryProgram['log'] = [{ ms: 0, s: 'o', line: `stress: info: [1] dispatching hogs: ${cpu} cpu, ${io} io, ${vm} vm, ${hdd} hdd` }];
  return {
    log,
    bytes,
    // a vm worker touches its pages at about 1 GiB/s
    reachMs: (limit) => Math.max(1, Math.ceil((limit / (1024 ** 3)) * 1000) + 100),
    ...(timeout !== undefined ? { exit: { ms: timeout * 1000, code: 0, line: `stress: info: [1] successful run completed in ${timeout}s` } } : {}),
  };
}

/** glog's header: `I1201 20:30:00.123456       1 main.go:26] `. */
function glog(t: number, line: number): string {
  const d = new Date(t);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `I${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}000       1 main.go:${line}] `;
}

function goDurationMs(s: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ns|us|\u00b5s|ms|s|m|h)/g;
  let total = 0;
  let seen = '';
  for (const m of s.matchAll(re)) {
    total += Number(m[1]) * { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2]]!;
    seen += m[0];
  }
  return seen === s && s ? total : undefined;
}

function vish(args: string[], t: number): MemoryProgram {
  const opt = (name: string): string | undefined => {
    for (let i = 0; i < args.length; i++) {
      const a = args[i].replace(/^--?/, '-');
      if (a === `-${name}`) return args[i + 1];
      if (a.startsWith(`-${name}=`)) return a.slice(name.length + 2);
    }
    return undefined;
  };
  const total = opt('mem-total') ?? '0';
  const size = opt('mem-alloc-size') ?? '4Ki';
  const sleep = opt('mem-alloc-sleep') ?? '1ms';
  const totalBytes = Number(unitValue(parseQuantity(total) ?? parseQuantity('0')!));
  const stepBytes = Math.max(1, Number(unitValue(parseQuantity(size) ?? parseQuantity('4Ki')!)));
  const sleepMs = goDurationMs(sleep) ?? 1;
  const steps = Math.ceil(totalBytes / stepBytes);
  const doneMs = Math.round(steps * sleepMs);
  return {
    log: [
      { ms: 0, s: 'e', line: `${glog(t, 26)}Allocating "${total}" memory, in "${size}" chunks, with a ${sleep} sleep between allocations` },
      { ms: doneMs, s: 'e', line: `${glog(t + doneMs, 29)}Allocated "${total}" memory` },
    ],
    bytes: totalBytes,
    reachMs: (limit) => Math.max(1, Math.round(Math.ceil(limit / stepBytes) * sleepMs)),
  };
}

/** The memory program argv runs, when it is one (`stress …` of polinux/stress, `/stress …` of vish/stress). */
export function memoryProgram(argv: string[], t: number): MemoryProgram | undefined {
  const base = (argv[0] ?? '').split('/').pop();
  if (base !== 'stress') return undefined;
  // vish/stress takes Go flags (-mem-total), stress 1.0.4 GNU ones (--vm)
  if (argv.some((a) => /^--?(mem-total|mem-alloc-size|mem-alloc-sleep|cpus|logtostderr)\b/.test(a)) || argv[0] === '/stress') return vish(argv.slice(1), t);
  return polinux(argv.slice(1));
}

/** A container's memory limit in bytes (its own limit; none: undefined). */
export function memoryLimit(container: KObj): number | undefined {
  const q = parseQuantity(container?.resources?.limits?.memory);
  return q ? Number(unitValue(q)) : undefined;
}

/** What the program holds besides its allocations (its binary, libc, stacks). */
export const BASE_BYTES = 1 << 20;

/** A word as the shell reads it back literally. */
const shQuote = (w: string) => `'${w.replace(/'/g, "'\\''")}'`;

/**
 * Starts a memory program as `proc`: writes its first log lines and leaves the later ones to the
 * program's steps (so they appear when they are written). Over the container's memory limit the OOM
 * killer ends it (SIGKILL, exit 137, OOMKilled: `host.exit` at once, for the time it happens); a
 * stress --timeout run ends by itself after its last line.
 */
export function runMemoryProgram(p: MemoryProgram, container: KObj, t: number, proc: Proc, host: { log(at: number, s: 'o' | 'e', line: string): void; exit(code: number, at: number, oom: boolean): void }): void {
  const limit = memoryLimit(container);
  const killAt = limit !== undefined && p.bytes + BASE_BYTES > limit ? t + p.reachMs(Math.max(0, limit - BASE_BYTES)) : undefined;
  const oom = killAt !== undefined && (p.exit === undefined || killAt <= t + p.exit.ms);
  const lines = [...p.log, ...(p.exit?.line && !oom ? [{ ms: p.exit.ms, s: 'o' as const, line: p.exit.line }] : [])];
  const later: MemoryProgram['log'] = [];
  for (const l of lines) {
    if (oom && t + l.ms >= killAt!) continue;
    if (l.ms <= 0) host.log(t, l.s, l.line);
    else later.push(l);
  }
  if (oom) host.exit(137, killAt!, true);
  if (!later.length && !p.exit) {
    [proc.daemon, proc.wakeAt] = [{ kind: 'memory-hog' }, undefined];
    return;
  }
  const ops: Op[] = [];
  let at = 0;
  for (const l of later) {
    ops.push({ op: 'sleep', text: String((l.ms - at) / 1000) }, { op: 'exec', text: `printf '%s\\n' ${shQuote(l.line)}${l.s === 'e' ? ' >&2' : ''}` });
    at = l.ms;
  }
  // the program holds on until the kernel or its --timeout ends it
  ops.push(p.exit && !oom ? { op: 'sleep', text: String((p.exit.ms - at) / 1000) } : { op: 'sleep', text: 'infinity' });
  if (p.exit && !oom) ops.push({ op: 'exit', text: String(p.exit.code) });
  [proc.ops, proc.wakeAt] = [ops, t];
}
