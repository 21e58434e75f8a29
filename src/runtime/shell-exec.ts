// What a shell started as `sh -c SCRIPT` leaves as its process: for a script that is one simple
// command of an external program, bash, dash and busybox ash exec it in place of themselves (so
// `sh -c "sleep 1h"` shows in ps as PID 1 `sleep 1h`, as the security-context task page prints).

/** Shell builtins and keywords: run inside the shell, which stays the process. */
const BUILTINS = new Set(['echo', 'printf', 'cd', 'exit', 'export', 'set', 'unset', 'read', 'test', '[', '[[', 'true', 'false', ':', 'wait', 'trap', 'eval', 'exec', 'kill', 'pwd', 'ulimit', 'umask', 'alias', 'source', '.', 'shift', 'return', 'local', 'type', 'command', 'hash', 'times', 'getopts', 'readonly', 'let', 'declare', 'if', 'while', 'until', 'for', 'case', 'function', '{', '!', 'time']);

/** The argv the shell execs for `script`, when it is one simple external command (no expansions, quotes or operators). */
export function execedCommand(script: string): string[] | undefined {
  const text = script.trim();
  if (!text || /[;&|<>`$()'"\\\n#*?[\]{}~=]/.test(text)) return undefined;
  const words = text.split(/\s+/);
  if (BUILTINS.has(words[0])) return undefined;
  return words;
}
