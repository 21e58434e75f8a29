// Schema layer of validation: ajv validators compiled at build time (bin/dist/validators/, one file
// per kind, each loaded when an object of its kind is first validated), with the API server's
// strict-decoding texts: unknown fields, Go unmarshal type errors.
// With validation off, unknown fields are dropped as the server's non-strict decoding does.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { KObj } from '../types.js';

interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | false;
  items?: SchemaNode;
  $ref?: string;
  'x-go'?: string;
}

type Validate = (o: unknown) => boolean;

interface Validators {
  dir: string;
  /** kind (`apps/v1/Deployment`) → its schema model and its validator's file */
  kinds: Record<string, [string, string]>;
  loaded: Map<string, Validate>;
  definitions?: Record<string, SchemaNode>;
}

declare const __dirname: string | undefined;
let loaded: Validators | undefined;

function findValidators(): string {
  const candidates: string[] = [];
  if (typeof __dirname === 'string') candidates.push(join(__dirname, 'validators'));
  let dir = process.cwd();
  for (let i = 0; i < 6; i++) {
    candidates.push(join(dir, 'bin', 'dist', 'validators'));
    dir = dirname(dir);
  }
  const found = candidates.find((c) => existsSync(join(c, 'kinds.json')));
  if (!found) throw new Error('schema validators are missing: run `npm run build`');
  return found;
}

function load(): Validators {
  if (!loaded) {
    const dir = findValidators();
    loaded = { dir, kinds: JSON.parse(readFileSync(join(dir, 'kinds.json'), 'utf8')) as Validators['kinds'], loaded: new Map() };
  }
  return loaded;
}

/** The schema model of a kind (`apps/v1/Deployment`), undefined for a kind without a schema. */
function modelOf(v: Validators, kindKey: string): string | undefined {
  return Object.hasOwn(v.kinds, kindKey) ? v.kinds[kindKey][0] : undefined;
}

/** A kind's validator, loaded on first use (through the launcher's code cache when bundled). */
function validatorOf(v: Validators, kindKey: string): Validate {
  let f = v.loaded.get(kindKey);
  if (!f) {
    const file = join(v.dir, v.kinds[kindKey][1]);
    const req = typeof require === 'function' ? require : createRequire(file);
    v.loaded.set(kindKey, (f = (req(file) as { validate: Validate }).validate));
  }
  return f;
}

/** The schema's definitions (read when a walk needs them: an invalid object, pruning, decode texts). */
function definitions(v: Validators): Record<string, SchemaNode> {
  return (v.definitions ??= JSON.parse(readFileSync(join(v.dir, 'definitions.json'), 'utf8')) as Record<string, SchemaNode>);
}

/** Go's JSON value kinds, as encoding/json names them in UnmarshalTypeError. */
function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'number' : `number ${v}`;
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  return 'object';
}

function typeOk(v: unknown, type: string | string[] | undefined): boolean {
  if (type === undefined) return true;
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => {
    switch (t) {
      case 'string':
        return typeof v === 'string';
      case 'integer':
        return typeof v === 'number' && Number.isInteger(v);
      case 'number':
        return typeof v === 'number';
      case 'boolean':
        return typeof v === 'boolean';
      case 'array':
        return Array.isArray(v);
      case 'object':
        return typeof v === 'object' && v !== null && !Array.isArray(v);
      default:
        return true;
    }
  });
}

interface Walk {
  defs: Record<string, SchemaNode>;
  unknown: string[];
  typeError?: string;
  /** the first mismatch: the value and the Go type it could not go into */
  mismatch?: { value: unknown; node: SchemaNode; goType: string };
  prune: boolean;
}

function resolve(node: SchemaNode, defs: Record<string, SchemaNode>): SchemaNode {
  return node.$ref ? defs[node.$ref.slice('#/definitions/'.length)] ?? {} : node;
}

const goStruct = (n: SchemaNode) => (n['x-go'] ?? '').replace(/^\w+\./, '');

/** Walks `value` against `node`: records unknown fields (path with indexes) and the first type error. */
function walk(w: Walk, value: unknown, node: SchemaNode, path: string, goPath: string, struct: string, goType: string): void {
  if (w.typeError) return;
  const n = resolve(node, w.defs);
  if (!typeOk(value, n.type)) {
    w.typeError = `json: cannot unmarshal ${jsonKind(value)} into Go struct field ${struct}.${goPath} of type ${goType.replace(/^int(32|64)$/, 'int$1')}`;
    w.mismatch = { value, node: n, goType };
    return;
  }
  if (Array.isArray(value) && n.items) {
    value.forEach((v, i) => walk(w, v, n.items!, `${path}[${i}]`, goPath, struct, n.items!['x-go'] ?? ''));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const obj = value as KObj;
  if (n.properties) {
    const name = goStruct(n);
    for (const key of Object.keys(obj)) {
      const child = n.properties[key];
      const childPath = path ? `${path}.${key}` : key;
      const childGo = goPath ? `${goPath}.${key}` : key;
      if (!child) {
        w.unknown.push(childPath);
        if (w.prune) delete obj[key];
        continue;
      }
      walk(w, obj[key], child, childPath, childGo, name, child['x-go'] ?? '');
    }
  } else if (n.additionalProperties && typeof n.additionalProperties === 'object') {
    for (const key of Object.keys(obj)) {
      const ap = n.additionalProperties;
      walk(w, obj[key], ap, `${path}.${key}`, goPath, struct, ap['x-go'] ?? '');
    }
  }
}

/** A copy without null map values (arrays keep theirs); iterative, as manifests may nest 10,000 deep. */
function stripNulls(v: unknown): unknown {
  const copy = (x: unknown): unknown => (Array.isArray(x) ? [...x] : x && typeof x === 'object' ? { ...x } : x);
  const root = copy(v);
  const stack: unknown[] = root && typeof root === 'object' ? [root] : [];
  while (stack.length) {
    const cur = stack.pop() as KObj | unknown[];
    if (Array.isArray(cur)) {
      for (let i = 0; i < cur.length; i++) {
        cur[i] = copy(cur[i]);
        if (cur[i] && typeof cur[i] === 'object') stack.push(cur[i]);
      }
      continue;
    }
    for (const k of Object.keys(cur)) {
      if (cur[k] === null) {
        delete cur[k];
        continue;
      }
      cur[k] = copy(cur[k]);
      if (typeof cur[k] === 'object') stack.push(cur[k]);
    }
  }
  return root;
}

/**
 * Checks an object against its kind's schema. `error` is the server's message after
 * `error when creating "<file>": ` (a BadRequest). Kinds without a schema pass through.
 */
export function schemaCheck(input: KObj, opts: { validate: boolean }): { obj: KObj; error?: string; warnings?: string[] } {
  const obj = stripNulls(input) as KObj;
  const v = load();
  const kindKey = `${obj.apiVersion}/${obj.kind}`;
  const model = modelOf(v, kindKey);
  if (!model) return { obj };
  if (opts.validate && validatorOf(v, kindKey)(obj)) return { obj };
  const defs = definitions(v);
  const w: Walk = { defs, unknown: [], prune: !opts.validate };
  walk(w, obj, { $ref: `#/definitions/${model}` }, '', '', goStruct(defs[model]), '');
  const version = String(obj.apiVersion).split('/').pop();
  const head = `${obj.kind} in version "${version}" cannot be handled as a ${obj.kind}: `;
  if (w.typeError) return { obj, error: `${head}${w.typeError}` };
  if (opts.validate && w.unknown.length) {
    return { obj, error: `${head}strict decoding error: ${w.unknown.map((u) => `unknown field "${u}"`).join(', ')}`, warnings: w.unknown.map((u) => `unknown field "${u}"`) };
  }
  return { obj };
}

const META_STRINGS = new Set(['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp']);
const META_INTS = new Set(['generation', 'deletionGracePeriodSeconds']);

function plainMetadata(m: KObj): boolean {
  return Object.entries(m).every(([k, v]) => {
    if (v === null || META_STRINGS.has(k)) return v === null || typeof v === 'string';
    if (META_INTS.has(k)) return Number.isInteger(v);
    if (k === 'labels' || k === 'annotations') return typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
    if (k === 'finalizers') return Array.isArray(v) && v.every((x) => typeof x === 'string');
    return !['ownerReferences', 'managedFields'].includes(k);
  });
}

/** The client's decoding error for a manifest's metadata (`… Go struct field ObjectMeta.metadata.name …`). */
export function metadataDecodeError(meta: KObj): string | undefined {
  if (plainMetadata(meta)) return undefined;
  const w: Walk = { defs: definitions(load()), unknown: [], prune: false };
  walk(w, stripNulls(meta), { $ref: '#/definitions/V1ObjectMeta' }, 'metadata', 'metadata', 'ObjectMeta', 'v1.ObjectMeta');
  return w.typeError;
}

/** Go's name of the type an unstructured value has (`int64`, `map[string]interface {}`…) and its reflect kind. */
function unstructuredType(v: unknown): [string, string] {
  if (Array.isArray(v)) return ['[]interface {}', 'slice'];
  if (typeof v === 'number') return Number.isInteger(v) ? ['int64', 'int64'] : ['float64', 'float64'];
  if (typeof v === 'boolean') return ['bool', 'bool'];
  if (typeof v === 'string') return ['string', 'string'];
  return ['map[string]interface {}', 'map'];
}

/** The unstructured converter's text for a mismatch (what a strategic merge patch result fails with). */
function converterError(m: NonNullable<Walk['mismatch']>): string {
  const [type, kind] = unstructuredType(m.value);
  const types = Array.isArray(m.node.type) ? m.node.type : [m.node.type];
  if (types.includes('object')) return m.goType.startsWith('map[') ? `cannot restore map from ${kind}` : `cannot restore struct from: ${kind}`;
  if (types.includes('array')) return `cannot restore slice from ${kind}`;
  return `cannot convert ${type} to ${m.goType || 'string'}`;
}

/**
 * How decoding a whole object (a patch's result) into its kind's Go type fails, or undefined: the
 * JSON decoder's text (json and merge patches) and the unstructured converter's (strategic).
 */
export function decodeFailure(obj: KObj): { json: string; converter: string } | undefined {
  const v = load();
  const model = modelOf(v, `${obj.apiVersion}/${obj.kind}`);
  if (!model) return undefined;
  const defs = definitions(v);
  const w: Walk = { defs, unknown: [], prune: false };
  walk(w, stripNulls(obj), { $ref: `#/definitions/${model}` }, '', '', goStruct(defs[model]), '');
  if (!w.typeError || !w.mismatch) return undefined;
  return { json: w.typeError, converter: converterError(w.mismatch) };
}

/** Drops the fields the kind's Go type lacks, as a non-strict decode does; returns their paths. */
export function pruneUnknownFields(obj: KObj): string[] {
  const v = load();
  const model = modelOf(v, `${obj.apiVersion}/${obj.kind}`);
  if (!model) return [];
  const defs = definitions(v);
  const w: Walk = { defs, unknown: [], prune: true };
  walk(w, obj, { $ref: `#/definitions/${model}` }, '', '', goStruct(defs[model]), '');
  return w.unknown;
}
