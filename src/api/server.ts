// The in-process API server: CRUD over the store with metadata bookkeeping, per-kind strategies
// (defaults, validation, update rules) and change notifications for the simulation's controllers.
import { jsonEqual } from './equal.js';
import { admitCreate, validateCreateAdmission } from './admission/index.js';
import { canonicalizeQuantities } from './quantities.js';
import { alreadyExists, invalid, notFound, StatusError } from './errors.js';
import { resourceKey, resourceForKind } from './registry.js';
import { indexChange } from './owner-index.js';
import { strategyFor } from './strategy.js';
import { apiVersionOf, qualifiedResource, type KObj, type ResourceDef } from './types.js';
import { briefValues } from '../store/segments.js';
import { valuesNear, valuesOf } from '../store/sharded.js';
import type { StoreState } from '../store/state.js';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface ChangeEvent {
  type: ChangeType;
  def: ResourceDef;
  obj: KObj;
  old?: KObj;
}

/** What the API server needs from its host (the simulated cluster). */
export interface ApiHost {
  readonly state: StoreState;
  now(): number;
  isoNow(): string;
  uid(): string;
  randomSuffix(n: number): string;
  randomInt(n: number): number;
  listAll(resource: string): KObj[];
  notify(ev: ChangeEvent): void;
}

export interface WriteOptions {
  dryRun?: boolean;
}

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface DeleteOptions extends WriteOptions {
  /** seconds; undefined = the object's default */
  gracePeriodSeconds?: number;
  /** what happens to dependents (objects whose ownerReferences name this one); default Background */
  propagationPolicy?: PropagationPolicy;
}

/** The finalizer the garbage collector works through for a deletion policy. */
export const POLICY_FINALIZER: Record<string, string> = { Foreground: 'foregroundDeletion', Orphan: 'orphan' };

/** The namespaces the NamespaceLifecycle plugin refuses to delete (kube-apiserver's immortal set). */
const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];

export function objectKey(def: ResourceDef, namespace: string | undefined, name: string): string {
  return def.namespaced ? `${namespace}/${name}` : name;
}

const clone = <T>(v: T): T => structuredClone(v);

export class ApiServer {
  constructor(private readonly host: ApiHost) {}

  private bucket(def: ResourceDef): Record<string, KObj> {
    const key = resourceKey(def);
    // (not `??=`'s value: a lazily stored state hands out its own record for the key)
    this.host.state.objects[key] ??= {};
    return this.host.state.objects[key];
  }

  /** Stores an object under its key, keeping the API server's indexes in step. */
  private put(def: ResourceDef, key: string, obj: KObj): void {
    this.bucket(def)[key] = obj;
    indexChange(this.host.state, def, key, undefined, obj);
  }

  private nextRv(): string {
    this.host.state.rv += 1;
    return String(this.host.state.rv);
  }

  /** Returns the stored object (not a copy) or undefined. */
  peek(def: ResourceDef, namespace: string | undefined, name: string): KObj | undefined {
    return this.host.state.objects[resourceKey(def)]?.[objectKey(def, namespace, name)];
  }

  get(def: ResourceDef, namespace: string | undefined, name: string): KObj {
    const o = this.peek(def, namespace, name);
    if (!o) throw notFound(qualifiedResource(def), name);
    return clone(o);
  }

  /** Stored objects of a kind (namespace undefined = all), ordered by namespace then name. Not copies. */
  list(def: ResourceDef, namespace?: string): KObj[] {
    return inOrder(def, valuesOf(this.host.state.objects[resourceKey(def)], false), namespace);
  }

  /**
   * list(), as the kind's brief copies where the store keeps them (a pod as its table reads it: far
   * smaller to read than the pods), else the objects. For what only reads what the brief holds.
   */
  listBrief(def: ResourceDef, namespace?: string): KObj[] {
    const brief = briefValues(this.host.state, resourceKey(def)) as KObj[] | undefined;
    if (!brief) return this.list(def, namespace);
    const items = inOrder(def, brief, namespace);
    const apiVersion = apiVersionOf(def);
    for (const o of items) {
      o.apiVersion = apiVersion;
      o.kind = def.kind;
    }
    return items;
  }

  /**
   * Events whose name says they are about `name` (`<name>.<suffix>`, in the object's namespace, or
   * default for a cluster-scoped one), by name: read from the one shard such events are kept in. Not
   * copies; callers match involvedObject themselves.
   */
  eventsNamed(namespace: string | undefined, name: string): KObj[] {
    const ns = namespace ?? 'default';
    const prefix = `${name}.`;
    return valuesNear(this.host.state.objects['events'], `${ns}/${name}`).filter(
      (e) => e.metadata.namespace === ns && e.metadata.name.startsWith(prefix) && !e.metadata.name.slice(prefix.length).includes('.'),
    ).sort(compareObjects);
  }

  private checkNamespace(def: ResourceDef, namespace: string | undefined, forCreate: boolean): void {
    if (!def.namespaced) return;
    const nsDef = resourceForKind('v1', 'Namespace')!;
    const ns = this.peek(nsDef, undefined, namespace ?? '');
    if (!ns) throw notFound('namespaces', namespace ?? '');
    if (forCreate && ns.status?.phase === 'Terminating') {
      throw new StatusError(
        'Forbidden',
        `${def.plural} "${'NAME'}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
  }

  create(def: ResourceDef, input: KObj, opts: WriteOptions = {}): KObj {
    const obj = clone(input);
    obj.apiVersion = def.group ? `${def.group}/${def.version}` : def.version;
    obj.kind = def.kind;
    const meta = (obj.metadata ??= {});
    if (def.namespaced) meta.namespace ??= 'default';
    else delete meta.namespace;
    const generated = !meta.name && !!meta.generateName;
    if (generated) meta.name = `${meta.generateName}${this.host.randomSuffix(5)}`;
    const strategy = strategyFor(def.kind);
    // mutating admission (NamespaceLifecycle) names a generated object by its generateName (extractResourceName)
    const shownName = generated ? meta.generateName : meta.name;
    if (!meta.name) {
      throw invalid(def.kind, '', [{ field: 'metadata.name', message: 'Required value: name or generateName is required' }]);
    }
    try {
      this.checkNamespace(def, meta.namespace, true);
    } catch (e) {
      if (e instanceof StatusError && e.reason === 'Forbidden') {
        throw new StatusError('Forbidden', e.message.replace('"NAME"', `"${shownName}"`));
      }
      throw e;
    }
    canonicalizeQuantities(obj);
    if (strategy.uidFirst) meta.uid = this.host.uid();
    strategy.prepareForCreate?.(obj, this.host);
    admitCreate(def, obj, this.host);
    const causes = strategy.validate?.(obj) ?? [];
    if (causes.length) throw invalid(def.kind, meta.name, causes);
    // validating admission (ResourceQuota, LimitRanger) sees the generated name (AdmissionToValidateObjectFunc)
    validateCreateAdmission(def, obj, this.host);
    if (this.peek(def, meta.namespace, meta.name)) throw alreadyExists(qualifiedResource(def), meta.name);
    if (!strategy.uidFirst) meta.uid = this.host.uid();
    meta.creationTimestamp = this.host.isoNow();
    if (strategy.generation) meta.generation = 1;
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    if (opts.dryRun) return finishMeta(obj, '');
    meta.resourceVersion = this.nextRv();
    const stored = finishMeta(obj, meta.resourceVersion);
    this.put(def, objectKey(def, meta.namespace, meta.name), stored);
    this.host.notify({ type: 'ADDED', def, obj: stored });
    return clone(stored);
  }

  /** Full update as a client sends it (kubectl replace, and patch/apply after merging). */
  update(def: ResourceDef, input: KObj, opts: WriteOptions = {}): KObj {
    const name = input.metadata?.name;
    const namespace = def.namespaced ? input.metadata?.namespace ?? 'default' : undefined;
    const old = this.peek(def, namespace, name);
    if (!old) throw notFound(qualifiedResource(def), name);
    const rv = input.metadata?.resourceVersion;
    if (rv && rv !== old.metadata.resourceVersion) {
      throw new StatusError(
        'Conflict',
        `Operation cannot be fulfilled on ${qualifiedResource(def)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
    const obj = clone(input);
    obj.apiVersion = old.apiVersion;
    obj.kind = old.kind;
    // Server-owned metadata is kept from the stored object.
    for (const k of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'namespace']) {
      if (old.metadata[k] === undefined) delete obj.metadata[k];
      else obj.metadata[k] = old.metadata[k];
    }
    const strategy = strategyFor(def.kind);
    if (strategy.keepStatusOnUpdate !== false && old.status !== undefined) obj.status = clone(old.status);
    canonicalizeQuantities(obj);
    strategy.prepareForUpdate?.(obj, old, this.host);
    const causes = strategy.validateUpdate?.(obj, old) ?? strategy.validate?.(obj) ?? [];
    if (causes.length) throw invalid(def.kind, name, causes);
    if (strategy.generation && !jsonEqual(obj.spec, old.spec)) {
      obj.metadata.generation = (old.metadata.generation ?? 1) + 1;
    }
    obj.metadata.resourceVersion = old.metadata.resourceVersion;
    if (jsonEqual(obj, old) || opts.dryRun) return clone(opts.dryRun ? obj : old);
    // the last finalizer of an object being deleted is gone: the deletion completes
    if (releasedByFinalizers(obj, old)) return clone(this.remove(def, namespace, name) ?? old);
    obj.metadata.resourceVersion = this.nextRv();
    const stored = finishMeta(obj, obj.metadata.resourceVersion);
    this.put(def, objectKey(def, namespace, name), stored);
    this.host.notify({ type: 'MODIFIED', def, obj: stored, old });
    return clone(stored);
  }

  /** Internal write used by controllers: stores `obj` (status included) with a new resourceVersion. */
  write(def: ResourceDef, obj: KObj): KObj {
    const ns = def.namespaced ? obj.metadata.namespace : undefined;
    const old = this.peek(def, ns, obj.metadata.name);
    if (!old) return obj;
    if (releasedByFinalizers(obj, old)) return this.remove(def, ns, obj.metadata.name) ?? obj;
    obj.metadata.resourceVersion = this.nextRv();
    this.put(def, objectKey(def, ns, obj.metadata.name), obj);
    this.host.notify({ type: 'MODIFIED', def, obj, old });
    return obj;
  }

  /** Starts deletion: graceful kinds get a deletionTimestamp, others (and grace 0) go at once. */
  delete(def: ResourceDef, namespace: string | undefined, name: string, opts: DeleteOptions = {}): KObj {
    const old = this.peek(def, namespace, name);
    if (!old) throw notFound(qualifiedResource(def), name);
    // NamespaceLifecycle admission: the immortal namespaces
    if (def.kind === 'Namespace' && IMMORTAL_NAMESPACES.includes(name)) {
      throw new StatusError('Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`);
    }
    const strategy = strategyFor(def.kind);
    const grace = strategy.gracePeriod?.(old, opts.gracePeriodSeconds);
    if (opts.dryRun) return clone(old);
    // Objects held by finalizers (the user's, or the garbage collector's for foreground and orphan
    // deletion) only get a deletionTimestamp; whoever owns the finalizer completes the deletion.
    const policyFinalizer = def.kind === 'Pod' ? undefined : POLICY_FINALIZER[opts.propagationPolicy ?? ''];
    if (def.kind !== 'Namespace' && (policyFinalizer || old.metadata.finalizers?.length) && !(grace !== undefined && grace > 0)) {
      if (old.metadata.deletionTimestamp) return clone(old);
      const obj = clone(old);
      obj.metadata.deletionTimestamp = this.host.isoNow();
      obj.metadata.deletionGracePeriodSeconds = 0;
      if (policyFinalizer && !obj.metadata.finalizers?.includes(policyFinalizer)) {
        obj.metadata.finalizers = [...(obj.metadata.finalizers ?? []), policyFinalizer];
      }
      obj.metadata.resourceVersion = this.nextRv();
      this.put(def, objectKey(def, namespace, name), obj);
      this.host.notify({ type: 'MODIFIED', def, obj, old });
      return clone(obj);
    }
    if (grace !== undefined && grace > 0) {
      if (old.metadata.deletionTimestamp) return clone(old);
      const obj = clone(old);
      obj.metadata.deletionTimestamp = new Date(Math.floor(this.host.now() / 1000) * 1000 + (def.kind === 'Namespace' ? 0 : grace * 1000))
        .toISOString()
        .replace('.000Z', 'Z');
      if (def.kind === 'Namespace') obj.status = { ...(obj.status ?? {}), phase: 'Terminating' };
      else obj.metadata.deletionGracePeriodSeconds = grace;
      obj.metadata.resourceVersion = this.nextRv();
      this.put(def, objectKey(def, namespace, name), obj);
      this.host.notify({ type: 'MODIFIED', def, obj, old });
      return clone(obj);
    }
    return this.remove(def, namespace, name) ?? clone(old);
  }

  /** Removes an object from storage now (the end of a graceful deletion). */
  remove(def: ResourceDef, namespace: string | undefined, name: string): KObj | undefined {
    const bucket = this.bucket(def);
    const key = objectKey(def, namespace, name);
    const old = bucket[key];
    if (!old) return undefined;
    delete bucket[key];
    indexChange(this.host.state, def, key, old, undefined);
    this.host.notify({ type: 'DELETED', def, obj: old });
    return old;
  }
}

/** An update that takes the last finalizer off an object already being deleted. */
function releasedByFinalizers(obj: KObj, old: KObj): boolean {
  // a pod goes only once its node has stopped it too (the kubelet then sets its grace to 0)
  if (old.kind === 'Pod' && obj.metadata.deletionGracePeriodSeconds !== 0) return false;
  return Boolean(old.metadata.deletionTimestamp && old.metadata.finalizers?.length && !obj.metadata.finalizers?.length && old.kind !== 'Namespace');
}

function finishMeta(obj: KObj, rv: string): KObj {
  if (rv) obj.metadata.resourceVersion = rv;
  return obj;
}

/** A listing's objects: those of `namespace` (all when undefined or cluster-scoped), by namespace then name. */
function inOrder(def: ResourceDef, objects: KObj[], namespace: string | undefined): KObj[] {
  const items = namespace === undefined || !def.namespaced ? objects : objects.filter((o) => o.metadata.namespace === namespace);
  return items.sort(compareObjects);
}

export function compareObjects(a: KObj, b: KObj): number {
  const an = a.metadata.namespace ?? '';
  const bn = b.metadata.namespace ?? '';
  if (an !== bn) return an < bn ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}
