// `-o custom-columns=HEADER:path,...` and `-o custom-columns-file=<file>` (kubectl get customcolumn.go).
import { CliError } from '../api/errors.js';
import { goSprint } from './gofmt.js';
import { findJsonPathResults, parseJsonPathRaw, relaxedJsonPath, type CompiledJsonPath } from './jsonpath.js';
import { TabWriter } from './tabwriter.js';

export interface CustomColumn {
  header: string;
  /** The relaxed path normalized to `{.a.b}`. */
  fieldSpec: string;
}

/** Parses `NAME:.metadata.name,IMAGE:.spec.containers[*].image`. Throws with kubectl's messages. */
export function parseCustomColumnsSpec(spec: string): CustomColumn[] {
  if (spec.length === 0) throw new CliError('custom-columns format specified but no custom columns given');
  return spec.split(',').map((part) => {
    const i = part.indexOf(':');
    if (i < 0) throw new CliError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return { header: part.slice(0, i), fieldSpec: relaxedJsonPath(part.slice(i + 1)) };
  });
}

const words = (line: string) => line.split(/[\s\u0085\u00a0]+/u).filter(Boolean);

/** Parses a custom-columns file: a line of headers, then a line of paths (whitespace separated). */
export function parseCustomColumnsTemplate(text: string): CustomColumn[] {
  // bufio.Scanner lines: a final newline does not start another line; a trailing \r is dropped
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines.length < 1) {
    throw new CliError('invalid template, missing header line. Expected format is one line of space separated headers, one line of space separated column specs.');
  }
  const headers = words(lines[0]);
  if (lines.length < 2) {
    throw new CliError('invalid template, missing spec line. Expected format is one line of space separated headers, one line of space separated column specs.');
  }
  const specs = words(lines[1]);
  if (headers.length !== specs.length) throw new CliError(`number of headers (${headers.length}) and field specifications (${specs.length}) don't match`);
  return headers.map((header, i) => ({ header, fieldSpec: relaxedJsonPath(specs[i]) }));
}

const escapeTerminal = (s: string) => s.replace(/\x1b/g, '^[').replace(/\r/g, '\\r');

/** One cell: values joined by `,`, `<none>` when the path yields nothing. */
export function customColumnCell(compiled: CompiledJsonPath, obj: unknown): string {
  const values = findJsonPathResults(compiled, obj, { allowMissingKeys: true });
  const strs: string[] = [];
  if (values.length === 0 || values[0].length === 0) strs.push('<none>');
  for (const list of values) for (const v of list) strs.push(escapeTerminal(goSprint(v)));
  return strs.join(',');
}

/** An error from printing custom columns, with what had been printed before it. */
export class CustomColumnsError extends Error {
  constructor(
    message: string,
    readonly partialOutput: string,
  ) {
    super(message);
  }
}

/**
 * Lays out custom columns for objects (a header line unless noHeaders; a header is printed even
 * with no objects). Throws CustomColumnsError (message = kubectl's error text) on a path error.
 */
export function printCustomColumns(columns: CustomColumn[], objs: unknown[], opts: { noHeaders?: boolean } = {}): string {
  const w = new TabWriter({ minwidth: 6, padding: 3, rememberWidths: true });
  if (!opts.noHeaders) w.write(`${columns.map((c) => c.header).join('\t')}\n`);
  let compiled: CompiledJsonPath[];
  try {
    compiled = columns.map((c) => parseJsonPathRaw(c.fieldSpec));
    for (const obj of objs) w.write(`${compiled.map((c) => customColumnCell(c, obj)).join('\t')}\n`);
  } catch (e) {
    throw new CustomColumnsError((e as Error).message, w.flush());
  }
  return w.flush();
}

/** `-o custom-columns=<spec>` / `-o custom-columns-file` (then `spec` is the file's text). */
export function customColumns(spec: string, objs: unknown[], opts: { noHeaders?: boolean; file?: boolean } = {}): string {
  const columns = opts.file ? parseCustomColumnsTemplate(spec) : parseCustomColumnsSpec(spec);
  return printCustomColumns(columns, objs, { noHeaders: opts.file ? false : opts.noHeaders });
}
