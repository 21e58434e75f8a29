// kubectl's JSONPath templates (k8s.io/client-go/util/jsonpath semantics as used by
// `-o jsonpath=`, `-o jsonpath-as-json=`, custom columns and --sort-by).
// Map keys are visited in sorted order where Go would visit them in random order (`*`, `..`).

import { CliError } from '../api/errors.js';
import { GoFloat, goSharpV, goSprint, goTypeName, isGoInt } from './gofmt.js';
import { toCompactJson, toJson } from './json.js';
import { JsonPathSyntaxError, parseTemplate, type JNode, type ListNode } from './jsonpath-parser.js';

export { JsonPathSyntaxError } from './jsonpath-parser.js';

export interface CompiledJsonPath {
  template: string;
  root: ListNode;
}

/** An error while executing a template; `message` is the engine's text (`x is not found`). */
export class JsonPathExecError extends CliError {
  /** What the failing step returned alongside the error (matters inside existence filters). */
  partial: unknown[];
  constructor(message: string, partial: unknown[] = []) {
    super(message);
    this.partial = partial;
  }
}

/**
 * Parses a template. Throws an Error whose message is kubectl's
 * `error parsing jsonpath <template>, <reason>` (without the `error: ` prefix); the bare reason is
 * in `.reason`.
 */
export function compileJsonPath(template: string): CompiledJsonPath {
  try {
    return { template, root: parseTemplate(template) };
  } catch (e) {
    if (e instanceof JsonPathSyntaxError) {
      const err = new JsonPathSyntaxError(`error parsing jsonpath ${template}, ${e.message}`);
      (err as JsonPathSyntaxError & { reason: string }).reason = e.message;
      throw err;
    }
    throw e;
  }
}

/** Parses like compileJsonPath but throws the bare parser error (custom-columns, sort-by). */
export function parseJsonPathRaw(template: string): CompiledJsonPath {
  return { template, root: parseTemplate(template) };
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof GoFloat);
const sortedKeys = (o: Record<string, unknown>) => Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const utf8Bytes = (s: string) => [...Buffer.from(s, 'utf8')];

type Kind = 'bool' | 'int' | 'float' | 'string';
function basicKind(v: unknown): Kind {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (v instanceof GoFloat) return 'float';
  if (typeof v === 'number') return isGoInt(v) ? 'int' : 'float';
  throw new JsonPathExecError('invalid type for comparison');
}
const num = (v: unknown) => (v instanceof GoFloat ? v.v : (v as number));

function equal(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 !== k2) throw new JsonPathExecError('incompatible types for comparison');
  if (k1 === 'int' || k1 === 'float') return num(a) === num(b);
  return a === b;
}
function less(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 !== k2) throw new JsonPathExecError('incompatible types for comparison');
  if (k1 === 'bool') throw new JsonPathExecError('invalid type for comparison');
  if (k1 === 'string') return (a as string) < (b as string);
  return num(a) < num(b);
}
function compare(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case '<':
      return less(a, b);
    case '>':
      return !(less(a, b) || equal(a, b));
    case '==':
      return equal(a, b);
    case '!=':
      return !equal(a, b);
    case '<=':
      return less(a, b) || equal(a, b);
    case '>=':
      return !less(a, b);
    default:
      throw new JsonPathExecError(`unrecognized filter operator ${op}`);
  }
}

/** What a range level returns and leaves behind, kept so that a repeated level is evaluated once. */
interface Level {
  results?: unknown[][];
  error?: unknown;
  /** beginRange, endRange and lastEnd after the level (inRange always comes back to where it was) */
  state: [number, number, number];
}

/** Whether a node holds an `end` anywhere (only those make a level depend on the range depth). */
function hasEnd(n: JNode): boolean {
  switch (n.t) {
    case 'identifier':
      return n.name === 'end';
    case 'list':
      return n.nodes.some(hasEnd);
    case 'union':
      return n.lists.some(hasEnd);
    case 'filter':
      return hasEnd(n.left) || hasEnd(n.right);
    default:
      return false;
  }
}

class Evaluator {
  private beginRange = 0;
  private inRange = 0;
  private endRange = 0;
  /** index (in the template's top-level nodes) of the last `end` met, -1 = none */
  private lastEnd = -1;
  /**
   * client-go evaluates the nodes after a range again for every value and, when no `end` closes it,
   * again at the level above: unbalanced nested ranges take exponential time there. A level's outcome
   * depends only on where it starts, its value and the range counters, so each is evaluated once.
   */
  private readonly memo = new Map<string, Level>();
  private readonly ids = new Map<unknown, number>();
  /** endFrom[i]: some node at i or later holds an `end` */
  private readonly endFrom: boolean[];

  constructor(
    private readonly root: ListNode,
    private readonly allowMissingKeys: boolean,
  ) {
    const n = root.nodes.length;
    this.endFrom = new Array<boolean>(n + 1).fill(false);
    for (let i = n - 1; i >= 0; i--) this.endFrom[i] = this.endFrom[i + 1] || hasEnd(root.nodes[i]);
  }

  private idOf(v: unknown): string {
    if (v === null || v === undefined || typeof v !== 'object') return `${typeof v}:${String(v)}`;
    let id = this.ids.get(v);
    if (id === undefined) this.ids.set(v, (id = this.ids.size));
    return `#${id}`;
  }

  private key(data: unknown, start: number): string {
    // without an `end` ahead, the range depth and the last end cannot change what the level does
    const depth = this.endFrom[start] ? `${this.inRange}|${this.lastEnd}` : '';
    return `${start}|${this.idOf(data)}|${this.beginRange}|${this.endRange}|${depth}`;
  }

  private restore(level: Level, start: number): void {
    [this.beginRange, this.endRange] = level.state;
    if (this.endFrom[start]) this.lastEnd = level.state[2];
  }

  /**
   * client-go's FindResults. Levels run on an explicit stack (a template may nest thousands of
   * ranges); a level asks for a nested one by yielding it.
   */
  findResults(data: unknown, start = 0): unknown[][] {
    interface Frame {
      gen: Generator<[unknown, number], unknown[][], unknown[][]>;
      key: string;
      start: number;
      inRange: number;
    }
    const stack: Frame[] = [];
    let pending: { ok: true; value: unknown[][] } | { ok: false; error: unknown } | undefined;
    const enter = (d: unknown, at: number): void => {
      const key = this.key(d, at);
      const level = this.memo.get(key);
      if (level) {
        this.restore(level, at);
        pending = level.error !== undefined ? { ok: false, error: level.error } : { ok: true, value: level.results! };
        return;
      }
      stack.push({ gen: this.evalLevel(d, at), key, start: at, inRange: this.inRange });
      pending = undefined;
    };
    enter(data, start);
    while (stack.length) {
      const top = stack[stack.length - 1];
      let step: IteratorResult<[unknown, number], unknown[][]>;
      try {
        if (!pending) step = top.gen.next(undefined as unknown as unknown[][]);
        else if (pending.ok) step = top.gen.next(pending.value);
        else step = top.gen.throw(pending.error);
      } catch (error) {
        this.finish(stack.pop()!, { error });
        pending = { ok: false, error };
        continue;
      }
      if (step.done) {
        this.finish(stack.pop()!, { results: step.value });
        pending = { ok: true, value: step.value };
      } else enter(step.value[0], step.value[1]);
    }
    if (!pending) return [];
    if (!pending.ok) throw pending.error;
    return pending.value;
  }

  private finish(frame: { key: string; inRange: number }, out: { results?: unknown[][]; error?: unknown }): void {
    this.inRange = frame.inRange;
    this.memo.set(frame.key, { ...out, state: [this.beginRange, this.endRange, this.lastEnd] });
  }

  /** One level of client-go's FindResults over the top-level nodes from `start` on. */
  private *evalLevel(data: unknown, start: number): Generator<[unknown, number], unknown[][], unknown[][]> {
    const cur = [data];
    const nodes = this.root.nodes;
    const full: unknown[][] = [];
    for (let i = start; i < nodes.length; i++) {
      const results = this.walk(cur, nodes[i]);
      if (this.endRange > 0 && this.endRange <= this.inRange) {
        this.endRange--;
        this.lastEnd = i;
        break;
      }
      if (this.beginRange > 0) {
        this.beginRange--;
        this.inRange++;
        if (results.length > 0) {
          for (const value of results) full.push(...(yield [value, i + 1]));
        } else {
          yield [null, i + 1];
        }
        this.inRange--;
        if (this.lastEnd > i) i = this.lastEnd;
        continue;
      }
      full.push(results);
    }
    return full;
  }

  private walk(input: unknown[], node: JNode): unknown[] {
    switch (node.t) {
      case 'list':
        return this.evalList(input, node);
      case 'text':
        return [node.text];
      case 'field':
        return this.evalField(input, node.name);
      case 'array':
        return this.evalArray(input, node);
      case 'filter':
        return this.evalFilter(input, node);
      case 'int':
        return input.map(() => node.v);
      case 'float':
        return input.map(() => new GoFloat(node.v));
      case 'bool':
        return input.map(() => node.v);
      case 'wildcard':
        return input.flatMap((v) => children(v));
      case 'recursive':
        return this.evalRecursive(input);
      case 'union':
        return node.lists.flatMap((l) => this.evalList(input, l));
      case 'identifier':
        return this.evalIdentifier(input, node.name);
    }
  }

  evalList(input: unknown[], list: ListNode): unknown[] {
    let cur = input;
    for (const n of list.nodes) cur = this.walk(cur, n);
    return cur;
  }

  private evalIdentifier(input: unknown[], name: string): unknown[] {
    if (name === 'range') {
      this.beginRange++;
      return input;
    }
    if (name === 'end') {
      if (this.inRange > 0) {
        this.endRange++;
        return [];
      }
      throw new JsonPathExecError('not in range, nothing to end');
    }
    throw new JsonPathExecError(`unrecognized identifier ${name}`, input);
  }

  private evalField(input: unknown[], name: string): unknown[] {
    const results: unknown[] = [];
    if (input.length === 0) return results;
    for (const v of input) {
      if (v === null || v === undefined) continue;
      if (isMap(v) && Object.prototype.hasOwnProperty.call(v, name) && v[name] !== undefined) results.push(v[name]);
    }
    if (results.length === 0 && !this.allowMissingKeys) throw new JsonPathExecError(`${name} is not found`);
    return results;
  }

  private evalArray(input: unknown[], node: Extract<JNode, { t: 'array' }>): unknown[] {
    const result: unknown[] = [];
    for (const v of input) {
      if (v === null || v === undefined) continue;
      if (!Array.isArray(v)) throw new JsonPathExecError(`${goTypeName(v)} is not array or slice`, input);
      const p = node.params.map((x) => ({ ...x }));
      const len = v.length;
      if (!p[0].known) p[0].value = 0;
      if (p[0].value < 0) p[0].value += len;
      if (!p[1].known) p[1].value = len;
      if (p[1].value < 0 || (p[1].value === 0 && p[1].derived)) p[1].value += len;
      if (p[1].value !== p[0].value) {
        if (p[0].value >= len || p[0].value < 0) throw new JsonPathExecError(`array index out of bounds: index ${p[0].value}, length ${len}`, input);
        if (p[1].value > len || p[1].value < 0) throw new JsonPathExecError(`array index out of bounds: index ${p[1].value - 1}, length ${len}`, input);
        if (p[0].value > p[1].value) throw new JsonPathExecError(`starting index ${p[0].value} is greater than ending index ${p[1].value}`, input);
      } else {
        return result;
      }
      const slice = v.slice(p[0].value, p[1].value);
      let step = 1;
      if (p[2].known) {
        if (p[2].value <= 0) throw new JsonPathExecError('step must be > 0', input);
        step = p[2].value;
      }
      for (let i = 0; i < slice.length; i += step) result.push(slice[i]);
    }
    return result;
  }

  private evalRecursive(input: unknown[]): unknown[] {
    const result: unknown[] = [];
    for (const v of input) {
      if (v === null || v === undefined) continue;
      const kids = children(v);
      if (kids.length) {
        result.push(v);
        result.push(...this.evalRecursive(kids));
      }
    }
    return result;
  }

  private rethrowWith<T>(f: () => T, partial: unknown[]): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof JsonPathExecError) throw new JsonPathExecError(e.message, partial);
      throw e;
    }
  }

  private evalFilter(input: unknown[], node: Extract<JNode, { t: 'filter' }>): unknown[] {
    const results: unknown[] = [];
    for (const v of input) {
      if (!Array.isArray(v)) throw new JsonPathExecError(`${goSprint(v)} is not array or slice and cannot be filtered`, input);
      for (const item of v) {
        const temp = [item];
        if (node.op === 'exists') {
          let lefts: unknown[] = [];
          try {
            lefts = this.evalList(temp, node.left);
          } catch (e) {
            if (!(e instanceof JsonPathExecError)) throw e;
            lefts = e.partial;
          }
          if (lefts.length > 0) results.push(item);
          continue;
        }
        const lefts = this.rethrowWith(() => this.evalList(temp, node.left), input);
        if (lefts.length === 0) continue;
        if (lefts.length > 1) throw new JsonPathExecError('can only compare one element at a time', input);
        const rights = this.rethrowWith(() => this.evalList(temp, node.right), input);
        if (rights.length === 0) continue;
        if (rights.length > 1) throw new JsonPathExecError('can only compare one element at a time', input);
        if (this.rethrowWith(() => compare(node.op, lefts[0], rights[0]), results)) results.push(item);
      }
    }
    return results;
  }
}

/** Values one level down: map values (sorted keys), list items, or a string's UTF-8 bytes. */
function children(v: unknown): unknown[] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return utf8Bytes(v);
  if (isMap(v)) return sortedKeys(v).map((k) => v[k]);
  return [];
}

/** How one result value prints: maps/lists as compact JSON, null as `null`, others via fmt. */
export function jsonPathValueText(v: unknown): string {
  if (Array.isArray(v) || isMap(v)) return toCompactJson(v);
  if (v === null || v === undefined) return 'null';
  return goSprint(v);
}

export interface ExecuteOptions {
  /** kubectl get defaults to true (--allow-missing-template-keys). */
  allowMissingKeys?: boolean;
  /** -o jsonpath-as-json */
  asJson?: boolean;
}

/** Evaluates the template's actions and returns the raw result lists (one per text/action). */
export function findJsonPathResults(compiled: CompiledJsonPath, data: unknown, opts: ExecuteOptions = {}): unknown[][] {
  const root: ListNode = { t: 'list', nodes: compiled.root.nodes };
  return new Evaluator(root, opts.allowMissingKeys ?? true).findResults(data);
}

/** Executes a compiled template against data (`-o jsonpath` output; no trailing newline added). */
export function executeJsonPath(compiled: CompiledJsonPath, data: unknown, opts: ExecuteOptions = {}): string {
  const full = findJsonPathResults(compiled, data, opts);
  let out = '';
  for (const results of full) {
    if (opts.asJson) {
      out += toJson(results, {});
      continue;
    }
    out += results.map(jsonPathValueText).join(' ');
  }
  return out;
}

/**
 * kubectl's whole error text when execution fails (the CLI prefixes `error: `; it already ends with
 * newlines, so nothing must be appended).
 */
export function jsonPathExecutionErrorMessage(template: string, reason: string, data: unknown): string {
  return (
    `error executing jsonpath ${JSON.stringify(template)}: Error executing template: ${reason}. Printing more information for debugging the template:\n` +
    `\ttemplate was:\n\t\t${template}\n\tobject given to jsonpath engine was:\n\t\t${goSharpV(data)}\n\n\n`
  );
}

/**
 * Convenience: compile + execute with kubectl's error messages. Throws an Error whose message is
 * the complete kubectl text (see compileJsonPath / jsonPathExecutionErrorMessage).
 */
export function jsonPath(template: string, data: unknown, opts: ExecuteOptions = {}): string {
  const compiled = compileJsonPath(template);
  try {
    return executeJsonPath(compiled, data, opts);
  } catch (e) {
    if (e instanceof JsonPathExecError) throw new JsonPathExecError(jsonPathExecutionErrorMessage(template, e.message, data));
    throw e;
  }
}

/**
 * kubectl's RelaxedJSONPathExpression (custom-columns, --sort-by): `a.b`, `.a.b`, `{a.b}` and
 * `{.a.b}` all become `{.a.b}`.
 */
export function relaxedJsonPath(expr: string): string {
  if (expr.length === 0) return expr;
  const m = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/.exec(expr);
  if (!m) {
    throw new CliError("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'");
  }
  return `{.${m[1] ?? m[2]}}`;
}

/** All values a (relaxed) path yields for one object, flattened (sort-by, custom columns). */
export function jsonPathValues(obj: unknown, expr: string): unknown[] {
  const compiled = parseJsonPathRaw(relaxedJsonPath(expr));
  return findJsonPathResults(compiled, obj, { allowMissingKeys: true }).flat();
}
