// kubectl rollout SUBCOMMAND: status, history, undo, pause, resume, restart.
import { CliError } from '../api/errors.js';
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

const HELP = `Manage the rollout of one or many resources.
        
 Valid resource types include:

  *  deployments
  *  daemonsets
  *  statefulsets

Examples:
  # Rollback to the previous deployment
  kubectl rollout undo deployment/abc
  
  # Check the rollout status of a daemonset
  kubectl rollout status daemonset/foo
  
  # Restart a deployment
  kubectl rollout restart deployment/abc
  
  # Restart deployments with the 'app=nginx' label
  kubectl rollout restart deployment --selector=app=nginx

Available Commands:
  history       View rollout history
  pause         Mark the provided resource as paused
  restart       Restart a resource
  resume        Resume a paused resource
  status        Show the status of the rollout
  undo          Undo a previous rollout

Usage:
  kubectl rollout SUBCOMMAND [options]

Use "kubectl rollout <command> --help" for more information about a given command.
Use "kubectl options" for a list of global command-line options (applies to all commands).
`;

/** Flags given before the subcommand that take the next word as their value. */
const VALUE_FLAGS = new Set(['-n', '--namespace', '--kubeconfig', '--context', '--cluster', '--user', '-s', '--server', '-l', '--selector', '-f', '--filename', '-o', '--output']);

export default async function rollout(argv: string[], io: IO): Promise<number> {
  let i = 0;
  while (i < argv.length && argv[i].startsWith('-')) i += VALUE_FLAGS.has(argv[i]) ? 2 : 1;
  if (i >= argv.length) i = -1;
  const word = i >= 0 ? argv[i] : undefined;
  if (word === undefined) {
    io.stdout.write(HELP);
    return 1;
  }
  const load = SUBS[word];
  if (!load) throw new CliError(`error: unknown command "${word}"\nSee 'kubectl rollout -h' for help and examples`, 1, true);
  return (await load())([...argv.slice(0, i), ...argv.slice(i + 1)], io);
}
