// just-bash's own failure texts, turned into what a container shows. A shell statement that hits one
// of the interpreter's limits is classified:
//   endless — a loop or command count limit: the command would run forever in a real container;
//   stack   — recursion too deep: a real shell overflows its stack (SIGSEGV, exit 139, no message);
//   memory  — a string, array, output or file that outgrew the interpreter's bounds (exit 137).
// Library messages (`… increase executionLimits.…`, `… not available in browser environments …`)
// never reach the user.

export type LimitKind = 'endless' | 'stack' | 'memory';

export interface Classified {
  /** stderr without the library's lines (and "not available" rewritten as the shell's "not found") */
  stderr: string;
  limit?: { kind: LimitKind; count?: number; what?: string };
}

/** Exit status kubectl exec reports when kubesim stops an endless command (no terminal, or a frozen clock). */
export const ENDLESS_EXIT = 124;
export const STACK_EXIT = 139;
export const MEMORY_EXIT = 137;

const UNAVAILABLE = /^bash: ([^:\n]+): command not available in browser environments\..*$/gm;
const ENDLESS = /^(?:[\w-]+(?: [\w-]+)?: )*(?:too many commands executed \(>(\d+)\)|(?:[\w ]+: )?too many iterations \((\d+)\)|[\w ]*iteration limit exceeded \((\d+)\)|execution timeout exceeded).*$/;
const STACK = /^(?:[^:\n]+: )*(?:maximum (?:recursion|nesting|variable indirection) depth|[\w ]*depth limit exceeded).*$/;
const MEMORY = /^(?:[^:\n]+: )*(?:[\w /-]*(?:size|length|element|byte|entry) limit exceeded|[\w ]*too large|ENOSPC: in-memory filesystem|too many open file descriptors).*$/;
const LIBRARY = /increase executionLimits\.|executionLimits|just-bash|in browser environments/;

/** Splits just-bash's limit and library lines off a statement's stderr (`kind`: the invoked shell). */
export function classify(stderr: string, exitCode: number, kind = 'bash'): Classified {
  let limit: Classified['limit'];
  const kept: string[] = [];
  const lines = syntaxErrors(stderr.replace(UNAVAILABLE, 'bash: $1: command not found'), kind).split('\n');
  for (const line of lines) {
    const body = line.replace(/^bash: /, '');
    const e = ENDLESS.exec(body);
    if (e && (exitCode === 126 || LIBRARY.test(line) || /^bash: /.test(line))) {
      const n = Number(e[1] ?? e[2] ?? e[3]);
      limit = { kind: 'endless', ...(Number.isFinite(n) ? { count: n, what: e[1] ? 'commands' : 'loop iterations' } : {}) };
      continue;
    }
    if (STACK.test(body) && (exitCode === 126 || LIBRARY.test(line) || /^bash: /.test(line))) {
      limit ??= { kind: 'stack' };
      continue;
    }
    if (MEMORY.test(body) && (exitCode === 126 || LIBRARY.test(line) || /^bash: /.test(line))) {
      limit ??= { kind: 'memory' };
      continue;
    }
    kept.push(LIBRARY.test(line) ? line.replace(/,? ?increase executionLimits\.\w+/, '') : line);
  }
  return { stderr: kept.join('\n'), ...(limit ? { limit } : {}) };
}

/** The exit status a container shows for a command stopped at a limit (endless ones are not stopped). */
export function limitExit(kind: LimitKind): number {
  return kind === 'stack' ? STACK_EXIT : kind === 'memory' ? MEMORY_EXIT : ENDLESS_EXIT;
}

/**
 * kubesim's one line when it stops a command: one that runs forever (no terminal, or a frozen clock),
 * or one that may end but not within the commands the simulation runs for one command.
 */
export function endlessNote(limit: { count?: number; what?: string; forever?: boolean } | undefined): string {
  const steps = limit?.count ? `${limit.count} ${limit.what ?? 'commands'}` : '';
  if (limit?.forever === false) return `kubesim: the command did not end within ${steps || 'the simulated commands'} the simulation runs for one command; stopped it (exit ${ENDLESS_EXIT})\n`;
  return `kubesim: the command runs forever in the container${steps ? `; stopped after simulating ${steps}` : '; stopped it'} (exit ${ENDLESS_EXIT})\n`;
}

/** kubesim's one line for a command that outgrew the simulation's memory bounds. */
export function memoryNote(): string {
  return `kubesim: the command outgrew the memory the simulation gives one command; stopped it (exit ${MEMORY_EXIT})\n`;
}

const TOKENS: Record<string, string> = { FI: 'fi', DONE: 'done', ESAC: 'esac', RPAREN: ')', RBRACE: '}', THEN: 'then', DO: 'do', EOF: 'end of file' };

/**
 * just-bash's parser errors (`Parse error at 1:8: …`) in the invoked shell's words: bash
 * (`bash: -c: line 1: syntax error near unexpected token `fi'`), dash (`sh: 1: Syntax error: "fi"
 * unexpected`) or busybox ash (`sh: syntax error: unexpected "fi"`).
 */
export function syntaxErrorText(message: string, kind: string): string {
  const m = /Parse error at (\d+):\d+: (.*)$/.exec(message);
  const line = Math.max(1, Number(m?.[1] ?? 1));
  const text = m ? m[2] : message.replace(/^(?:bash: )?(?:line \d+: )?(?:syntax error: )?/, '');
  const near = /near unexpected token `(.*)'$/.exec(text);
  const expected = /^Expected (\w+), got (\w+)$/.exec(text);
  const quote = /^unexpected EOF while looking for matching (.)(.)'?$/.exec(text);
  const want = expected ? TOKENS[expected[1]] ?? expected[1].toLowerCase() : undefined;
  const got = expected ? TOKENS[expected[2]] ?? expected[2].toLowerCase() : undefined;
  const eof = got === 'end of file';
  if (kind === 'ash') {
    if (near) return `sh: syntax error: unexpected "${near[1]}"`;
    if (quote) return 'sh: syntax error: unterminated quoted string';
    if (expected) return eof ? `sh: syntax error: unexpected end of file (expecting "${want}")` : `sh: syntax error: unexpected "${got}" (expecting "${want}")`;
    return `sh: syntax error: ${text}`;
  }
  if (kind === 'dash') {
    if (near) return `sh: ${line}: Syntax error: "${near[1]}" unexpected`;
    if (quote) return `sh: ${line}: Syntax error: Unterminated quoted string`;
    if (expected) return eof ? `sh: ${line}: Syntax error: end of file unexpected (expecting "${want}")` : `sh: ${line}: Syntax error: "${got}" unexpected (expecting "${want}")`;
    return `sh: ${line}: Syntax error: ${text}`;
  }
  const sh = kind === 'sh-bash' ? 'sh' : 'bash';
  if (near) return `${sh}: -c: line ${line}: syntax error near unexpected token \`${near[1]}'`;
  if (quote) return `${sh}: -c: line ${line}: unexpected EOF while looking for matching \`${quote[2] === '}' ? '}' : quote[1] === '`' ? quote[2] : quote[1]}'`;
  if (expected) return eof ? `${sh}: -c: line ${line + 1}: syntax error: unexpected end of file` : `${sh}: -c: line ${line}: syntax error near unexpected token \`${got}'`;
  return `${sh}: -c: line ${line}: syntax error: ${text}`;
}

const PARSE = /^bash: (?:syntax error: Parse error at \d+:\d+: .*|line \d+: unexpected EOF while looking for matching .*)$/gm;

/** Rewrites just-bash's parser errors in a statement's stderr for the invoked shell. */
export function syntaxErrors(stderr: string, kind: string): string {
  return stderr.replace(PARSE, (l) => syntaxErrorText(l, kind));
}
