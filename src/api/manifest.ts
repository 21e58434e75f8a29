// Manifest documents from YAML/JSON text, with kubectl's client-side errors: go-yaml's syntax
// messages (mapped from the `yaml` package's typed error codes), missing kind/apiVersion, Lists.
import { parseAllDocuments, type YAMLError } from 'yaml';
import { CliError } from './errors.js';
import type { KObj } from './types.js';

export interface ParsedDoc {
  obj?: KObj;
  error?: CliError;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** go-yaml's wording and line for a syntax error (parser errors report the line before, scanner errors the line). */
export function goYamlError(e: YAMLError): string {
  const start = e.linePos?.[0]?.line ?? 1;
  const end = e.linePos?.[1]?.line ?? start;
  const msg = e.message;
  switch (e.code) {
    case 'BLOCK_AS_IMPLICIT_KEY':
      return `yaml: line ${start}: mapping values are not allowed in this context`;
    case 'BAD_SCALAR_START':
    case 'TAB_AS_INDENT':
      return `yaml: line ${start}: found character that cannot start any token`;
    case 'MULTILINE_IMPLICIT_KEY':
      return `yaml: line ${end}: could not find expected ':'`;
    case 'MISSING_CHAR':
      if (/closing/i.test(msg)) return `yaml: line ${start}: found unexpected end of stream`;
      return `yaml: line ${start - 1}: did not find expected key`;
    case 'BAD_INDENT':
      if (/Flow sequence/.test(msg)) return `yaml: line ${start - 1}: did not find expected ',' or ']'`;
      if (/Flow mapping/.test(msg)) return `yaml: line ${start - 1}: did not find expected ',' or '}'`;
      return `yaml: line ${start - 1}: did not find expected key`;
    default:
      return `yaml: line ${Math.max(start - 1, 1)}: did not find expected key`;
  }
}

function checkObject(obj: KObj, source: string, validate: boolean): CliError | undefined {
  const missing = [!obj.apiVersion && 'apiVersion', !obj.kind && 'kind'].filter(Boolean) as string[];
  if (!missing.length) return undefined;
  if (validate) {
    const what = missing.length === 1 ? `${missing[0]} not set` : `[${missing.map((m) => `${m} not set`).join(', ')}]`;
    return new CliError(`error validating "${source}": error validating data: ${what}; if you choose to ignore these errors, turn validation off with --validate=false`);
  }
  const field = obj.kind ? 'apiVersion' : 'Kind';
  return new CliError(`unable to decode "${source}": Object '${field}' is missing in '${JSON.stringify(sortKeys(obj))}'`);
}

/** Every document of `text` (from `source`: a path or `STDIN`), each an object or an error. */
export function parseManifests(text: string, source: string, opts: { validate?: boolean } = {}): ParsedDoc[] {
  const validate = opts.validate ?? true;
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') && !trimmed.includes('\n---')) {
    try {
      return expand(JSON.parse(text), source, validate);
    } catch (e) {
      const m = (e as Error).message;
      const pos = Number(/position (\d+)/.exec(m)?.[1] ?? -1);
      if (/Unexpected end/i.test(m) || pos >= text.trimEnd().length) return [{ error: new CliError(`error parsing ${source}: unexpected EOF`) }];
      // JSON is YAML: fall through for go-yaml's wording
    }
  }
  const out: ParsedDoc[] = [];
  for (const doc of parseAllDocuments(text, { uniqueKeys: false, prettyErrors: true })) {
    if (doc.errors.length) {
      out.push({ error: new CliError(`error parsing ${source}: error converting YAML to JSON: ${goYamlError(doc.errors[0])}`) });
      return out;
    }
    const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      out.push({ error: new CliError(`error parsing ${source}: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value === 'string' ? 'string' : 'number'} into Go value of type map[string]interface {}`) });
      continue;
    }
    out.push(...expand(value as KObj, source, validate));
  }
  return out;
}

function expand(obj: KObj, source: string, validate: boolean): ParsedDoc[] {
  if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
    return obj.items.flatMap((i: KObj) => expand(i, source, validate));
  }
  const error = checkObject(obj, source, validate);
  return error ? [{ error }] : [{ obj }];
}
