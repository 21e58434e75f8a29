// YAML output as kubectl prints it: sigs.k8s.io/yaml.Marshal = JSON → go-yaml v2 (map keys in
// go-yaml's "natural" order, 2-space indent, sequences not indented under a mapping key, best
// width 80 with folding of long plain/quoted scalars, `|`/`|-`/`|+` literal blocks for multi-line
// strings, quoting of strings that would read back as another type).
// This is an emulation of the go-yaml v2 emitter restricted to what JSON data can produce.

import { goFormatFloat } from './gofmt.js';
import { resolvesToString, yamlSortedKeys } from './yaml-resolve.js';

export { resolvesToString, yamlKeyLess } from './yaml-resolve.js';

type Style = 'plain' | 'single' | 'double' | 'literal';

const BEST_INDENT = 2;
const BEST_WIDTH = 80;

const isBreakCp = (c: number) => c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;
const isPrintableCp = (c: number) =>
  c === 0x0a || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff);
const isBlankCp = (c: number | undefined) => c === 0x20 || c === 0x09;
/**
 * Where a run of characters written as they are ends, in each style: a space or a line break, a
 * quote to double, or (double-quoted) a character to escape: one not printable (isPrintableCp, so
 * also each half of a surrogate pair: go-yaml escapes characters past U+FFFF), `"` or `\`.
 */
const PLAIN_STOP = /[ \n\r\u0085\u2028\u2029]/g;
const SINGLE_STOP = /[ '\n\r\u0085\u2028\u2029]/g;
const DOUBLE_STOP = /[^\x21\x23-\x5b\x5d-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]/g;
const LITERAL_STOP = /[\n\r\u0085\u2028\u2029]/g;
const SURROGATE = /[\ud800-\udfff]/;
/** double-quoted escapes with a letter of their own (emitterc.go yaml_emitter_write_double_quoted_scalar) */
const DOUBLE_ESCAPES: Record<number, string> = {
  0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r', 0x1b: 'e',
  0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P',
};

// ---------------------------------------------------------------------------------------------
// Scalar analysis (emitterc.go yaml_emitter_analyze_scalar)

interface Analysis {
  multiline: boolean;
  flowPlain: boolean;
  blockPlain: boolean;
  singleQuoted: boolean;
  block: boolean;
}

/** Analyses of short strings (mapping keys and common values repeat): the results are never changed. */
const analyzed = new Map<string, Analysis>();

function analyze(value: string): Analysis {
  if (value.length > 64) return analyzeScalar(value);
  let a = analyzed.get(value);
  if (!a) {
    if (analyzed.size >= 4096) analyzed.clear();
    analyzed.set(value, (a = analyzeScalar(value)));
  }
  return a;
}

/** characters that are indicators at a scalar's start: # , [ ] { } & * ! | > ' " % @ ` */
const FIRST_INDICATOR = new Set([...'#,[]{}&*!|>\'"%@`'].map((ch) => ch.charCodeAt(0)));
/** characters that are flow indicators anywhere after it: , ? [ ] { } */
const FLOW_INDICATOR = new Set([...',?[]{}'].map((ch) => ch.charCodeAt(0)));

function analyzeScalar(value: string): Analysis {
  if (value.length === 0) return { multiline: false, flowPlain: false, blockPlain: true, singleQuoted: true, block: false };
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  if (value.startsWith('---') || value.startsWith('...')) {
    blockIndicators = true;
    flowIndicators = true;
  }
  // by code point, as go-yaml walks its UTF-8 (a pair of surrogates is one character)
  let precededByWhitespace = true;
  const n = value.length;
  for (let j = 0; j < n; ) {
    const c = value.codePointAt(j)!;
    const next = j + (c > 0xffff ? 2 : 1);
    const first = j === 0;
    const last = next >= n;
    j = next;
    const followedByWhitespace = last || isBlankCp(value.charCodeAt(next));
    if (first) {
      if (FIRST_INDICATOR.has(c)) {
        flowIndicators = true;
        blockIndicators = true;
      } else if (c === 0x3f || c === 0x3a) {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      } else if (c === 0x2d && followedByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    } else if (FLOW_INDICATOR.has(c)) {
      flowIndicators = true;
    } else if (c === 0x3a) {
      flowIndicators = true;
      if (followedByWhitespace) blockIndicators = true;
    } else if (c === 0x23 && precededByWhitespace) {
      flowIndicators = true;
      blockIndicators = true;
    }
    if (!isPrintableCp(c)) special = true;
    if (c === 0x20) {
      if (first) leadingSpace = true;
      if (last) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreakCp(c)) {
      lineBreaks = true;
      if (first) leadingBreak = true;
      if (last) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankCp(c) || isBreakCp(c) || c === 0;
  }
  const a: Analysis = { multiline: lineBreaks, flowPlain: true, blockPlain: true, singleQuoted: true, block: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.flowPlain = a.blockPlain = false;
  if (trailingSpace) a.block = false;
  if (breakSpace) a.flowPlain = a.blockPlain = a.singleQuoted = false;
  if (spaceBreak || special) a.flowPlain = a.blockPlain = a.singleQuoted = a.block = false;
  if (lineBreaks) a.flowPlain = a.blockPlain = false;
  if (flowIndicators) a.flowPlain = false;
  if (blockIndicators) a.blockPlain = false;
  return a;
}

// ---------------------------------------------------------------------------------------------
// Emitter

class Emitter {
  private out: string[] = [];
  private column = 0;
  private indent = -1;
  private indents: number[] = [];
  private whitespace = true;
  private indention = true;
  private flowLevel = 0;
  private mappingContext = false;
  private simpleKeyContext = false;

  text(): string {
    return this.out.join('');
  }

  private put(s: string): void {
    this.out.push(s);
    this.column++;
  }

  private putBreak(): void {
    this.out.push('\n');
    this.column = 0;
  }

  private writeBreak(c: number): void {
    if (c === 0x0a) this.putBreak();
    else {
      this.out.push(String.fromCodePoint(c));
      this.column = 0;
    }
  }

  writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    if (this.column < indent) {
      this.out.push(' '.repeat(indent - this.column));
      this.column = indent;
    }
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(ind: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    // indicators are ASCII: a character per column
    this.out.push(ind);
    this.column += ind.length;
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private popIndent(): void {
    this.indent = this.indents.pop()!;
  }

  node(v: unknown, ctx: { mapping?: boolean; simpleKey?: boolean }): void {
    this.mappingContext = Boolean(ctx.mapping);
    this.simpleKeyContext = Boolean(ctx.simpleKey);
    if (Array.isArray(v)) this.sequence(v);
    else if (v !== null && typeof v === 'object') this.mapping(v as Record<string, unknown>);
    else this.scalarValue(v);
  }

  private emptyFlow(open: string, close: string): void {
    this.writeIndicator(open, true, true, false);
    this.increaseIndent(true, false);
    this.popIndent();
    this.writeIndicator(close, false, false, false);
  }

  private sequence(items: unknown[]): void {
    if (items.length === 0) return this.emptyFlow('[', ']');
    this.increaseIndent(false, this.mappingContext && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.node(item, {});
    }
    this.popIndent();
  }

  private mapping(obj: Record<string, unknown>): void {
    const keys = yamlSortedKeys(Object.keys(obj).filter((k) => obj[k] !== undefined));
    if (keys.length === 0) return this.emptyFlow('{', '}');
    this.increaseIndent(false, false);
    for (const k of keys) {
      this.writeIndent();
      const a = analyze(k);
      const simple = !a.multiline && Buffer.byteLength(k, 'utf8') <= 128;
      if (simple) {
        this.node(k, { mapping: true, simpleKey: true });
        this.writeIndicator(':', false, false, false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.node(k, { mapping: true });
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.node(obj[k], { mapping: true });
    }
    this.popIndent();
  }

  private scalarValue(v: unknown): void {
    if (v === null || v === undefined) return this.scalar('null', 'plain');
    if (typeof v === 'boolean') return this.scalar(v ? 'true' : 'false', 'plain');
    if (typeof v === 'number') return this.scalar(formatYamlNumber(v), 'plain');
    if (typeof v === 'bigint') return this.scalar(v.toString(), 'plain');
    const s = String(v);
    const canUsePlain = resolvesToString(s);
    const style: Style = s.includes('\n') ? 'literal' : canUsePlain ? 'plain' : 'double';
    this.scalar(s, style);
  }

  private scalar(value: string, requested: Style): void {
    const a = analyze(value);
    let style = requested;
    if (this.simpleKeyContext && a.multiline) style = 'double';
    if (style === 'plain') {
      if ((this.flowLevel > 0 && !a.flowPlain) || (this.flowLevel === 0 && !a.blockPlain)) style = 'single';
      if (value.length === 0 && (this.flowLevel > 0 || this.simpleKeyContext)) style = 'single';
    }
    if (style === 'single' && !a.singleQuoted) style = 'double';
    if (style === 'literal' && (!a.block || this.flowLevel > 0 || this.simpleKeyContext)) style = 'double';
    this.increaseIndent(true, false);
    const allowBreaks = !this.simpleKeyContext;
    if (style === 'plain') this.writePlain(value, allowBreaks);
    else if (style === 'single') this.writeSingle(value, allowBreaks);
    else if (style === 'double') this.writeDouble(value, allowBreaks);
    else this.writeLiteral(value);
    this.popIndent();
  }

  /**
   * Writes the characters of `value` from `j` (one at least) up to the first that `stop` finds: what
   * put() of each would write, in one piece; the column moves by characters (code points). The index
   * after them.
   */
  private run(value: string, j: number, stop: RegExp): number {
    stop.lastIndex = j + 1;
    const m = stop.exec(value);
    let k = m ? m.index : value.length;
    // a pair of surrogates is one character (never cut: a stop is never a surrogate's second half)
    if (k === j + 1 && value.codePointAt(j)! > 0xffff) k++;
    const piece = value.slice(j, k);
    this.out.push(piece);
    this.column += SURROGATE.test(piece) ? [...piece].length : piece.length;
    return k;
  }

  private writePlain(value: string, allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    let spaces = false;
    let breaks = false;
    for (let j = 0; j < value.length; ) {
      const c = value.charCodeAt(j);
      if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && value.charCodeAt(j + 1) !== 0x20) this.writeIndent();
        else this.put(' ');
        spaces = true;
        j++;
      } else if (isBreakCp(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
        j++;
      } else {
        if (breaks) this.writeIndent();
        j = this.run(value, j, PLAIN_STOP);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private writeSingle(value: string, allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    for (let j = 0; j < value.length; ) {
      const c = value.charCodeAt(j);
      if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && j > 0 && j < value.length - 1 && value.charCodeAt(j + 1) !== 0x20) this.writeIndent();
        else this.put(' ');
        spaces = true;
        j++;
      } else if (isBreakCp(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
        j++;
      } else {
        if (breaks) this.writeIndent();
        if (c === 0x27) {
          this.put("'");
          this.put("'");
          j++;
        } else j = this.run(value, j, SINGLE_STOP);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDouble(value: string, allowBreaks: boolean): void {
    let spaces = false;
    this.writeIndicator('"', true, false, false);
    const bom = value.codePointAt(0) === 0xfeff;
    for (let j = 0; j < value.length; ) {
      const c = value.codePointAt(j)!;
      if (!isPrintableCp(c) || bom || isBreakCp(c) || c === 0x22 || c === 0x5c) {
        this.put('\\');
        const short = DOUBLE_ESCAPES[c];
        if (short !== undefined) this.put(short);
        else {
          const [letter, w] = c <= 0xff ? ['x', 2] : c <= 0xffff ? ['u', 4] : ['U', 8];
          this.put(letter);
          for (const d of c.toString(16).toUpperCase().padStart(w, '0')) this.put(d);
        }
        spaces = false;
        j += c > 0xffff ? 2 : 1;
      } else if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && j > 0 && j < value.length - 1) {
          this.writeIndent();
          if (value.charCodeAt(j + 1) === 0x20) this.put('\\');
        } else this.put(' ');
        spaces = true;
        j++;
      } else {
        j = this.run(value, j, DOUBLE_STOP);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeLiteral(value: string): void {
    this.writeIndicator('|', true, false, false);
    // block scalar hints
    const c0 = value.charCodeAt(0);
    if (c0 === 0x20 || isBreakCp(c0)) this.writeIndicator(String(BEST_INDENT), false, false, false);
    let chomp = '';
    const last = value.length - 1;
    if (value.length === 0 || !isBreakCp(value.charCodeAt(last))) chomp = '-';
    else if (last === 0 || isBreakCp(value.charCodeAt(last - 1))) chomp = '+';
    if (chomp) this.writeIndicator(chomp, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (let j = 0; j < value.length; ) {
      const c = value.charCodeAt(j);
      if (isBreakCp(c)) {
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
        j++;
      } else {
        if (breaks) this.writeIndent();
        j = this.run(value, j, LITERAL_STOP);
        this.indention = false;
        breaks = false;
      }
    }
  }
}

/** go-yaml number formatting: int64 in decimal, floats with strconv.FormatFloat(f, 'g', -1, 64). */
export function formatYamlNumber(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (n === Infinity) return '.inf';
  if (n === -Infinity) return '-.inf';
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return BigInt(n).toString();
  return goFormatFloat(n);
}

/** Serializes a JSON-compatible value as kubectl's YAML printer does. Ends with a newline. */
export function toYaml(value: unknown): string {
  const e = new Emitter();
  // JSON round trip semantics: drop undefined, call toJSON
  const data = value === undefined ? null : JSON.parse(JSON.stringify(value));
  e.node(data, {});
  e.writeIndent();
  return e.text();
}
