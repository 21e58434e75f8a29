// RFC 6902 JSON patch, applied atomically (a failing operation leaves the object untouched), with
// the error texts of the json-patch library the API server uses.
import { StatusError } from '../errors.js';
import type { KObj } from '../types.js';

interface Op {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw bad(`invalid JSON pointer: "${path}"`);
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function bad(msg: string): StatusError {
  return new StatusError('Invalid', msg);
}

function container(doc: unknown, parts: string[], op: string, path: string): [KObj | unknown[], string] {
  let cur: unknown = doc;
  for (const p of parts.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(p)];
    else if (cur && typeof cur === 'object') cur = (cur as KObj)[p];
    else cur = undefined;
    if (cur === undefined || cur === null) throw missing(op, path);
  }
  return [cur as KObj, parts[parts.length - 1]];
}

function missing(op: string, path: string): StatusError {
  return new StatusError('Invalid', `jsonpatch ${op} operation does not apply: doc is missing path: "${path}": missing value`);
}

function get(doc: unknown, path: string, op: string): unknown {
  let cur: unknown = doc;
  for (const p of pointer(path)) {
    if (Array.isArray(cur)) cur = cur[Number(p)];
    else if (cur && typeof cur === 'object' && p in (cur as KObj)) cur = (cur as KObj)[p];
    else throw missing(op, path);
    if (cur === undefined) throw missing(op, path);
  }
  return cur;
}

function add(doc: unknown, path: string, value: unknown, op: string): unknown {
  const parts = pointer(path);
  if (!parts.length) return value;
  const [parent, last] = container(doc, parts, op, path);
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(i) || i < 0 || i > parent.length) throw new StatusError('Invalid', `add operation does not apply: doc is missing path: "${path}": missing value`);
    parent.splice(i, 0, value);
  } else (parent as KObj)[last] = value;
  return doc;
}

function remove(doc: unknown, path: string, op: string): unknown {
  const parts = pointer(path);
  const [parent, last] = container(doc, parts, op, path);
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!(i >= 0 && i < parent.length)) throw missing(op, path);
    parent.splice(i, 1);
  } else {
    if (!(last in (parent as KObj))) throw missing(op, path);
    delete (parent as KObj)[last];
  }
  return doc;
}

const goKind = (v: unknown) => (Array.isArray(v) ? 'array' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : typeof v === 'string' ? 'string' : 'object');

/** An operation's fields as json-patch decodes them: a path or from that is not a string fails the operation. */
function decodeOp(raw: unknown): Op {
  if (raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
    throw new StatusError('BadRequest', `json: cannot unmarshal ${goKind(raw)} into Go value of type jsonpatch.Operation`);
  }
  const o = (raw ?? {}) as KObj;
  const op = typeof o.op === 'string' ? o.op : 'unknown';
  if (!['add', 'remove', 'replace', 'move', 'copy', 'test'].includes(op)) throw new StatusError('BadRequest', `Unexpected kind: ${op}`);
  if (typeof o.path !== 'string') throw bad(`${op} operation failed to decode path: missing value`);
  if ((op === 'move' || op === 'copy') && typeof o.from !== 'string') throw bad(`${op} operation failed to decode from: missing value`);
  return { op, path: o.path, from: o.from, value: o.value ?? null };
}

/** A deep copy of a JSON value without recursion (a patch's value may nest thousands deep). */
function cloneJson<T>(v: T): T {
  const copy = (x: unknown): unknown => (Array.isArray(x) ? [...x] : x && typeof x === 'object' ? { ...x } : x);
  const root = copy(v);
  const stack: unknown[] = root && typeof root === 'object' ? [root] : [];
  while (stack.length) {
    const cur = stack.pop() as Record<string, unknown>;
    for (const k of Object.keys(cur)) {
      cur[k] = copy(cur[k]);
      if (cur[k] && typeof cur[k] === 'object') stack.push(cur[k]);
    }
  }
  return root as T;
}

export function applyJsonPatch(obj: KObj, ops: unknown): KObj {
  if (!Array.isArray(ops)) throw new StatusError('BadRequest', `json: cannot unmarshal ${goKind(ops)} into Go value of type jsonpatch.Patch`);
  let doc: unknown = cloneJson(obj);
  for (const o of ops.map(decodeOp)) {
    switch (o.op) {
      case 'add':
        doc = add(doc, o.path, cloneJson(o.value), 'add');
        break;
      case 'remove':
        doc = remove(doc, o.path, 'remove');
        break;
      case 'replace': {
        get(doc, o.path, 'replace');
        const parts = pointer(o.path);
        if (!parts.length) {
          doc = cloneJson(o.value);
          break;
        }
        const [parent, last] = container(doc, parts, 'replace', o.path);
        if (Array.isArray(parent)) parent[Number(last)] = cloneJson(o.value);
        else (parent as KObj)[last] = cloneJson(o.value);
        break;
      }
      case 'move': {
        const v = get(doc, o.from ?? '', 'move');
        doc = remove(doc, o.from ?? '', 'move');
        doc = add(doc, o.path, v, 'move');
        break;
      }
      case 'copy':
        doc = add(doc, o.path, cloneJson(get(doc, o.from ?? '', 'copy')), 'copy');
        break;
      case 'test':
        if (JSON.stringify(get(doc, o.path, 'test')) !== JSON.stringify(o.value)) {
          throw new StatusError('Invalid', `testing value ${o.path} failed: test failed`);
        }
        break;
      default:
        throw new StatusError('BadRequest', `Unexpected kind: ${o.op}`);
    }
  }
  return doc as KObj;
}
