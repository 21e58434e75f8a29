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

/** Splits just-bash's limit and library lines off a statement's stderr. */
export function classify(stderr: string, exitCode: number): Classified {
  let limit: Classified['limit'];
  const kept: string[] = [];
  const lines = stderr.replace(UNAVAILABLE, 'bash: $1: command not found').split('\n');
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

/** kubesim's one line when it stops a command that would run forever (no terminal, or a frozen clock). */
export function endlessNote(limit: { count?: number; what?: string } | undefined): string {
  const n = limit?.count ? `; stopped after simulating ${limit.count} ${limit.what ?? 'commands'}` : '; stopped it';
  return `kubesim: the command runs forever in the container${n} (exit ${ENDLESS_EXIT})\n`;
}

/** kubesim's one line for a command that outgrew the simulation's memory bounds. */
export function memoryNote(): string {
  return `kubesim: the command outgrew the memory the simulation gives one command; stopped it (exit ${MEMORY_EXIT})\n`;
}
