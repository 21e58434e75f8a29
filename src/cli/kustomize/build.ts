// `kubectl kustomize DIR` and `-k DIR`: kubectl's embedded kustomize (v5) rebuilt for the parts
// tutorials use — resources (files and bases), configMap/secret generators with their hash suffix,
// namespace, prefix/suffix, labels, annotations, images, replicas, strategic and JSON 6902 patches,
// name references, and kustomize's legacy output order. No well-kept JavaScript library does what
// kubectl's kustomize does (its hashes, ordering and error texts), so this is written here.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { CliError } from '../../api/errors.js';
import { GO_YAML_OPTIONS, resolvePlainScalars } from '../../api/goyaml.js';
import { parseManifests } from '../../api/manifest.js';
import type { KObj } from '../../api/types.js';
import { contentHash, generate, type GeneratorOptions } from './generators.js';
import { applyPatches } from './patches.js';
import { addAnnotations, addLabels, fixNameReferences, prefixSuffix, resId, setImages, setNamespace, setReplicas, type Res } from './transformers.js';

const FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

const FIELDS = new Set([
  'apiVersion', 'kind', 'metadata', 'openAPI', 'namePrefix', 'nameSuffix', 'namespace', 'commonLabels', 'labels',
  'commonAnnotations', 'patchesStrategicMerge', 'patchesJson6902', 'patches', 'images', 'imageTags', 'replacements',
  'replicas', 'vars', 'sortOptions', 'resources', 'components', 'crds', 'bases', 'configMapGenerator', 'secretGenerator',
  'helmGlobals', 'helmCharts', 'helmChartInflationGenerator', 'generatorOptions', 'configurations', 'generators',
  'transformers', 'validators', 'buildMetadata',
]);

const DEPRECATED: [string, string][] = [
  ['bases', "'bases' is deprecated. Please use 'resources' instead."],
  ['commonLabels', "'commonLabels' is deprecated. Please use 'labels' instead."],
  ['imageTags', "'imageTags' is deprecated. Please use 'images' instead."],
  ['patchesJson6902', "'patchesJson6902' is deprecated. Please use 'patches' instead."],
  ['patchesStrategicMerge', "'patchesStrategicMerge' is deprecated. Please use 'patches' instead."],
  ['vars', "'vars' is deprecated. Please use 'replacements' instead. [EXPERIMENTAL]"],
];


function parseYamlDocs(text: string, source: string): KObj[] {
  const out: KObj[] = [];
  for (const d of parseManifests(text, source, { validate: false })) {
    if (d.error) throw d.error;
    if (d.obj) out.push(d.obj);
  }
  return out;
}

function readKustomization(dir: string): { file: string; k: KObj } {
  for (const name of FILES) {
    const file = join(dir, name);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const doc = parseDocument(text, GO_YAML_OPTIONS);
    if (doc.errors.length) throw new CliError(`invalid Kustomization: ${doc.errors[0].message}`);
    resolvePlainScalars(doc);
    const k = (doc.toJS() ?? {}) as KObj;
    if (typeof k !== 'object' || Array.isArray(k)) throw new CliError('invalid Kustomization: json: cannot unmarshal array into Go value of type types.Kustomization');
    for (const key of Object.keys(k)) if (!FIELDS.has(key)) throw new CliError(`invalid Kustomization: json: unknown field "${key}"`);
    checkTypes(k);
    return { file, k };
  }
  throw new CliError(`unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${dir}'`);
}

/** Go's name for a JSON value's type in an unmarshal error. */
function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'bool' : typeof v;
}

function typeError(v: unknown, field: string, want: string): CliError {
  return new CliError(`invalid Kustomization: json: cannot unmarshal ${jsonType(v)} into Go struct field ${field} of type ${want}`);
}

/** The decoding errors of kustomize's typed Kustomization for the fields whose type users get wrong. */
function checkTypes(k: KObj): void {
  for (const f of ['namePrefix', 'nameSuffix', 'namespace']) {
    if (k[f] !== undefined && k[f] !== null && typeof k[f] !== 'string') throw typeError(k[f], `Kustomization.${f}`, 'string');
  }
  const stringMap = (m: unknown, field: string) => {
    if (m === undefined || m === null) return;
    if (typeof m !== 'object' || Array.isArray(m)) throw typeError(m, field, 'map[string]string');
    for (const v of Object.values(m as KObj)) if (typeof v !== 'string' && v !== null) throw typeError(v, field, 'string');
  };
  stringMap(k.commonLabels, 'Kustomization.commonLabels');
  stringMap(k.commonAnnotations, 'Kustomization.commonAnnotations');
  stringMap(k.generatorOptions?.labels, 'GeneratorOptions.generatorOptions.labels');
  stringMap(k.generatorOptions?.annotations, 'GeneratorOptions.generatorOptions.annotations');
  for (const gen of ['configMapGenerator', 'secretGenerator']) {
    for (const g of Array.isArray(k[gen]) ? k[gen] : []) {
      stringMap(g?.options?.labels, `GeneratorOptions.${gen}.options.labels`);
      stringMap(g?.options?.annotations, `GeneratorOptions.${gen}.options.annotations`);
    }
  }
}

function lstatError(path: string): string {
  return `evalsymlink failure on '${path}' : lstat ${path}: no such file or directory`;
}

/** A resource id seen twice (reported with the resource entry that brought it). */
class DuplicateId extends CliError {
  constructor(
    message: string,
    readonly from: string,
  ) {
    super(message);
  }
}

interface Ctx {
  warn(text: string): void;
  warned: Set<string>;
}

/** Builds one kustomization directory (recursively through its bases). */
function buildDir(dir: string, ctx: Ctx): Res[] {
  const { k } = readKustomization(dir);
  for (const [field, text] of DEPRECATED) {
    if (k[field] !== undefined && !ctx.warned.has(field)) {
      ctx.warned.add(field);
      ctx.warn(`# Warning: ${text} Run 'kustomize edit fix' to update your Kustomization automatically.\n`);
    }
  }
  let items: Res[] = [];
  const add = (r: Res, from: string) => {
    const id = resId(r.obj);
    if (items.some((x) => resId(x.obj) === id)) {
      throw new DuplicateId(`may not add resource with an already registered id: ${id}`, from);
    }
    items.push(r);
  };
  for (const entry of [...(k.bases ?? []), ...(k.resources ?? []), ...(k.components ?? [])]) {
    const rel = String(entry);
    if (/^(https?:\/\/|git@|github\.com\/)/.test(rel)) throw new CliError(`accumulating resources: kubesim cannot fetch remote resource '${rel}'`);
    const full = resolve(dir, rel);
    let isDir: boolean;
    try {
      isDir = statSync(full).isDirectory();
    } catch {
      throw new CliError(`accumulating resources: accumulation err='accumulating resources from '${rel}': ${lstatError(full)}': must build at directory: not a valid directory: ${lstatError(full)}`);
    }
    try {
      if (isDir) for (const r of buildDir(full, ctx)) add(r, rel);
      else {
        for (const obj of parseYamlDocs(readFileSync(full, 'utf8'), rel)) {
          if (obj.kind === 'List' && Array.isArray(obj.items)) for (const it of obj.items) add(res(it), rel);
          else add(res(obj), rel);
        }
      }
    } catch (e) {
      if (e instanceof DuplicateId) {
        const tail = isDir ? `` : `: must build at directory: '${full}': file is not directory`;
        throw new CliError(`accumulating resources: accumulation err='merging resources from '${rel}': ${e.message}'${tail}`);
      }
      throw e;
    }
  }
  // generators
  const global: GeneratorOptions = k.generatorOptions ?? {};
  for (const [kind, list] of [['ConfigMap', k.configMapGenerator], ['Secret', k.secretGenerator]] as const) {
    for (const args of list ?? []) {
      const g = generate(kind, args, dir, global);
      const existing = items.find((x) => x.obj.kind === kind && x.origName === g.obj.metadata.name);
      if (existing && g.behavior === 'merge') {
        existing.obj.data = { ...(existing.obj.data ?? {}), ...(g.obj.data ?? {}) };
        continue;
      }
      if (existing && g.behavior === 'replace') {
        existing.obj.data = g.obj.data;
        continue;
      }
      add({ obj: g.obj, origName: g.obj.metadata.name, hash: g.hash }, 'generator');
    }
  }
  // transformers, in kustomize's order
  items = applyPatches(items, k, dir);
  if (k.namespace) setNamespace(items, String(k.namespace));
  if (k.namePrefix || k.nameSuffix) prefixSuffix(items, String(k.namePrefix ?? ''), String(k.nameSuffix ?? ''));
  if (k.commonLabels) addLabels(items, stringMap(k.commonLabels), true, true);
  for (const l of k.labels ?? []) addLabels(items, stringMap(l?.pairs), Boolean(l?.includeSelectors), Boolean(l?.includeTemplates));
  if (k.commonAnnotations) addAnnotations(items, stringMap(k.commonAnnotations));
  if (k.images) setImages(items, k.images);
  if (k.replicas) setReplicas(items, k.replicas);
  return items;
}

function res(obj: KObj): Res {
  return { obj, origName: obj?.metadata?.name, origNamespace: obj?.metadata?.namespace };
}

function stringMap(m: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((m as Record<string, unknown>) ?? {})) out[k] = v === null ? '' : String(v);
  return out;
}

const ORDER_FIRST = [
  'Namespace', 'ResourceQuota', 'StorageClass', 'CustomResourceDefinition', 'ServiceAccount', 'PodSecurityPolicy', 'Role',
  'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ConfigMap', 'Secret', 'Endpoints', 'Service', 'LimitRange',
  'PriorityClass', 'PersistentVolume', 'PersistentVolumeClaim', 'Deployment', 'StatefulSet', 'CronJob', 'PodDisruptionBudget',
];
const ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

function rank(kind: string): number {
  const i = ORDER_FIRST.indexOf(kind);
  if (i >= 0) return i - ORDER_FIRST.length;
  const j = ORDER_LAST.indexOf(kind);
  return j >= 0 ? j + 1 : 0;
}

function gvkString(obj: KObj): string {
  const av = String(obj.apiVersion ?? '');
  const slash = av.indexOf('/');
  return [slash >= 0 ? av.slice(0, slash) : '~G', (slash >= 0 ? av.slice(slash + 1) : av) || '~V', obj.kind || '~K'].join('_');
}

/** kustomize's legacy order: kinds by their install order, then by gvk, namespace and name. */
function legacyOrder(a: KObj, b: KObj): number {
  const ra = rank(a.kind);
  const rb = rank(b.kind);
  if (ra !== rb) return ra - rb;
  const ga = gvkString(a);
  const gb = gvkString(b);
  if (ga !== gb) return ga < gb ? -1 : 1;
  const ka = `${a.metadata?.namespace ?? ''}|${a.metadata?.name ?? ''}`;
  const kb = `${b.metadata?.namespace ?? ''}|${b.metadata?.name ?? ''}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The objects a kustomization directory makes, in kustomize's output order. */
export function kustomizeBuild(cwd: string, dirArg: string, warn: (text: string) => void): KObj[] {
  const dir = resolve(cwd, dirArg);
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new CliError(`must build at directory: not a valid directory: evalsymlink failure on '${dirArg}' : lstat ${dir}: no such file or directory`);
  }
  const items = buildDir(realpathSync(dir), { warn, warned: new Set() });
  for (const r of items) if (r.hash) r.obj.metadata.name = `${r.obj.metadata.name}-${contentHash(r.obj)}`;
  fixNameReferences(items);
  return items.map((r) => r.obj).sort(legacyOrder);
}
