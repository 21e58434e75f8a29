// What a verb gets from its caller: streams, environment, working directory and wall clock.
// Verbs never touch `process` directly, so tests run the whole CLI in-process.
import { fstatSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { isatty } from 'node:tty';

export interface Out {
  write(s: string): void;
}

export interface IO {
  stdout: Out;
  stderr: Out;
  /** reads all of standard input (for `-f -`) */
  readStdin(): Promise<string>;
  env: Record<string, string | undefined>;
  cwd: string;
  /** wall-clock now in epoch ms */
  wallNow(): number;
  stdinIsTTY?: boolean;
  stdoutIsTTY?: boolean;
  /** process id shown in klog-style lines */
  pid?: number;
  /** the name the program was started as (`kubectl` or `kubesim`): help and completion name it */
  program?: string;
  /**
   * reads one line from a terminal with a prompt (line editing and history); undefined at end of
   * input. Ctrl-C drops the line typed so far (`^C`, a new prompt); Tab asks `complete` for the
   * completions of the line so far (readline's [candidates, the word they complete]).
   */
  readLine?(prompt: string, complete?: (line: string) => Promise<[string[], string]>): Promise<string | undefined>;
  /** waits `ms` of wall time (injected so tests never sleep) */
  sleep?(ms: number): Promise<void>;
  /**
   * waits until the user interrupts (Ctrl-C: SIGINT, or the terminal's interrupt key while reading
   * lines): true; false when `until` settles first
   */
  waitForInterrupt?(until?: Promise<unknown>): Promise<boolean>;
  /** waits until what was written has reached the operating system (or met a closed pipe) */
  flush?(): Promise<void>;
}

/**
 * A closed pipe (`kubesim get pods -o json | head -1`): Go programs such as kubectl die of SIGPIPE
 * on their first write to it, silently (the shell sees 141); Node would throw `write EPIPE`. Here
 * the rest of the output is dropped and main() ends with 141 (see closedPipeStatus).
 */
let pipeClosed = false;
let pipeWatched = false;
/** process.stdout/stderr exist (readline writes through them) */
let streamsMade = false;
function watchClosedPipe(): void {
  if (pipeWatched) return;
  pipeWatched = true;
  streamsMade = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE' && !pipeClosed) throw e;
      pipeClosed = true;
    });
  }
}

/** 141 (128 + SIGPIPE) once standard output or error met a closed pipe. */
export const closedPipeStatus = (): number | undefined => (pipeClosed ? 128 + 13 : undefined);

const waitBuffer = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes to standard output or error directly, as a Go program does: Node's process.stdout and
 * process.stderr streams cost milliseconds to set up (net for a pipe, tty for a terminal) and are
 * made only when something else asks for them (readline). A full non-blocking pipe is waited for.
 */
function writeFd(fd: 1 | 2, s: string): void {
  if (pipeClosed || s === '') return;
  let buf: Buffer | undefined;
  let off = 0;
  for (;;) {
    try {
      if (buf) off += writeSync(fd, buf, off);
      else {
        const n = writeSync(fd, s);
        if (n === s.length && s.length === Buffer.byteLength(s)) return;
        buf = Buffer.from(s, 'utf8');
        off = n;
      }
      if (off >= buf.length) return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') {
        pipeClosed = true;
        return;
      }
      if (code !== 'EAGAIN') throw e;
      buf ??= Buffer.from(s, 'utf8');
      Atomics.wait(waitBuffer, 0, 0, 2);
    }
  }
}

/** isatty, without loading node:tty (and net with it, 3-8 ms) when the descriptor is no character device: a pipe, a file */
function terminal(fd: 0 | 1): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return isatty(fd);
}

const wallSkew = (): number => {
  const v = Number(process.env.KUBESIM_WALL_SKEW_MS ?? 0);
  return Number.isFinite(v) ? v : 0;
};

export function processIO(): IO {
  let stdinTTY: boolean | undefined;
  let stdoutTTY: boolean | undefined;
  return {
    stdout: { write: (s) => writeFd(1, s) },
    stderr: { write: (s) => writeFd(2, s) },
    readStdin: () =>
      new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        process.stdin.on('data', (c: Buffer) => chunks.push(c));
        process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        process.stdin.on('error', reject);
      }),
    env: process.env,
    cwd: process.cwd(),
    // KUBESIM_WALL_SKEW_MS moves the wall clock ahead: the bench's "after 24 h idle" without waiting a day
    wallNow: () => Date.now() + wallSkew(),
    // asked only by the verbs that care (exec, attach, run -i, edit), without making the streams
    get stdinIsTTY() {
      return (stdinTTY ??= terminal(0));
    },
    get stdoutIsTTY() {
      return (stdoutTTY ??= terminal(1));
    },
    pid: process.pid,
    program: basename(process.argv[1] ?? '').replace(/\.c?js$/, ''),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    readLine: terminalLine,
    waitForInterrupt,
    // what the IO wrote is written; a stream readline made may still hold some
    flush: () => new Promise((resolve) => (pipeClosed || !streamsMade ? resolve() : process.stdout.write('', () => setImmediate(resolve)))),
  };
}

function waitForInterrupt(until?: Promise<unknown>): Promise<boolean> {
  return new Promise((resolve) => {
    const alive = setInterval(() => undefined, 1 << 30);
    const done = (interrupted: boolean) => {
      clearInterval(alive);
      process.off('SIGINT', onSignal);
      rl?.off('SIGINT', onSignal);
      resolve(interrupted);
    };
    const onSignal = () => {
      // nothing more is read: a pending read of the terminal must not keep the process alive
      if (!rl) process.stdin.pause();
      done(true);
    };
    process.on('SIGINT', onSignal);
    rl?.on('SIGINT', onSignal);
    until?.then(
      () => done(false),
      () => done(false),
    );
  });
}

let rl: Interface | undefined;
let ended = false;

/** What Tab completes with in the line being read (set by the reader of that line). */
let completeWith: ((line: string) => Promise<[string[], string]>) | undefined;

function completer(line: string, done: (err: null, result: [string[], string]) => void): void {
  const f = completeWith;
  if (!f) return done(null, [[], line]);
  f(line).then(
    (r) => done(null, r),
    () => done(null, [[], line]),
  );
}

async function terminalLine(prompt: string, complete?: (line: string) => Promise<[string[], string]>): Promise<string | undefined> {
  if (ended) return undefined;
  watchClosedPipe();
  rl ??= createInterface({ input: process.stdin, output: process.stdout, terminal: true, historySize: 500, completer });
  rl.once('close', () => (ended = true));
  completeWith = complete;
  return new Promise((resolve) => {
    const onClose = () => {
      rl!.off('SIGINT', onInterrupt);
      resolve(undefined);
    };
    // a shell's answer to Ctrl-C at its prompt: the line typed so far is dropped, a new prompt
    const onInterrupt = () => {
      rl!.write(null, { ctrl: true, name: 'e' });
      process.stdout.write('^C\n');
      const edit = rl as unknown as { line: string; cursor: number };
      edit.line = '';
      edit.cursor = 0;
      rl!.prompt();
    };
    rl!.once('close', onClose);
    rl!.on('SIGINT', onInterrupt);
    rl!.question(prompt, (answer) => {
      rl!.off('close', onClose);
      rl!.off('SIGINT', onInterrupt);
      completeWith = undefined;
      resolve(answer);
    });
  });
}

/** Lets the process end after an interactive session. */
export function closeTerminal(): void {
  rl?.close();
}

/** An IO that records output, for tests and for nested invocations. */
export function memoryIO(opts: { stdin?: string; env?: Record<string, string | undefined>; cwd?: string; now?: () => number } = {}) {
  let out = '';
  let err = '';
  const io: IO = {
    stdout: { write: (s) => void (out += s) },
    stderr: { write: (s) => void (err += s) },
    readStdin: async () => opts.stdin ?? '',
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
    wallNow: opts.now ?? (() => Date.now()),
    pid: 12345,
    sleep: async () => undefined,
  };
  return { io, stdout: () => out, stderr: () => err };
}
