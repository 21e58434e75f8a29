// Discovery documents of the served API, built from the resource registry: /api, /api/v1, /apis,
// /apis/<group>/<version> (apimachinery's APIVersions, APIResourceList, APIGroupList, APIGroup) and
// the aggregated documents (apidiscovery.k8s.io/v2 APIGroupDiscoveryList) kubectl 1.30+ asks first.
import { allResources } from '../api/registry.js';
import type { KObj, ResourceDef } from '../api/types.js';
import { apiGroups } from '../api/api-groups.js';

/** The storage version hashes a v1.32 kube-apiserver publishes for the core kinds. */
const STORAGE_HASH: Record<string, string> = {
  configmaps: 'qFsyl6wFWjQ=', endpoints: 'fWeeMqaN/OA=', events: 'r2yiGXH7wu8=', limitranges: 'EBKMFVe6cwo=', namespaces: 'Q3oi5N2YM8M=',
  nodes: 'XwShjMxG9Fs=', pods: 'xPOwRZ+Yhw8=', resourcequotas: '8uhSgffRX6w=', secrets: 'S6u1pOWzb84=', serviceaccounts: 'pbx9ZvyFpBE=', services: '0/CO1lhkEBI=',
};

interface Sub {
  name: string;
  kind: string;
  verbs: string[];
  group?: string;
  version?: string;
}

const STATUS = (kind: string): Sub => ({ name: 'status', kind, verbs: ['get', 'patch', 'update'] });
const SCALE: Sub = { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] };
const PROXY = (kind: string): Sub => ({ name: 'proxy', kind, verbs: ['create', 'delete', 'get', 'patch', 'update'] });

/** The subresources a v1.32 kube-apiserver serves per resource (sorted by name, as discovery lists them). */
function subresources(def: ResourceDef): Sub[] {
  switch (def.kind) {
    case 'Pod':
      return [
        { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
        { name: 'binding', kind: 'Binding', verbs: ['create'] },
        { name: 'ephemeralcontainers', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
        { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
        { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
        { name: 'log', kind: 'Pod', verbs: ['get'] },
        { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
        PROXY('PodProxyOptions'),
        STATUS('Pod'),
      ];
    case 'Node':
      return [PROXY('NodeProxyOptions'), STATUS('Node')];
    case 'Service':
      return [PROXY('ServiceProxyOptions'), STATUS('Service')];
    case 'Namespace':
      return [{ name: 'finalize', kind: 'Namespace', verbs: ['update'] }, STATUS('Namespace')];
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
      return [SCALE, STATUS(def.kind)];
    case 'DaemonSet':
    case 'Job':
    case 'CronJob':
    case 'PersistentVolumeClaim':
    case 'PersistentVolume':
    case 'ResourceQuota':
      return [STATUS(def.kind)];
    default:
      return [];
  }
}

/** The subresource names served for a resource (`status`, `scale`, `log`…). */
export function subresourceNames(def: ResourceDef): string[] {
  return subresources(def).map((s) => s.name);
}

const byName = (a: ResourceDef, b: ResourceDef) => (a.plural < b.plural ? -1 : a.plural > b.plural ? 1 : 0);

/** Groups (without the core group) in the aggregator's order, each with its versions, preferred first. */
const groups = apiGroups;

export function resourcesOf(group: string, version: string): ResourceDef[] {
  return allResources().filter((d) => d.group === group && d.version === version).sort(byName);
}

export function findServed(group: string, version: string, plural: string): ResourceDef | undefined {
  return allResources().find((d) => d.group === group && d.version === version && d.plural === plural);
}

export function hasGroupVersion(group: string, version: string): boolean {
  return allResources().some((d) => d.group === group && d.version === version);
}

/** /api: the core group's versions and the address clients may use. */
export function apiVersions(serverAddress: string): KObj {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

/** /apis */
export function apiGroupList(): KObj {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups().map((g) => {
      const versions = g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v }));
      return { name: g.name, versions, preferredVersion: versions[0] };
    }),
  };
}

/** /apis/<group> */
export function apiGroup(name: string): KObj | undefined {
  const g = groups().find((x) => x.name === name);
  if (!g) return undefined;
  const versions = g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v }));
  return { kind: 'APIGroup', apiVersion: 'v1', name, versions, preferredVersion: versions[0] };
}

/** /api/v1, /apis/<group>/<version>: resources and subresources sorted by name. */
export function apiResourceList(group: string, version: string): KObj {
  const resources: KObj[] = [];
  for (const d of resourcesOf(group, version)) {
    const r: KObj = { name: d.plural, singularName: d.singular, namespaced: d.namespaced, kind: d.kind, verbs: d.verbs ?? [] };
    if (d.shortNames.length) r.shortNames = d.shortNames;
    if (d.categories?.length) r.categories = d.categories;
    const hash = d.group ? undefined : STORAGE_HASH[d.plural];
    if (hash) r.storageVersionHash = hash;
    resources.push(r);
    for (const s of subresources(d)) {
      const sr: KObj = { name: `${d.plural}/${s.name}`, singularName: '', namespaced: d.namespaced };
      if (s.group !== undefined) Object.assign(sr, { group: s.group, version: s.version });
      sr.kind = s.kind;
      sr.verbs = s.verbs;
      resources.push(sr);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

function discoveryResource(d: ResourceDef): KObj {
  const r: KObj = {
    resource: d.plural,
    responseKind: { group: d.group, version: d.version, kind: d.kind },
    scope: d.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: d.singular,
    verbs: d.verbs ?? [],
  };
  if (d.shortNames.length) r.shortNames = d.shortNames;
  if (d.categories?.length) r.categories = d.categories;
  const subs = subresources(d);
  if (subs.length) {
    r.subresources = subs.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group ?? d.group, version: s.version ?? d.version, kind: s.kind },
      verbs: s.verbs,
    }));
  }
  return r;
}

/** The aggregated discovery document of /api (core) or /apis (every group). */
export function aggregatedDiscovery(core: boolean): KObj {
  const items = core
    ? [{ metadata: { creationTimestamp: null }, versions: [{ version: 'v1', resources: resourcesOf('', 'v1').map(discoveryResource), freshness: 'Current' }] }]
    : groups().map((g) => ({
        metadata: { name: g.name, creationTimestamp: null },
        versions: g.versions.map((v) => ({ version: v, resources: resourcesOf(g.name, v).map(discoveryResource), freshness: 'Current' })),
      }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}

export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
export const AGGREGATED_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

/** The aggregated media type the Accept header asks for first (v2 or v2beta1), if any. */
export function wantsAggregated(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const part of (accept ?? '').split(',')) {
    const p = mediaParams(part);
    if (p.as === 'APIGroupDiscoveryList' && p.g === 'apidiscovery.k8s.io' && (p.v === 'v2' || p.v === 'v2beta1')) return p.v;
  }
  return undefined;
}

/** The parameters of one media range (`application/json;as=Table;g=meta.k8s.io;v=v1`), keys lower-cased. */
export function mediaParams(range: string): Record<string, string> {
  const out: Record<string, string> = {};
  const [type, ...params] = range.split(';');
  out[''] = type.trim().toLowerCase();
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq > 0) out[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"|"$/g, '');
  }
  return out;
}
