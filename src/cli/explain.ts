// kubectl explain TYPE[.FIELD…] [--recursive] [--api-version=GROUP/VERSION] [-o plaintext]
// The OpenAPI the server would serve comes from schemas/kubernetes.json and schemas/descriptions.json,
// read only here (and only when explain runs); the registry's resource names resolve TYPE, and kinds
// the schemas know but the registry does not serve yet resolve by their kubectl names.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CliError } from '../api/errors.js';
import { allResources } from '../api/registry.js';
import type { ExplainSchema } from '../printers/explain.js';
import { bool, parseFlags, str } from './flags.js';
import type { IO } from './io.js';

interface JsonNode {
  type?: string | string[];
  properties?: Record<string, JsonNode>;
  additionalProperties?: JsonNode | false;
  items?: JsonNode;
  $ref?: string;
  'x-go'?: string;
  'x-enum'?: string[];
  'x-required'?: string[];
}

interface Schemas {
  kinds: Record<string, string>;
  definitions: Record<string, JsonNode>;
}

type Descriptions = Record<string, Record<string, string>>;

interface Resource {
  kind: string;
  group: string;
  version: string;
  plural: string;
  singular: string;
  shortNames: string[];
}

/** kubectl's short names of kinds the schemas know and the registry may not serve yet. */
const SHORT_NAMES: Record<string, string[]> = {
  Endpoints: ['ep'],
  PersistentVolume: ['pv'],
  PersistentVolumeClaim: ['pvc'],
  LimitRange: ['limits'],
  ResourceQuota: ['quota'],
  Deployment: ['deploy'],
  ReplicaSet: ['rs'],
  StatefulSet: ['sts'],
  DaemonSet: ['ds'],
  CronJob: ['cj'],
  Ingress: ['ing'],
  NetworkPolicy: ['netpol'],
  HorizontalPodAutoscaler: ['hpa'],
  PodDisruptionBudget: ['pdb'],
  StorageClass: ['sc'],
};

const NO_ARGS = 'You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.';

declare const __dirname: string | undefined;

function schemasDir(): string {
  const candidates: string[] = [];
  if (typeof __dirname === 'string') candidates.push(join(__dirname, '..', '..', 'schemas'));
  let dir = process.cwd();
  for (let i = 0; i < 6; i++) {
    candidates.push(join(dir, 'schemas'));
    dir = dirname(dir);
  }
  const found = candidates.find((c) => existsSync(join(c, 'kubernetes.json')));
  if (!found) throw new Error('the API schemas (schemas/kubernetes.json) are missing');
  return found;
}

/** The resource name the API server guesses from a kind (meta.UnsafeGuessKindToResource). */
export function guessPlural(kind: string): string {
  const s = kind.toLowerCase();
  if (s.endsWith('endpoints')) return s;
  if (s.endsWith('s')) return `${s}es`;
  if (s.endsWith('y')) return `${s.slice(0, -1)}ies`;
  return `${s}s`;
}

/** The API as explain sees it: resources (registry first) and the schemas of their kinds. */
export class OpenAPI {
  readonly resources: Resource[];
  private readonly cache = new Map<string, ExplainSchema>();

  constructor(
    private readonly schemas: Schemas,
    private readonly docs: Descriptions,
  ) {
    this.resources = allResources().map((d) => ({ ...d }));
    for (const key of Object.keys(schemas.kinds)) {
      const parts = key.split('/');
      const kind = parts.pop()!;
      const version = parts.pop()!;
      const group = parts.join('/');
      if (this.resources.some((r) => r.kind === kind && r.group === group)) continue;
      this.resources.push({ kind, group, version, plural: guessPlural(kind), singular: kind.toLowerCase(), shortNames: SHORT_NAMES[kind] ?? [] });
    }
  }

  /** Every resource a name (plural, singular, short name or kind, any case) stands for. */
  resourcesFor(name: string): Resource[] {
    const n = name.toLowerCase();
    return this.resources.filter((r) => r.plural === n || r.singular === n || r.shortNames.includes(n));
  }

  hasGroupVersion(group: string, version: string): boolean {
    return this.resources.some((r) => r.group === group && r.version === version);
  }

  /** The definition key of a kind's schema, if the schemas have it. */
  kindSchema(group: string, version: string, kind: string): ExplainSchema | undefined {
    const model = this.schemas.kinds[`${group ? `${group}/` : ''}${version}/${kind}`];
    return model ? this.resolve(model) : undefined;
  }

  private convert(n: JsonNode, description?: string): ExplainSchema {
    const go = n['x-go'] ?? '';
    if (n.$ref) return { ref: n.$ref.slice(n.$ref.lastIndexOf('/') + 1), description };
    if (this.docs[go] && !this.cache.has(go)) {
      // A named scalar (Time, Quantity, IntOrString, FieldsV1): typed as the API serves it.
      const type = Array.isArray(n.type) ? undefined : (n.type ?? 'object');
      this.cache.set(go, { name: go.slice(go.indexOf('.') + 1), type, description: this.docs[go][''] || undefined });
    }
    if (this.docs[go]) return { ref: go, description };
    if (n.items) return { type: 'array', items: this.convert(n.items), description };
    if (n.additionalProperties) return { type: 'object', additionalProperties: this.convert(n.additionalProperties), description };
    return { type: Array.isArray(n.type) ? undefined : n.type, description, enum: n['x-enum'] };
  }

  readonly resolve = (key: string): ExplainSchema | undefined => {
    const cached = this.cache.get(key);
    if (cached) return cached;
    const def = this.schemas.definitions[key];
    if (!def) return undefined;
    const docs = this.docs[key] ?? {};
    const go = def['x-go'] ?? key;
    const properties: Record<string, ExplainSchema> = {};
    for (const [name, prop] of Object.entries(def.properties ?? {})) properties[name] = this.convert(prop, docs[name] || undefined);
    const schema: ExplainSchema = { name: go.slice(go.indexOf('.') + 1), type: 'object', description: docs[''] || undefined, properties, required: def['x-required'] };
    this.cache.set(key, schema);
    return schema;
  };
}

let loaded: OpenAPI | undefined;

export function openAPI(): OpenAPI {
  if (!loaded) {
    const dir = schemasDir();
    const read = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown;
    loaded = new OpenAPI(read('kubernetes.json') as Schemas, read('descriptions.json') as Descriptions);
  }
  return loaded;
}

/** The field names of `a.b.c` (jsonpath field nodes); anything else is kubectl's syntax error. */
function fieldNodes(path: string, what: string): string[] {
  const parts = path.replace(/\.$/, '').split('.');
  if (parts.some((p) => p === '' || /[[\]{}()*@$?'"]/.test(p))) throw new CliError(`invalid jsonpath syntax, ${what}`);
  return parts;
}

interface Target {
  resource: Resource;
  fieldPath: string[];
}

function noMatch(name: string): CliError {
  return new CliError(`the server doesn't have a resource type "${name}"`);
}

/** SplitAndParseResourceRequestWithMatchingPrefix: `deployments.apps.spec` picks the apps group. */
function targetWithPrefix(api: OpenAPI, arg: string): Target {
  const nodes = fieldNodes(arg, 'first node must be field node');
  const found = api.resourcesFor(nodes[0]);
  if (!found.length) throw noMatch(nodes[0]);
  for (const r of found) {
    const gr = r.group ? `${r.plural}.${r.group}` : r.plural;
    if (!arg.startsWith(gr)) continue;
    const suffix = arg.slice(gr.length).replace(/^\./, '');
    return { resource: r, fieldPath: suffix ? fieldNodes(suffix, 'first node must be field node') : [] };
  }
  return { resource: found[0], fieldPath: nodes.slice(1) };
}

/** SplitAndParseResourceRequest (with --api-version): the first name is the resource, the rest fields. */
function targetPlain(api: OpenAPI, arg: string): Target {
  const nodes = fieldNodes(arg, 'all nodes must be field nodes');
  const found = api.resourcesFor(nodes[0]);
  if (!found.length) throw noMatch(nodes[0]);
  return { resource: found[0], fieldPath: nodes.slice(1) };
}

/** schema.ParseGroupVersion. */
function parseGroupVersion(gv: string): { group: string; version: string } {
  if (gv === '' || gv === '/') return { group: '', version: '' };
  const parts = gv.split('/');
  if (parts.length === 1) return { group: '', version: gv };
  if (parts.length === 2) return { group: parts[0], version: parts[1] };
  throw new CliError(`unexpected GroupVersion string: ${gv}`);
}

export default async function explain(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(
    argv,
    [
      { name: 'recursive', type: 'bool', default: false },
      { name: 'api-version', type: 'string', default: '' },
      { name: 'output', short: 'o', type: 'string', default: 'plaintext' },
    ],
    'explain',
  );
  if (p.args.length === 0) throw new CliError(NO_ARGS);
  if (p.args.length > 1) throw new CliError('We accept only this format: explain RESOURCE');
  const api = openAPI();
  const apiVersion = str(p, 'api-version');
  const { resource, fieldPath } = apiVersion ? targetPlain(api, p.args[0]) : targetWithPrefix(api, p.args[0]);
  const format = str(p, 'output');
  // kubectl renders this one from OpenAPI v2 in the pre-1.27 layout, which kubesim does not have.
  if (format === 'plaintext-openapiv2') throw new CliError('--output=plaintext-openapiv2 is not supported by kubesim: use --output=plaintext');
  let { group, version } = resource;
  if (apiVersion) ({ group, version } = parseGroupVersion(apiVersion));
  const gvr = `${group}/${version}, Resource=${resource.plural}`;
  if (!api.hasGroupVersion(group, version)) throw new CliError(`couldn't find resource for "${gvr}"`);
  if (format !== 'plaintext') throw new CliError(`unrecognized format: ${format}`);
  const served = api.resources.find((r) => r.group === group && r.version === version && r.plural === resource.plural);
  if (!served) throw new CliError(`error: GVR (${gvr}) not found in OpenAPI schema`, 1, true);
  const schema = api.kindSchema(group, version, served.kind);
  if (!schema) throw new CliError(`error: GVK map[group:${group} kind:${served.kind} version:${version}] not found in OpenAPI schema`, 1, true);
  const { renderExplain } = await import('../printers/explain.js');
  const result = renderExplain({ group, version, kind: served.kind, schema, resolve: api.resolve, fieldPath, recursive: bool(p, 'recursive') });
  io.stdout.write(result.text);
  if (result.error) throw new CliError(result.error, 1, true);
  return 0;
}
