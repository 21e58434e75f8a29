// Go's text/template, the evaluator (see gotemplate-parse.ts for why kubesim carries its own):
// kubectl's go-template printer with its two extra functions (`exists`, `base64decode`),
// missingkey=default (`<no value>`) or, with --allow-missing-template-keys=false, missingkey=error.
import { GoFloat } from './gofmt.js';
import { asFloat, asInt, goType, goSprint, goSprintf, goSprintln, goV } from './gotemplate-fmt.js';
import { parseGoTemplate, TemplateError, type Arg, type Cmd, type Control, type Node, type Pipe } from './gotemplate-parse.js';

export { parseGoTemplate, TemplateError } from './gotemplate-parse.js';

type Val = unknown;
class Break {}
class Continue {}

function argStr(a: Arg): string {
  switch (a.t) {
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return String(a.v);
    case 'num':
    case 'str':
      return a.src;
    case 'func':
      return a.name;
    case 'var':
      return a.name + a.fields.map((f) => `.${f}`).join('');
    case 'field':
      return a.fields.map((f) => `.${f}`).join('');
    case 'chain':
      return `${argStr(a.node)}${a.fields.map((f) => `.${f}`).join('')}`;
    case 'pipe':
      return `(${pipeStr(a.pipe)})`;
  }
}
const cmdStr = (c: Cmd) => c.args.map(argStr).join(' ');
const pipeStr = (p: Pipe) => (p.decl.length ? `${p.decl.join(', ')} ${p.assign ? '=' : ':='} ` : '') + p.cmds.map(cmdStr).join(' | ');

function truth(v: Val): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'bigint') return v !== 0n;
  if (v instanceof GoFloat) return v.v !== 0;
  if (typeof v === 'string' || Array.isArray(v)) return v.length > 0;
  return Object.keys(v as object).length > 0;
}

const isMap = (v: Val): v is Record<string, Val> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoFloat);

type Kind = 'bool' | 'int' | 'float' | 'string' | 'invalid';
const kindOf = (v: Val): Kind =>
  typeof v === 'boolean' ? 'bool' : asInt(v) !== undefined ? 'int' : asFloat(v) !== undefined ? 'float' : typeof v === 'string' ? 'string' : 'invalid';
/** Comparable form of a basic value: ints as bigint, floats as number. */
const basic = (v: Val): Val => asInt(v) ?? asFloat(v) ?? v;

function eq(a: Val, ...bs: Val[]): boolean {
  if (!bs.length) throw new Error('missing arguments for comparison');
  const ka = kindOf(a);
  for (const b of bs) {
    const kb = kindOf(b);
    if (ka !== kb) {
      if (a !== undefined && a !== null && b !== undefined && b !== null) throw new Error('incompatible types for comparison');
      if ((a === undefined || a === null) && (b === undefined || b === null)) return true;
      continue;
    }
    if (ka === 'invalid') {
      if (Array.isArray(a) || Array.isArray(b) || isMap(a) || isMap(b)) throw new Error(`non-comparable types ${goV(a)}: ${goType(a)}, ${goType(b)}: ${goV(b)}`);
      return true;
    }
    if (basic(a) === basic(b)) return true;
  }
  return false;
}

function lt(a: Val, b: Val): boolean {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka === 'invalid' || ka === 'bool' || kb === 'invalid' || kb === 'bool') throw new Error('invalid type for comparison');
  if (ka !== kb) throw new Error('incompatible types for comparison');
  return (basic(a) as number) < (basic(b) as number);
}

function indexArg(i: Val, len: number): number {
  if (i === undefined || i === null) throw new Error('cannot index slice/array with nil');
  const n = asInt(i);
  if (n === undefined) throw new Error(`cannot index slice/array with type ${goType(i)}`);
  if (n < 0n || n > BigInt(len)) throw new Error(`index out of range: ${n}`);
  return Number(n);
}

function index(item: Val, ...idx: Val[]): Val {
  if (item === undefined || item === null) throw new Error('index of untyped nil');
  for (const i of idx) {
    if (item === null) throw new Error('index of nil pointer');
    if (Array.isArray(item) || typeof item === 'string') {
      const x = indexArg(i, item.length);
      if (x === item.length) throw new Error(`index out of range: ${x}`);
      item = typeof item === 'string' ? BigInt(Buffer.from(item, 'utf8')[x] ?? 0) : item[x];
    } else if (isMap(item)) {
      if (typeof i !== 'string') throw new Error(`value has type ${goType(i)}; should be string`);
      item = Object.hasOwn(item, i) ? item[i] : null;
    } else throw new Error(`can't index item of type ${goType(item)}`);
  }
  return item;
}

function length(v: Val): bigint {
  if (v === undefined) throw new Error('reflect: call of reflect.Value.Type on zero Value');
  if (v === null) throw new Error('len of nil pointer');
  if (typeof v === 'string') return BigInt(Buffer.byteLength(v, 'utf8'));
  if (Array.isArray(v)) return BigInt(v.length);
  if (isMap(v)) return BigInt(Object.keys(v).length);
  throw new Error(`len of type ${goType(v)}`);
}

function base64decode(v: Val): string {
  if (typeof v !== 'string') throw new Error(`wrong type for value; expected string; got ${goType(v)}`);
  const clean = v.replace(/[\r\n]/g, '');
  const bad = clean.search(/[^A-Za-z0-9+/=]/);
  if (bad >= 0) throw new Error(`base64 decode failed: illegal base64 data at input byte ${bad}`);
  if (clean.length % 4 !== 0) throw new Error(`base64 decode failed: illegal base64 data at input byte ${clean.length - (clean.length % 4)}`);
  return Buffer.from(clean, 'base64').toString('utf8');
}

const HTML: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&#39;', '"': '&#34;', '\0': '\uFFFD' };
const evalArgsText = (args: Val[]) => (args.length === 1 && typeof args[0] === 'string' ? args[0] : goSprint(args));

/** Executes a parsed template on `data` (what encoding/json gives: numbers are float64). */
export function execGoTemplate(nodes: Node[], data: Val, opts: { missingKeyError?: boolean; name?: string; src?: string } = {}): string {
  const name = opts.name ?? 'output';
  const src = opts.src ?? '';
  const vars: Array<[string, Val]> = [['$', data]];
  let out = '';

  const fail = (pos: number, context: string, msg: string): never => {
    const before = src.slice(0, pos);
    const nl = before.lastIndexOf('\n');
    const line = 1 + (before.match(/\n/g)?.length ?? 0);
    const col = nl < 0 ? pos : pos - nl - 1;
    throw new TemplateError(`template: ${name}:${line}:${col}: executing "${name}" at <${context}>: ${msg}`);
  };

  const lookup = (v: string): Val => {
    for (let i = vars.length - 1; i >= 0; i--) if (vars[i][0] === v) return vars[i][1];
    return undefined;
  };
  const setVar = (v: string, val: Val) => {
    for (let i = vars.length - 1; i >= 0; i--) if (vars[i][0] === v) return void (vars[i][1] = val);
  };

  function field(recv: Val, f: string, node: Arg): Val {
    if (recv === undefined) {
      if (opts.missingKeyError) fail(node.pos, argStr(node), `nil data; no entry for key "${f}"`);
      return undefined;
    }
    if (recv === null) return fail(node.pos, argStr(node), `nil pointer evaluating interface {}.${f}`);
    if (isMap(recv)) {
      if (Object.hasOwn(recv, f)) return recv[f];
      if (opts.missingKeyError) fail(node.pos, argStr(node), `map has no entry for key "${f}"`);
      return undefined;
    }
    return fail(node.pos, argStr(node), `can't evaluate field ${f} in type interface {}`);
  }
  const fields = (v: Val, fs: string[], node: Arg) => fs.reduce((acc, f) => field(acc, f, node), v);

  function evalArg(dot: Val, a: Arg): Val {
    switch (a.t) {
      case 'dot':
        return dot;
      case 'nil':
        return null;
      case 'bool':
      case 'num':
      case 'str':
        return a.v;
      case 'func':
        return callFunc(dot, a, { pos: a.pos, args: [a] }, undefined, false);
      case 'var':
        return fields(lookup(a.name), a.fields, a);
      case 'field':
        return fields(dot, a.fields, a);
      case 'chain':
        return fields(evalArg(dot, a.node), a.fields, a);
      case 'pipe':
        return evalPipe(dot, a.pipe);
    }
  }

  function callFunc(dot: Val, fn: Extract<Arg, { t: 'func' }>, cmd: Cmd, final: Val, hasFinal: boolean): Val {
    const argNodes = cmd.args.slice(1);
    const n = argNodes.length + (hasFinal ? 1 : 0);
    const here = (msg: string): never => fail(cmd.pos, cmdStr(cmd), msg);
    const want = (min: number, max = min) => {
      if (n < min || n > max) here(max === Infinity ? `wrong number of args for ${fn.name}: want at least ${min} got ${n}` : `wrong number of args for ${fn.name}: want ${min} got ${n}`);
    };
    const all = () => {
      const vs = argNodes.map((x) => evalArg(dot, x));
      if (hasFinal) vs.push(final);
      return vs;
    };
    // functions taking interface{} see a missing value as nil
    const nils = (vs: Val[]) => vs.map((v) => (v === undefined ? null : v));
    if (fn.name === 'and' || fn.name === 'or') {
      want(1, Infinity);
      let v: Val;
      for (let i = 0; i < n; i++) {
        v = i < argNodes.length ? evalArg(dot, argNodes[i]) : final;
        if (truth(v) === (fn.name === 'or')) return v;
      }
      return v;
    }
    const vs = all();
    try {
      switch (fn.name) {
        case 'not':
          want(1);
          return !truth(vs[0]);
        case 'len':
          want(1);
          return length(vs[0]);
        case 'index':
          want(1, Infinity);
          return index(vs[0], ...vs.slice(1));
        case 'slice': {
          want(1, Infinity);
          const [item, ...ix] = vs;
          if (typeof item !== 'string' && !Array.isArray(item)) throw new Error(`can't slice item of type ${goType(item)}`);
          const b = ix.map((x) => indexArg(x, item.length));
          return item.slice(b[0] ?? 0, b[1] ?? item.length);
        }
        case 'print':
          return goSprint(nils(vs));
        case 'println':
          return goSprintln(nils(vs));
        case 'printf':
          want(1, Infinity);
          if (typeof vs[0] !== 'string') here(`wrong type for value; expected string; got ${goType(vs[0])}`);
          return goSprintf(vs[0] as string, nils(vs.slice(1)));
        case 'eq':
          want(1, Infinity);
          return eq(vs[0], ...vs.slice(1));
        case 'ne':
          want(2);
          return !eq(vs[0], vs[1]);
        case 'lt':
          want(2);
          return lt(vs[0], vs[1]);
        case 'le':
          want(2);
          return lt(vs[0], vs[1]) || eq(vs[0], vs[1]);
        case 'gt':
          want(2);
          return !lt(vs[0], vs[1]) && !eq(vs[0], vs[1]);
        case 'ge':
          want(2);
          return !lt(vs[0], vs[1]);
        case 'html':
          return evalArgsText(nils(vs)).replace(/[<>&'"\0]/g, (c) => HTML[c]);
        case 'js':
          return evalArgsText(nils(vs)).replace(/[\\'"<>&=]/g, (c) => (c === '\\' ? '\\\\' : c === "'" ? "\\'" : c === '"' ? '\\"' : `\\u00${c.charCodeAt(0).toString(16).toUpperCase()}`));
        case 'urlquery':
          return encodeURIComponent(evalArgsText(nils(vs))).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
        case 'exists': {
          want(1, Infinity);
          try {
            return index(vs[0], ...vs.slice(1)) !== null;
          } catch {
            return false;
          }
        }
        case 'base64decode':
          want(1);
          return base64decode(vs[0]);
        default:
          return here(`"${fn.name}" is not a defined function`);
      }
    } catch (e) {
      if (e instanceof TemplateError) throw e;
      return here(`error calling ${fn.name}: ${(e as Error).message}`);
    }
  }

  function evalCmd(dot: Val, cmd: Cmd, final: Val, hasFinal: boolean): Val {
    const first = cmd.args[0];
    if (first.t === 'func') return callFunc(dot, first, cmd, final, hasFinal);
    if (cmd.args.length > 1 || hasFinal) {
      if (first.t === 'field' || first.t === 'chain' || (first.t === 'var' && first.fields.length)) {
        const fs = first.t === 'var' ? first.fields : first.fields;
        return fail(first.pos, argStr(first), `${fs[fs.length - 1]} is not a method but has arguments`);
      }
      return fail(first.pos, argStr(first), `can't give argument to non-function ${argStr(first)}`);
    }
    if (first.t === 'nil') return fail(first.pos, 'nil', 'nil is not a command');
    return evalArg(dot, first);
  }

  function evalPipe(dot: Val, pipe: Pipe): Val {
    let v: Val;
    pipe.cmds.forEach((c, i) => {
      v = evalCmd(dot, c, v, i > 0);
      if (v === null) v = undefined; // an interface{} holding nil digs down to no value
    });
    for (const d of pipe.decl) {
      if (pipe.assign) setVar(d, v);
      else vars.push([d, v]);
    }
    return v;
  }

  function walk(dot: Val, list: Node[]): void {
    for (const node of list) {
      switch (node.t) {
        case 'text':
          out += node.text;
          break;
        case 'action': {
          const v = evalPipe(dot, node.pipe);
          if (!node.pipe.decl.length || node.pipe.assign) {
            if (!node.pipe.decl.length) out += v === undefined ? '<no value>' : goV(v);
          }
          break;
        }
        case 'if':
        case 'with': {
          const mark = vars.length;
          const v = evalPipe(dot, node.pipe);
          if (truth(v)) walk(node.t === 'with' ? v : dot, node.list);
          else if (node.else) walk(dot, node.else);
          vars.length = mark;
          break;
        }
        case 'range':
          range(dot, node);
          break;
        case 'break':
          throw new Break();
        case 'continue':
          throw new Continue();
      }
    }
  }

  function range(dot: Val, node: Control): void {
    const mark = vars.length;
    const v = evalPipe(dot, node.pipe);
    const decl = node.pipe.decl;
    const one = (key: Val, elem: Val): boolean => {
      const inner = vars.length;
      if (decl.length === 1) (node.pipe.assign ? setVar : (_n: string, x: Val) => (vars[mark][1] = x))(decl[0], elem);
      if (decl.length === 2) {
        if (node.pipe.assign) {
          setVar(decl[0], key);
          setVar(decl[1], elem);
        } else {
          vars[mark][1] = key;
          vars[mark + 1][1] = elem;
        }
      }
      try {
        walk(elem, node.list);
      } catch (e) {
        if (e instanceof Break) return false;
        if (!(e instanceof Continue)) throw e;
      } finally {
        vars.length = inner;
      }
      return true;
    };
    let ran = false;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length && one(BigInt(i), v[i]); i++) ran = true;
      if (v.length) ran = true;
    } else if (isMap(v)) {
      const keys = Object.keys(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      for (const k of keys) if (!one(k, v[k])) break;
      ran = keys.length > 0;
    } else if (v !== undefined) {
      // the error names the last node evaluated: the pipeline's last operand
      const last = node.pipe.cmds[node.pipe.cmds.length - 1];
      const at = last.args.length === 1 ? last.args[0] : last;
      fail(at.pos, 'args' in at ? cmdStr(at) : argStr(at), `range can't iterate over ${goV(v)}`);
    }
    if (!ran && node.else) walk(dot, node.else);
    vars.length = mark;
  }

  try {
    walk(data, nodes);
  } catch (e) {
    // what was written before the failure stays written
    if (e instanceof TemplateError) e.partial = out;
    throw e;
  }
  return out;
}

/** Parses and runs a template in one go (tests, and callers without kubectl's error wrapping). */
export function goTemplate(src: string, data: Val, opts: { missingKeyError?: boolean } = {}): string {
  return execGoTemplate(parseGoTemplate(src), data, { ...opts, src });
}
