// Manifest documents from YAML/JSON text, with kubectl's client-side errors: go-yaml's syntax
// messages (mapped from the `yaml` package's typed error codes), missing kind/apiVersion, Lists.
import { parseAllDocuments, visit, type Document, type YAMLError } from 'yaml';
import { CliError } from './errors.js';
import { GO_YAML_OPTIONS, resolvePlainScalars } from './goyaml.js';
import { decodeError, ITEM_WITHOUT_KIND, listItems, validationError, validationErrors } from './manifest-checks.js';
import type { KObj } from './types.js';
import { metadataDecodeError } from './validation/schema.js';

export interface ParsedDoc {
  obj?: KObj;
  error?: CliError;
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
      // an unclosed flow collection: go-yaml's parser wants its separator or its end
      if (/Flow map must end/.test(msg)) return `yaml: line ${Math.max(1, start - 1)}: did not find expected ',' or '}'`;
      if (/Flow sequence must end/.test(msg)) return `yaml: line ${Math.max(1, start - 1)}: did not find expected ',' or ']'`;
      return `yaml: line ${Math.max(1, start - 1)}: did not find expected key`;
    case 'RESOURCE_EXHAUSTION':
      // go-yaml nests up to 10,000 levels; the `yaml` package runs out of stack well before
      return `yaml: line ${start}: exceeded max depth of 10000`;
    case 'BAD_INDENT':
      if (/Flow sequence/.test(msg)) return `yaml: line ${Math.max(1, start - 1)}: did not find expected ',' or ']'`;
      if (/Flow mapping/.test(msg)) return `yaml: line ${Math.max(1, start - 1)}: did not find expected ',' or '}'`;
      return `yaml: line ${start - 1}: did not find expected key`;
    default:
      return `yaml: line ${Math.max(start - 1, 1)}: did not find expected key`;
  }
}

/** encoding/json's error for JSON nested deeper than 10,000 levels (strings skipped), or undefined. */
function jsonDepthError(text: string): string | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') {
      if (++depth > 10_000) return `json: offset ${i + 1}: invalid character '${ch}' exceeded max depth`;
    } else if (ch === '}' || ch === ']') depth--;
  }
  return undefined;
}

/** Every document of `text` (from `source`: a path or `STDIN`), each an object or an error. */
export function parseManifests(text: string, source: string, opts: { validate?: boolean } = {}): ParsedDoc[] {
  const validate = opts.validate ?? true;
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') && !trimmed.includes('\n---')) {
    const tooDeep = jsonDepthError(text);
    if (tooDeep) return [{ error: new CliError(`error parsing ${source}: ${tooDeep}`) }];
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
  for (const doc of parseAllDocuments(text, { ...GO_YAML_OPTIONS, prettyErrors: true })) {
    if (doc.errors.length) {
      out.push({ error: new CliError(`error parsing ${source}: error converting YAML to JSON: ${goYamlError(doc.errors[0])}`) });
      return out;
    }
    resolvePlainScalars(doc);
    const { value, error } = toJS(doc);
    if (error) {
      out.push({ error: new CliError(`error parsing ${source}: error converting YAML to JSON: ${error}`) });
      return out;
    }
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      out.push({ error: new CliError(`error parsing ${source}: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value === 'string' ? 'string' : 'number'} into Go value of type map[string]interface {}`) });
      continue;
    }
    out.push(...expand(value as KObj, source, validate));
  }
  return out;
}

/** go-yaml's decoder errors that the `yaml` package reports while converting to JS (or not at all). */
function aliasError(doc: Document.Parsed): string | undefined {
  let found: string | undefined;
  visit(doc, {
    Alias(_, node, path) {
      const src = node.resolve(doc);
      if (src && path.includes(src as never)) {
        found = `yaml: anchor '${node.source}' value contains itself`;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

function toJS(doc: Document.Parsed): { value?: unknown; error?: string } {
  const selfRef = aliasError(doc);
  if (selfRef) return { error: selfRef };
  try {
    return { value: doc.toJS({ maxAliasCount: 10_000 }) };
  } catch (e) {
    const m = (e as Error).message;
    const unresolved = /^Unresolved alias.*: (.*)$/.exec(m);
    if (unresolved) return { error: `yaml: unknown anchor '${unresolved[1]}' referenced` };
    return { error: 'yaml: document contains excessive aliasing' };
  }
}

function expand(obj: KObj, source: string, validate: boolean): ParsedDoc[] {
  if (validate) {
    const errs = validationErrors(obj);
    if (errs.length) return [{ error: validationError(source, errs) }];
  }
  return decode(obj, source);
}

/** The unstructured decoder: Lists are flattened (items without a kind fail one by one). */
function decode(obj: KObj, source: string): ParsedDoc[] {
  if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && obj.items !== undefined && obj.items !== null) {
    const { error, items } = listItems(obj);
    if (error) return [{ error: new CliError(`unable to decode "${source}": ${error}`) }];
    const itemKind = obj.kind.slice(0, -'List'.length);
    return items!.flatMap((i): ParsedDoc[] => {
      const item = (i ?? {}) as KObj;
      if (!item.kind && !item.apiVersion) Object.assign(item, { apiVersion: obj.apiVersion, kind: itemKind });
      if (typeof item.kind !== 'string' || !item.kind) return [{ error: new CliError(ITEM_WITHOUT_KIND) }];
      return decode(item, source);
    });
  }
  const error = decodeError(obj, metadataDecodeError);
  return error ? [{ error: new CliError(`unable to decode "${source}": ${error}`) }] : [{ obj }];
}
