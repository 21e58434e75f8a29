// kubectl wait ([-f FILE] | TYPE[.VERSION][.GROUP] [NAME | -l SEL | --all]) --for=create|delete|condition=C[=V]|jsonpath='{…}'[=V] [--timeout=30s]
// (kubectl/pkg/cmd/wait/{wait,condition,delete,json,create}.go): the objects are visited in order,
// each waited for within what is left of the one timeout; the first failure ends the command.
import { NO_RESOURCES } from './common.js';
import { manifestArgs } from './files.js';
import { CliError, notFound } from '../api/errors.js';
import type { KObj } from '../api/types.js';
import type { Cluster } from '../sim/engine.js';
import type { Found } from './builder.js';
import { bool, parseFlags, str, type FlagSpec, type Parsed } from './flags.js';
import type { IO } from './io.js';
import { OUTPUT_FLAGS, printResult } from './output.js';
import { withCluster } from './session.js';
import { waitUntil } from './waiting.js';
import { FILE_FLAGS, goDurationFlag, resolveTargets, SELECTOR_FLAG } from './workload-common.js';

const FLAGS: FlagSpec[] = [
  ...OUTPUT_FLAGS,
  // wait's resource builder flags have -f and -R but no -k
  ...FILE_FLAGS.filter((f) => f.name !== 'recursive' && f.name !== 'kustomize'),
  { name: 'recursive', short: 'R', type: 'bool', default: true },
  SELECTOR_FLAG,
  { name: 'field-selector', type: 'string', default: '' },
  { name: 'all', type: 'bool', default: false },
  { name: 'all-namespaces', short: 'A', type: 'bool', default: false },
  { name: 'local', type: 'bool', default: false },
  { name: 'for', type: 'string', default: '' },
  { name: 'timeout', type: 'duration', default: '30s' },
];

type Check = (obj: KObj) => boolean;

/** conditionFuncFor: the --for value as a check of the object (undefined for create/delete). */
async function conditionFor(text: string): Promise<{ kind: 'create' | 'delete' | 'check'; check?: Check }> {
  const lower = text.toLowerCase();
  if (lower === 'delete') return { kind: 'delete' };
  if (lower === 'create') return { kind: 'create' };
  if (text.startsWith('condition=')) {
    let name = text.slice('condition='.length);
    let value = 'true';
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    return { kind: 'check', check: (obj) => conditionMet(obj, name, value) };
  }
  if (text.startsWith('jsonpath=')) return { kind: 'check', check: await jsonPathCheck(text.slice('jsonpath='.length)) };
  throw new CliError(`unrecognized condition: "${text}"`);
}

function conditionMet(obj: KObj, name: string, value: string): boolean {
  const conds = obj.status?.conditions;
  if (!Array.isArray(conds)) return false;
  for (const c of conds as KObj[]) {
    if (typeof c?.type !== 'string' || c.type.toLowerCase() !== name.toLowerCase()) continue;
    if (typeof c.status !== 'string') continue;
    const generation = obj.metadata?.generation;
    if (typeof generation === 'number') {
      const observed = typeof c.observedGeneration === 'number' ? c.observedGeneration : obj.status?.observedGeneration;
      if (typeof observed === 'number' && observed < generation) return false;
    }
    return c.status.toLowerCase() === value.toLowerCase();
  }
  return false;
}

/** splitJSONPathInput: `=` separates expression and value, `==` stays in the expression. */
function splitJsonPathInput(input: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < input.length; i++) {
    if (input[i] === '=') {
      if (input[i + 1] === '=') {
        cur += '==';
        i++;
        continue;
      }
      out.push(cur);
      cur = '';
      continue;
    }
    cur += input[i];
  }
  out.push(cur);
  return out;
}

async function jsonPathCheck(input: string): Promise<Check> {
  const parts = splitJsonPathInput(input);
  if (parts.length > 2) throw new CliError("jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'");
  const jp = await import('../printers/jsonpath.js');
  const expr = parts[0] === '' ? '' : jp.relaxedJsonPath(parts[0]);
  let expected: string | undefined;
  if (parts.length === 2) {
    expected = parts[1].replace(/^['"]+|['"]+$/g, '');
    if (!expected) throw new CliError("jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3");
  }
  if (!expr) throw new CliError('jsonpath expression cannot be empty');
  let compiled;
  try {
    compiled = jp.compileJsonPath(expr);
  } catch (e) {
    // jsonpath.Parse's own message, without the printer's wrapping
    throw new CliError((e as Error).message.replace(/^error parsing jsonpath .*?, /s, ''));
  }
  return (obj) => {
    const results = jp.findJsonPathResults(compiled, obj, { allowMissingKeys: true });
    if (!results.length || !results[0].length) return false;
    if (results.length > 1) throw new CliError('given jsonpath expression matches more than one list');
    if (results[0].length > 1) throw new CliError('given jsonpath expression matches more than one value');
    if (expected === undefined) return true;
    const v = results[0][0];
    if (v !== null && typeof v === 'object') throw new CliError('jsonpath leads to a nested object or list which is not supported');
    return goV(v).trim() === expected.trim();
  };
}

/** fmt's %v of a decoded JSON value. */
function goV(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  return String(v);
}

export default async function wait(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'wait');
  let timeoutMs = goDurationFlag(p, 'timeout', 'wait');
  if (timeoutMs < 0) timeoutMs = 168 * 3_600_000;
  const cond = await conditionFor(str(p, 'for'));
  if (!p.args.length && !manifestArgs(p).length) throw new CliError(NO_RESOURCES);
  if (cond.kind === 'create') {
    const r = await waitUntil(io, p, {
      timeoutMs: Math.max(1, timeoutMs),
      check: async (c) => {
        const { errors } = await resolveTargets(io, p, { cluster: c, namespace: await ns(io, p), namespaceExplicit: false, io }, p.args, { verb: 'wait', all: bool(p, 'all'), allNamespaces: bool(p, 'all-namespaces') });
        return errors.some((e) => (e as { reason?: string }).reason === 'NotFound') ? undefined : true;
      },
    });
    if (r.timedOut) throw new CliError('timed out waiting for the condition');
  }
  // the builder visits in argument order and stops at the first missing object (--for=delete skips it)
  const { groups, started } = await withCluster(io, p, 'read', async (s) => {
    const opts = { verb: 'wait', all: bool(p, 'all'), allNamespaces: bool(p, 'all-namespaces') };
    const named = !manifestArgs(p).length && !bool(p, 'all') && !str(p, 'selector') && !str(p, 'field-selector');
    const out: (Found | Error)[] = [];
    for (const args of named ? singleNames(p.args) : [p.args]) {
      const r = await resolveTargets(io, p, s, args, opts);
      out.push(...r.items, ...r.errors);
    }
    return { groups: out, started: s.cluster.now() };
  });
  const found = { items: groups.filter((g): g is Found => !(g instanceof Error)) };
  let i = 0;
  while (i < groups.length) {
    // what already holds is printed from one look at the cluster; the first that does not is waited for
    const blockedAt = await withCluster(io, p, 'read', async (s) => {
      for (; i < groups.length; i++) {
        const g = groups[i];
        if (g instanceof Error) {
          if (cond.kind === 'delete' && (g as { reason?: string }).reason === 'NotFound') continue;
          throw g;
        }
        const met = cond.kind === 'create' ? g.obj : metNow(s.cluster, g, cond, timeoutMs);
        if (!met) return s.cluster.now();
        await printResult(io, p, { def: g.def, obj: met }, 'condition met', 'none');
      }
      return undefined;
    });
    if (blockedAt === undefined) break;
    const f = groups[i] as Found;
    const remaining = timeoutMs - (blockedAt - started);
    if (remaining <= 0) throw new CliError(`timed out waiting for the condition on ${objectName(f)}`);
    if (cond.kind === 'delete') await waitDeleted(io, p, f, remaining);
    else await waitCondition(io, p, f, cond.check!, remaining);
    i++;
  }
  if (!found.items.length && cond.kind !== 'delete') throw new CliError('no matching resources found');
  return 0;
}

/** `TYPE a b` and `TYPE/a TYPE/b` as one argument list per object, in order. */
function singleNames(args: string[]): string[][] {
  if (args.some((a) => a.includes('/')) || args.length < 2) return args.some((a) => a.includes('/')) && args.every((a) => a.includes('/')) ? args.map((a) => [a]) : [args];
  return args.slice(1).map((name) => [args[0], name]);
}

async function ns(io: IO, p: Parsed): Promise<string> {
  const { resolveNamespace } = await import('./session.js');
  return resolveNamespace(io, p).namespace;
}

const objectName = (f: Found) => `${f.def.plural}/${f.obj.metadata.name}`;

/**
 * The object as it satisfies the wait right now, or undefined when it has to be waited for; with
 * --timeout=0 there is no waiting and kubectl's `condition not met` (or the Get's NotFound) instead.
 */
function metNow(c: Cluster, f: Found, cond: { kind: string; check?: Check }, timeoutMs: number): KObj | undefined {
  const obj = c.api.peek(f.def, f.obj.metadata.namespace, f.obj.metadata.name);
  if (cond.kind === 'delete') {
    if (!obj || obj.metadata.uid !== f.obj.metadata.uid) return f.obj;
    if (timeoutMs === 0) throw new CliError(`condition not met for ${objectName(f)}`);
    return undefined;
  }
  if (obj && cond.check!(obj)) return structuredClone(obj);
  if (timeoutMs === 0) {
    if (!obj) throw notFound(f.def.group ? `${f.def.plural}.${f.def.group}` : f.def.plural, f.obj.metadata.name);
    throw new CliError(`condition not met for ${objectName(f)}`);
  }
  return undefined;
}

async function waitCondition(io: IO, p: Parsed, f: Found, check: Check, timeoutMs: number): Promise<void> {
  const r = await waitUntil(io, p, {
    timeoutMs,
    check: (c) => {
      const obj = c.api.peek(f.def, f.obj.metadata.namespace, f.obj.metadata.name);
      return obj && check(obj) ? structuredClone(obj) : undefined;
    },
  });
  if (r.timedOut || !r.value) throw new CliError(`timed out waiting for the condition on ${objectName(f)}`);
  await printResult(io, p, { def: f.def, obj: r.value }, 'condition met', 'none');
}

async function waitDeleted(io: IO, p: Parsed, f: Found, timeoutMs: number): Promise<void> {
  const r = await waitUntil(io, p, {
    timeoutMs,
    check: (c) => {
      const o = c.api.peek(f.def, f.obj.metadata.namespace, f.obj.metadata.name);
      return o && o.metadata.uid === f.obj.metadata.uid ? undefined : true;
    },
  });
  if (r.timedOut) throw new CliError(`timed out waiting for the condition on ${objectName(f)}`);
  await printResult(io, p, f, 'condition met', 'none');
}
