// /openapi/v3: the root (one document per group-version) and each group-version's document with its
// paths and operations. kubectl reads it to learn that the server validates fields itself (the PATCH
// operation's `fieldValidation` parameter, found by the operation's x-kubernetes-group-version-kind),
// so `apply`/`create -f` leave unknown-field checks to the server instead of downloading /openapi/v2.
// No schemas are published (components are empty); /openapi/v2 is the mux's 404.
import { createHash } from 'node:crypto';
import { allResources } from '../api/registry.js';
import type { KObj, ResourceDef } from '../api/types.js';
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
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas: {} } };
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
