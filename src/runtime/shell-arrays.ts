// Shell state across a script's steps. A container's script runs statement by statement, each in a
// fresh just-bash exec that hands back only the scalar variables; arrays (`items=(a b c)`,
// `declare -A m`) and `$?` would be lost between statements. When a statement defines arrays, or
// arrays exist from earlier ones, it runs with the saved `declare -p` lines in front and prints the
// arrays it leaves behind after a marker, which is taken off its output again; a statement that reads
// `$?` starts with the previous statement's status.
import type { Proc } from './state.js';

const MARK = '@@kubesim-arrays@@';
const DEFINES = /\w=\(|\b(declare|local|typeset)\s+-[a-zA-Z]*[aA]|\b(readarray|mapfile)\b|\w\[[^\]]*\]\+?=/;
const SHELL_ARRAYS = new Set(['PIPESTATUS', 'BASH_REMATCH', 'BASH_ARGV', 'BASH_ARGC', 'BASH_LINENO', 'BASH_SOURCE', 'FUNCNAME', 'GROUPS', 'BASH_VERSINFO', 'DIRSTACK']);

type ExecResult = { stdout: string; stderr: string; exitCode: number; env?: Record<string, string> };

/** `$?` of the previous statement, for a statement that reads it (each runs in a fresh exec). */
const READS_STATUS = /\$\?|\$\{\?\}/;

/** The statement to run instead of `text`, or undefined when it needs nothing carried over. */
export function withArrays(proc: Proc, text: string): string | undefined {
  const status = proc.status && READS_STATUS.test(text) ? `(exit ${proc.status})\n` : '';
  if (!proc.arrays && !DEFINES.test(text)) return status ? `${status}${text}` : undefined;
  return `${proc.arrays ?? ''}\n${status}${text}\n__ks_rc=$?; printf '%s' '${MARK}'; declare -p; printf '%s' "${MARK}$__ks_rc"`;
}

/** Takes the saved arrays off a wrapped statement's output (and restores its exit status). */
export function keepArrays(proc: Proc, r: ExecResult): void {
  delete r.env?.__ks_rc;
  const end = r.stdout.lastIndexOf(MARK);
  const start = end > 0 ? r.stdout.lastIndexOf(MARK, end - 1) : -1;
  if (start < 0) return; // the statement ended the shell (exit): nothing to carry on
  const decls = r.stdout.slice(start + MARK.length, end);
  const code = Number(r.stdout.slice(end + MARK.length));
  r.stdout = r.stdout.slice(0, start);
  if (Number.isInteger(code)) {
    r.exitCode = code;
    if (r.env && '?' in r.env) r.env['?'] = String(code);
  }
  const lines = decls.split('\n').filter((l) => {
    const m = /^declare -[a-zA-Z]*[aA][a-zA-Z]* ([A-Za-z_][A-Za-z0-9_]*)=/.exec(l);
    return m && !SHELL_ARRAYS.has(m[1]);
  });
  // restored as plain assignments: just-bash's `declare -a x=([1]="b r")` splits quoted values
  const restore = lines.map((l) => {
    const m = /^declare -([a-zA-Z]+) ([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(l)!;
    return m[1].includes('A') ? `declare -A ${m[2]}; ${m[2]}=${m[3]}` : `${m[2]}=${m[3]}`;
  });
  if (restore.length) proc.arrays = restore.join('\n');
  else delete proc.arrays;
}
