// `-o` handling shared by the verbs: json, yaml, name, jsonpath, custom-columns, and the
// `<kind>/<name> <operation>` lines of mutating verbs.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError } from '../api/errors.js';
import { kindPrefix, type KObj, type ResourceDef } from '../api/types.js';
import type { FlagSpec, Parsed } from './flags.js';
import type { IO } from './io.js';

export const OUTPUT_FLAGS: FlagSpec[] = [
  { name: 'output', short: 'o', type: 'string', default: '' },
  { name: 'template', type: 'string', default: '' },
  { name: 'show-managed-fields', type: 'bool', default: false },
  { name: 'allow-missing-template-keys', type: 'bool', default: true },
];

export interface Item {
  def: ResourceDef;
  obj: KObj;
}

const SUPPORTED =
  'custom-columns, custom-columns-file, go-template, go-template-file, json, jsonpath, jsonpath-as-json, jsonpath-file, name, template, templatefile, wide, yaml';
/** Go's text/template formats: every verb that prints objects has them. */
const TEMPLATE_FORMATS = ['go-template', 'go-template-file', 'template', 'templatefile'];

/**
 * The `-o` value in effect: `--template` alone means go-template (kubectl's backwards
 * compatibility), and a template format takes its text from `--template` when given.
 */
function effectiveOutput(p: Parsed): string {
  const o = String(p.flags.output ?? '');
  return !p.changed.has('output') && String(p.flags.template ?? '') ? 'go-template' : o;
}

/** Checks `-o` against the formats a verb supports; returns the format name ('' = default). */
export function outputFormat(p: Parsed, allowed: string[]): string {
  const o = effectiveOutput(p);
  if (!o) return '';
  const name = o.split('=')[0];
  const known = [...allowed, ...TEMPLATE_FORMATS];
  // a template format with --template takes no `=TEXT` (kubectl then matches no printer), and only
  // the template formats take one at all (`-o wide=x` matches nothing)
  const templated = TEMPLATE_FORMATS.includes(name) && o.includes('=') && String(p.flags.template ?? '');
  const takesArg = TEMPLATE_FORMATS.includes(name) || name.startsWith('jsonpath') || name.startsWith('custom-columns');
  if (!known.includes(name) || templated || (o.includes('=') && !takesArg)) {
    throw new CliError(`unable to match a printer suitable for the output format "${o}", allowed formats are: ${SUPPORTED.split(', ').filter((f) => known.includes(f)).join(',')}`);
  }
  return name;
}

/** `-o` of verbs that print the objects they change (run, create): checked before anything is done. */
export function checkMutatingOutput(p: Parsed): void {
  outputFormat(p, ['json', 'yaml', 'name', 'jsonpath', 'jsonpath-file', 'jsonpath-as-json']);
}

function stripManaged(obj: KObj, show: boolean): KObj {
  if (show || !obj.metadata?.managedFields) return obj;
  const o = { ...obj, metadata: { ...obj.metadata } };
  delete o.metadata.managedFields;
  return o;
}

/**
 * Prints objects with a structured format. `single` means one object was asked for by name, so it
 * prints as itself; otherwise a List wraps the items.
 */
export async function printStructured(io: IO, p: Parsed, items: Item[], single: boolean, opts: { typed?: boolean } = {}): Promise<void> {
  const o = effectiveOutput(p);
  const eq = o.indexOf('=');
  const format = eq >= 0 ? o.slice(0, eq) : o;
  const arg = eq >= 0 ? o.slice(eq + 1) : String(p.flags.template ?? '');
  const show = Boolean(p.flags['show-managed-fields']);
  const objs = items.map((i) => stripManaged(i.obj, show));
  const pr = await import('../printers/index.js');
  const data = single && objs.length === 1 ? objs[0] : pr.listWrap(objs);
  switch (format) {
    case 'json':
      io.stdout.write(pr.toJson(data, { sort: !opts.typed }));
      return;
    case 'yaml':
      io.stdout.write(pr.toYaml(data));
      return;
    case 'name':
      for (const i of items) io.stdout.write(`${kindPrefix(i.def)}/${i.obj.metadata.name}\n`);
      return;
    case 'jsonpath':
    case 'jsonpath-file':
    case 'jsonpath-as-json': {
      const template = format === 'jsonpath-file' ? readTemplate(io, arg, `error reading --template ${arg}, `) : arg;
      if (!template && format !== 'jsonpath-file') throw new CliError('template format specified but no template given');
      io.stdout.write(printed(() => pr.jsonPath(template, data, { allowMissingKeys: Boolean(p.flags['allow-missing-template-keys']), asJson: format === 'jsonpath-as-json' })));
      return;
    }
    case 'go-template':
    case 'go-template-file':
    case 'template':
    case 'templatefile':
      printGoTemplate(io, p, format, arg, data, pr);
      return;
    case 'custom-columns':
    case 'custom-columns-file': {
      const spec = format === 'custom-columns-file' ? readTemplate(io, arg, `error reading template ${arg}, `, '\n') : arg;
      io.stdout.write(printed(() => pr.customColumns(spec, objs, { noHeaders: Boolean(p.flags['no-headers']), file: format === 'custom-columns-file' })));
      return;
    }
    default:
      throw new CliError(`output format "${format}" is not supported`);
  }
}

/** kubectl's go-template printer: the object as encoding/json decodes it, Go's errors. */
function printGoTemplate(io: IO, p: Parsed, format: string, arg: string, data: unknown, pr: typeof import('../printers/index.js')): void {
  if (!arg) throw new CliError('template format specified but no template given');
  const file = format === 'templatefile' || format === 'go-template-file';
  const template = file ? readTemplate(io, arg, `error reading --template ${arg}, `, '\n') : arg;
  let nodes;
  try {
    nodes = pr.parseGoTemplate(template);
  } catch (e) {
    throw new CliError(`error parsing template ${template}, ${(e as Error).message}\n`);
  }
  try {
    io.stdout.write(pr.execGoTemplate(nodes, data, { src: template, missingKeyError: !p.flags['allow-missing-template-keys'] }));
  } catch (e) {
    if (!(e instanceof pr.TemplateError)) throw e;
    // kubectl prints what it knows to the output, then fails
    io.stdout.write(
      e.partial +
        `Error executing template: ${e.message}. Printing more information for debugging the template:\n` +
        `\ttemplate was:\n\t\t${template}\n\traw data was:\n\t\t${pr.toCompactJson(data)}\n` +
        `\tobject given to template engine was:\n\t\t${pr.goV(data)}\n\n`,
    );
    throw new CliError(`error executing template ${pr.goQuote(template)}: ${e.message}`);
  }
}

/** A printer's failure (a template that does not parse or run) is the user's error, in its own words. */
function printed(print: () => string): string {
  try {
    return print();
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError((e as Error).message);
  }
}

/** A template file's text, or kubectl's error for a file it cannot open. */
function readTemplate(io: IO, path: string, prefix: string, suffix = ''): string {
  try {
    return readFileSync(resolve(io.cwd, path), 'utf8');
  } catch (e) {
    const dir = (e as NodeJS.ErrnoException).code === 'EISDIR';
    throw new CliError(`${prefix}${dir ? `read ${path}: is a directory` : `open ${path}: no such file or directory`}${suffix}`);
  }
}

/** The line a mutating verb prints: `pod/nginx created`, or the object for -o json|yaml|name. */
export async function printResult(io: IO, p: Parsed, item: Item, operation: string, dryRun: string, opts: { typed?: boolean } = {}): Promise<void> {
  const o = effectiveOutput(p);
  if (o && o !== 'wide') {
    if (o === 'name') {
      io.stdout.write(`${kindPrefix(item.def)}/${item.obj.metadata?.name ?? ''}\n`);
      return;
    }
    // a typed object (kubectl set decodes into the Go types) prints its fields in their declared order
    if (opts.typed) {
      const { typedOrder } = await import('../printers/wire-json.js');
      await printStructured(io, p, [{ ...item, obj: typedOrder(item.obj) }], true, { typed: true });
    } else await printStructured(io, p, [item], true);
    return;
  }
  const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
  // a client-side dry run prints an object without a name as kubectl does: `namespace/ created (dry run)`
  io.stdout.write(`${kindPrefix(item.def)}/${item.obj.metadata?.name ?? ''} ${operation}${suffix}\n`);
}

export const DRY_RUN_FLAG: FlagSpec = { name: 'dry-run', type: 'string', default: 'none', noOptDefault: 'unchanged' };

/** kubectl's --dry-run values: none|client|server (bare --dry-run is deprecated `unchanged` → client). */
export function dryRunMode(p: Parsed, io: IO): 'none' | 'client' | 'server' {
  const v = String(p.flags['dry-run'] ?? 'none');
  if (v === 'unchanged' || v === 'true') {
    io.stderr.write(
      'W1122 00:00:00.000000   12345 helpers.go:720] --dry-run is deprecated and can be replaced with --dry-run=client.\n'.replace(/^W\d{4} [\d:.]+ +\d+/, klogPrefix('W', io)),
    );
    return 'client';
  }
  if (v === 'false' || v === 'none') return 'none';
  if (v === 'client' || v === 'server') return v;
  throw new CliError(`Invalid dry-run value (${v}). Must be "none", "server", or "client".`);
}

/** `E1122 23:18:40.961791    3155` — klog's header for error/warning lines kubectl prints. */
export function klogPrefix(level: 'E' | 'W' | 'I', io: IO): string {
  const d = new Date(io.wallNow());
  const p2 = (n: number) => String(n).padStart(2, '0');
  const micro = String(d.getUTCMilliseconds() * 1000).padStart(6, '0');
  return `${level}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${micro} ${String(io.pid ?? 1).padStart(7, ' ')}`;
}
