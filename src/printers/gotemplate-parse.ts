// Go's text/template, the parser: kubectl's `-o go-template` / `--template` run Go's own engine, and
// no well-kept npm package implements its semantics (field chains on maps, pipelines, `$x :=`,
// `{{- -}}` trimming, range/with/else, Go's error texts), so kubesim carries this small lexer and
// parser (after text/template/parse) and the evaluator in gotemplate.ts. Errors are Go's texts:
// `template: output:1: unclosed action`.

import { GoFloat } from './gofmt.js';

export type Node =
  | { t: 'text'; text: string }
  | { t: 'action'; pos: number; pipe: Pipe }
  | Control
  | { t: 'break' | 'continue'; pos: number };

export interface Control {
  t: 'if' | 'with' | 'range';
  pos: number;
  pipe: Pipe;
  list: Node[];
  else?: Node[];
}

export interface Pipe {
  pos: number;
  decl: string[];
  /** `=` assigns existing variables; `:=` declares */
  assign: boolean;
  cmds: Cmd[];
}

export interface Cmd {
  pos: number;
  args: Arg[];
}

export type Arg =
  | { t: 'dot'; pos: number }
  | { t: 'nil'; pos: number }
  | { t: 'bool'; pos: number; v: boolean }
  | { t: 'num'; pos: number; v: GoFloat | bigint; src: string }
  | { t: 'str'; pos: number; v: string; src: string }
  | { t: 'func'; pos: number; name: string }
  | { t: 'var'; pos: number; name: string; fields: string[] }
  | { t: 'field'; pos: number; fields: string[] }
  | { t: 'chain'; pos: number; node: Arg; fields: string[] }
  | { t: 'pipe'; pos: number; pipe: Pipe };

export class TemplateError extends Error {
  /** the output written before execution failed */
  partial = '';
}

const FUNCS = new Set([
  'and', 'or', 'not', 'len', 'index', 'slice', 'print', 'printf', 'println', 'eq', 'ne', 'lt', 'le', 'gt', 'ge',
  'html', 'js', 'urlquery', 'call', 'exists', 'base64decode',
]);

interface Tok {
  k: 'field' | 'var' | 'ident' | 'str' | 'raw' | 'char' | 'num' | 'dot' | '(' | ')' | '|' | ':=' | '=' | ',' | 'space' | 'end';
  v: string;
  pos: number;
}

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlnum = (c: string) => /[\p{L}\p{N}_]/u.test(c);

/** Parses a template; `name` is the template's name in error texts (kubectl's is `output`). */
export function parseGoTemplate(src: string, name = 'output'): Node[] {
  const lineOf = (pos: number) => 1 + (src.slice(0, pos).match(/\n/g)?.length ?? 0);
  const fail = (pos: number, msg: string): never => {
    throw new TemplateError(`template: ${name}:${lineOf(pos)}: ${msg}`);
  };

  // ---- split into text and actions ----
  type Piece = { text: string } | { toks: Tok[]; pos: number };
  const pieces: Piece[] = [];
  let i = 0;
  let trimNext = false;
  while (i <= src.length) {
    const open = src.indexOf('{{', i);
    let text = src.slice(i, open < 0 ? src.length : open);
    if (trimNext) text = text.replace(/^[ \t\r\n]+/, '');
    trimNext = false;
    if (open < 0) {
      if (text) pieces.push({ text });
      break;
    }
    let j = open + 2;
    if (src[j] === '-' && isSpace(src[j + 1] ?? '')) {
      text = text.replace(/[ \t\r\n]+$/, '');
      j += 2;
    }
    if (text) pieces.push({ text });
    while (isSpace(src[j] ?? '')) j++;
    if (src.startsWith('/*', j)) {
      const close = src.indexOf('*/', j + 2);
      if (close < 0) fail(open, 'unclosed comment');
      let k = close + 2;
      if (src.startsWith(' -}}', k)) {
        trimNext = true;
        k += 4;
      } else if (src.startsWith('}}', k)) k += 2;
      else fail(open, 'comment ends before closing delimiter');
      i = k;
      continue;
    }
    const { toks, end, trim } = lexAction(src, j, fail);
    pieces.push({ toks, pos: open });
    trimNext = trim;
    i = end;
  }

  // ---- parse ----
  let pi = 0;
  const scopes: string[][] = [['$']];
  const declared = (v: string) => scopes.some((s) => s.includes(v));
  let rangeDepth = 0;

  function parseList(stopAt: string[]): { list: Node[]; stop: string; toks: Tok[]; pos: number } {
    const list: Node[] = [];
    while (pi < pieces.length) {
      const pc = pieces[pi++];
      if ('text' in pc) {
        list.push({ t: 'text', text: pc.text });
        continue;
      }
      const toks = pc.toks;
      const first = toks[0];
      if (first.k === 'ident' && ['end', 'else'].includes(first.v)) {
        if (!stopAt.includes(first.v)) fail(first.pos, `unexpected {{${first.v}}}`);
        return { list, stop: first.v, toks, pos: pc.pos };
      }
      list.push(parseAction(toks));
    }
    if (stopAt.length) fail(src.length, 'unexpected EOF');
    return { list, stop: 'eof', toks: [], pos: src.length };
  }

  function parseControl(kind: 'if' | 'with' | 'range', toks: Tok[]): Node {
    const at = { i: 1 };
    scopes.push([]);
    const pipe = parsePipe(toks, at, kind, kind === 'range' ? 2 : 1);
    if (toks[at.i].k !== 'end') fail(toks[at.i].pos, `unexpected ${show(toks[at.i])} in ${kind}`);
    if (kind === 'range') rangeDepth++;
    const body = parseList(['end', 'else']);
    if (kind === 'range') rangeDepth--;
    let elseList: Node[] | undefined;
    if (body.stop === 'else') {
      const et = body.toks;
      const ki = et.findIndex((x, n) => n > 0 && x.k !== 'space');
      const kw = et[ki];
      if (kw.k === 'ident' && (kw.v === 'if' || (kw.v === 'with' && kind === 'with'))) {
        // `{{else if …}}` is an if nested in the else branch, sharing this {{end}}
        scopes.pop();
        elseList = [parseControl(kw.v as 'if' | 'with', et.slice(ki))];
        return { t: kind, pos: toks[0].pos, pipe, list: body.list, else: elseList };
      }
      if (kw.k !== 'end') fail(kw.pos, `unexpected ${show(kw)} in else`);
      scopes.pop();
      scopes.push([]);
      const rest = parseList(['end']);
      elseList = rest.list;
    }
    scopes.pop();
    return { t: kind, pos: toks[0].pos, pipe, list: body.list, else: elseList };
  }

  function parseAction(toks: Tok[]): Node {
    const first = toks[0];
    if (first.k === 'ident') {
      if (first.v === 'if' || first.v === 'with' || first.v === 'range') return parseControl(first.v, toks);
      if (first.v === 'break' || first.v === 'continue') {
        if (!rangeDepth) fail(first.pos, `{{${first.v}}} outside {{range}}`);
        if (toks[1].k !== 'end') fail(toks[1].pos, `unexpected ${show(toks[1])} in {{${first.v}}}`);
        return { t: first.v, pos: first.pos };
      }
      if (['define', 'template', 'block'].includes(first.v)) fail(first.pos, `kubesim: {{${first.v}}} is not supported`);
    }
    const at = { i: 0 };
    const pipe = parsePipe(toks, at, 'command', 1);
    if (toks[at.i].k !== 'end') fail(toks[at.i].pos, `unexpected ${show(toks[at.i])} in command`);
    return { t: 'action', pos: first.pos, pipe };
  }

  function parsePipe(toks: Tok[], at: { i: number }, context: string, maxDecl: number): Pipe {
    const pos = toks[at.i].pos;
    const decl: string[] = [];
    let assign = false;
    // declarations: $x := / $x = / $i, $e :=
    const idx: number[] = [];
    for (let k = at.i; k < toks.length; k++) if (toks[k].k !== 'space') idx.push(k);
    const look = idx.map((k) => toks[k]);
    if (look[0]?.k === 'var') {
      let n = 0;
      const names: string[] = [];
      while (look[n]?.k === 'var') {
        names.push(look[n].v);
        if (look[n + 1]?.k === ',' && names.length < maxDecl) n += 2;
        else {
          n++;
          break;
        }
      }
      const op = look[n];
      if (op && (op.k === ':=' || op.k === '=') && !(names.length > 1 && look[n - 1]?.k === ',')) {
        if (names.length > 1 && context !== 'range') fail(op.pos, `too many declarations in ${context}`);
        assign = op.k === '=';
        for (const v of names) {
          if (assign && !declared(v)) fail(op.pos, `undefined variable "${v}"`);
          decl.push(v);
        }
        at.i = idx[n] + 1;
      } else if (names.length > 1 && look[1]?.k === ',') fail(look[1].pos, `unexpected "," in ${context}`);
    }
    const cmds: Cmd[] = [];
    for (;;) {
      const cmd = parseCommand(toks, at);
      if (!cmd.args.length) fail(toks[at.i].pos, `missing value for ${context}`);
      cmds.push(cmd);
      if (toks[at.i].k !== '|') break;
      at.i++;
    }
    if (!assign) scopes[scopes.length - 1].push(...decl);
    return { pos, decl, assign, cmds };
  }

  function parseCommand(toks: Tok[], at: { i: number }): Cmd {
    const pos = toks[at.i].pos;
    const args: Arg[] = [];
    for (;;) {
      const tk = toks[at.i];
      if (tk.k === 'space') {
        at.i++;
        continue;
      }
      if (tk.k === 'end' || tk.k === '|' || tk.k === ')') break;
      if (args.length && toks[at.i - 1].k !== 'space' && toks[at.i - 1].k !== '(') fail(tk.pos, `unexpected ${show(tk)} in operand`);
      args.push(parseOperand(toks, at));
    }
    return { pos, args };
  }

  function parseOperand(toks: Tok[], at: { i: number }): Arg {
    const tk = toks[at.i++];
    let node: Arg;
    switch (tk.k) {
      case 'field': {
        const fields = [tk.v];
        // a chain of fields is one node positioned at its second field (Go's parser)
        const pos = toks[at.i].k === 'field' ? toks[at.i].pos : tk.pos;
        while (toks[at.i].k === 'field') fields.push(toks[at.i++].v);
        return { t: 'field', pos, fields };
      }
      case 'var':
        if (!declared(tk.v)) fail(tk.pos, `undefined variable "${tk.v}"`);
        node = { t: 'var', pos: tk.pos, name: tk.v, fields: [] };
        break;
      case 'dot':
        node = { t: 'dot', pos: tk.pos };
        break;
      case 'ident':
        if (tk.v === 'true' || tk.v === 'false') node = { t: 'bool', pos: tk.pos, v: tk.v === 'true' };
        else if (tk.v === 'nil') node = { t: 'nil', pos: tk.pos };
        else if (FUNCS.has(tk.v)) node = { t: 'func', pos: tk.pos, name: tk.v };
        else if (['if', 'else', 'end', 'range', 'with', 'break', 'continue', 'define', 'template', 'block'].includes(tk.v)) {
          return fail(tk.pos, `unexpected <${tk.v}> in command`);
        } else return fail(tk.pos, `function "${tk.v}" not defined`);
        break;
      case 'str':
        node = { t: 'str', pos: tk.pos, v: unquote(tk.v, tk.pos), src: tk.v };
        break;
      case 'raw':
        node = { t: 'str', pos: tk.pos, v: tk.v.slice(1, -1), src: tk.v };
        break;
      case 'char':
        node = { t: 'num', pos: tk.pos, v: BigInt(unquote(`"${tk.v.slice(1, -1)}"`, tk.pos).codePointAt(0) ?? 0), src: tk.v };
        break;
      case 'num':
        node = { t: 'num', pos: tk.pos, v: parseNumber(tk.v, tk.pos), src: tk.v };
        break;
      case '(': {
        const pipe = parsePipe(toks, at, 'parenthesized pipeline', 1);
        if (toks[at.i].k !== ')') fail(toks[at.i].pos, `unclosed left paren`);
        at.i++;
        node = { t: 'pipe', pos: tk.pos, pipe };
        break;
      }
      default:
        return fail(tk.pos, `unexpected ${show(tk)} in operand`);
    }
    if (toks[at.i].k === 'field') {
      const fields: string[] = [];
      while (toks[at.i].k === 'field') fields.push(toks[at.i++].v);
      if (node.t === 'var') return { ...node, fields };
      if (node.t === 'bool' || node.t === 'str' || node.t === 'num' || node.t === 'nil') fail(tk.pos, `unexpected . after term ${JSON.stringify(tk.v)}`);
      return { t: 'chain', pos: tk.pos, node, fields };
    }
    return node;
  }

  function unquote(s: string, pos: number): string {
    try {
      return JSON.parse(s.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1').replace(/\\([abfv])/g, (_, c: string) => ({ a: '\\u0007', b: '\\b', f: '\\f', v: '\\u000b' })[c]!)) as string;
    } catch {
      return fail(pos, `invalid syntax: ${s}`);
    }
  }

  function parseNumber(s: string, pos: number): GoFloat | bigint {
    const t = s.replace(/_/g, '');
    if (/^[+-]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9]\d*|0)$/.test(t)) {
      const neg = t.startsWith('-');
      let body = t.replace(/^[+-]/, '');
      if (/^0[0-7]+$/.test(body)) body = `0o${body.slice(1)}`;
      const v = BigInt(body);
      return neg ? -v : v;
    }
    const f = Number(t);
    if (Number.isNaN(f)) fail(pos, `bad number syntax: "${s}"`);
    return new GoFloat(f);
  }

  return parseList([]).list;
}

function show(tk: Tok): string {
  if (tk.k === 'end') return '<end>';
  if (tk.k === 'space') return 'space';
  return `"${tk.v}"`;
}

/** Lexes one action from `j` (after `{{` and a trim marker) to its `}}`. */
function lexAction(src: string, j: number, fail: (pos: number, msg: string) => never): { toks: Tok[]; end: number; trim: boolean } {
  const toks: Tok[] = [];
  let parens = 0;
  for (;;) {
    if (j >= src.length) fail(j, 'unclosed action');
    const c = src[j];
    if (isSpace(c)) {
      const s = j;
      while (isSpace(src[j] ?? '')) j++;
      if (src.startsWith('-}}', j) && j > s) {
        toks.push({ k: 'end', v: '', pos: j });
        return { toks, end: j + 3, trim: true };
      }
      if (!src.startsWith('}}', j)) toks.push({ k: 'space', v: ' ', pos: s });
      continue;
    }
    if (src.startsWith('}}', j)) {
      if (parens > 0) fail(j, 'unclosed left paren');
      toks.push({ k: 'end', v: '', pos: j });
      return { toks, end: j + 2, trim: false };
    }
    const start = j;
    if (c === '"') {
      j++;
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\n') fail(start, 'unterminated quoted string');
        if (src[j] === '\\') j++;
        j++;
      }
      if (j >= src.length) fail(start, 'unterminated quoted string');
      toks.push({ k: 'str', v: src.slice(start, ++j), pos: start });
    } else if (c === '`') {
      const close = src.indexOf('`', j + 1);
      if (close < 0) fail(start, 'unterminated raw quoted string');
      j = close + 1;
      toks.push({ k: 'raw', v: src.slice(start, j), pos: start });
    } else if (c === "'") {
      j++;
      while (j < src.length && src[j] !== "'") {
        if (src[j] === '\\') j++;
        j++;
      }
      if (j >= src.length) fail(start, 'unterminated character constant');
      toks.push({ k: 'char', v: src.slice(start, ++j), pos: start });
    } else if (c === '$') {
      j++;
      while (j < src.length && isAlnum(src[j])) j++;
      toks.push({ k: 'var', v: src.slice(start, j), pos: start });
    } else if (c === '.' && !/[0-9]/.test(src[j + 1] ?? '')) {
      j++;
      if (isAlnum(src[j] ?? '')) {
        while (j < src.length && isAlnum(src[j])) j++;
        toks.push({ k: 'field', v: src.slice(start + 1, j), pos: start });
      } else toks.push({ k: 'dot', v: '.', pos: start });
    } else if (/[0-9+\-.]/.test(c)) {
      j = scanNumber(src, j);
      if (isAlnum(src[j] ?? '')) fail(start, `bad number syntax: "${src.slice(start, j + 1)}"`);
      toks.push({ k: 'num', v: src.slice(start, j), pos: start });
    } else if (isAlnum(c)) {
      while (j < src.length && isAlnum(src[j])) j++;
      toks.push({ k: 'ident', v: src.slice(start, j), pos: start });
    } else if (c === ':' && src[j + 1] === '=') {
      j += 2;
      toks.push({ k: ':=', v: ':=', pos: start });
    } else if ('()|=,'.includes(c)) {
      j++;
      if (c === '(') parens++;
      if (c === ')') {
        if (--parens < 0) fail(start, `unexpected right paren`);
      }
      toks.push({ k: c as Tok['k'], v: c, pos: start });
    } else {
      const cp = c.codePointAt(0)!;
      fail(start, `bad character U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${c}'`);
    }
  }
}

/** The end of a number from `j` as Go's lexer scans it (sign, base prefix, digits, fraction, exponent). */
function scanNumber(src: string, j: number): number {
  const accept = (set: string) => (j < src.length && set.includes(src[j]) ? (j++, true) : false);
  const run = (set: string) => {
    while (accept(set));
  };
  accept('+-');
  let digits = '0123456789_';
  if (accept('0')) {
    if (accept('xX')) digits = '0123456789abcdefABCDEF_';
    else if (accept('oO')) digits = '01234567_';
    else if (accept('bB')) digits = '01_';
  }
  run(digits);
  if (accept('.')) run(digits);
  if (digits.length === 11 && accept('eE')) {
    accept('+-');
    run('0123456789_');
  }
  if (digits.length === 23 && accept('pP')) {
    accept('+-');
    run('0123456789_');
  }
  accept('i');
  return j;
}
