// Runs a parsed transcript against the in-process CLI: files go to a scratch directory, the frozen
// clock moves between commands (an explicit sleep or "wait N seconds", else the step), kubectl runs
// in-process, simple shell around it in just-bash, anything else is skipped with the reason; each
// shown output is matched with the names bound so far.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, posix } from 'node:path';
import { unifiedDiff } from './diff.js';
import { driftCommand, driftExpected } from './drift.js';
import { maskVolatile, renderExact } from './exact.js';
import { matchOutput, type Bindings } from './match.js';
import type { Item, OutputRange } from './parse.js';
import { assignment, cdOnly, interactiveShell, needsShell, skipReason, sleepOnly, splitWords, unwatch } from './shell.js';

export interface CliResult {
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as written (what a terminal shows) */
  combined: string;
  code: number;
}

export interface Host {
  /** one in-process invocation of the CLI (argv after the program name) */
  cli(argv: string[], stdin: string, cwd: string, vars: Record<string, string>): Promise<CliResult>;
  /** the verbs the CLI has */
  verbs: string[];
  /** moves the frozen clock forward when the cluster is next opened (no command of its own) */
  advance(ms: number): void;
  /** applies an advance still waiting (before a command that replaces the cluster, and at the end) */
  flush(): Promise<void>;
}

export interface RunOptions {
  /** clock advance between commands when the text asks for none */
  stepMs: number;
  /** scratch directory: named manifests are written here, commands run here */
  scratch: string;
  /** the transcript's directory (files next to it are found by relative path or name) */
  baseDir: string;
  /** kubesim's golden transcripts: commands run as written and outputs match byte for byte (see exact.ts) */
  exact?: boolean;
}

/** `older`: matches once known drift from an older kubectl is accounted for (see `rules`) */
export type Status = 'pass' | 'fail' | 'skip' | 'ran' | 'older';

export interface StepResult {
  line: number;
  command: string;
  status: Status;
  expected?: string;
  actual?: string;
  exitCode?: number;
  diff?: string;
  reason?: string;
  /** the version-drift rules that made it match */
  rules?: string[];
  /** where the transcript shows the output */
  at?: OutputRange;
}

const KUBE = new Set(['kubectl', 'k', 'kubesim']);
/** verbs that replace the cluster: a waiting clock advance is applied to the old one first */
const REPLACING = new Set(['cluster', 'reset', 'repair']);
/** kubectl's global flags that take a value (src/cli/flags.ts GLOBAL_FLAGS, the non-bool ones) */
const GLOBAL_WITH_VALUE = new Set([
  '-n', '--namespace', '--kubeconfig', '--context', '--cluster', '--user', '-s', '--server', '--request-timeout', '-v', '--v',
  '--as', '--as-group', '--as-uid', '--token', '--username', '--password', '--certificate-authority', '--client-certificate',
  '--client-key', '--tls-server-name', '--cache-dir', '--profile', '--profile-output', '--log-flush-frequency', '--vmodule',
]);
const INTERACTIVE: Record<string, string> = {
  edit: 'opens an editor',
  'port-forward': 'runs until interrupted',
  proxy: 'runs until interrupted',
  attach: 'attaches to a terminal',
};

function verbOf(args: string[]): string | undefined {
  let i = 0;
  while (i < args.length && args[i].startsWith('-')) i += GLOBAL_WITH_VALUE.has(args[i]) ? 2 : 1;
  return args[i];
}

/** Scratch-relative path for a file the page names (never outside the scratch directory). */
function scratchPath(scratch: string, name: string): string {
  const rel = normalize(name.replace(/\\/g, '/').replace(/^[A-Za-z]:/, '').replace(/^\/+/, ''));
  return join(scratch, rel.startsWith('..') ? basename(rel) : rel);
}

/** Maps manifest arguments to files the replay has: URLs and Windows paths by name. */
function mapFiles(args: string[], opts: RunOptions, cwd: string): { args: string[]; reason?: string } {
  let reason: string | undefined;
  const find = (p: string): string | undefined => {
    const unix = p.replace(/\\/g, '/').replace(/^\/+/, '');
    const candidates = [unix, basename(unix), join('examples', unix)].flatMap((q) => [join(opts.scratch, q), join(opts.baseDir, q)]);
    if (isAbsolute(p) && existsSync(p)) return p;
    return candidates.find((c) => existsSync(c));
  };
  const mapped = args.map((a) => {
    const m = /^(--filename=|-f=)?(.+\.(?:ya?ml|json))$/.exec(a);
    if (!m) return a;
    const [, flag = '', path] = m;
    const url = /^https?:\/\//.test(path);
    if (!url && existsSync(join(cwd, path))) return a;
    const local = find(url ? new URL(path).pathname.replace(/^\/examples\//, '') : path);
    if (local) return flag + local;
    if (url) reason ??= `fetches ${path}; put a copy named ${basename(new URL(path).pathname)} next to the transcript`;
    return a;
  });
  return { args: mapped, reason };
}

type JB = typeof import('just-bash');
declare const require: ((id: string) => unknown) | undefined;
let jbPromise: Promise<JB> | undefined;
/** just-bash, loaded on first use (require in the CommonJS bundle, whose code-cached script has no import()). */
function justBash(): Promise<JB> {
  return (jbPromise ??= typeof require === 'function' ? Promise.resolve(require('just-bash') as JB) : import('just-bash'));
}

export class Runner {
  private bindings: Bindings = new Map();
  private vars: Record<string, string> = {};
  private bash: import('just-bash').Bash | undefined;
  private moved = true;
  /** the working directory inside the scratch directory (`cd`) */
  private cwd = '/';
  /** an interactive shell the page typed `kubectl exec -it … -- sh` into: where the next commands run */
  private session: { exec: string[]; shell: string } | 'run' | undefined;
  /** the prompt `kubectl exec -it` was typed at: a command at it again has left the container */
  private hostPrompt: string | undefined;

  constructor(
    private readonly host: Host,
    private readonly opts: RunOptions,
  ) {}

  advance(ms: number): void {
    if (ms > 0) this.host.advance(Math.round(ms));
  }

  async run(items: Item[]): Promise<StepResult[]> {
    const results: StepResult[] = [];
    for (const item of items) {
      if (item.kind === 'file') {
        const path = scratchPath(join(this.opts.scratch, this.cwd), item.name);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, item.content);
        continue;
      }
      this.advance(item.waitMs ?? (this.moved ? 0 : this.opts.stepMs));
      this.moved = false;
      // back at the prompt that opened the shell, or kubectl again: the page has left the container
      if (this.session && ((item.prompt !== undefined && item.prompt === this.hostPrompt) || /^(?:sudo\s+)?(?:kubectl|k|kubesim)\s/.test(item.command))) {
        this.session = undefined;
        this.hostPrompt = undefined;
      }
      const res = await this.step(item.line, item.command, item.stdin ?? '', item.expected, item.excerpt);
      if (this.session && this.hostPrompt === undefined) this.hostPrompt = item.prompt ?? '';
      if (item.at) res.at = item.at;
      results.push(res);
    }
    await this.host.flush();
    return results;
  }

  private async step(line: number, command: string, stdin: string, expected: string | undefined, excerpt = false): Promise<StepResult> {
    const base: StepResult = { line, command, status: 'ran' };
    if (expected !== undefined) base.expected = expected;
    if (this.session) return this.inSession(base, command.trim(), stdin);
    const drift = this.opts.exact ? { command: command.trim(), rules: [] } : driftCommand(unwatch(command.trim()));
    const cmd = drift.command;
    if (drift.rules.length) base.rules = drift.rules;
    const interactive = needsShell(cmd) ? undefined : interactiveShell(splitWords(cmd));
    if (interactive) {
      this.session = interactive;
      if (interactive === 'run') return { ...base, status: 'skip', reason: 'kubectl run -it starts an interactive session' };
      return { ...base, reason: 'opens a shell: the commands up to exit run in the container' };
    }
    const sleep = sleepOnly(cmd);
    if (sleep !== undefined) {
      this.advance(sleep);
      this.moved = true;
      return base;
    }
    const cd = cdOnly(cmd);
    if (cd !== undefined) {
      const to = posix.resolve(this.cwd, cd.replace(/\\/g, '/'));
      if (!existsSync(join(this.opts.scratch, to))) return { ...base, status: 'skip', reason: `no directory ${cd} among the page's files` };
      this.cwd = to;
      return base;
    }
    const assigned = assignment(cmd);
    if (assigned?.simple) {
      this.vars[assigned.name] = assigned.value;
      // an assignment prints nothing (what --exact compares)
      return this.opts.exact ? { ...base, actual: '' } : base;
    }
    if (/^(alias|clear|cls|history)\b/.test(cmd)) return base;
    const why = skipReason(cmd) ?? this.missingVerb(cmd);
    if (why) return { ...base, status: 'skip', reason: why };
    let r: CliResult;
    const here = join(this.opts.scratch, this.cwd);
    if (assigned) {
      // a value from a command: run it, keep what it printed
      r = await this.shell(`${assigned.name}=${assigned.value}; printf '%s' "$${assigned.name}"`, stdin);
      if (r.code === 0) this.vars[assigned.name] = r.stdout;
      return this.judge(base, { ...r, stdout: '', combined: r.stderr });
    }
    if (!needsShell(cmd) && KUBE.has(splitWords(cmd)[0])) {
      const { args, reason } = mapFiles(splitWords(cmd).slice(1), this.opts, here);
      const verb = verbOf(args);
      if (reason) return { ...base, status: 'skip', reason };
      if (verb && INTERACTIVE[verb] && !this.scriptedEditor(verb)) return { ...base, status: 'skip', reason: `kubectl ${verb} ${INTERACTIVE[verb]}` };
      if (verb && !this.host.verbs.includes(verb)) return { ...base, status: 'skip', reason: `kubesim has no "kubectl ${verb}" yet` };
      if (verb && REPLACING.has(verb)) await this.host.flush();
      r = await this.host.cli(args, stdin, here, this.vars);
    } else {
      r = await this.shell(cmd, stdin);
    }
    return this.judge(base, r, excerpt);
  }

  /** `kubectl edit` runs when the page exported a scripted editor (`export KUBE_EDITOR='sed -i …'`), not a terminal one. */
  private scriptedEditor(verb: string): boolean {
    if (verb !== 'edit') return false;
    const editor = (this.vars.KUBE_EDITOR || this.vars.EDITOR || '').trim().split(/\s+/)[0] ?? '';
    return editor !== '' && !/^(vi|vim|nvim|nano|emacs|code|notepad|gedit|pico|joe|micro|ed)$/.test(editor.split('/').pop()!);
  }

  /** Why a shell line cannot run: a kubectl verb in it that kubesim lacks or that never ends. */
  private missingVerb(line: string): string | undefined {
    if (!needsShell(line) && !/^\w+=/.test(line.trim())) return undefined;
    // `VAR=value kubectl …` too: the bound kubectl does not see such a variable, so an editor named
    // that way (`KUBE_EDITOR="nano" kubectl edit …`) is never started
    for (const m of line.matchAll(/(?:^|[|;&(`]\s*)((?:\w+=(?:"[^"]*"|'[^']*'|\S*)\s+)*)(?:kubectl|k|kubesim)\s+((?:-\S+\s+)*)([a-z][\w-]*)/g)) {
      const verb = m[3];
      if (INTERACTIVE[verb] && (m[1] || !this.scriptedEditor(verb))) return `kubectl ${verb} ${INTERACTIVE[verb]}`;
      if (!this.host.verbs.includes(verb)) return `kubesim has no "kubectl ${verb}" yet`;
    }
    return undefined;
  }

  /** A command typed into the container's shell: `kubectl exec POD -- sh -c CMD`, until exit. */
  private async inSession(base: StepResult, cmd: string, stdin: string): Promise<StepResult> {
    const session = this.session!;
    if (/^(exit|logout)\b/.test(cmd)) {
      this.session = undefined;
      this.hostPrompt = undefined;
      return base;
    }
    if (session === 'run') return { ...base, status: 'skip', reason: 'typed into an interactive kubectl run session' };
    const r = await this.host.cli([...session.exec, '--', session.shell, '-c', cmd], stdin, join(this.opts.scratch, this.cwd), this.vars);
    return this.judge(base, r);
  }

  private judge(base: StepResult, r: CliResult, excerpt = false): StepResult {
    if (this.opts.exact) return judgeExact(base, r);
    const res: StepResult = { ...base, actual: r.combined, exitCode: r.code };
    if (base.expected === undefined) {
      return r.code === 0 ? res : { ...res, status: 'fail', reason: `exited ${r.code}; the transcript shows no output` };
    }
    const bound = matchOutput(base.expected, r.combined, this.bindings);
    if (bound) {
      this.bindings = bound;
      return { ...res, status: base.rules ? 'older' : 'pass' };
    }
    const older = driftExpected(base.expected, base.command);
    const boundOlder = older.rules.length ? matchOutput(older.expected, r.combined, this.bindings) : undefined;
    if (boundOlder) {
      this.bindings = boundOlder;
      return { ...res, status: 'older', rules: [...(base.rules ?? []), ...older.rules] };
    }
    // a separate output block (kubernetes.io) may show only the part that matters
    if (excerpt) {
      for (const [exp, rules] of [[base.expected, base.rules ?? []], [older.expected, [...(base.rules ?? []), ...older.rules]]] as const) {
        const bound = matchOutput(`...\n${exp}\n...`, r.combined, this.bindings);
        if (!bound) continue;
        this.bindings = bound;
        const note = { reason: 'the page shows part of the output' };
        return rules.length ? { ...res, ...note, status: 'older', rules: [...rules] } : { ...res, ...note, status: 'pass' };
      }
    }
    return { ...res, status: 'fail', diff: unifiedDiff(base.expected, r.combined, this.bindings) };
  }

  /** Runs a shell line in just-bash over the scratch directory, kubectl bound to the CLI. */
  private async shell(line: string, stdin: string): Promise<CliResult> {
    const jb = await justBash();
    if (!this.bash) {
      const scratch = this.opts.scratch;
      const bound = (name: string) =>
        jb.defineCommand(name, async (args, ctx) => {
          const cwd = join(scratch, ctx.cwd);
          const r = await this.host.cli(mapFiles(args, this.opts, cwd).args, jb.decodeBytesToUtf8(ctx.stdin), cwd, this.vars);
          return { stdout: r.stdout, stderr: r.stderr, exitCode: r.code };
        });
      this.bash = new jb.Bash({
        fs: new jb.ReadWriteFs({ root: scratch }),
        cwd: '/',
        customCommands: [bound('kubectl'), bound('k'), bound('kubesim')],
      });
    }
    const r = await this.bash.exec(line, { stdin, env: this.vars, cwd: this.cwd });
    return { stdout: r.stdout, stderr: r.stderr, combined: r.stdout + r.stderr, code: r.exitCode };
  }
}

/** --exact: the script's view of the result (stderr as `! ` lines, `[exit N]`) against the page's, byte for byte. */
function judgeExact(base: StepResult, r: CliResult): StepResult {
  const actual = maskVolatile(renderExact(r.stdout, r.stderr, r.code));
  const expected = maskVolatile(base.expected ?? '');
  const res: StepResult = { ...base, actual, exitCode: r.code };
  if (actual === expected) return { ...res, status: base.expected === undefined ? 'ran' : 'pass' };
  return { ...res, status: 'fail', diff: unifiedDiff(expected, actual, new Map(), true) };
}
