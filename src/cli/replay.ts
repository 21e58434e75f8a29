// kubesim replay FILE… [--keep] [--update] [--step 5s] [--json] [--list]: runs a tutorial's commands against a
// fresh simulated cluster (or, with --keep, the user's) in-process with a frozen clock, and reports
// where the page's shown output and kubesim's differ; --update rewrites the differing outputs.
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CliError } from '../api/errors.js';
import { parseTranscript } from '../replay/parse.js';
import { renderJson, renderReport, sum, type FileReport } from '../replay/report.js';
import { Runner, type CliResult, type Host } from '../replay/run.js';
import { applyRewrites, type Rewrite } from '../replay/update.js';
import { parseDuration } from '../sim/clock.js';
import { dispatch, knownVerbs } from './dispatch.js';
import { bool, parseFlags, str } from './flags.js';
import type { IO } from './io.js';
import { advanceOnNextOpen, pendingAdvanceMs } from './session.js';
import { kubesimHome } from '../store/kubeconfig.js';

const USAGE = `Replay a tutorial: run its commands against a simulated cluster and show where its output and kubesim's differ.

Usage:
  kubesim replay FILE... [--keep] [--update] [--step 5s] [--json] [--list] [--exact] [--start TIME]

Options:
    --keep=false: replay into the current cluster (KUBESIM_HOME) and leave it as the page does
    --update=false: rewrite the outputs that differ in the file, keeping wildcards and prose
    --step='5s': how far the clock moves between commands when the page says nothing
    --json=false: print the results as JSON
    --list=false: print the commands and files extracted from each page, with line numbers
    --exact=false: run commands as written and match outputs byte for byte, stderr as '! ' lines and a
        failure's '[exit N]' (kubesim's golden transcripts)
    --start='2026-01-05T09:00:00Z': the time a fresh cluster's frozen clock starts at
`;

/** Where a fresh replay's clock starts, so the same transcript always gives the same result. */
export const REPLAY_T0 = Date.parse('2026-01-05T09:00:00Z');

/** klog lines name the process: a replay always shows the same one */
const REPLAY_PID = 4242;

function host(io: IO, env: Record<string, string | undefined>, wall: { now: number }, exact: boolean): Host {
  const home = kubesimHome(env);
  const h: Host = {
    verbs: knownVerbs(),
    advance: (ms) => advanceOnNextOpen(home, ms),
    async flush() {
      if (pendingAdvanceMs(home) > 0) await h.cli(['clock'], '', io.cwd, {});
    },
    async cli(argv: string[], stdin: string, cwd: string, vars: Record<string, string>): Promise<CliResult> {
      let stdout = '';
      let stderr = '';
      let combined = '';
      const sub: IO = {
        stdout: { write: (s) => void ((stdout += s), (combined += s)) },
        stderr: { write: (s) => void ((stderr += s), (combined += s)) },
        readStdin: async () => stdin,
        env: { ...env, ...vars },
        cwd,
        wallNow: () => wall.now,
        // pages show what a terminal shows (`exec -it` has a TTY; nothing is read from one);
        // golden transcripts what a script sees
        stdinIsTTY: !exact,
        pid: REPLAY_PID,
        sleep: async (ms) => void (wall.now += ms),
      };
      const code = await dispatch(argv, sub);
      return { stdout, stderr, combined, code };
    },
  };
  return h;
}

/** Where scratch clusters go: memory-backed /dev/shm when there is one (a replay writes the store
 * after nearly every command), else the temporary directory; TMPDIR wins when set. */
function scratchBase(io: IO): string {
  if (io.env.TMPDIR) return io.env.TMPDIR;
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

/** Rewrites the outputs of the failed commands that show one (--exact: all of them); returns how many. */
function update(io: IO, report: FileReport, exact: boolean): number {
  const path = resolve(io.cwd, report.file);
  const rewrites: Rewrite[] = [];
  for (const s of report.steps) {
    if (s.status === 'fail' && s.at && (exact || s.expected !== undefined) && s.actual !== undefined) rewrites.push({ at: s.at, expected: s.expected ?? '', actual: s.actual });
  }
  if (rewrites.length) writeFileSync(path, applyRewrites(readFileSync(path, 'utf8'), rewrites, exact));
  return rewrites.length;
}

interface Options {
  keep: boolean;
  stepMs: number;
  exact: boolean;
  start: number;
}

async function replayFile(io: IO, file: string, opts: Options): Promise<FileReport> {
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, file), 'utf8');
  } catch (e) {
    return { file, steps: [], error: `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
  }
  const items = parseTranscript(text);
  if (!items.some((i) => i.kind === 'command')) return { file, steps: [], error: `no commands found in ${file}` };
  const scratch = mkdtempSync(join(scratchBase(io), 'kubesim-replay-'));
  const home = join(scratch, '.kubesim');
  const env = opts.keep ? { ...io.env } : { KUBESIM_HOME: home, HOME: home };
  const wall = { now: opts.keep ? io.wallNow() : opts.start };
  const h = host(io, env, wall, opts.exact);
  try {
    const before = opts.keep ? (await h.cli(['clock'], '', scratch, {})).stdout : '';
    await h.cli(['clock', 'freeze'], '', scratch, {});
    const runner = new Runner(h, { stepMs: opts.stepMs, scratch, baseDir: dirname(resolve(io.cwd, file)), exact: opts.exact });
    const steps = await runner.run(items);
    if (before.includes('following wall time')) await h.cli(['clock', 'resume'], '', scratch, {});
    return { file, steps };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function list(io: IO, files: string[]): number {
  let code = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(resolve(io.cwd, file), 'utf8');
    } catch (e) {
      io.stderr.write(`error: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
      code = 1;
      continue;
    }
    for (const item of parseTranscript(text)) {
      if (item.kind === 'command') io.stdout.write(`${file}:${item.line}: ${item.command}${item.stdin !== undefined ? ' <<EOF' : ''}\n`);
      else io.stdout.write(`${file}:${item.line}: # file ${item.name}\n`);
    }
  }
  return code;
}

export default async function replay(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(
    argv,
    [
      { name: 'keep', type: 'bool', default: false },
      { name: 'update', type: 'bool', default: false },
      { name: 'step', type: 'string', default: '5s' },
      { name: 'json', type: 'bool', default: false },
      { name: 'list', type: 'bool', default: false },
      { name: 'exact', type: 'bool', default: false },
      { name: 'start', type: 'string', default: '' },
      { name: 'help', short: 'h', type: 'bool', default: false },
    ],
    'replay',
  );
  if (bool(p, 'help')) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (!p.args.length) throw new CliError('kubesim replay needs a transcript: kubesim replay FILE… [--keep] [--update] [--step 5s] [--json] [--list]');
  const stepMs = parseDuration(str(p, 'step'));
  if (stepMs === undefined || stepMs < 0) throw new CliError(`invalid --step "${str(p, 'step')}": use e.g. 5s, 1m`);
  const startText = str(p, 'start');
  const start = startText ? Date.parse(startText) : REPLAY_T0;
  if (Number.isNaN(start)) throw new CliError(`invalid --start "${startText}": use a time such as 2026-01-05T09:00:00Z`);
  if (bool(p, 'list')) return list(io, p.args);
  const opts: Options = { keep: bool(p, 'keep'), stepMs, exact: bool(p, 'exact'), start };
  const reports: FileReport[] = [];
  let rewritten = 0;
  for (const file of p.args) {
    const report = await replayFile(io, file, opts);
    if (bool(p, 'update')) report.updated = update(io, report, opts.exact);
    rewritten += report.updated ?? 0;
    reports.push(report);
  }
  const noColor = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
  io.stdout.write(bool(p, 'json') ? renderJson(reports) : renderReport(reports, Boolean(io.stdoutIsTTY) && !noColor));
  // --update: failures whose output was rewritten no longer count
  return sum(reports).failed > rewritten ? 1 : 0;
}
