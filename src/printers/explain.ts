// `kubectl explain` in kubectl 1.32's plaintext layout (the explain v2 template over OpenAPI v3):
// GROUP/KIND/VERSION, then either the kind's DESCRIPTION and FIELDS, or for a field path
// `FIELD: name <type>` (with ENUM values), its DESCRIPTION and FIELDS. Descriptions wrap at 76
// columns under DESCRIPTION and at 78 less the indentation in field lists, with go-wordwrap's rules.

/** One schema node, shaped like an OpenAPI v3 schema as the API server serves it. */
export interface ExplainSchema {
  /** a named schema's short name (`PodSpec`, `Quantity`) */
  name?: string;
  description?: string;
  /** `object`, `string`, `integer`, `number`, `boolean`, `array`; none for Quantity and IntOrString (oneOf) */
  type?: string;
  /** key of a named schema; with a description this is the `allOf: [$ref]` form fields use */
  ref?: string;
  items?: ExplainSchema;
  additionalProperties?: ExplainSchema;
  properties?: Record<string, ExplainSchema>;
  required?: string[];
  enum?: unknown[];
}

export interface ExplainRequest {
  group: string;
  version: string;
  kind: string;
  /** the kind's schema */
  schema: ExplainSchema;
  /** resolves `ref` keys to named schemas */
  resolve(ref: string): ExplainSchema | undefined;
  fieldPath: string[];
  recursive: boolean;
}

export interface ExplainResult {
  /** what kubectl writes to stdout (the header is written even when the field is missing) */
  text: string;
  /** kubectl's error text (already starting with `error: `), if any */
  error?: string;
}

const SPACE = new Set([' ', '\t', '\n', '\v', '\f', '\r', '\u0085', '\u1680', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000']);
const isSpace = (ch: string) => SPACE.has(ch) || (ch >= '\u2000' && ch <= '\u200a');

/**
 * Word-wraps like github.com/mitchellh/go-wordwrap v1.0.1 (what kubectl's wrap uses): breaks only at
 * white space, counts runes, never splits a word longer than the limit, keeps existing newlines.
 */
export function wordWrap(s: string, limit: number): string {
  let out = '';
  let line = 0;
  let word = '';
  let wordLen = 0;
  let space = '';
  let spaceLen = 0;
  const flush = () => {
    line += spaceLen + wordLen;
    out += space + word;
    space = word = '';
    spaceLen = wordLen = 0;
  };
  for (const ch of s) {
    if (ch === '\n') {
      if (wordLen === 0) {
        if (line + spaceLen <= limit) out += space;
        space = '';
        spaceLen = 0;
      } else flush();
      out += '\n';
      line = 0;
    } else if (isSpace(ch)) {
      if (spaceLen === 0 || wordLen > 0) flush();
      space += ch;
      spaceLen++;
    } else {
      word += ch;
      wordLen++;
      if (line + wordLen + spaceLen > limit && wordLen < limit) {
        out += '\n';
        line = 0;
        space = '';
        spaceLen = 0;
      }
    }
  }
  if (wordLen === 0) {
    if (line + spaceLen <= limit) out += space;
  } else out += space + word;
  return out;
}

/** The template's indent: pads the first line and every line after a newline. */
function indent(n: number, s: string): string {
  const pad = ' '.repeat(n);
  return pad + s.split('\n').join(`\n${pad}`);
}

class Renderer {
  constructor(private readonly req: ExplainRequest) {}

  private resolve(s: ExplainSchema): ExplainSchema {
    return (s.ref !== undefined && this.req.resolve(s.ref)) || s;
  }

  /** `string`, `[]Container`, `map[string]Quantity`, `PodSpec`, `Object`. */
  typeGuess(s: ExplainSchema): string {
    if (s.items) return `[]${this.typeGuess(s.items)}`;
    if (s.additionalProperties) return `map[string]${this.typeGuess(s.additionalProperties)}`;
    if (s.ref !== undefined) {
      const target = this.req.resolve(s.ref);
      if (!target || !target.type || target.type === 'object') return target?.name || s.ref || 'Object';
      return target.type;
    }
    return s.type === 'object' ? 'Object' : s.type || 'Object';
  }

  /** A node's description, then the one of the schema it refers to, its items' and its values'. */
  description(s: ExplainSchema): string {
    let out = s.description ? `${s.description}\n` : '';
    if (s.ref !== undefined) {
      const target = this.req.resolve(s.ref);
      if (target) out += this.description(target);
    }
    if (s.items) out += this.description(s.items);
    if (s.additionalProperties) out += this.description(s.additionalProperties);
    return out;
  }

  private enumLine(s: ExplainSchema, long: boolean, indentBy = 0): string {
    if (!s.enum?.length) return '';
    const show = (v: unknown) => (v === '' ? '""' : String(v));
    if (long) return `ENUM:${s.enum.map((v) => `\n    ${show(v)}`).join('')}`;
    const shown = s.enum.slice(0, 4).map(show).join(', ');
    return `\n${' '.repeat(indentBy)}enum: ${shown}${s.enum.length > 4 ? ', ....' : ''}`;
  }

  private fieldDetail(name: string, parent: ExplainSchema, level: number): string {
    const field = parent.properties![name];
    const ind = level * 2;
    let out = `${indent(ind, name)}\t<${this.typeGuess(field)}>`;
    if (parent.required?.includes(name)) out += ' -required-';
    out += `${this.enumLine(field, false, ind)}\n`;
    if (!this.req.recursive) out += `${indent(ind + 2, wordWrap(field.description || '<no description>', 78 - ind))}\n\n`;
    return out;
  }

  /** The FIELDS list: every property (sorted), nested ones too when recursive; refs seen on the way stop cycles. */
  fieldList(s: ExplainSchema, level: number, seen: ReadonlySet<string>): string {
    if (s.ref !== undefined && seen.has(s.ref)) return '';
    const next = s.ref !== undefined ? new Set([...seen, s.ref]) : seen;
    const r = this.resolve(s);
    let out = '';
    for (const name of Object.keys(r.properties ?? {}).sort()) {
      out += this.fieldDetail(name, r, level);
      if (this.req.recursive) out += this.fieldList(r.properties![name], level + 1, next);
    }
    if (r.items) out += this.fieldList(r.items, level, next);
    if (r.additionalProperties) out += this.fieldList(r.additionalProperties, level, next);
    return out;
  }

  /** Follows the field path; at its end prints DESCRIPTION and FIELDS. Empty when the path leads nowhere. */
  output(s: ExplainSchema, path: string[], seen: ReadonlySet<string>): string {
    if (!path.length) {
      const desc = this.description(s) || '<empty>';
      let out = `DESCRIPTION:\n${indent(4, wordWrap(desc, 76))}\n`;
      const fields = this.fieldList(s, 1, new Set());
      if (fields) out += `FIELDS:\n${fields}`;
      return out;
    }
    if (s.ref !== undefined && seen.has(s.ref)) return '';
    const next = s.ref !== undefined ? new Set([...seen, s.ref]) : seen;
    const r = this.resolve(s);
    const sub = r.properties && Object.hasOwn(r.properties, path[0]) ? r.properties[path[0]] : undefined;
    if (sub) {
      const head = path.length === 1 ? `FIELD: ${path[0]} <${this.typeGuess(sub)}>\n${this.enumLine(sub, true)}\n\n` : '';
      return head + this.output(sub, path.slice(1), new Set());
    }
    if (r.items) return this.output(r.items, path, next);
    if (r.additionalProperties) return this.output(r.additionalProperties, path, next);
    return '';
  }
}

/** Renders `kubectl explain` for a kind (and field path) the way kubectl 1.32 prints it. */
export function renderExplain(req: ExplainRequest): ExplainResult {
  let head = req.group ? `GROUP:      ${req.group}\n` : '';
  head += `KIND:       ${req.kind}\nVERSION:    ${req.version}\n\n`;
  const body = new Renderer(req).output(req.schema, req.fieldPath, new Set());
  if (!body) return { text: head, error: `error: field "${req.fieldPath[req.fieldPath.length - 1]}" does not exist` };
  return { text: `${head}${body}\n` };
}
