// What the container runtime keeps in the store for each pod: volume contents, each container's
// writable layer, its processes (as resumable programs) and its log.
import type { StoreState } from '../store/state.js';

/** path → file content; a `null` in a writable layer hides a file of the image (whiteout). */
export type FileMap = Record<string, string | null>;

export interface LogLine {
  /** simulated ms */
  t: number;
  /** stdout or stderr */
  s: 'o' | 'e';
  l: string;
  /** the text has not ended with a newline (yet): printed without one, continued by the next write */
  p?: boolean;
}

/** One compiled step of a shell script (see program.ts). */
export type Op =
  | { op: 'exec'; text: string }
  | { op: 'sleep'; text: string }
  | { op: 'daemon'; text: string }
  | { op: 'exit'; text: string }
  | { op: 'jump'; to: number; when?: 'ok' | 'fail'; loop?: 'back' | 'exit' }
  | { op: 'cond'; text: string }
  | { op: 'forInit'; id: number; words: string }
  | { op: 'forNext'; id: number; name: string; end: number };

export interface Daemon {
  kind: string;
  port?: number;
  root?: string;
  /** a request counter or other small per-daemon data */
  data?: Record<string, unknown>;
}

export interface Proc {
  pid: number;
  argv: string[];
  user: string;
  startedAt: number;
  /** a shell script in progress */
  ops?: Op[];
  pc?: number;
  env?: Record<string, string>;
  cwd?: string;
  status?: number;
  /** status of the last completed pass of the running loop's body (a loop ends with it, or 0) */
  loopStatus?: number;
  loops?: Record<string, string[]>;
  /** the script's shell arrays (`declare -p` lines), carried from statement to statement */
  arrays?: string;
  /** when the program continues; absent while it waits for nothing (a daemon, or an endless loop) */
  wakeAt?: number;
  /** an endless loop that can never end on its own: stepped only when someone looks */
  steady?: boolean;
  /** how far a steady program has been run */
  ranTo?: number;
  daemon?: Daemon;
  /** a shell waiting for the program it started in the foreground */
  waitFor?: number;
}

export interface ContainerRt {
  image: string;
  upper: FileMap;
  procs: Proc[];
  nextPid: number;
  log: LogLine[];
  prevLog?: LogLine[];
  /** what the container wrote to its terminationMessagePath (undefined: the file is gone) */
  term?: string;
  /** when the kubelet began stopping it (probes stop then) */
  stopping?: number;
  /** set when the main process has ended and the kubelet has not yet seen it */
  exited?: { code: number; at: number; signal?: number; /** the kernel's OOM killer ended it */ oom?: boolean };
}

export interface PodRt {
  volumes: Record<string, FileMap>;
  /** contents of configMap/secret/downward API volumes as last synced by the kubelet */
  mounted?: Record<string, FileMap>;
  /** when the kubelet last wrote each of those volumes (its atomic writer's timestamped directory) */
  mountedAt?: Record<string, number>;
  containers: Record<string, ContainerRt>;
}

export function runtimeOf(state: StoreState): Record<string, PodRt> {
  return (state.runtime ??= {});
}

/** Log lines kept per container (kubelet rotates container logs; we keep the newest lines). */
export const MAX_LOG_LINES = 5000;
/** Simulated time a long-idle endless loop replays when someone looks at it. */
export const MAX_CATCHUP_MS = 3 * 60_000;
/** Steps one program may take in one catch-up (guards busy loops without sleep). */
export const MAX_STEPS = 1000;
/** Steps all programs together may take in one invocation; past it, programs skip ahead. */
export const MAX_STEPS_PER_RUN = 3000;
/** A program out of steps resumes this long after the catch-up it ran out in. */
export const STEP_COST_MS = 1;
/** just-bash limits for one statement (a loop inside an if or a pipeline runs as one statement). */
export const SHELL_LIMITS = { maxCommandCount: 5_000, maxLoopIterations: 5_000 };

/** Adds whole lines to a container's log (a program's own log lines: each call ends its lines). */
export function appendLog(ct: ContainerRt, t: number, stream: 'o' | 'e', text: string): void {
  if (!text) return;
  appendOutput(ct, t, stream, text.endsWith('\n') ? text : `${text}\n`);
}

/**
 * Adds what a program wrote to stdout/stderr as the CRI log keeps it: one entry per line, split on
 * newlines only, so `printf a; printf 'b\n'` is the line `ab`; text not (yet) ended by a newline is
 * an open entry that the stream's next write continues (and `kubectl logs` prints as it is).
 */
export function appendOutput(ct: ContainerRt, t: number, stream: 'o' | 'e', text: string): void {
  if (!text) return;
  const lines = text.split('\n');
  let open: LogLine | undefined;
  for (let i = ct.log.length - 1; i >= 0 && i >= ct.log.length - 64; i--) {
    if (ct.log[i].s !== stream) continue;
    if (ct.log[i].p) open = ct.log[i];
    break;
  }
  if (open) {
    open.l += lines.shift()!;
    if (!lines.length) return; // still no newline
    delete open.p;
  }
  const last = lines.pop()!;
  for (const l of lines) ct.log.push({ t, s: stream, l });
  if (last !== '') ct.log.push({ t, s: stream, l: last, p: true });
  if (ct.log.length > MAX_LOG_LINES) ct.log.splice(0, ct.log.length - MAX_LOG_LINES);
}

/** A log entry as `kubectl logs` prints it. */
export function logText(l: LogLine): string {
  return l.p ? l.l : `${l.l}\n`;
}
