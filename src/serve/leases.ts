// The kubelets' node Leases (coordination.k8s.io/v1 in kube-node-lease), which kubesim does not store:
// derived from each node as `kubesim describe node` derives them (renewed every 10 s from the node's
// registration), read-only, so the real kubectl's describe node finds its Lease.
import { notFound } from '../api/errors.js';
import type { KObj } from '../api/types.js';
import { wireList, wireObject } from '../printers/wire-json.js';
import { nodeLease } from '../sim/controllers/node-heartbeat.js';
import type { ClusterAccess } from './access.js';
import { pageNotFound, raw, statusOf, type ApiRequest, type ApiResponse } from './http-types.js';

const PATH = /^\/apis\/coordination\.k8s\.io\/v1\/(?:namespaces\/([^/]+)\/)?leases(?:\/([^/]+))?$/;

export function isLeasePath(path: string): boolean {
  return PATH.test(path);
}

function lease(node: KObj, now: number): KObj {
  const l = nodeLease(node, now);
  l.metadata.uid = `${node.metadata.uid}`.replace(/^(.{8})/, '1ea5e000');
  l.metadata.resourceVersion = node.metadata.resourceVersion;
  l.metadata.creationTimestamp = node.metadata.creationTimestamp;
  return l;
}

export async function serveLeases(access: ClusterAccess, path: string, req: ApiRequest): Promise<ApiResponse> {
  const m = PATH.exec(path)!;
  const [, ns, name] = m;
  if (req.method !== 'GET') return statusOf(new (await import('../api/errors.js')).StatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource'));
  if (name !== undefined && ns === undefined) return pageNotFound();
  return access.run('read', (s) => {
    const c = s.cluster;
    const all = ns === undefined || ns === 'kube-node-lease' ? c.listAll('nodes').map((n) => lease(n, c.now())) : [];
    if (name === undefined) return raw(200, wireList('LeaseList', 'coordination.k8s.io/v1', String(c.state.rv), all.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))));
    const found = all.find((l) => l.metadata.name === name);
    if (!found) return statusOf(notFound('leases.coordination.k8s.io', name), { kind: 'Lease', plural: 'leases', singular: 'lease', shortNames: [], group: 'coordination.k8s.io', version: 'v1', namespaced: true });
    return raw(200, wireObject(found));
  });
}
