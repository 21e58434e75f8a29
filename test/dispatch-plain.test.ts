// dispatch answers the plain verbs (no subcommands, no group) without loading the command tree and
// help texts: for them resolveCommand must always give the verb and the other words, whatever follows.
import { describe, expect, it } from 'vitest';
import { knownVerbs, PLAIN_VERBS } from '../src/cli/dispatch.js';
import { resolveCommand } from '../src/cli/help/entry.js';
import { COMMANDS } from '../src/cli/help/tree.js';
import type { IO } from '../src/cli/io.js';

const quiet: IO = { stdout: { write: () => {} }, stderr: { write: () => {} }, readStdin: async () => '', env: {}, cwd: '/', wallNow: () => 0 };
const handled = (v: string) => knownVerbs().includes(v);

describe('plain verbs', () => {
  it('are verbs kubesim handles, with no subcommand and no group in kubectl’s tree', () => {
    for (const verb of PLAIN_VERBS) {
      expect(handled(verb), verb).toBe(true);
      expect(COMMANDS.filter((c) => c.path.startsWith(`${verb} `)).map((c) => c.path), verb).toEqual([]);
      expect(COMMANDS.find((c) => c.path === verb)?.group, verb).toBeFalsy();
    }
  });

  it('resolve as resolveCommand resolves them, whatever the words and flags after them', () => {
    const tails = [[], ['pods'], ['pod', 'x', '-o', 'yaml'], ['--help'], ['-h'], ['help'], ['x', '--', 'sh', '-c', 'help'], ['-n', 'kube-system', 'x'], ['--bogus', 'x']];
    for (const verb of PLAIN_VERBS) {
      for (const tail of tails) {
        const argv = [verb, ...tail];
        expect(resolveCommand(argv, quiet, handled), argv.join(' ')).toEqual({ verb, rest: tail });
      }
    }
  });

  it('are most of the verbs (the others go through the command tree)', () => {
    const others = knownVerbs().filter((v) => !PLAIN_VERBS.has(v)).sort();
    expect(others).toEqual(['__complete', '__completeNoDesc', 'apply', 'auth', 'cluster-info', 'config', 'create', 'rollout', 'set', 'top']);
  });
});
