// /openapi/v3: the root (one document per group-version) and each group-version's document with its
// paths and operations. kubectl reads it to learn that the server validates fields itself (the PATCH
// operation's `fieldValidation` parameter, found by the operation's x-kubernetes-group-version-kind),
// so `apply`/`create -f` leave unknown-field checks to the server instead of downloading /openapi/v2.
// components.schemas hold the kinds' schemas with their field docs, from the same data as kubesim's own
// explain (cli/explain.ts over schemas/), so the real `kubectl explain` works; /openapi/v2 is the mux's 404.
import { createHash } from 'node:crypto';
import { allResources } from '../api/registry.js';
import type { KObj, ResourceDef } from '../api/types.js';
import { openAPI } from '../cli/explain.js';
import type { ExplainSchema } from '../printers/explain.js';
import { goJson } from '../printers/wire-json.js';
import { json, pageNotFound, type ApiRequest, type ApiResponse } from './http-types.js';

function groupVersions(): { key: string; group: string; version: string }[] {
  const seen = new Map<string, { key: string; group: string; version: string }>();
  for (const d of allResources()) {
    const key = d.group ? `apis/${d.group}/${d.version}` : 'api/v1';
    if (!seen.has(key)) seen.set(key, { key, group: d.group, version: d.version });
  }
  return [...seen.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
}

const QUERY = (name: string, description: string): KObj => ({ name, in: 'query', description, schema: { type: 'string', uniqueItems: true } });

const PARAMS = {
  dryRun: QUERY('dryRun', 'When present, indicates that modifications should not be persisted.'),
  fieldManager: QUERY('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
  fieldValidation: QUERY('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: Ignore, Warn, Strict.'),
};

function gvk(d: ResourceDef): KObj {
  return { 'x-kubernetes-group-version-kind': { group: d.group, version: d.version, kind: d.kind } };
}

function op(d: ResourceDef, action: string, id: string, params: KObj[] = []): KObj {
  return { operationId: id, parameters: params, responses: {}, 'x-kubernetes-action': action, ...gvk(d) };
}

function gvDocument(group: string, version: string): KObj {
  const prefix = group ? `/apis/${group}/${version}` : '/api/v1';
  const paths: KObj = {};
  for (const d of allResources().filter((x) => x.group === group && x.version === version)) {
    const id = `${d.kind}`;
    const collection = d.namespaced ? `${prefix}/namespaces/{namespace}/${d.plural}` : `${prefix}/${d.plural}`;
    const writes = [PARAMS.dryRun, PARAMS.fieldManager, PARAMS.fieldValidation];
    paths[collection] = { get: op(d, 'list', `list${id}`), post: op(d, 'post', `create${id}`, writes) };
    paths[`${collection}/{name}`] = {
      get: op(d, 'get', `read${id}`),
      put: op(d, 'put', `replace${id}`, writes),
      patch: op(d, 'patch', `patch${id}`, [...writes, QUERY('force', 'Force is going to "force" Apply requests.')]),
      delete: op(d, 'delete', `delete${id}`, [PARAMS.dryRun]),
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas: schemasOf(group, version) } };
}

/** A component's name: unique, and ending with the schema's short name (what kubectl explain shows). */
const componentName = (key: string, name: string | undefined) => `io.kubesim.${key.replace(/\./g, '_')}.${name ?? key}`;

/** The kinds of a group-version and every schema they reach, as OpenAPI v3 components. */
function schemasOf(group: string, version: string): KObj {
  const api = openAPI();
  const out: KObj = {};
  const pending: { key: string; schema: ExplainSchema; gvk?: KObj }[] = [];
  const ref = (key: string): string | undefined => {
    const target = api.resolve(key);
    if (!target) return undefined;
    const name = componentName(key, target.name);
    if (!(name in out)) {
      out[name] = {};
      pending.push({ key, schema: target });
    }
    return `#/components/schemas/${name}`;
  };
  const convert = (s: ExplainSchema): KObj => {
    if (s.ref) {
      const to = ref(s.ref);
      if (!to) return s.description ? { description: s.description } : {};
      return s.description ? { description: s.description, allOf: [{ $ref: to }] } : { $ref: to };
    }
    const o: KObj = {};
    if (s.description) o.description = s.description;
    if (s.type) o.type = s.type;
    if (s.items) o.items = convert(s.items);
    if (s.additionalProperties) o.additionalProperties = convert(s.additionalProperties);
    if (s.properties) o.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, convert(v)]));
    if (s.required?.length) o.required = s.required;
    if (s.enum?.length) o.enum = s.enum;
    return o;
  };
  for (const d of allResources().filter((x) => x.group === group && x.version === version)) {
    const schema = api.kindSchema(group, version, d.kind);
    if (!schema) continue;
    const key = `kind:${d.kind}`;
    out[componentName(key, schema.name)] = {};
    pending.push({ key, schema, gvk: { group, kind: d.kind, version } });
  }
  while (pending.length) {
    const { key, schema, gvk } = pending.shift()!;
    const name = componentName(key, schema.name);
    out[name] = { ...convert({ ...schema, ref: undefined }), ...(gvk ? { 'x-kubernetes-group-version-kind': [gvk] } : {}) };
  }
  return out;
}

function hashOf(text: string): string {
  return createHash('sha512').update(text).digest('hex').toUpperCase().slice(0, 128);
}

export function openapi(path: string, req: ApiRequest): ApiResponse {
  if (path === '/openapi/v3') {
    const paths: KObj = {};
    for (const gv of groupVersions()) paths[gv.key] = { serverRelativeURL: `/openapi/v3/${gv.key}?hash=${hashOf(goJson(gvDocument(gv.group, gv.version)))}` };
    return json(200, { paths });
  }
  const m = /^\/openapi\/v3\/(api\/v1|apis\/([^/]+)\/([^/]+))$/.exec(path);
  if (!m) return pageNotFound();
  const gv = groupVersions().find((x) => x.key === m[1]);
  if (!gv) return pageNotFound();
  void req;
  return json(200, gvDocument(gv.group, gv.version));
}
