// npm run schemas: generates schemas/kubernetes.json (JSON Schema definitions, strict about unknown
// fields) and schemas/descriptions.json (field docs, for `kubectl explain`) from the model metadata
// and doc comments of @kubernetes/client-node, for the kinds kubesim serves now and soon. What
// client-node drops (whole descriptions, enum values, Quantity/FieldsV1 fields) comes from the
// kubernetes-models docs (k8s-docs.mjs). Annotations that the validators ignore and explain reads:
// `x-required` (a definition's required fields) and `x-enum` (a string field's allowed values).
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { createDocs, literalUnion } from './k8s-docs.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'package.json'));
const pkgDir = dirname(require.resolve('@kubernetes/client-node/package.json'));
const modelsDir = join(pkgDir, 'dist', 'gen', 'models');
const pkgVersion = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
const docsVersion = JSON.parse(readFileSync(require.resolve('kubernetes-models/package.json'), 'utf8')).version;

export const KINDS = {
  'v1/Pod': 'V1Pod',
  'v1/Namespace': 'V1Namespace',
  'v1/Node': 'V1Node',
  'v1/Event': 'CoreV1Event',
  'v1/Service': 'V1Service',
  'v1/ConfigMap': 'V1ConfigMap',
  'v1/Secret': 'V1Secret',
  'v1/ServiceAccount': 'V1ServiceAccount',
  'v1/Endpoints': 'V1Endpoints',
  'v1/PersistentVolume': 'V1PersistentVolume',
  'v1/PersistentVolumeClaim': 'V1PersistentVolumeClaim',
  'v1/LimitRange': 'V1LimitRange',
  'v1/ResourceQuota': 'V1ResourceQuota',
  'apps/v1/Deployment': 'V1Deployment',
  'apps/v1/ReplicaSet': 'V1ReplicaSet',
  'apps/v1/StatefulSet': 'V1StatefulSet',
  'apps/v1/DaemonSet': 'V1DaemonSet',
  'apps/v1/ControllerRevision': 'V1ControllerRevision',
  'discovery.k8s.io/v1/EndpointSlice': 'V1EndpointSlice',
  'batch/v1/Job': 'V1Job',
  'batch/v1/CronJob': 'V1CronJob',
  'networking.k8s.io/v1/Ingress': 'V1Ingress',
  'networking.k8s.io/v1/NetworkPolicy': 'V1NetworkPolicy',
  'autoscaling/v2/HorizontalPodAutoscaler': 'V2HorizontalPodAutoscaler',
  'rbac.authorization.k8s.io/v1/Role': 'V1Role',
  'rbac.authorization.k8s.io/v1/RoleBinding': 'V1RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRole': 'V1ClusterRole',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': 'V1ClusterRoleBinding',
  'policy/v1/PodDisruptionBudget': 'V1PodDisruptionBudget',
  'storage.k8s.io/v1/StorageClass': 'V1StorageClass',
};

/** Resource maps hold Quantities, which decode from strings and numbers alike. */
const QUANTITY_MAPS = new Set(['limits', 'requests', 'capacity', 'allocatable', 'hard', 'used', 'overhead', 'min', 'max', 'default', 'defaultRequest', 'maxLimitRequestRatio']);

const AVAILABLE = new Set(readdirSync(modelsDir).filter((f) => f.endsWith('.js')).map((f) => f.slice(0, -3)));

function goName(model) {
  return model.replace(/^(?:[A-Z][a-z]+)*V\d+(?:alpha\d+|beta\d+)?(?=[A-Z])/, '');
}

function typeSchema(type, format, field, refs) {
  if (type === 'string') return format === 'int-or-string' ? { type: ['integer', 'string'], 'x-go': 'intstr.IntOrString' } : { type: 'string', 'x-go': format === 'byte' ? '[]uint8' : 'string' };
  if (type === 'number') {
    if (format === 'int32' || format === 'int64') return { type: 'integer', 'x-go': format };
    return { type: 'number', 'x-go': 'float64' };
  }
  if (type === 'boolean') return { type: 'boolean', 'x-go': 'bool' };
  if (type === 'Date') return { type: 'string', 'x-go': 'v1.Time' };
  if (type === 'any' || type === 'object') return { 'x-go': 'interface {}' };
  if (type === 'IntOrString') return { type: ['integer', 'string'], 'x-go': 'intstr.IntOrString' };
  let m = /^Array<(.+)>$/.exec(type);
  if (m) {
    const items = typeSchema(m[1], format === 'int-or-string' ? format : '', field, refs);
    return { type: 'array', items, 'x-go': `[]${items['x-go']}` };
  }
  m = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (m) {
    if (m[1] === 'string' && QUANTITY_MAPS.has(field)) return { type: 'object', additionalProperties: { type: ['string', 'number'], 'x-go': 'resource.Quantity' }, 'x-go': 'v1.ResourceList' };
    const value = typeSchema(m[1], '', field, refs);
    return { type: 'object', additionalProperties: value, 'x-go': `map[string]${value['x-go']}` };
  }
  if (type === 'V1MicroTime') return { type: 'string', 'x-go': 'v1.MicroTime' };
  if (!AVAILABLE.has(type)) return { 'x-go': 'interface {}' };
  refs.add(type);
  return { $ref: `#/definitions/${type}`, 'x-go': `v1.${goName(type)}` };
}

async function loadModel(name) {
  return (await import(pathToFileURL(join(modelsDir, `${name}.js`)).href))[name];
}

/** Doc comments of a model (the class comment and each property's) and its required fields, from its .d.ts. */
function docsOf(name) {
  const text = readFileSync(join(modelsDir, `${name}.d.ts`), 'utf8');
  const clean = (c) => c.replace(/^\s*\*\s?/gm, '').replace(/\\'/g, "'").replace(/\\"/g, '"').trim();
  const out = {};
  const cls = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export declare class/.exec(text);
  if (cls) out[''] = clean(cls[1]);
  for (const m of text.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*'([^']+)'\??:/g)) out[m[2]] = clean(m[1]);
  const required = [...text.matchAll(/^ {4}'([^']+)':/gm)].map((m) => m[1]);
  return { docs: out, required };
}

const QUANTITY = { type: ['string', 'number'], 'x-go': 'resource.Quantity' };

/**
 * Walks the kinds in client-node's and kubernetes-models' trees side by side: takes the whole
 * descriptions, the enum values, and the named scalar types (Quantity, FieldsV1) client-node types
 * as plain strings or `any`. Returns how many definitions had no kubernetes-models counterpart.
 */
function enrich(definitions, descriptions) {
  const docs = createDocs(require);
  const fileOf = new Map();
  const queue = [];
  for (const [kind, model] of Object.entries(KINDS)) {
    const file = docs.kindFile(kind);
    if (file && !fileOf.has(model)) {
      fileOf.set(model, file);
      queue.push(model);
    }
  }
  while (queue.length) {
    const name = queue.shift();
    const parsed = docs.parse(fileOf.get(name));
    const desc = descriptions[name];
    if (parsed.description) desc[''] = parsed.description;
    for (const [field, schema] of Object.entries(definitions[name].properties)) {
      const km = parsed.props[field];
      if (!km) continue;
      if (km.doc) desc[field] = km.doc;
      const array = /^Array<(.*)>$/.exec(km.type);
      const values = field === 'apiVersion' || field === 'kind' ? undefined : literalUnion(array ? array[1] : km.type);
      if (values && (array ? schema.items : schema).type === 'string') (array ? schema.items : schema)['x-enum'] = values;
      const targets = docs.refs(parsed, km.type);
      if (targets.length !== 1) continue;
      const node = schema.items ?? schema.additionalProperties ?? schema;
      if (node.$ref) {
        const model = node.$ref.slice('#/definitions/'.length);
        if (!fileOf.has(model)) {
          fileOf.set(model, targets[0]);
          queue.push(model);
        }
        continue;
      }
      const go = docs.goName(targets[0]);
      if (go === 'resource.Quantity' && node['x-go'] === 'string') {
        if (node === schema) definitions[name].properties[field] = { ...QUANTITY };
        else Object.assign(schema, { additionalProperties: { ...QUANTITY }, 'x-go': 'v1.ResourceList' });
      } else if (node['x-go'] === 'interface {}') node['x-go'] = go;
      descriptions[go] ??= { '': docs.parse(targets[0]).description ?? docs.fallbackDescription(go.split('.')[1]) ?? '' };
    }
  }
  return Object.keys(definitions).filter((d) => !fileOf.has(d)).length;
}

export async function generate() {
  const definitions = {};
  const descriptions = {};
  const queue = [...new Set(Object.values(KINDS))];
  while (queue.length) {
    const name = queue.shift();
    if (definitions[name] || !AVAILABLE.has(name)) continue;
    const model = await loadModel(name);
    const refs = new Set();
    const properties = {};
    for (const a of model.attributeTypeMap) properties[a.baseName] = typeSchema(a.type, a.format, a.baseName, refs);
    const { docs, required } = docsOf(name);
    definitions[name] = { type: 'object', properties, additionalProperties: false, 'x-go': `v1.${goName(name)}` };
    if (required.length) definitions[name]['x-required'] = required;
    descriptions[name] = docs;
    for (const r of refs) if (!definitions[r]) queue.push(r);
  }
  const unmatched = enrich(definitions, descriptions);
  const schema = {
    $id: 'kubernetes',
    description: `Kubernetes object schemas generated from @kubernetes/client-node ${pkgVersion} (docs from kubernetes-models ${docsVersion}) by src/tools/gen-schemas.mjs`,
    kinds: KINDS,
    definitions: Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => (a < b ? -1 : 1))),
  };
  mkdirSync(join(root, 'schemas'), { recursive: true });
  writeFileSync(join(root, 'schemas', 'kubernetes.json'), `${JSON.stringify(schema, null, 1)}\n`);
  writeFileSync(join(root, 'schemas', 'descriptions.json'), `${JSON.stringify(descriptions, null, 1)}\n`);
  return { count: Object.keys(definitions).length, unmatched };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { count, unmatched } = await generate();
  process.stdout.write(`schemas: ${count} definitions written to schemas/ (${unmatched} without kubernetes-models docs)\n`);
}
