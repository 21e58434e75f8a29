// What the workload verbs (scale, set, rollout, wait) share: kubectl's resource-builder front end
// (TYPE NAME / TYPE/NAME / -f / -l / --all), its aggregate error printing, the pod template of an
// object, and cobra's required-flag klog line.
import { CliError, formatError, StatusError } from '../api/errors.js';
import type { KObj, ResourceDef } from '../api/types.js';
import { parseResourceArgs, resolveSelections, type Found } from './builder.js';
import { FILE_FLAGS, manifestArgs } from './files.js';
import { bool, GLOBAL_FLAGS, str, type FlagSpec, type Parsed } from './flags.js';
import type { IO } from './io.js';
import { loadDocs, settleNamespace } from './objects.js';
import { selectorFilters } from './selectors.js';
import type { Session } from './session.js';
import { parseDuration } from '../sim/clock.js';

export const SELECTOR_FLAG: FlagSpec = { name: 'selector', short: 'l', type: 'string', default: '' };
export { FILE_FLAGS };

/**
 * cobra's MarkFlagRequired failure. Upstream kubectl's main (cli.RunNoErrOutput, then CheckErr)
 * prints it as `error: …`, as the kubectl 1.27–1.33 release binaries do; only a build whose main
 * uses cli.Run (the gcloud SDK's kubectl) logs it as a klog `run.go:72] "command failed"` line.
 */
export function requiredFlagMissing(io: IO, flag: string): number {
  io.stderr.write(`error: required flag(s) "${flag}" not set\n`);
  return 1;
}

/** kubectl's CheckErr for a list of errors: one is printed alone (`error: ` added), several one a line. */
export function aggregateError(errs: Error[]): CliError | undefined {
  if (!errs.length) return undefined;
  if (errs.length === 1) {
    const e = errs[0];
    if (e instanceof CliError) return e;
    return new CliError(formatError(e), 1, true);
  }
  const lines = errs.map((e) => (e instanceof StatusError ? formatError(e) : e.message));
  return new CliError(lines.join('\n'), 1, true);
}

export interface TargetOptions {
  verb: string;
  /** -A given */
  allNamespaces?: boolean;
  /** --all allowed and given */
  all?: boolean;
  /** `resource(s) were provided, but no name was specified` unless selecting */
  requireNames?: boolean;
  /** what loadDocs calls the operation in messages */
  fileVerb?: string;
}

/**
 * Resolves `args` / -f / -l / --all into the objects a verb works on (kubectl's builder with
 * ContinueOnError: missing objects become errors, the rest are returned).
 */
export async function resolveTargets(io: IO, p: Parsed, s: Session, args: string[], opts: TargetOptions): Promise<{ items: Found[]; errors: Error[] }> {
  const files = manifestArgs(p);
  const errors: Error[] = [];
  const items: Found[] = [];
  const filters = await selectorFilters(p);
  if (files.length) {
    const docs = await loadDocs(io, files, bool(p, 'recursive'), opts.fileVerb ?? 'getting', 'ignore');
    for (const d of docs) {
      if (d.error) {
        errors.push(d.error);
        continue;
      }
      settleNamespace(d, s.namespace, s.namespaceExplicit);
      const r = resolveSelections(s.cluster, [{ def: d.def!, names: [d.obj!.metadata.name] }], {
        namespace: d.obj!.metadata.namespace,
        allNamespaces: false,
        ...filters,
      });
      items.push(...r.items);
      errors.push(...r.errors);
    }
    return { items, errors };
  }
  const selecting = opts.all || str(p, 'selector') || (p.flags['field-selector'] !== undefined && str(p, 'field-selector'));
  // the builder's own argument errors
  if (selecting && args.some((a) => a.includes('/'))) throw new CliError('selectors and the all flag cannot be used when passing resource/name arguments');
  if (str(p, 'selector') && args.length > 1) throw new CliError('name cannot be provided when a selector is specified');
  // the builder names `kubectl get` in its hint, whatever the verb
  const sels = parseResourceArgs(args, 'get');
  if (opts.requireNames !== false && !selecting && sels.some((x) => !x.names)) {
    throw new CliError('resource(s) were provided, but no name was specified');
  }
  const r = resolveSelections(s.cluster, sels, { namespace: s.namespace, allNamespaces: Boolean(opts.allNamespaces), ...filters });
  return { items: r.items, errors: r.errors };
}

/** The pod spec an object carries (a pod's own, or its template's), undefined for other kinds. */
export function podSpecHolder(obj: KObj): { spec: KObj; template?: KObj } | undefined {
  switch (obj.kind) {
    case 'Pod':
      return { spec: (obj.spec ??= {}) };
    case 'ReplicationController':
    case 'Deployment':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'Job': {
      const spec = (obj.spec ??= {});
      const template = (spec.template ??= {});
      return { spec: (template.spec ??= {}), template };
    }
    case 'CronJob': {
      const jt = ((obj.spec ??= {}).jobTemplate ??= {});
      const template = ((jt.spec ??= {}).template ??= {});
      return { spec: (template.spec ??= {}), template };
    }
    default:
      return undefined;
  }
}

/** Go's %T of the typed object kubectl decoded (`*v1.ConfigMap`). */
export function goTypeName(obj: KObj): string {
  const version = String(obj.apiVersion ?? 'v1').split('/').pop();
  return `*${version}.${obj.kind}`;
}

/** `deployments.apps` / `pods`: how kubectl names a resource in `error: <resource> "<name>" …` lines. */
export function resourceString(f: Found): string {
  return f.def.group ? `${f.def.plural}.${f.def.group}` : f.def.plural;
}

/** Info.ObjectName(): `deployments/web`. */
export function objectName(f: Found): string {
  return `${f.def.plural}/${f.obj.metadata.name}`;
}

/** An API error's own text (err.Error() in Go), as kubectl shows it inside its own messages. */
export function serverMessage(e: unknown, def?: ResourceDef): string {
  if (e instanceof StatusError && e.reason === 'Invalid' && e.details?.causes?.length) {
    const kind = def?.group ? `${e.details.kind ?? def.kind}.${def.group}` : e.details.kind ?? def?.kind ?? '';
    const causes = e.details.causes.map((c) => `${c.field}: ${c.message}`);
    return `${kind} "${e.details.name ?? ''}" is invalid: ${causes.length === 1 ? causes[0] : `[${causes.join(', ')}]`}`;
  }
  return e instanceof Error ? e.message : String(e);
}

/** The deprecation line pflag prints for --record. */
export const RECORD_FLAG: FlagSpec = { name: 'record', type: 'bool', default: false, deprecated: '--record will be removed in the future' };

/**
 * The change-cause --record writes (cli-runtime's parseCommandArguments): `kubectl`, the command's
 * words and positional arguments, then each flag given as ` --name=value`, in the order given.
 */
export function recordedCommand(words: string[], argv: string[], specs: FlagSpec[], p: Parsed): string {
  const all = [...specs, ...GLOBAL_FLAGS];
  const flags: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    let spec: FlagSpec | undefined;
    let value: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      spec = all.find((f) => f.name === (eq >= 0 ? a.slice(2, eq) : a.slice(2)));
      if (eq >= 0) value = a.slice(eq + 1);
    } else if (a.startsWith('-') && a.length > 1) {
      spec = all.find((f) => f.short === a[1]);
      if (a.length > 2) value = a.slice(a[2] === '=' ? 3 : 2);
    } else continue;
    if (!spec) continue;
    if (value === undefined) value = spec.type === 'bool' ? 'true' : spec.noOptDefault ?? argv[++i] ?? '';
    flags.push(` --${spec.name}=${value}`);
  }
  return `kubectl ${[...words, ...p.args].join(' ')}${flags.join('')}`;
}

/** Sets the change-cause annotation when --record was given. */
export function record(obj: KObj, p: Parsed, cause: () => string): void {
  if (!bool(p, 'record')) return;
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), 'kubernetes.io/change-cause': cause() };
}

/** A Go duration flag (`--timeout=30s`) in milliseconds; negative durations allowed; pflag's error text. */
export function goDurationFlag(p: { flags: Record<string, unknown> }, name: string, verb: string): number {
  const text = String(p.flags[name] ?? '0s');
  const ms = parseDuration(text);
  if (ms === undefined) {
    const neg = text.startsWith('-') ? parseDuration(text.slice(1)) : undefined;
    if (neg !== undefined) return -neg;
    throw new CliError(`invalid argument "${text}" for "--${name}" flag: time: invalid duration "${text}"\nSee 'kubectl ${verb} --help' for usage.`);
  }
  return ms;
}
