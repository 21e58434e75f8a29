// kubectl rollout SUBCOMMAND: status, history, undo, pause, resume, restart.
import { CliError } from '../api/errors.js';
import { firstWord, helpText } from './help/entry.js';
import type { IO } from './io.js';

type Sub = (argv: string[], io: IO) => Promise<number>;

const SUBS: Record<string, () => Promise<Sub>> = {
  status: async () => (await import('./rollout-status.js')).default,
  history: async () => (await import('./rollout-history.js')).default,
  undo: async () => (await import('./rollout-undo.js')).default,
  pause: async () => (await import('./rollout-patch.js')).pause,
  resume: async () => (await import('./rollout-patch.js')).resume,
  restart: async () => (await import('./rollout-patch.js')).restart,
};

export default async function rollout(argv: string[], io: IO): Promise<number> {
  // the subcommand is the first word cobra's stripFlags leaves (dispatch has answered a missing one)
  const i = firstWord(argv);
  const word = i >= 0 ? argv[i] : undefined;
  if (word === undefined) {
    io.stdout.write(helpText('rollout', undefined, io) ?? '');
    return 1;
  }
  const load = SUBS[word];
  if (!load) throw new CliError(`error: unknown command "${word}"\nSee 'kubectl rollout -h' for help and examples`, 1, true);
  return (await load())([...argv.slice(0, i), ...argv.slice(i + 1)], io);
}
