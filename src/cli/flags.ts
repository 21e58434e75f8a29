// Command-line flags with pflag's semantics, as kubectl parses them: flags anywhere among the
// arguments, `--f=v`, `--f v`, `-f v`, `-fv`, `-f=v`, grouped short booleans (`-it`), `--bool=false`,
// repeatable string arrays, and the position of `--` (ArgsLenAtDash). Errors carry pflag's texts.
import { CliError } from '../api/errors.js';

/** `duration`: a Go time.Duration flag, kept as the text given but checked when parsed */
export type FlagType = 'string' | 'bool' | 'int' | 'stringArray' | 'stringSlice' | 'duration';

export interface FlagSpec {
  name: string;
  short?: string;
  type: FlagType;
  default?: string | number | boolean | string[];
  /** bool flags given without value take this (pflag NoOptDefVal) — and string flags too, e.g. --dry-run */
  noOptDefault?: string;
  hidden?: boolean;
  deprecated?: string;
}

export interface Parsed {
  flags: Record<string, unknown>;
  /** flags explicitly given */
  changed: Set<string>;
  args: string[];
  /** number of positional args before `--`, or -1 */
  dashAt: number;
  warnings: string[];
}

/** Flags every kubectl command accepts (kubectl's persistent flags). */
export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'namespace', short: 'n', type: 'string', default: '' },
  { name: 'kubeconfig', type: 'string', default: '' },
  { name: 'context', type: 'string', default: '' },
  { name: 'cluster', type: 'string', default: '' },
  { name: 'user', type: 'string', default: '' },
  { name: 'server', short: 's', type: 'string', default: '' },
  { name: 'request-timeout', type: 'string', default: '0' },
  { name: 'v', short: 'v', type: 'string', default: '0' },
  { name: 'as', type: 'string', default: '' },
  { name: 'as-group', type: 'stringArray', default: [] },
  { name: 'as-uid', type: 'string', default: '' },
  { name: 'token', type: 'string', default: '' },
  { name: 'username', type: 'string', default: '' },
  { name: 'password', type: 'string', default: '' },
  { name: 'insecure-skip-tls-verify', type: 'bool', default: false },
  { name: 'certificate-authority', type: 'string', default: '' },
  { name: 'client-certificate', type: 'string', default: '' },
  { name: 'client-key', type: 'string', default: '' },
  { name: 'tls-server-name', type: 'string', default: '' },
  { name: 'cache-dir', type: 'string', default: '' },
  { name: 'match-server-version', type: 'bool', default: false },
  { name: 'warnings-as-errors', type: 'bool', default: false },
  { name: 'disable-compression', type: 'bool', default: false },
  { name: 'profile', type: 'string', default: 'none' },
  { name: 'log-flush-frequency', type: 'string', default: '5s' },
  { name: 'profile-output', type: 'string', default: 'profile.pprof' },
  { name: 'vmodule', type: 'string', default: '' },
];

/** `--help`/`-h` was given: the dispatcher prints the command's help from the flags it declared. */
export class HelpRequested extends Error {
  constructor(
    /** the command path after `kubectl` (`get`, `rollout status`) */
    readonly path: string,
    /** the command's own flags (not the global ones), as given to parseFlags */
    readonly specs: FlagSpec[],
  ) {
    super(`help for ${path}`);
  }
}

const HELP_FLAG: FlagSpec = { name: 'help', short: 'h', type: 'bool', default: false, hidden: true };

function usageError(msg: string, verb: string): CliError {
  return new CliError(`${msg}\nSee 'kubectl ${verb} --help' for usage.`);
}

function parseBool(v: string, flag: string, verb: string): boolean {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false;
  throw usageError(`invalid argument "${v}" for "${flag}" flag: strconv.ParseBool: parsing "${v}": invalid syntax`, verb);
}

const DURATION_UNITS = new Set(['ns', 'us', 'µs', 'μs', 'ms', 's', 'm', 'h']);

/** Go's time.ParseDuration error for a text it refuses (its wording), or undefined when it parses. */
export function goDurationError(text: string): string | undefined {
  const invalid = `time: invalid duration "${text}"`;
  let s = text.replace(/^[-+]/, '');
  if (s === '0') return undefined;
  if (s === '') return invalid;
  while (s !== '') {
    const num = /^(\d*)(\.(\d*))?/.exec(s)!;
    if (!num[1] && !num[3]) return invalid;
    s = s.slice(num[0].length);
    const unit = /^[^.\d]*/.exec(s)![0];
    if (unit === '') return `time: missing unit in duration "${text}"`;
    if (!DURATION_UNITS.has(unit)) return `time: unknown unit "${unit}" in duration "${text}"`;
    s = s.slice(unit.length);
  }
  return undefined;
}

/** Parses `argv` (the arguments after the verb). `verb` names the command in error texts (`get`, `config view`). */
export function parseFlags(argv: string[], specs: FlagSpec[], verb: string): Parsed {
  // a command's own flag shadows a global one of the same name (debug's --profile)
  const all = [...specs, ...GLOBAL_FLAGS.filter((g) => !specs.some((s) => s.name === g.name))];
  // cobra adds --help (with -h unless the command took that shorthand) to every command
  if (!all.some((s) => s.name === 'help')) all.push(all.some((s) => s.short === 'h') ? { ...HELP_FLAG, short: undefined } : HELP_FLAG);
  const byName = new Map(all.map((s) => [s.name, s]));
  const byShort = new Map(all.filter((s) => s.short).map((s) => [s.short!, s]));
  const flags: Record<string, unknown> = {};
  for (const s of all) flags[s.name] = Array.isArray(s.default) ? [...s.default] : s.default;
  const changed = new Set<string>();
  const args: string[] = [];
  const warnings: string[] = [];
  let dashAt = -1;

  const set = (spec: FlagSpec, value: string, shown: string) => {
    // pflag's slices and arrays: the first value given replaces the default, later ones append
    if (!changed.has(spec.name) && Array.isArray(flags[spec.name])) flags[spec.name] = [];
    changed.add(spec.name);
    if (spec.deprecated) warnings.push(`Flag --${spec.name} has been deprecated, ${spec.deprecated}`);
    switch (spec.type) {
      case 'bool':
        flags[spec.name] = parseBool(value, shown, verb);
        break;
      case 'int': {
        if (!/^[+-]?\d+$/.test(value)) {
          throw usageError(`invalid argument "${value}" for "${shown}" flag: strconv.ParseInt: parsing "${value}": invalid syntax`, verb);
        }
        flags[spec.name] = Number.parseInt(value, 10);
        break;
      }
      case 'duration': {
        const err = goDurationError(value);
        if (err) throw usageError(`invalid argument "${value}" for "${shown}" flag: ${err}`, verb);
        flags[spec.name] = value;
        break;
      }
      case 'stringArray':
        (flags[spec.name] as string[]).push(value);
        break;
      case 'stringSlice':
        (flags[spec.name] as string[]).push(...(value === '' ? [] : value.split(',')));
        break;
      default:
        flags[spec.name] = value;
    }
  };

  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      dashAt = args.length;
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const spec = byName.get(name);
      if (!spec) throw usageError(`unknown flag: --${name}`, verb);
      const shown = `--${name}`;
      if (eq >= 0) set(spec, a.slice(eq + 1), shown);
      else if (spec.type === 'bool') set(spec, 'true', shown);
      else if (spec.noOptDefault !== undefined) set(spec, spec.noOptDefault, shown);
      else if (i + 1 < argv.length) set(spec, argv[++i], shown);
      else throw usageError(`flag needs an argument: ${shown}`, verb);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      let j = 1;
      while (j < a.length) {
        const ch = a[j];
        const spec = byShort.get(ch);
        if (!spec) throw usageError(`unknown shorthand flag: '${ch}' in ${a}`, verb);
        const shown = `-${ch}, --${spec.name}`;
        const rest = a.slice(j + 1);
        if (rest.startsWith('=')) {
          set(spec, rest.slice(1), shown);
          break;
        }
        if (spec.type === 'bool') {
          set(spec, 'true', shown);
          j++;
          continue;
        }
        if (rest !== '') set(spec, rest, shown);
        else if (spec.noOptDefault !== undefined) set(spec, spec.noOptDefault, shown);
        else if (i + 1 < argv.length) set(spec, argv[++i], shown);
        else throw usageError(`flag needs an argument: '${ch}' in -${ch}`, verb);
        break;
      }
      continue;
    }
    args.push(a);
  }
  if (flags.help === true && !specs.some((s) => s.name === 'help')) throw new HelpRequested(verb, specs);
  return { flags, changed, args, dashAt, warnings };
}

export const str = (p: Parsed, name: string): string => String(p.flags[name] ?? '');
export const bool = (p: Parsed, name: string): boolean => Boolean(p.flags[name]);
export const int = (p: Parsed, name: string): number => Number(p.flags[name]);
export const list = (p: Parsed, name: string): string[] => (p.flags[name] as string[]) ?? [];
