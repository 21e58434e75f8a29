// kustomize's configMapGenerator and secretGenerator: ConfigMaps and Secrets from literals, files
// and env files, named with the content hash suffix kustomize computes (api/hasher: sha256 of the
// JSON of kind, name, type and data — the name is looked up by a path kustomize never finds, so it
// hashes as "" — first ten hex digits with 0 1 3 a e mapped to g h k m t).
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { CliError } from '../../api/errors.js';
import type { KObj } from '../../api/types.js';
import { goJsonEscape } from '../../printers/json.js';

export interface GeneratorOptions {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  disableNameSuffixHash?: boolean;
  immutable?: boolean;
}

/** Go's json.Marshal of a map: keys sorted, HTML characters escaped. */
function goJson(v: unknown): string {
  const sortKeys = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sortKeys);
    if (x && typeof x === 'object') return Object.fromEntries(Object.keys(x as object).sort().map((k) => [k, sortKeys((x as KObj)[k])]));
    return x;
  };
  return goJsonEscape(JSON.stringify(sortKeys(v)));
}

function encode(hex: string): string {
  const map: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return hex.slice(0, 10).replace(/[013ae]/g, (c) => map[c]);
}

/** The suffix kustomize appends to a generated ConfigMap's or Secret's name. */
export function contentHash(obj: KObj): string {
  const m: KObj = { kind: obj.kind, name: '', data: obj.data ?? '' };
  if (obj.kind === 'ConfigMap' && obj.binaryData && typeof obj.binaryData === 'object') m.binaryData = obj.binaryData;
  if (obj.kind === 'Secret') m.type = obj.type ?? '';
  return encode(createHash('sha256').update(goJson(m)).digest('hex'));
}

/** `KEY=VALUE` of a literal (quotes around the value removed) or of an env file line (kept). */
function keyValue(text: string, where: string, unquote = true): [string, string] {
  const eq = text.indexOf('=');
  if (eq < 0) throw new CliError(`invalid literal source ${text}, expected key=value`);
  const key = text.slice(0, eq);
  let value = text.slice(eq + 1);
  if (unquote && value.length >= 2 && ((value[0] === '"' && value.at(-1) === '"') || (value[0] === "'" && value.at(-1) === "'"))) value = value.slice(1, -1);
  if (!key) throw new CliError(`invalid literal source ${text}, expected key=value${where}`);
  return [key, value];
}

function readSource(dir: string, path: string): Buffer {
  const full = resolve(dir, path);
  try {
    if (statSync(full).isDirectory()) throw new CliError(`file sources: [${path}]: not a file`);
    return readFileSync(full);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`evalsymlink failure on '${full}' : lstat ${full}: no such file or directory`);
  }
}

function envLines(dir: string, path: string): [string, string][] {
  const out: [string, string][] = [];
  for (const raw of readSource(dir, path).toString('utf8').split('\n')) {
    const line = raw.replace(/\r$/, '').trimStart();
    if (!line || line.startsWith('#')) continue;
    if (!line.includes('=')) {
      // a bare name takes its value from kustomize's own environment; none here
      continue;
    }
    out.push(keyValue(line, '', false));
  }
  return out;
}

/** One generator entry (configMapGenerator or secretGenerator item) as the object it makes. */
export function generate(kind: 'ConfigMap' | 'Secret', args: KObj, dir: string, global: GeneratorOptions): { obj: KObj; hash: boolean; behavior: string } {
  if (!args?.name) throw new CliError(`a configmap must have a name`);
  const entries: [string, string | Buffer][] = [];
  for (const env of [...(args.envs ?? []), ...(args.env ? [args.env] : [])]) entries.push(...envLines(dir, String(env)));
  for (const f of args.files ?? []) {
    const spec = String(f);
    const eq = spec.indexOf('=');
    const [key, path] = eq >= 0 ? [spec.slice(0, eq), spec.slice(eq + 1)] : [basename(spec), spec];
    entries.push([key, readSource(dir, path)]);
  }
  for (const l of args.literals ?? []) entries.push(keyValue(String(l), ''));
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  for (const [k, v] of entries) {
    if (k in data || k in binaryData) {
      throw new CliError(`configmap ${args.name} illegally repeats the key \`${k}\``);
    }
    if (kind === 'Secret') data[k] = Buffer.from(v).toString('base64');
    else if (typeof v !== 'string' && !isUtf8(v)) binaryData[k] = v.toString('base64');
    else data[k] = v.toString();
  }
  const opts: GeneratorOptions = { ...global, ...(args.options ?? {}) };
  const metadata: KObj = { name: args.name };
  if (args.namespace) metadata.namespace = args.namespace;
  const labels = { ...(global.labels ?? {}), ...(args.options?.labels ?? {}) };
  const annotations = { ...(global.annotations ?? {}), ...(args.options?.annotations ?? {}) };
  if (Object.keys(labels).length) metadata.labels = labels;
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  const obj: KObj = { apiVersion: 'v1', kind, metadata };
  if (Object.keys(data).length || !Object.keys(binaryData).length) obj.data = data;
  if (Object.keys(binaryData).length) obj.binaryData = binaryData;
  if (kind === 'Secret') obj.type = args.type ?? 'Opaque';
  if (opts.immutable) obj.immutable = true;
  return { obj, hash: !opts.disableNameSuffixHash, behavior: args.behavior ?? 'create' };
}

function isUtf8(b: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}
