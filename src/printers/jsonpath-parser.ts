// Parser of kubectl's JSONPath templates (k8s.io/client-go/util/jsonpath parser.go semantics).
import { CliError } from '../api/errors.js';

export interface ParamsEntry {
  value: number;
  known: boolean;
  derived: boolean;
}

export type JNode =
  | ListNode
  | { t: 'text'; text: string }
  | { t: 'field'; name: string }
  | { t: 'array'; params: [ParamsEntry, ParamsEntry, ParamsEntry] }
  | { t: 'filter'; left: ListNode; right: ListNode; op: string }
  | { t: 'int'; v: number }
  | { t: 'float'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'wildcard' }
  | { t: 'recursive' }
  | { t: 'union'; lists: ListNode[] }
  | { t: 'identifier'; name: string };

export interface ListNode {
  t: 'list';
  nodes: JNode[];
}

/** A template syntax error; `message` is the parser's text (e.g. `unclosed action`), the user's to read. */
export class JsonPathSyntaxError extends CliError {}

const EOF = -1;
const newList = (): ListNode => ({ t: 'list', nodes: [] });

/** The parser's next step: its name, the list it fills and (for quotes) the closing quote. */
type Next = [string, ListNode, number?] | undefined;

const isSpace = (r: number) => r === 0x20 || r === 0x09;
const isEndOfLine = (r: number) => r === 0x0d || r === 0x0a;
const isLetter = (r: number) => r >= 0 && /\p{L}/u.test(String.fromCodePoint(r));
const isDigit = (r: number) => r >= 0 && /\p{Nd}/u.test(String.fromCodePoint(r));
const isAlphaNumeric = (r: number) => r === 0x5f || isLetter(r) || isDigit(r);
const isTerminator = (r: number) => isSpace(r) || isEndOfLine(r) || r === EOF || '.,[]$@{}'.includes(String.fromCodePoint(r));

/** Go's %#U: `U+0023 '#'`. */
function goSharpU(r: number): string {
  const hex = `U+${r.toString(16).toUpperCase().padStart(4, '0')}`;
  const ch = String.fromCodePoint(r);
  return /[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]/u.test(ch) ? `${hex} '${ch}'` : hex;
}

/** Go strconv.UnquoteChar-based unquoting used for quoted strings in templates. */
export function unquoteExtend(s: string): string {
  const n = s.length;
  if (n < 2) throw new Error('invalid syntax');
  const quote = s[0];
  if (quote !== s[n - 1] || (quote !== '"' && quote !== "'")) throw new Error('invalid syntax');
  let body = s.slice(1, n - 1);
  if (!body.includes('\\') && !body.includes(quote)) return body;
  let out = '';
  const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };
  while (body.length > 0) {
    const c = body[0];
    if (c === quote) throw new Error('invalid syntax');
    if (c !== '\\') {
      const cp = body.codePointAt(0)!;
      const ch = String.fromCodePoint(cp);
      out += ch;
      body = body.slice(ch.length);
      continue;
    }
    if (body.length < 2) throw new Error('invalid syntax');
    const e = body[1];
    body = body.slice(2);
    if (simple[e] !== undefined) out += simple[e];
    else if (e === quote) out += e;
    else if (e === 'x' || e === 'u' || e === 'U') {
      const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(0, len);
      if (hex.length < len || !/^[0-9a-fA-F]+$/.test(hex)) throw new Error('invalid syntax');
      body = body.slice(len);
      const v = parseInt(hex, 16);
      if (e === 'x') out += String.fromCharCode(v);
      else {
        if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new Error('invalid syntax');
        out += String.fromCodePoint(v);
      }
    } else if (e >= '0' && e <= '7') {
      const oct = e + body.slice(0, 2);
      if (!/^[0-7]{3}$/.test(oct)) throw new Error('invalid syntax');
      body = body.slice(2);
      const v = parseInt(oct, 8);
      if (v > 255) throw new Error('invalid syntax');
      out += String.fromCharCode(v);
    } else throw new Error('invalid syntax');
  }
  return out;
}

const SLICE_RE = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/;
const FILTER_RE = /^([^!<>=]+)([!<>=]+)(.+?)$/s;

/** Go strconv.Atoi (optional sign, decimal digits, int64 range). */
function atoi(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const v = BigInt(s);
  if (v > (1n << 63n) - 1n || v < -(1n << 63n)) return undefined;
  return Number(v);
}

class Parser {
  root: ListNode = newList();
  private pos = 0;
  private start = 0;
  private width = 0;

  constructor(private readonly input: string) {}

  /**
   * client-go's parser is a chain of tail calls (one per token); here each step returns the next
   * one instead, so that a long template cannot exhaust the stack.
   */
  parse(): ListNode {
    let next: Next = ['Text', this.root];
    while (next) {
      const [step, cur, arg] = next;
      next = this.step(step, cur, arg ?? 0);
    }
    return this.root;
  }

  private step(step: string, cur: ListNode, arg: number): Next {
    switch (step) {
      case 'Text':
        return this.parseText(cur);
      case 'LeftDelim':
        return this.parseLeftDelim(cur);
      case 'InsideAction':
        return this.parseInsideAction(cur);
      case 'RightDelim':
        return this.parseRightDelim();
      case 'Filter':
        return this.parseFilter(cur);
      case 'Recursive':
        return this.parseRecursive(cur);
      case 'Array':
        return this.parseArray(cur);
      case 'Quote':
        return this.parseQuote(cur, arg);
      case 'Field':
        return this.parseField(cur);
      case 'Number':
        return this.parseNumber(cur);
      case 'Identifier':
        return this.parseIdentifier(cur);
      default:
        throw new Error(`jsonpath parser: no step ${step}`);
    }
  }

  private consumeText(): string {
    const v = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return v;
  }

  private next(): number {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    const cp = this.input.codePointAt(this.pos)!;
    this.width = cp > 0xffff ? 2 : 1;
    this.pos += this.width;
    return cp;
  }

  private peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  private backup(): void {
    this.pos -= this.width;
  }

  private parseText(cur: ListNode): Next {
    for (;;) {
      if (this.input.startsWith('{', this.pos)) {
        if (this.pos > this.start) cur.nodes.push({ t: 'text', text: this.consumeText() });
        return ['LeftDelim', cur];
      }
      if (this.next() === EOF) break;
    }
    if (this.pos > this.start) cur.nodes.push({ t: 'text', text: this.consumeText() });
    return undefined;
  }

  private parseLeftDelim(cur: ListNode): Next {
    this.pos += 1;
    this.consumeText();
    const node = newList();
    cur.nodes.push(node);
    return ['InsideAction', node];
  }

  private parseInsideAction(cur: ListNode): Next {
    for (;;) {
      const at = (s: string) => this.input.startsWith(s, this.pos);
      if (at('}')) return this.parseRightDelim();
      if (at('[?(')) return ['Filter', cur];
      if (at('..')) return ['Recursive', cur];
      const r = this.next();
      if (r === EOF || isEndOfLine(r)) throw new JsonPathSyntaxError('unclosed action');
      if (r === 0x20 || r === 0x40 /* @ */ || r === 0x24 /* $ */) {
        this.consumeText();
        continue;
      }
      if (r === 0x5b /* [ */) return ['Array', cur];
      if (r === 0x22 || r === 0x27) return ['Quote', cur, r];
      if (r === 0x2e /* . */) return ['Field', cur];
      if (r === 0x2b || r === 0x2d || isDigit(r)) {
        this.backup();
        return ['Number', cur];
      }
      if (isAlphaNumeric(r)) {
        this.backup();
        return ['Identifier', cur];
      }
      throw new JsonPathSyntaxError(`unrecognized character in action: ${goSharpU(r)}`);
    }
  }

  private parseRightDelim(): Next {
    this.pos += 1;
    this.consumeText();
    return ['Text', this.root];
  }

  private parseIdentifier(cur: ListNode): Next {
    for (;;) {
      const r = this.next();
      if (isTerminator(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    if (value === 'true' || value === 'false') cur.nodes.push({ t: 'bool', v: value === 'true' });
    else cur.nodes.push({ t: 'identifier', name: value });
    return ['InsideAction', cur];
  }

  private parseRecursive(cur: ListNode): Next {
    const last = cur.nodes[cur.nodes.length - 1];
    if (last && last.t === 'recursive') throw new JsonPathSyntaxError('invalid multiple recursive descent');
    this.pos += 2;
    this.consumeText();
    cur.nodes.push({ t: 'recursive' });
    if (isAlphaNumeric(this.peek())) return ['Field', cur];
    return ['InsideAction', cur];
  }

  private parseNumber(cur: ListNode): Next {
    let r = this.peek();
    if (r === 0x2b || r === 0x2d) this.next();
    for (;;) {
      r = this.next();
      if (r !== 0x2e && !isDigit(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    const i = atoi(value);
    if (i !== undefined) cur.nodes.push({ t: 'int', v: i });
    else if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(value)) cur.nodes.push({ t: 'float', v: Number(value) });
    else throw new JsonPathSyntaxError(`cannot parse number ${value}`);
    return ['InsideAction', cur];
  }

  private parseArray(cur: ListNode): Next {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === 0x0a) throw new JsonPathSyntaxError('unterminated array');
      if (r === 0x5d) break;
    }
    let text = this.consumeText();
    text = text.slice(1, -1);
    if (text === '*') text = ':';
    const strs = text.split(',');
    if (strs.length > 1) {
      const lists = strs.map((s) => parseAction(`[${s.replace(/^ +| +$/g, '')}]`));
      cur.nodes.push({ t: 'union', lists });
      return ['InsideAction', cur];
    }
    const dict = /^'([^']*)'$/.exec(text);
    if (dict) {
      for (const n of parseAction(`.${dict[1]}`).nodes) cur.nodes.push(n);
      return ['InsideAction', cur];
    }
    const m = SLICE_RE.exec(text);
    if (!m) throw new JsonPathSyntaxError(`invalid array index ${text}`);
    const value = [m[1] ?? '', m[2] ?? '', m[3] ?? ''];
    const params: [ParamsEntry, ParamsEntry, ParamsEntry] = [
      { value: 0, known: false, derived: false },
      { value: 0, known: false, derived: false },
      { value: 0, known: false, derived: false },
    ];
    for (let i = 0; i < 3; i++) {
      if (value[i] !== '') {
        if (i > 0) value[i] = value[i].slice(1);
        if (i > 0 && value[i] === '') params[i].known = false;
        else {
          params[i].known = true;
          const v = atoi(value[i]);
          if (v === undefined) throw new JsonPathSyntaxError(`array index ${value[i]} is not a number`);
          params[i].value = v;
        }
      } else if (i === 1) {
        params[i] = { known: true, value: params[0].value + 1, derived: true };
      }
    }
    cur.nodes.push({ t: 'array', params });
    return ['InsideAction', cur];
  }

  private parseFilter(cur: ListNode): Next {
    this.pos += 3;
    this.consumeText();
    let begin = false;
    let end = false;
    let pair = 0;
    for (;;) {
      const r = this.next();
      if (r === EOF || r === 0x0a) throw new JsonPathSyntaxError('unterminated filter');
      if (r === 0x22 || r === 0x27) {
        if (!begin) {
          begin = true;
          pair = r;
          continue;
        }
        if (this.input[this.pos - 2] !== '\\' && r === pair) end = true;
      } else if (r === 0x29 && begin === end) break;
    }
    if (this.next() !== 0x5d) throw new JsonPathSyntaxError('unclosed array expect ]');
    let text = this.consumeText();
    text = text.slice(0, -2);
    const m = FILTER_RE.exec(text);
    if (!m) cur.nodes.push({ t: 'filter', left: parseAction(text), right: newList(), op: 'exists' });
    else cur.nodes.push({ t: 'filter', left: parseAction(m[1]), right: parseAction(m[3]), op: m[2] });
    return ['InsideAction', cur];
  }

  private parseQuote(cur: ListNode, endQuote: number): Next {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === 0x0a) throw new JsonPathSyntaxError('unterminated quoted string');
      if (r === endQuote && this.input[this.pos - 2] !== '\\') break;
    }
    const value = this.consumeText();
    let s: string;
    try {
      s = unquoteExtend(value);
    } catch (e) {
      throw new JsonPathSyntaxError(`unquote string ${value} error ${(e as Error).message}`);
    }
    cur.nodes.push({ t: 'text', text: s });
    return ['InsideAction', cur];
  }

  private parseField(cur: ListNode): Next {
    this.consumeText();
    for (;;) {
      const r = this.next();
      if (r === 0x5c) this.next();
      else if (isTerminator(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    if (value === '*') cur.nodes.push({ t: 'wildcard' });
    else cur.nodes.push({ t: 'field', name: value.replace(/\\/g, '') });
    return ['InsideAction', cur];
  }
}

/** Parses `{text}` and returns the action list inside (parser.go parseAction). */
function parseAction(text: string): ListNode {
  const root = new Parser(`{${text}}`).parse();
  return root.nodes[0] as ListNode;
}

/** Parses a whole template into its root list (text nodes and action lists). */
export function parseTemplate(template: string): ListNode {
  return new Parser(template).parse();
}
