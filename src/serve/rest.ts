// The REST handlers of the served kinds: get, list (selectors, limit/continue), create, update,
// patch, delete, deletecollection and the status and scale subresources, all through the in-process
// API server (c.api) with its defaults, admission, validation and patch code.
import { parse as parseYaml } from 'yaml';
import { notFound, StatusError } from '../api/errors.js';
import { compareObjects, type PropagationPolicy } from '../api/server.js';
import { apiVersionOf, qualifiedResource, type KObj, type ResourceDef } from '../api/types.js';
import { wireList, wireObject } from '../printers/wire-json.js';
import type { Cluster } from '../sim/engine.js';
import type { ClusterAccess } from './access.js';
import { subresourceNames } from './discovery.js';
import { badRequest, json, raw, statusOf, type ApiRequest, type ApiResponse } from './http-types.js';
import type { ResourcePath } from './route.js';
import { buildTable, wantsTable } from './table.js';

/** Recent list answers per cluster (the reader's cluster object lives while the store is unchanged). */
const answers = new WeakMap<Cluster, { rv: number; second: number; byKey: Map<string, ApiResponse> }>();

function cachedAnswer(c: Cluster, key: string): ApiResponse | undefined {
  const a = answers.get(c);
  if (!a || a.rv !== c.state.rv || a.second !== Math.floor(c.now() / 1000)) return undefined;
  return a.byKey.get(key);
}

function keepAnswer(c: Cluster, key: string, res: ApiResponse): ApiResponse {
  let a = answers.get(c);
  const second = Math.floor(c.now() / 1000);
  if (!a || a.rv !== c.state.rv || a.second !== second) answers.set(c, (a = { rv: c.state.rv, second, byKey: new Map() }));
  if (res.status === 200 && a.byKey.size < 64) a.byKey.set(key, res);
  return res;
}

const isMap = (v: unknown): v is KObj => typeof v === 'object' && v !== null && !Array.isArray(v);

function dryRun(q: URLSearchParams): boolean {
  const v = q.getAll('dryRun');
  for (const x of v) if (x !== 'All') throw badRequest(`Invalid dry run value: ${x}`);
  return v.length > 0;
}

/** The request body as JSON (kubectl sends JSON; YAML is accepted as the server does). */
export function decodeBody(req: ApiRequest): unknown {
  const text = req.body;
  try {
    return JSON.parse(text);
  } catch {
    try {
      return parseYaml(text);
    } catch (e) {
      throw badRequest(`error decoding body: ${(e as Error).message}`);
    }
  }
}

/** The body's object, checked against the path's kind and namespace, after fieldValidation. */
async function bodyObject(req: ApiRequest, rp: ResourcePath, warnings: string[]): Promise<KObj> {
  const body = decodeBody(req);
  if (!isMap(body)) throw badRequest(`Object 'Kind' is missing in '${req.body.trim()}'`);
  const want = apiVersionOf(rp.def);
  body.apiVersion ??= want;
  body.kind ??= rp.def.kind;
  if (body.apiVersion !== want) throw badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (${want})`);
  if (body.kind !== rp.def.kind) throw badRequest(`${body.kind} in version "${rp.version}" cannot be handled as a ${rp.def.kind}: no kind "${body.kind}" is registered for version "${want}" in scheme "pkg/api/legacyscheme/scheme.go:30"`);
  const mode = req.query.get('fieldValidation') ?? 'Warn';
  if (!['Strict', 'Warn', 'Ignore', ''].includes(mode)) throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got ${JSON.stringify(mode)}`);
  const { schemaCheck } = await import('../api/validation/schema.js');
  let checked = schemaCheck(body, { validate: mode !== 'Ignore' });
  if (checked.error && checked.warnings && mode !== 'Strict') {
    if (mode !== 'Ignore') warnings.push(...checked.warnings);
    checked = schemaCheck(body, { validate: false });
  }
  if (checked.error) throw badRequest(checked.error);
  const obj = checked.obj;
  obj.metadata ??= {};
  if (rp.def.namespaced) {
    const ns = obj.metadata.namespace;
    if (ns && rp.namespace && ns !== rp.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    obj.metadata.namespace = rp.namespace ?? ns;
  }
  return obj;
}

function listMeta(c: Cluster, extra: KObj = {}): KObj {
  return { resourceVersion: String(c.state.rv), ...extra };
}

/** Objects of the path's kind matching the request's selectors, in the server's order. */
export async function selected(c: Cluster, rp: ResourcePath, q: URLSearchParams): Promise<KObj[]> {
  let items = c.api.list(rp.def, rp.def.namespaced ? rp.namespace : undefined);
  const label = q.get('labelSelector');
  const field = q.get('fieldSelector');
  if (label || field) {
    const sel = await import('../api/selectors.js');
    if (label) {
      const m = sel.parseLabelSelector(label);
      items = items.filter((o) => m.matches(o.metadata?.labels));
    }
    if (field) {
      const m = sel.fieldSelectorMatcher(rp.def.kind, sel.parseFieldSelector(field), rp.def.plural, rp.def.group, rp.def.version);
      items = items.filter((o) => m.matches(o));
    }
  }
  return items;
}

const objectKeyOf = (o: KObj) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** limit/continue: a page of items and the token of the next one. */
function page(items: KObj[], q: URLSearchParams, rv: number): { items: KObj[]; meta: KObj } {
  let start = 0;
  const token = q.get('continue');
  if (token) {
    let after: string | undefined;
    try {
      const t = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
      after = typeof t.start === 'string' ? t.start : undefined;
    } catch {
      after = undefined;
    }
    if (after === undefined) throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
    start = items.findIndex((o) => objectKeyOf(o) > after!);
    if (start < 0) start = items.length;
  }
  const limit = Number(q.get('limit') ?? '0');
  if (!Number.isInteger(limit) || limit <= 0 || start + limit >= items.length) return { items: items.slice(start), meta: {} };
  const pageItems = items.slice(start, start + limit);
  const next = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: objectKeyOf(pageItems[pageItems.length - 1]) })).toString('base64');
  return { items: pageItems, meta: { continue: next, remainingItemCount: items.length - start - limit } };
}

function respondObjects(c: Cluster, rp: ResourcePath, req: ApiRequest, items: KObj[], meta: KObj): ApiResponse {
  const tv = wantsTable(String(req.headers.accept ?? ''));
  if (tv) return json(200, buildTable(rp.def, items, c.now(), listMeta(c, meta), req.query.get('includeObject') ?? 'Metadata', tv));
  if (Object.keys(meta).length) {
    const list = JSON.parse(wireList(`${rp.def.kind}List`, apiVersionOf(rp.def), String(c.state.rv), items));
    list.metadata = listMeta(c, meta);
    return json(200, list);
  }
  return raw(200, wireList(`${rp.def.kind}List`, apiVersionOf(rp.def), String(c.state.rv), items));
}

function respondObject(c: Cluster, rp: ResourcePath, req: ApiRequest, obj: KObj, status = 200): ApiResponse {
  const tv = wantsTable(String(req.headers.accept ?? ''));
  if (tv) return json(status, buildTable(rp.def, [obj], c.now(), { resourceVersion: obj.metadata?.resourceVersion ?? '' }, req.query.get('includeObject') ?? 'Metadata', tv));
  return raw(status, wireObject(obj));
}

function stored(c: Cluster, rp: ResourcePath): KObj {
  const obj = c.api.peek(rp.def, rp.namespace, rp.name!);
  if (!obj) throw notFound(qualifiedResource(rp.def), rp.name!);
  return obj;
}

/** The Scale (autoscaling/v1) of a Deployment, ReplicaSet or StatefulSet. */
async function scaleOf(obj: KObj): Promise<KObj> {
  const { selectorFromLabelSelector } = await import('../api/selectors.js');
  const m = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: { replicas: obj.status?.replicas ?? 0, selector: selectorFromLabelSelector(obj.spec?.selector).toString() },
  };
}

/** The patch type of a PATCH request's Content-Type. */
function patchType(req: ApiRequest): 'json' | 'merge' | 'strategic' | 'apply' {
  const t = String(req.headers['content-type'] ?? '').split(';')[0].trim();
  if (t === 'application/json-patch+json') return 'json';
  if (t === 'application/merge-patch+json') return 'merge';
  if (t === 'application/strategic-merge-patch+json') return 'strategic';
  if (t === 'application/apply-patch+yaml') return 'apply';
  throw new StatusError('BadRequest', `the server does not support the media type ${JSON.stringify(t)}`);
}

async function patched(current: KObj, req: ApiRequest, kind: string, warnings: string[]): Promise<KObj> {
  const type = patchType(req);
  const lib = await import('../api/patch/index.js');
  if (type === 'apply') throw new StatusError('BadRequest', 'apply patches are handled by server-side apply');
  let patch: unknown;
  try {
    patch = JSON.parse(req.body || 'null');
  } catch (e) {
    throw badRequest(`error decoding patch: ${(e as Error).message}`);
  }
  return lib.applyPatch(current, type, patch, kind, warnings);
}

function warningHeaders(warnings: string[]): Record<string, string[]> | undefined {
  if (!warnings.length) return undefined;
  return { Warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`) };
}

function withWarnings(res: ApiResponse, warnings: string[]): ApiResponse {
  const h = warningHeaders(warnings);
  return h ? { ...res, headers: { ...(res.headers ?? {}), ...h } } : res;
}

/** Preconditions of DeleteOptions (uid, resourceVersion) against the stored object. */
function checkPreconditions(def: ResourceDef, obj: KObj, pre: KObj | undefined): void {
  if (!isMap(pre)) return;
  const name = obj.metadata.name;
  if (pre.uid && pre.uid !== obj.metadata.uid) {
    throw new StatusError('Conflict', `Operation cannot be fulfilled on ${qualifiedResource(def)} "${name}": Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`, { name });
  }
  if (pre.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
    throw new StatusError('Conflict', `Operation cannot be fulfilled on ${qualifiedResource(def)} "${name}": Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`, { name });
  }
}

function deleteOptions(req: ApiRequest): KObj {
  const body = req.body.trim() ? decodeBody(req) : {};
  const opts: KObj = isMap(body) ? body : {};
  const q = req.query;
  if (q.has('gracePeriodSeconds')) opts.gracePeriodSeconds = Number(q.get('gracePeriodSeconds'));
  if (q.has('propagationPolicy')) opts.propagationPolicy = q.get('propagationPolicy');
  if (q.has('dryRun')) opts.dryRun = q.getAll('dryRun');
  if (opts.orphanDependents === true && !opts.propagationPolicy) opts.propagationPolicy = 'Orphan';
  const pp = opts.propagationPolicy;
  if (pp !== undefined && !['Background', 'Foreground', 'Orphan'].includes(pp)) {
    throw new StatusError('Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${pp}": supported values: "Foreground", "Background", "Orphan", "nil"`);
  }
  for (const x of opts.dryRun ?? []) if (x !== 'All') throw badRequest(`Invalid dry run value: ${x}`);
  return opts;
}

/** A delete's answer: the object while it is still being deleted, else a Success Status. */
function deleted(c: Cluster, rp: ResourcePath, before: KObj, after: KObj, dry: boolean): ApiResponse {
  const still = c.api.peek(rp.def, before.metadata.namespace, before.metadata.name);
  if (dry || still) return raw(200, wireObject(dry ? after : still!));
  return json(200, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name: before.metadata.name, ...(rp.def.group ? { group: rp.def.group } : {}), kind: rp.def.plural, uid: before.metadata.uid },
  });
}

async function deleteOne(c: Cluster, rp: ResourcePath, obj: KObj, opts: KObj): Promise<KObj> {
  checkPreconditions(rp.def, obj, opts.preconditions);
  return c.api.delete(rp.def, obj.metadata.namespace, obj.metadata.name, {
    gracePeriodSeconds: typeof opts.gracePeriodSeconds === 'number' && Number.isFinite(opts.gracePeriodSeconds) ? opts.gracePeriodSeconds : undefined,
    propagationPolicy: opts.propagationPolicy as PropagationPolicy | undefined,
    dryRun: (opts.dryRun ?? []).length > 0,
  });
}

/** Server-side apply (application/apply-patch+yaml): the manifest merged onto the live object, or created. */
async function serverSideApply(c: Cluster, rp: ResourcePath, req: ApiRequest, warnings: string[]): Promise<ApiResponse> {
  const obj = await bodyObject(req, rp, warnings);
  if (obj.metadata.name && obj.metadata.name !== rp.name) throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${rp.name})`);
  obj.metadata.name = rp.name;
  if (!req.query.get('fieldManager')) throw badRequest('PATCH, application/apply-patch+yaml requires fieldManager to be set');
  const { applyMerge } = await import('../cli/apply-merge.js');
  const existed = Boolean(c.api.peek(rp.def, rp.namespace, rp.name!));
  const out = await applyMerge(c.api, rp.def, obj, { dryRun: dryRun(req.query) ? 'server' : 'none', serverSide: true, warn: (t) => warnings.push(t) });
  return withWarnings(raw(existed ? 200 : 201, wireObject(out.obj)), warnings);
}

/** Handles one request on a resource path; `access` runs it against the cluster. */
export async function handleResource(access: ClusterAccess, rp: ResourcePath, req: ApiRequest): Promise<ApiResponse> {
  const { def } = rp;
  const m = req.method;
  const q = req.query;
  if (rp.sub !== undefined && !subresourceNames(def).includes(rp.sub)) return statusOf(new StatusError('NotFound', 'the server could not find the requested resource'));
  try {
    if (rp.name === undefined) {
      if (m === 'GET') {
        return await access.run('read', async (s) => {
          // the same list of the same cluster state within the same second is the same answer
          const key = `${req.path}?${q.toString()}|${String(req.headers.accept ?? '')}`;
          const hit = cachedAnswer(s.cluster, key);
          if (hit) return hit;
          const items = await selected(s.cluster, rp, q);
          const p = page(items, q, s.cluster.state.rv);
          return keepAnswer(s.cluster, key, respondObjects(s.cluster, rp, req, p.items, p.meta));
        });
      }
      if (m === 'POST') {
        const warnings: string[] = [];
        const dry = dryRun(q);
        const obj = await bodyObject(req, rp, warnings);
        return await access.run(dry ? 'read' : 'write', (s) => withWarnings(raw(201, wireObject(s.cluster.api.create(def, obj, { dryRun: dry }))), warnings));
      }
      if (m === 'DELETE' && def.verbs?.includes('deletecollection')) {
        const opts = deleteOptions(req);
        return await access.run((opts.dryRun ?? []).length ? 'read' : 'write', async (s) => {
          const items = await selected(s.cluster, rp, q);
          const out: KObj[] = [];
          for (const o of items) out.push(await deleteOne(s.cluster, rp, o, opts));
          return raw(200, wireList(`${def.kind}List`, apiVersionOf(def), String(s.cluster.state.rv), out.sort(compareObjects)));
        });
      }
      return methodNotAllowed(m);
    }
    if (rp.sub === 'log' && m === 'GET') {
      const { podLog } = await import('./pods.js');
      return await podLog(access, rp, req);
    }
    if (rp.sub === 'scale') return await scale(access, rp, req);
    if (rp.sub === 'eviction' && m === 'POST') return await evict(access, rp, req);
    if (m === 'GET') return await access.run('read', (s) => respondObject(s.cluster, rp, req, stored(s.cluster, rp)));
    if (m === 'PUT') {
      const warnings: string[] = [];
      const dry = dryRun(q);
      const obj = await bodyObject(req, rp, warnings);
      if (obj.metadata.name !== rp.name) throw badRequest(`the name of the object (${obj.metadata.name ?? ''}) does not match the name on the URL (${rp.name})`);
      return await access.run(dry ? 'read' : 'write', (s) => {
        const out = rp.sub === 'status' ? writeStatus(s.cluster, rp, obj, dry) : s.cluster.api.update(def, obj, { dryRun: dry });
        return withWarnings(raw(200, wireObject(out)), warnings);
      });
    }
    if (m === 'PATCH') {
      const warnings: string[] = [];
      const dry = dryRun(q);
      if (patchType(req) === 'apply') return await access.run(dry ? 'read' : 'write', (s) => serverSideApply(s.cluster, rp, req, warnings));
      return await access.run(dry ? 'read' : 'write', async (s) => {
        const current = structuredClone(stored(s.cluster, rp));
        const next = await patched(current, req, def.kind, warnings);
        if (rp.sub === 'status') return withWarnings(raw(200, wireObject(writeStatus(s.cluster, rp, next, dry))), warnings);
        // a patch carries the stored resourceVersion unless the patch itself set one
        const out = s.cluster.api.update(def, next, { dryRun: dry });
        return withWarnings(raw(200, wireObject(out)), warnings);
      });
    }
    if (m === 'DELETE' && rp.sub === undefined) {
      const opts = deleteOptions(req);
      const dry = (opts.dryRun ?? []).length > 0;
      return await access.run(dry ? 'read' : 'write', async (s) => {
        const before = structuredClone(stored(s.cluster, rp));
        const after = await deleteOne(s.cluster, rp, before, opts);
        return deleted(s.cluster, rp, before, after, dry);
      });
    }
    return methodNotAllowed(m);
  } catch (e) {
    return statusOf(e, def);
  }
}

function methodNotAllowed(_method: string): ApiResponse {
  return statusOf(new StatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource'));
}

/** PUT/PATCH of the status subresource: only status changes (with the resourceVersion check). */
function writeStatus(c: Cluster, rp: ResourcePath, obj: KObj, dry: boolean): KObj {
  const current = stored(c, rp);
  const rv = obj.metadata?.resourceVersion;
  if (rv && rv !== current.metadata.resourceVersion) {
    throw new StatusError('Conflict', `Operation cannot be fulfilled on ${qualifiedResource(rp.def)} "${rp.name}": the object has been modified; please apply your changes to the latest version and try again`, { name: rp.name });
  }
  const next = structuredClone(current);
  next.status = obj.status;
  if (dry) return next;
  return structuredClone(c.api.write(rp.def, next));
}

async function scale(access: ClusterAccess, rp: ResourcePath, req: ApiRequest): Promise<ApiResponse> {
  const m = req.method;
  if (m === 'GET') return access.run('read', async (s) => json(200, await scaleOf(stored(s.cluster, rp))));
  if (m !== 'PUT' && m !== 'PATCH') return methodNotAllowed(m);
  const dry = dryRun(req.query);
  return access.run(dry ? 'read' : 'write', async (s) => {
    const current = stored(s.cluster, rp);
    const sc = await scaleOf(current);
    let next: KObj;
    if (m === 'PUT') {
      const body = decodeBody(req);
      if (!isMap(body)) throw badRequest('invalid Scale');
      next = body;
    } else next = await patched(sc, req, 'Scale', []);
    const rv = next.metadata?.resourceVersion;
    if (rv && rv !== current.metadata.resourceVersion) {
      throw new StatusError('Conflict', `Operation cannot be fulfilled on ${qualifiedResource(rp.def)} "${rp.name}": the object has been modified; please apply your changes to the latest version and try again`, { name: rp.name });
    }
    const replicas = next.spec?.replicas;
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw new StatusError('Invalid', `Scale.autoscaling "${rp.name}" is invalid: spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`, { name: rp.name });
    }
    const obj = structuredClone(current);
    obj.spec = { ...(obj.spec ?? {}), replicas };
    const out = s.cluster.api.update(rp.def, obj, { dryRun: dry });
    return json(200, await scaleOf(out));
  });
}

/** POST pods/NAME/eviction (policy/v1 Eviction): the pod is deleted with the eviction's options (no disruption budgets are kept). */
async function evict(access: ClusterAccess, rp: ResourcePath, req: ApiRequest): Promise<ApiResponse> {
  const body = decodeBody(req);
  const ev: KObj = isMap(body) ? body : {};
  if (ev.metadata?.name && ev.metadata.name !== rp.name) throw badRequest('name in URL does not match name in Eviction object');
  const opts: KObj = isMap(ev.deleteOptions) ? ev.deleteOptions : {};
  const dry = dryRun(req.query) || (Array.isArray(opts.dryRun) && opts.dryRun.length > 0);
  return access.run(dry ? 'read' : 'write', async (s) => {
    const pod = stored(s.cluster, rp);
    await deleteOne(s.cluster, rp, pod, { ...opts, dryRun: dry ? ['All'] : [] });
    return json(201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  });
}
