// Shared shapes of the in-process API server. Kubernetes objects are plain JSON values.

/** A Kubernetes object as stored and printed (apiVersion, kind, metadata, spec, status…). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type KObj = Record<string, any>;

/** One entry of the resource registry (what `kubectl api-resources` lists). */
export interface ResourceDef {
  kind: string;
  /** lower-case plural, the REST resource name: `pods`, `deployments`. */
  plural: string;
  singular: string;
  shortNames: string[];
  /** API group, '' for the core group. */
  group: string;
  version: string;
  namespaced: boolean;
  /** `kubectl get all` membership and similar. */
  categories?: string[];
  verbs?: string[];
}

export function apiVersionOf(def: ResourceDef): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

/** `pods`, `deployments.apps`: how the API names a resource in messages. */
export function qualifiedResource(def: ResourceDef): string {
  return def.group ? `${def.plural}.${def.group}` : def.plural;
}

/** `pod`, `deployment.apps`: the prefix of `-o name` and `get` mixed listings. */
export function kindPrefix(def: ResourceDef): string {
  const k = def.kind.toLowerCase();
  return def.group ? `${k}.${def.group}` : k;
}
