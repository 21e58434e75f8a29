// A unified diff of expected against actual output lines. Lines the matcher accepts (an age that
// differs, a bound name) count as equal, so the diff shows only what really differs.
import { isWildcardLine, matchLine, outputLines, type Bindings } from './match.js';

export type Op = { kind: ' ' | '-' | '+'; text: string; ei: number; ai: number };

const MAX = 2000;

/** The edit from expected to actual lines (longest common subsequence under the matcher). */
export function operations(exp: string[], act: string[], bindings: Bindings, exact = false): Op[] {
  const n = Math.min(exp.length, MAX);
  const m = Math.min(act.length, MAX);
  const eq = exact ? (i: number, j: number) => exp[i] === act[j] : (i: number, j: number) => isWildcardLine(exp[i]) || matchLine(exp[i], act[j], bindings) !== undefined;
  // LCS table from the end
  const t: Uint16Array[] = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) t[i][j] = eq(i, j) ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && eq(i, j)) ops.push({ kind: ' ', text: act[j], ei: i++, ai: j++ });
    else if (i < n && (j >= m || t[i + 1][j] >= t[i][j + 1])) ops.push({ kind: '-', text: exp[i], ei: i++, ai: j });
    else ops.push({ kind: '+', text: act[j], ei: i, ai: j++ });
  }
  return ops;
}

/**
 * `--- expected` / `+++ actual` with hunks of 3 context lines; '' when nothing differs. `exact`:
 * lines are equal only when they are the same text (trailing spaces count).
 */
export function unifiedDiff(expected: string, actual: string, bindings: Bindings = new Map(), exact = false): string {
  const lines = (text: string) => (!exact ? outputLines(text) : text === '' ? [] : text.split('\n'));
  const ops = operations(lines(expected), lines(actual), bindings, exact);
  const changed = ops.map((o, k) => (o.kind === ' ' ? -1 : k)).filter((k) => k >= 0);
  if (!changed.length) return '';
  const out = ['--- expected', '+++ actual'];
  let k = 0;
  while (k < changed.length) {
    const from = Math.max(0, changed[k] - 3);
    let to = Math.min(ops.length, changed[k] + 4);
    while (k + 1 < changed.length && changed[k + 1] - 3 <= to) to = Math.min(ops.length, changed[++k] + 4);
    k++;
    const hunk = ops.slice(from, to);
    const eStart = hunk[0].ei;
    const aStart = hunk[0].ai;
    const eLen = hunk.filter((o) => o.kind !== '+').length;
    const aLen = hunk.filter((o) => o.kind !== '-').length;
    const range = (start: number, len: number) => (len === 1 ? `${start + 1}` : `${start + (len ? 1 : 0)},${len}`);
    out.push(`@@ -${range(eStart, eLen)} +${range(aStart, aLen)} @@`);
    for (const o of hunk) out.push(`${o.kind}${o.text}`);
  }
  return `${out.join('\n')}\n`;
}
