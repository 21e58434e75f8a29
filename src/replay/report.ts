// How a replay reads: per command PASS / FAIL with a unified diff / SKIP with the reason / RAN (no
// output shown) / OLD (matches once an older kubectl's known drift is accounted for), a summary
// table per file and the closing `N passed, M failed, K skipped` line.
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { StepResult } from './run.js';

export interface FileReport {
  file: string;
  steps: StepResult[];
  /** why the file could not be replayed (unreadable, no commands) */
  error?: string;
  /** --update: how many shown outputs were rewritten */
  updated?: number;
}

export interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

export function totals(steps: StepResult[]): Totals {
  return {
    passed: steps.filter((s) => s.status === 'pass' || s.status === 'ran' || s.status === 'older').length,
    failed: steps.filter((s) => s.status === 'fail').length,
    skipped: steps.filter((s) => s.status === 'skip').length,
  };
}

export function sum(files: FileReport[]): Totals {
  const t = { passed: 0, failed: 0, skipped: 0 };
  for (const f of files) {
    const x = totals(f.steps);
    t.passed += x.passed;
    t.failed += x.failed + (f.error ? 1 : 0);
    t.skipped += x.skipped;
  }
  return t;
}

function colourDiff(c: ChalkInstance, diff: string): string {
  return diff
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => {
      const text = `      ${l}`;
      if (l.startsWith('---') || l.startsWith('+++')) return c.bold(text);
      if (l.startsWith('@@')) return c.cyan(text);
      if (l.startsWith('-')) return c.red(text);
      if (l.startsWith('+')) return c.green(text);
      return text;
    })
    .join('\n');
}

function indent(text: string): string {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
}

/** The human report; `color` decides whether chalk styles it. */
export function renderReport(files: FileReport[], color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const out: string[] = [];
  for (const f of files) {
    out.push(c.bold(`== ${f.file}`));
    if (f.error) out.push(`  ${c.red('ERROR')} ${f.error}`);
    for (const s of f.steps) {
      const where = `${f.file}:${s.line}`;
      const note = s.reason && s.status !== 'skip' && s.status !== 'fail' ? `\n      ${c.dim(s.reason)}` : '';
      if (s.status === 'pass') out.push(`  ${c.green('PASS')}  ${where}  ${s.command}${note}`);
      else if (s.status === 'ran') out.push(`  ${c.green('RAN ')}  ${where}  ${s.command}${note}`);
      else if (s.status === 'older') out.push(`  ${c.cyan('OLD ')}  ${where}  ${s.command}${note}\n${(s.rules ?? []).map((r) => `      ${c.dim(`differs: older kubectl: ${r}`)}`).join('\n')}`);
      else if (s.status === 'skip') out.push(`  ${c.yellow('SKIP')}  ${where}  ${s.command}\n      ${c.dim(`skipped: ${s.reason}`)}`);
      else {
        out.push(`  ${c.red('FAIL')}  ${where}  ${s.command}`);
        if (s.reason) out.push(`      ${s.reason}`);
        if (s.diff) out.push(colourDiff(c, s.diff));
        else if (s.actual) out.push(indent(s.actual));
      }
    }
    if (f.updated) out.push(`  ${c.cyan(`updated ${f.file}: ${f.updated} output${f.updated === 1 ? '' : 's'} rewritten`)}`);
    out.push('');
  }
  const table = new Table({
    head: ['File', 'Passed', 'Failed', 'Skipped'],
    style: { head: color ? ['bold'] : [], border: [] },
    colAligns: ['left', 'right', 'right', 'right'],
  });
  for (const f of files) {
    const t = totals(f.steps);
    table.push([f.file, t.passed, t.failed + (f.error ? 1 : 0), t.skipped]);
  }
  out.push(table.toString());
  const t = sum(files);
  const line = `${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`;
  out.push(t.failed ? c.red(line) : c.green(line));
  return `${out.join('\n')}\n`;
}

/** The machine report. */
export function renderJson(files: FileReport[]): string {
  const t = sum(files);
  const perFile = (f: FileReport) => {
    const x = totals(f.steps);
    return { file: f.file, ...x, failed: x.failed + (f.error ? 1 : 0), ...(f.error ? { error: f.error } : {}), ...(f.updated ? { updated: f.updated } : {}), steps: f.steps };
  };
  return `${JSON.stringify({ ...t, files: files.map(perFile) }, null, 2)}\n`;
}
