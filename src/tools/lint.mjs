// Project lint: rules the architecture relies on, checked over src/ (no external linter needed).
//  - only the entry point ends the process: no process.exit / process.exitCode in src/
//  - verbs write through injected streams: no console.* and no process.stdout/stderr outside cli/io.ts
//  - files stay small: at most 600 lines per source file
//  - no debugger statements, no `.only` left in tests
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const problems = [];

function walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'generated' && e.name !== 'node_modules') walk(p);
    } else if (/\.(ts|mjs)$/.test(e.name)) check(p);
  }
}

function check(file) {
  const rel = relative(root, file);
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const isTest = rel.endsWith('.test.ts');
  const isTool = rel.startsWith('src/tools/') || rel.startsWith('test/');
  if (lines.length > 600 && !isTest) problems.push(`${rel}: ${lines.length} lines (keep source files under 600)`);
  lines.forEach((line, i) => {
    const at = `${rel}:${i + 1}`;
    if (/^\s*debugger;?\s*$/.test(line)) problems.push(`${at}: debugger statement`);
    if (isTest && /\b(it|test|describe)\.only\(/.test(line)) problems.push(`${at}: .only left in a test`);
    if (isTool) return;
    if (/process\.exit(Code)?\b/.test(line)) problems.push(`${at}: process.exit in src (only bin/ ends the process)`);
    if (/\bconsole\.(log|error|warn|info)\(/.test(line)) problems.push(`${at}: console output (write to the injected IO)`);
    if (/process\.(stdout|stderr)\b/.test(line) && !rel.endsWith('cli/io.ts')) problems.push(`${at}: process streams outside cli/io.ts`);
  });
}

walk(join(root, 'src'));
walk(join(root, 'test'));
if (problems.length) {
  for (const p of problems) process.stderr.write(`${p}\n`);
  process.stderr.write(`lint: ${problems.length} problem(s)\n`);
  process.exit(1);
}
process.stdout.write('lint: ok\n');
