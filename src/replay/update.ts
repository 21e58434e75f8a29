// --update: rewrites the shown output of failed commands in the transcript in place. Lines that
// still match are kept as written (wildcards, the page's own ages and names), lines that no longer
// do are replaced by kubesim's, and lines a `...` covers are not added.
import { operations } from './diff.js';
import { isWildcardLine, outputLines } from './match.js';
import type { OutputRange } from './parse.js';

/** The new shown output: expected lines that match kept, the rest from actual. */
export function mergeOutput(expected: string, actual: string): string[] {
  const exp = outputLines(expected);
  const ops = operations(exp, outputLines(actual), new Map());
  const keptWildcard = (k: number, dir: 1 | -1): boolean => {
    // a removed expected line in between ends what the wildcard covers
    for (let j = k + dir; j >= 0 && j < ops.length; j += dir) {
      if (ops[j].kind === '-') return false;
      if (ops[j].kind === ' ') return isWildcardLine(exp[ops[j].ei]);
    }
    return false;
  };
  const out: string[] = [];
  ops.forEach((op, k) => {
    if (op.kind === ' ') out.push(exp[op.ei]);
    else if (op.kind === '+' && !keptWildcard(k, -1) && !keptWildcard(k, 1)) out.push(op.text);
  });
  return out;
}

export interface Rewrite {
  at: OutputRange;
  expected: string;
  actual: string;
}

/**
 * The transcript with each rewrite applied (line ends kept as the file has them). `exact`: the new
 * output is the actual one as it is (an empty range, after a command without output, is filled).
 */
export function applyRewrites(text: string, rewrites: Rewrite[], exact = false): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  for (const r of [...rewrites].sort((a, b) => b.at.start - a.at.start)) {
    const output = exact ? (r.actual === '' ? [] : r.actual.split('\n')) : mergeOutput(r.expected, r.actual);
    const merged = output.map((l) => (l ? r.at.indent + l : l));
    lines.splice(r.at.start - 1, r.at.end - r.at.start + 1, ...merged);
  }
  return lines.join(eol);
}
