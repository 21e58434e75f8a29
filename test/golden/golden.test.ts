// Replays every transcript under test/golden/*.txt against kubesim in-process.
// KUBESIM_RECORD=1 (npm run test:record) rewrites the expected output from what kubesim prints.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox, shellSplit } from '../harness.js';
import { normalize, parseTranscript, renderResult } from './transcript.js';

const dir = join(import.meta.dirname, 'transcripts');
const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();
const record = Boolean(process.env.KUBESIM_RECORD);

describe.each(files)('%s', (file) => {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  const sandbox = new Sandbox(join(dir, 'files'));
  afterAll(() => sandbox.dispose());

  it('matches the transcript', async () => {
    const steps = parseTranscript(text);
    const actual: string[] = [];
    for (const step of steps) {
      const argv = shellSplit(step.command);
      const [prog, ...args] = argv;
      if (prog !== 'kubectl' && prog !== 'kubesim') throw new Error(`${file}: only kubectl/kubesim commands: ${step.command}`);
      const r = await sandbox.run(args, step.stdin);
      const got = normalize(renderResult(r.stdout, r.stderr, r.code));
      actual.push(got);
      if (!record) expect(got, `${file}: $ ${step.command}`).toBe(normalize(step.expected));
    }
    if (record) writeFileSync(path, rewrite(text, actual));
  });
});

/** Rewrites a transcript with new outputs, keeping commands, heredocs and comments. */
function rewrite(text: string, outputs: string[]): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let step = 0;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.startsWith('$ ')) {
      out.push(line);
      i++;
      continue;
    }
    out.push(line);
    i++;
    const heredoc = line.match(/<<-?\s*'?(\w+)'?\s*$/);
    if (heredoc) {
      while (i < lines.length && lines[i] !== heredoc[1]) out.push(lines[i++]);
      out.push(lines[i++]);
    }
    while (i < lines.length && !lines[i].startsWith('$ ')) i++;
    if (outputs[step]) out.push(outputs[step]);
    step++;
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
