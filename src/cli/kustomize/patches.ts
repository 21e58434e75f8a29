// kustomize's patch transformers: patchesStrategicMerge, patches (strategic or JSON 6902, with or
// without a target) and patchesJson6902, matched against the resources by kind and name.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CliError } from '../../api/errors.js';
import { GO_YAML_OPTIONS, resolvePlainScalars } from '../../api/goyaml.js';
import { applyJsonPatch, strategicMergePatch } from '../../api/patch/index.js';
import { parseLabelSelector } from '../../api/selectors.js';
import type { KObj } from '../../api/types.js';
import { resId, type Res } from './transformers.js';

function yamlValues(text: string): unknown[] {
  const out: unknown[] = [];
  for (const doc of parseAllDocuments(text, GO_YAML_OPTIONS)) {
    if (doc.errors.length) throw new CliError(`trouble configuring builtin PatchTransformer with config: ${doc.errors[0].message}`);
    resolvePlainScalars(doc);
    const v = doc.toJS();
    if (v !== null && v !== undefined) out.push(v);
  }
  return out;
}

/** A patch given inline or as a file path (kustomize accepts both in the same field). */
function patchText(entry: unknown, dir: string): string {
  if (typeof entry !== 'string') return JSON.stringify(entry);
  const file = resolve(dir, entry);
  if (!entry.includes('\n') && existsSync(file)) return readFileSync(file, 'utf8');
  return entry;
}

function group(obj: KObj): string {
  const av = String(obj.apiVersion ?? '');
  return av.includes('/') ? av.slice(0, av.indexOf('/')) : '';
}

function nameMatches(r: Res, name: unknown): boolean {
  if (name === undefined) return true;
  const re = new RegExp(`^(?:${String(name)})$`);
  return re.test(r.origName) || re.test(r.obj.metadata?.name);
}

function selected(items: Res[], target: KObj): Res[] {
  return items.filter((r) => {
    const o = r.obj;
    if (target.kind !== undefined && !new RegExp(`^(?:${target.kind})$`).test(o.kind)) return false;
    if (target.group !== undefined && target.group !== group(o)) return false;
    if (target.version !== undefined && !String(o.apiVersion).endsWith(String(target.version))) return false;
    if (target.namespace !== undefined && (o.metadata?.namespace ?? '') !== target.namespace) return false;
    if (!nameMatches(r, target.name)) return false;
    if (target.labelSelector && !parseLabelSelector(String(target.labelSelector)).matches(o.metadata?.labels ?? {})) return false;
    if (target.annotationSelector && !parseLabelSelector(String(target.annotationSelector)).matches(o.metadata?.annotations ?? {})) return false;
    return true;
  });
}

function strategic(items: Res[], patch: KObj, target?: KObj, viaPatches = false): void {
  const hits = target ? selected(items, target) : selected(items, { kind: patch.kind, name: patch.metadata?.name });
  if (!hits.length) {
    const id = resId(patch);
    const why = `no matches for Id ${id}; failed to find unique target for patch ${id}`;
    throw new CliError(viaPatches ? `no resource matches strategic merge patch "${id}": ${why}` : why);
  }
  for (const r of hits) {
    const body = structuredClone(patch);
    if (target) {
      // a targeted patch keeps the target's own identity
      body.metadata = { ...(body.metadata ?? {}), name: r.obj.metadata.name };
      if (r.obj.metadata.namespace) body.metadata.namespace = r.obj.metadata.namespace;
    }
    r.obj = strategicMergePatch(r.obj, body, r.obj.kind);
  }
}

function json6902(items: Res[], ops: unknown, target: KObj): void {
  const hits = selected(items, target ?? {});
  if (!hits.length) throw new CliError(`no matches for Id ${target?.kind}.${target?.version ?? ''}.${target?.group || '[noGrp]'}/${target?.name}.${target?.namespace ?? '[noNs]'}; failed to find unique target for patch`);
  for (const r of hits) r.obj = applyJsonPatch(r.obj, ops);
}

/** Runs a kustomization's patches over its resources, as its patch transformers do. */
export function applyPatches(items: Res[], k: KObj, dir: string): Res[] {
  for (const entry of k.patchesStrategicMerge ?? []) {
    for (const p of yamlValues(patchText(entry, dir))) strategic(items, p as KObj);
  }
  for (const p of k.patches ?? []) {
    const text = p?.path ? patchText(String(p.path), dir) : String(p?.patch ?? '');
    for (const v of yamlValues(text)) {
      if (Array.isArray(v)) json6902(items, v, p?.target ?? {});
      else strategic(items, v as KObj, p?.target, true);
    }
  }
  for (const p of k.patchesJson6902 ?? []) {
    const text = p?.path ? patchText(String(p.path), dir) : String(p?.patch ?? '');
    const ops = yamlValues(text)[0];
    json6902(items, ops, p?.target ?? {});
  }
  return items;
}
