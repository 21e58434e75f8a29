// Finds the verb and loads only its module; turns thrown errors into kubectl's text and exit code.
import { CliError, formatError, StatusError } from '../api/errors.js';
import type { IO } from './io.js';
import { HelpRequested } from './flags.js';
import type { Resolved } from './help/entry.js';

export type Verb = (argv: string[], io: IO) => Promise<number>;

const VERBS: Record<string, () => Promise<{ default: Verb }>> = {
  run: () => import('./run.js'),
  create: () => import('./create.js'),
  expose: () => import('./expose.js'),
  apply: () => import('./apply.js'),
  get: () => import('./get.js'),
  describe: () => import('./describe.js'),
  explain: () => import('./explain.js'),
  delete: () => import('./delete.js'),
  patch: () => import('./patch.js'),
  label: () => import('./label.js'),
  annotate: () => import('./annotate.js'),
  version: () => import('./version.js'),
  'api-resources': () => import('./api-resources.js'),
  'api-versions': () => import('./api-versions.js'),
  config: () => import('./config.js'),
  logs: () => import('./logs.js'),
  exec: () => import('./exec.js'),
  cp: () => import('./cp.js'),
  'port-forward': () => import('./port-forward.js'),
  proxy: () => import('./proxy.js'),
  cordon: () => import('./cordon.js'),
  uncordon: () => import('./uncordon.js'),
  taint: () => import('./taint.js'),
  drain: () => import('./drain.js'),
  cluster: () => import('./cluster.js'),
  clock: () => import('./clock.js'),
  reset: () => import('./reset.js'),
  repair: () => import('./repair.js'),
  replay: () => import('./replay.js'),
  serve: () => import('./serve.js'),
  kustomize: () => import('./kustomize.js'),
  attach: () => import('./attach.js'),
  debug: () => import('./debug.js'),
  scale: () => import('./scale.js'),
  rollout: () => import('./rollout.js'),
  set: () => import('./set.js'),
  wait: () => import('./wait.js'),
  edit: () => import('./edit.js'),
  diff: () => import('./diff.js'),
  replace: () => import('./replace.js'),
  'cluster-info': () => import('./cluster-info.js'),
  events: () => import('./events.js'),
  top: () => import('./top.js'),
  autoscale: () => import('./autoscale.js'),
  auth: () => import('./auth.js'),
  completion: () => import('./completion.js'),
  __complete: () => import('./complete.js'),
  __completeNoDesc: async () => {
    const m = await import('./complete.js');
    return { default: (argv: string[], io: IO) => m.default(argv, io, true) };
  },
};

/** The loader of a verb's module, for completion (which asks a verb for its flags). */
export function loadVerb(verb: string): (() => Promise<{ default: Verb }>) | undefined {
  return VERBS[verb];
}

export function knownVerbs(): string[] {
  return Object.keys(VERBS);
}

/** kubectl's commands in the order cobra keeps them (command groups, then the rest). */
const KUBECTL_COMMANDS = [
  'create', 'expose', 'run', 'set', 'explain', 'get', 'edit', 'delete', 'rollout', 'scale', 'autoscale',
  'certificate', 'cluster-info', 'top', 'cordon', 'uncordon', 'drain', 'taint', 'describe', 'logs', 'attach',
  'exec', 'port-forward', 'proxy', 'cp', 'auth', 'debug', 'events', 'diff', 'apply', 'patch', 'replace', 'wait',
  'kustomize', 'label', 'annotate', 'completion', 'alpha', 'api-resources', 'api-versions', 'config', 'plugin',
  'version', 'options',
];

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

/** cobra's "unknown command" error with its suggestions (distance ≤ 2 or prefix). */
function unknownCommand(verb: string): string {
  const sugg = KUBECTL_COMMANDS.filter((c) => levenshtein(verb.toLowerCase(), c) <= 2 || c.startsWith(verb.toLowerCase()));
  let msg = `Error: unknown command "${verb}" for "kubectl"`;
  if (sugg.length) msg += `\n\nDid you mean this?\n${sugg.map((x) => `\t${x}`).join('\n')}\n`;
  return `${msg}\n`;
}

/** Writes an error the way kubectl's CheckErr does and returns the exit code. */
export function reportError(err: unknown, io: IO): number {
  if (!(err instanceof StatusError) && !(err instanceof CliError)) {
    // A bug, not a user error: still no stack trace, but say what happened.
    io.stderr.write(`${formatError(err)}\n`);
    if (io.env.KUBESIM_DEBUG && err instanceof Error) io.stderr.write(`${err.stack}\n`);
    return 1;
  }
  // kubectl's fatal() adds a newline only to a message that does not end with one
  const text = formatError(err);
  io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  return err instanceof CliError ? err.exitCode : 1;
}

/**
 * Verbs that have no subcommands and are no group in kubectl's command tree (or are kubesim's own):
 * given first, resolveCommand always answers them with the verb and the other words, so the command
 * tree and the help texts (help/entry.ts) are not loaded for them (a test checks the list).
 */
export const PLAIN_VERBS = new Set([
  'get', 'describe', 'logs', 'exec', 'delete', 'run', 'label', 'annotate', 'patch', 'version', 'clock', 'scale',
  'expose', 'explain', 'wait', 'edit', 'diff', 'replace', 'cordon', 'uncordon', 'drain', 'taint', 'cp',
  'port-forward', 'proxy', 'attach', 'debug', 'events', 'api-resources', 'api-versions', 'autoscale', 'kustomize',
  'cluster', 'reset', 'repair', 'replay', 'serve', 'completion',
]);

/** KUBESIM_STARTUP_TRACE: the launcher's mark (bin/kubesim), when it traces start-up. */
export function startupMark(what: string): void {
  (globalThis as { __kubesimStartupMark?: (what: string) => void }).__kubesimStartupMark?.(what);
}

/** The verb and its arguments; `code` when the command was answered without a verb (help, errors). */
async function resolve(argv: string[], io: IO): Promise<Resolved> {
  if (argv.length && PLAIN_VERBS.has(argv[0])) return { verb: argv[0], rest: argv.slice(1) };
  return (await import('./help/entry.js')).resolveCommand(argv, io, (v) => v in VERBS);
}

export async function dispatch(argv: string[], io: IO): Promise<number> {
  // Global flags may come before the verb (`kubectl -n foo get pods`, `kubectl --as admin get pods`).
  let verb: string | undefined;
  let rest: string[];
  try {
    const r = await resolve(argv, io);
    if (r.code !== undefined) return r.code;
    verb = r.verb!;
    rest = r.rest!;
  } catch (err) {
    return reportError(err, io);
  }
  const load = VERBS[verb];
  if (!load) {
    io.stderr.write(unknownCommand(verb));
    return 1;
  }
  try {
    const mod = await load();
    startupMark(`${verb} loaded`);
    // -v=6, --request-timeout, --as/--as-group: what the client does around each request
    const effects = argv.some((a) => /^(-v|--v\b|--as\b|--as-|--request-timeout)/.test(a))
      ? (await import('./client-effects.js')).installClientEffects(argv, io, verb)
      : undefined;
    try {
      return await mod.default(rest, io);
    } catch (err) {
      effects?.failed(err);
      throw err;
    } finally {
      effects?.undo();
    }
  } catch (err) {
    if (err instanceof HelpRequested) return (await import('./help/entry.js')).printRequestedHelp(err, io);
    return reportError(err, io);
  }
}
