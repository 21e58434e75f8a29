// Help texts in kubectl's layout (its templater): description, Aliases, Examples, Available
// Commands, Options with `--flag=default:` and a tab-indented description, Usage, the trailers.
import type { FlagSpec } from '../cli/flags.js';
import type { CommandDoc } from '../cli/help/tree.js';

export interface HelpFlag {
  spec: FlagSpec;
  doc: string;
}

const GLOBAL_TRAILER = 'Use "kubectl options" for a list of global command-line options (applies to all commands).\n';

function isDuration(v: string): boolean {
  return /^-?(\d+(\.\d+)?(ns|us|\u00b5s|ms|s|m|h))+$/.test(v);
}

/** pflag's rendering of a default value in kubectl's help (`''`, `false`, `[]`, `0s`). */
export function renderDefault(spec: FlagSpec, home?: string): string {
  const d = spec.default;
  switch (spec.type) {
    case 'bool':
      return String(d ?? false);
    case 'int':
      return String(d ?? 0);
    case 'stringArray':
    case 'stringSlice':
      return `[${((d as string[] | undefined) ?? []).join(',')}]`;
    default: {
      if (spec.name === 'v') return String(d ?? 0);
      if (spec.name === 'vmodule') return '';
      if (spec.name === 'cache-dir' && !d) return `'${home ?? ''}/.kube/cache'`;
      const v = String(d ?? '');
      return isDuration(v) ? v : `'${v}'`;
    }
  }
}

/** The `Options:` entries: visible flags sorted by name, as pflag's usage lists them. */
export function formatFlags(flags: HelpFlag[], home?: string): string {
  return [...flags]
    .filter((f) => !f.spec.hidden && !f.spec.deprecated)
    .sort((a, b) => (a.spec.name < b.spec.name ? -1 : a.spec.name > b.spec.name ? 1 : 0))
    .map((f) => `    ${f.spec.short ? `-${f.spec.short}, ` : ''}--${f.spec.name}=${renderDefault(f.spec, home)}:\n\t${f.doc}\n\n`)
    .join('');
}

function description(doc: CommandDoc): string {
  const first = /[.!?]$/.test(doc.short) ? doc.short : `${doc.short}.`;
  const paras = doc.long ? doc.long.split('\n\n') : [];
  // LongDesc: the first paragraph as written, the later ones indented by one space
  const head = paras.length ? paras[0] : first;
  return [head, ...paras.slice(1).map((p) => ` ${p}`)].join('\n\n');
}

function examples(doc: CommandDoc): string {
  if (!doc.examples?.length) return '';
  const body = doc.examples.map(([comment, cmd]) => `  # ${comment}\n  ${cmd}\n`).join('  \n');
  return `Examples:\n${body}\n`;
}

/** cobra's name column: the longest name (at least 11) plus three spaces. */
export function commandList(cmds: { name: string; short: string }[]): string {
  const width = Math.max(11, ...cmds.map((c) => c.name.length)) + 3;
  return cmds.map((c) => `  ${c.name.padEnd(width - 1)} ${c.short}\n`).join('');
}

export function commandHelp(doc: CommandDoc, flags: HelpFlag[] | undefined, subs: CommandDoc[], program = 'kubectl', simulated = true): string {
  const name = doc.path.split(' ').pop()!;
  let out = `${description(doc)}\n\n`;
  if (doc.aliases?.length) out += `Aliases:\n${[name, ...doc.aliases].join(', ')}\n\n`;
  out += examples(doc);
  if (subs.length) out += `Available Commands:\n${commandList(subs.map((s) => ({ name: s.path.split(' ').pop()!, short: s.short })))}\n`;
  if (!simulated) out += `(kubesim knows this command but does not simulate it.)\n\n`;
  const opts = flags ? formatFlags(flags) : '';
  if (opts) out += `Options:\n${opts}`;
  out += `Usage:\n  ${doc.usage}\n\n`;
  if (subs.length) out += `Use "${program} ${doc.path} <command> --help" for more information about a given command.\n`;
  return out + GLOBAL_TRAILER;
}

export interface RootHelpInput {
  groups: [string, CommandDoc[]][];
  /** kubesim's own commands, when invoked as kubesim */
  own?: CommandDoc[];
  program: string;
}

export function rootHelp(input: RootHelpInput): string {
  const all = input.groups.flatMap(([, cmds]) => cmds).concat(input.own ?? []);
  const width = Math.max(11, ...all.map((c) => c.path.length)) + 3;
  const line = (c: CommandDoc) => `  ${c.path.padEnd(width - 1)} ${c.short}\n`;
  let out =
    input.program === 'kubesim'
      ? 'kubesim answers kubectl\'s commands from a simulated cluster kept on this machine, and has commands of its own.\n\n'
      : 'kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n\n';
  if (input.own) out += `Simulation Commands (kubesim):\n${input.own.map(line).join('')}\n`;
  for (const [title, cmds] of input.groups) {
    if (title === 'Other Commands') out += 'Subcommands provided by plugins:\n\n';
    out += `${title}:\n${cmds.map(line).join('')}\n`;
  }
  out += `Usage:\n  ${input.program} [flags] [options]\n\n`;
  out += `Use "${input.program} <command> --help" for more information about a given command.\n`;
  return out + GLOBAL_TRAILER;
}

export function optionsHelp(flags: HelpFlag[], home?: string): string {
  return `The following options can be passed to any command:\n\n${formatFlags(flags, home)}`;
}
