// The editor `kubectl edit` opens (kubectl's pkg/cmd/util/editor): $KUBE_EDITOR, else $EDITOR, else
// vi; a command with quotes or backslashes runs through $SHELL (else /bin/bash) -c, one with spaces is
// split on them, a bare word runs as it is. The file is a temp file kubectl-edit-<n>.yaml in
// $TMPDIR (else /tmp), left where it is when kubectl keeps it.
import { spawn, type StdioOptions } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { CliError } from '../api/errors.js';
import { GO_YAML_OPTIONS, resolvePlainScalars } from '../api/goyaml.js';
import { goQuote, toCompactJson } from '../printers/index.js';
import type { IO } from './io.js';

export interface Editor {
  args: string[];
  shell: boolean;
}

/** kubectl's defaultEnvEditor. */
export function editorFromEnv(env: IO['env']): Editor {
  let editor = '';
  for (const name of ['KUBE_EDITOR', 'EDITOR']) {
    editor = env[name] ?? '';
    if (editor) break;
  }
  if (!editor) editor = 'vi';
  if (!editor.includes(' ')) return { args: [editor], shell: false };
  if (!/["'\\]/.test(editor)) return { args: editor.split(' '), shell: false };
  return { args: [env.SHELL || '/bin/bash', '-c', editor], shell: true };
}

function tempDir(env: IO['env']): string {
  const d = env.TMPDIR || '/tmp';
  return isAbsolute(d) ? d : resolve(d);
}

/** Go's os.CreateTemp: `<prefix><random decimal><suffix>` created exclusively, 0600. */
export function createTemp(env: IO['env'], prefix: string, suffix: string, content: string): string {
  const dir = tempDir(env);
  for (let i = 0; i < 10_000; i++) {
    const path = join(dir, `${prefix}${randomInt(0, 2 ** 32)}${suffix}`);
    try {
      writeFileSync(path, content, { flag: 'wx', mode: 0o600 });
      return path;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new CliError(`open ${path}: ${(e as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : 'no such file or directory'}`);
    }
  }
  throw new CliError(`open ${join(dir, prefix + '*' + suffix)}: file exists`);
}

/** Go's os.MkdirTemp: `<prefix><random decimal>` in the temp directory. */
export function makeTempDir(env: IO['env'], prefix: string): string {
  const dir = tempDir(env);
  for (let i = 0; i < 10_000; i++) {
    const path = join(dir, `${prefix}${randomInt(0, 2 ** 32)}`);
    try {
      mkdirSync(path, { mode: 0o700 });
      return path;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new CliError(`mkdir ${path}: ${(e as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : 'no such file or directory'}`);
    }
  }
  throw new CliError(`mkdir ${join(dir, prefix + '*')}: file exists`);
}

export interface RunResult {
  /** the exit status, or undefined when the program could not be started */
  code?: number;
  notFound?: boolean;
  error?: string;
}

/**
 * Runs a host program with the caller's environment and directory. With stdin on a terminal it
 * shares the process's streams (an editor takes the terminal over); otherwise its output goes to
 * the verb's streams.
 */
export function runProgram(io: IO, args: string[]): Promise<RunResult> {
  // a terminal goes to the program as it is (kubectl hands its editor its own stdin/stdout/stderr)
  const terminal = Boolean(io.stdinIsTTY);
  const stdio: StdioOptions = terminal ? 'inherit' : ['ignore', 'pipe', 'pipe'];
  return new Promise((done) => {
    let child;
    try {
      child = spawn(args[0], args.slice(1), { env: io.env as NodeJS.ProcessEnv, cwd: io.cwd, stdio });
    } catch (e) {
      done({ error: (e as Error).message });
      return;
    }
    child.stdout?.on('data', (b: Buffer) => io.stdout.write(b.toString('utf8')));
    child.stderr?.on('data', (b: Buffer) => io.stderr.write(b.toString('utf8')));
    child.on('error', (e: NodeJS.ErrnoException) => done({ notFound: e.code === 'ENOENT', error: e.message }));
    child.on('close', (code, signal) => done({ code: code ?? (signal ? 128 : 1) }));
  });
}

/** kubectl's Launch: the editor on `path`, and its two errors. */
export async function launchEditor(io: IO, editor: Editor, path: string): Promise<void> {
  const abs = resolve(io.cwd, path);
  const args = [...editor.args];
  if (editor.shell) args[args.length - 1] = `${args[args.length - 1]} ${goQuote(abs)}`;
  else args.push(abs);
  const r = await runProgram(io, args);
  if (r.notFound) throw new CliError(`unable to launch the editor "${editor.args.join(' ')}"`);
  if (r.code !== 0) throw new CliError(`there was a problem with the editor "${editor.args.join(' ')}"`);
}

/** Writes `content` to a new temp file, runs the editor on it and reads it back. */
export async function launchTempFile(io: IO, editor: Editor, prefix: string, suffix: string, content: string): Promise<{ edited: string; file: string }> {
  const file = createTemp(io.env, prefix, suffix, content);
  await launchEditor(io, editor, file);
  try {
    return { edited: readFileSync(file, 'utf8'), file };
  } catch (e) {
    // the editor removed or replaced the file: Go's os.ReadFile error
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`open ${file}: ${code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : 'no such file or directory'}`);
  }
}

/** kubectl's ManualStrip: the lines that are not comments ('#!' is kept). */
export function manualStrip(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  lines.forEach((line, i) => {
    const t = line.trim();
    if (t.startsWith('#') && !t.startsWith('#!')) return;
    out.push(i < lines.length - 1 ? `${line}\n` : line);
  });
  return out.join('');
}

/** kubectl's StripComments: the file as JSON (comments and layout gone), else ManualStrip. */
export function stripComments(text: string): string {
  try {
    const doc = parseDocument(text, GO_YAML_OPTIONS);
    if (doc.errors.length) return manualStrip(text);
    resolvePlainScalars(doc);
    return toCompactJson(doc.toJS({ maxAliasCount: 10_000 }) ?? null);
  } catch {
    return manualStrip(text);
  }
}

/** kubectl's hasLines: a line that is neither blank nor a comment. */
export function hasLines(text: string): boolean {
  return text.split('\n').some((l) => {
    const t = l.trim();
    return t.length > 0 && t[0] !== '#';
  });
}
