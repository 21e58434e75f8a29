// What happens before a verb runs: global flags wherever they stand, `kubectl`, `help`, `options`,
// `--help` of group commands, and the answer for kubectl commands kubesim does not simulate. After
// a verb: its HelpRequested (thrown by parseFlags) becomes the help built from the flags it declared.
import { CliError } from '../../api/errors.js';
import { GLOBAL_FLAGS, HelpRequested, parseFlags, type FlagSpec } from '../flags.js';
import type { IO } from '../io.js';
import { commandHelp, optionsHelp, rootHelp, type HelpFlag } from '../../printers/help.js';
import { flagDoc } from './flag-docs.js';
import { COMMANDS, commandDoc, GROUPS, KUBESIM_COMMANDS, kubesimDoc, resolvePath, subcommands, type CommandDoc } from './tree.js';

const GLOBAL_BY_LONG = new Map(GLOBAL_FLAGS.map((f) => [`--${f.name}`, f]));
const GLOBAL_BY_SHORT = new Map(GLOBAL_FLAGS.filter((f) => f.short).map((f) => [`-${f.short}`, f]));

/**
 * Whether a flag before the command word takes the next word, as cobra's stripFlags decides when it
 * looks for the command: a known flag that takes a value, and an unknown one given without `=`.
 */
function consumesNext(arg: string): boolean {
  if (arg.includes('=')) return false;
  const f = GLOBAL_BY_LONG.get(arg) ?? GLOBAL_BY_SHORT.get(arg);
  if (f) return f.type !== 'bool';
  if (arg === '--help' || arg === '-h') return false;
  return arg.startsWith('--') || arg.length === 2;
}

/** The index of the first word that is not a (global) flag or a flag's value. */
export function firstWord(argv: string[]): number {
  let i = 0;
  while (i < argv.length && argv[i].startsWith('-') && argv[i] !== '--') i += consumesNext(argv[i]) ? 2 : 1;
  return i < argv.length && argv[i] !== '--' ? i : -1;
}

/**
 * The words among the arguments, up to `--`, with flags and what cobra's stripFlags takes as their
 * values left out (so `create -f secret` names no subcommand, as when cobra looks for one).
 */
export function words(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (a.startsWith('-') && a.length > 1) {
      if (consumesNext(a)) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

function helpAsked(argv: string[]): boolean {
  const dash = argv.indexOf('--');
  return (dash < 0 ? argv : argv.slice(0, dash)).some((a) => a === '--help' || a === '-h' || a === '--help=true');
}

function program(io: IO): string {
  return io.program === 'kubesim' ? 'kubesim' : 'kubectl';
}

export function topLevelHelp(io: IO): string {
  const groups = GROUPS.map(([title, names]) => [title, names.map((n) => commandDoc(n)!)] as [string, CommandDoc[]]);
  return rootHelp({ groups, own: program(io) === 'kubesim' ? KUBESIM_COMMANDS : undefined, program: program(io) });
}

function globalFlags(): HelpFlag[] {
  return GLOBAL_FLAGS.map((spec) => ({ spec, doc: flagDoc('', spec.name) ?? '' }));
}

export function optionsText(io: IO): string {
  return optionsHelp(globalFlags(), io.env.HOME);
}

/** The flags of a command with their descriptions; names without one are listed in `missing`. */
export function documentFlags(path: string, specs: FlagSpec[]): { flags: HelpFlag[]; missing: string[] } {
  const seen = new Set<string>();
  const flags: HelpFlag[] = [];
  const missing: string[] = [];
  for (const spec of specs) {
    if (seen.has(spec.name)) continue;
    seen.add(spec.name);
    const doc = flagDoc(path, spec.name);
    if (doc === undefined && !spec.hidden && !spec.deprecated) missing.push(spec.name);
    flags.push({ spec, doc: doc ?? '' });
  }
  return { flags, missing };
}

function docFor(path: string): CommandDoc | undefined {
  const r = resolvePath(path.split(' '));
  return (r && r.used === path.split(' ').length ? r.doc : undefined) ?? kubesimDoc(path);
}

/** The help text of a command path, with the flags its parser declared (none when unknown). */
export function helpText(path: string, specs: FlagSpec[] | undefined, io: IO, simulated = true): string | undefined {
  const doc = docFor(path);
  if (!doc) return undefined;
  const flags = specs ? documentFlags(doc.path, specs).flags : undefined;
  const subs = kubesimDoc(doc.path) ? [] : subcommands(doc.path);
  return commandHelp(doc, flags, subs, program(io), simulated);
}

/** Prints the help a verb's parser asked for. */
export function printRequestedHelp(err: HelpRequested, io: IO): number {
  const text = helpText(err.path, err.specs, io);
  io.stdout.write(text ?? `Usage:\n  ${program(io)} ${err.path} [options]\n\nUse "kubectl options" for a list of global command-line options (applies to all commands).\n`);
  return 0;
}

export function notSupported(path: string): CliError {
  return new CliError(`"kubectl ${path}" is not supported by kubesim (simulated cluster)`);
}

export interface Resolved {
  /** an exit code when the command was answered here */
  code?: number;
  verb?: string;
  rest?: string[];
}

/**
 * Finds the verb among the arguments and answers what needs no verb module: the top-level help,
 * `help`, `options`, group commands' help and commands kubesim does not simulate.
 */
export function resolveCommand(argv: string[], io: IO, hasHandler: (verb: string) => boolean): Resolved {
  const i = firstWord(argv);
  if (i < 0) {
    // the root command itself: its flags must parse (`kubectl --version` is an unknown flag)
    try {
      parseFlags(argv, [], '');
    } catch (e) {
      if (e instanceof HelpRequested) return resolveHelpOnly(io);
      if (!(e instanceof CliError)) throw e;
      throw new CliError(e.message.replace("See 'kubectl  --help'", "See 'kubectl --help'"), e.exitCode, e.raw);
    }
    io.stdout.write(topLevelHelp(io));
    return { code: 0 };
  }
  const verb = argv[i];
  if (i > 0 && !isCommand(verb, hasHandler)) {
    // kubectl looks for a plugin named by the words; a flag before them is refused
    io.stderr.write(`Error: flags cannot be placed before plugin name: ${argv[0]}\n`);
    return { code: 1 };
  }
  const rest = [...argv.slice(0, i), ...argv.slice(i + 1)];
  if (verb === 'help') {
    const w = words(rest);
    if (!w.length) {
      io.stdout.write(topLevelHelp(io));
      return { code: 0 };
    }
    if (!resolvePath(w) && !kubesimDoc(w[0]) && !hasHandler(w[0])) {
      // cobra: the unknown topic, then the root command's usage (the command list), on stderr
      const list = topLevelHelp(io);
      io.stderr.write(`Unknown help topic [\`${w.join(' ')}\`]\n\n\n${list.slice(list.indexOf('\n\n', list.indexOf('Find more') >= 0 ? list.indexOf('Find more') : 0) + 2)}`);
      return { code: 0 };
    }
    return resolveCommand([...w, '--help'], io, hasHandler);
  }
  if (verb === 'options') {
    // kubectl's options command has a help function of its own that prints nothing for --help
    if (!helpAsked(rest)) io.stdout.write(optionsText(io));
    return { code: 0 };
  }
  const r = resolvePath([verb, ...words(rest)]);
  if (!r) return { verb, rest };
  const { doc } = r;
  const help = helpAsked(rest);
  const supported = isSimulated(doc, hasHandler);
  if (doc.group && !help && r.used === 1 + words(rest).length) {
    // a group command without its subcommand prints its help: kubectl's DefaultSubCommandRun writes
    // it to stderr and fails; rollout prints it on stdout and fails; certificate (cobra's own) succeeds
    const text = helpText(doc.path, undefined, io, supported)!;
    if (doc.path === 'certificate' || doc.path === 'rollout') io.stdout.write(text);
    else io.stderr.write(text);
    return { code: doc.path === 'certificate' ? 0 : 1 };
  }
  if (help && (doc.group || !supported)) {
    io.stdout.write(helpText(doc.path, undefined, io, supported)!);
    return { code: 0 };
  }
  if (!supported) throw notSupported(doc.path);
  return { verb, rest };
}

/**
 * A command is simulated when its verb has a module and, for a subcommand, the tree does not mark it
 * as missing from that module (a verb added later needs no change here).
 */
export function isSimulated(doc: CommandDoc, hasHandler: (verb: string) => boolean): boolean {
  const words = doc.path.split(' ');
  if (!hasHandler(words[0])) return false;
  return words.length === 1 || doc.sim !== false;
}

function resolveHelpOnly(io: IO): Resolved {
  io.stdout.write(topLevelHelp(io));
  return { code: 0 };
}

function isCommand(word: string, hasHandler: (verb: string) => boolean): boolean {
  return word === 'help' || word === 'options' || hasHandler(word) || commandDoc(word) !== undefined || kubesimDoc(word) !== undefined;
}

/** Every kubectl command path kubesim knows (for tests and completion). */
export function allCommandPaths(): string[] {
  return COMMANDS.map((c) => c.path);
}
