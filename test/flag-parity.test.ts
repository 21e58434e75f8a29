// Flag parity with kubectl 1.32: every command kubesim simulates lists in its --help exactly the
// flags the real kubectl 1.32 has — name, shorthand and default as pflag prints them. The reference
// is test/fixtures/kubectl-1.32-flags.json, written by test/fixtures/gen-kubectl-flags.sh from the
// real binary (run by hand; the tests never need kubectl).
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadVerb } from '../src/cli/dispatch.js';
import { isSimulated } from '../src/cli/help/entry.js';
import { COMMANDS } from '../src/cli/help/tree.js';
import { Sandbox } from './harness.js';

const KUBECTL: Record<string, string[]> = JSON.parse(readFileSync(new URL('./fixtures/kubectl-1.32-flags.json', import.meta.url), 'utf8'));

const sb = new Sandbox();
afterAll(() => sb.dispose());

/** The `-x, --name=default` lines of a help text's `Options:` section, descriptions left out. */
function flagLines(help: string): string[] {
  const opts = help.split('\nOptions:\n')[1]?.split('\nUsage:\n')[0] ?? '';
  return opts
    .split('\n')
    .filter((l) => /^ {4}-/.test(l))
    .map((l) => l.slice(4).replace(/:$/, ''));
}

const handled = (verb: string) => loadVerb(verb) !== undefined;
const simulated = COMMANDS.filter((c) => !c.group && isSimulated(c, handled));

describe('flags match kubectl 1.32', () => {
  it('the reference covers every simulated command', () => {
    expect(simulated.length).toBeGreaterThan(40);
    for (const c of simulated) expect(KUBECTL[c.path], `${c.path} is missing from kubectl-1.32-flags.json (rerun the script)`).toBeDefined();
  });

  it.each(simulated.map((c) => [c.path] as const))('%s --help lists kubectl 1.32\'s flags with their defaults', async (path) => {
    const r = await sb.run([...path.split(' '), '--help']);
    expect(r.code).toBe(0);
    expect(flagLines(r.stdout)).toEqual(KUBECTL[path]);
  });

  it('help lines are kept in the reference format', () => {
    for (const [path, lines] of Object.entries(KUBECTL)) {
      for (const l of lines) expect(l, path).toMatch(/^(-\S, )?--[a-z0-9-]+=/);
    }
  });
});
