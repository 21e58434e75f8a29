// REST paths of the served kinds: /api/v1/..., /apis/<group>/<version>/..., with or without
// /namespaces/<ns>, a name and a subresource.
import type { ResourceDef } from '../api/types.js';
import { findServed, hasGroupVersion } from './discovery.js';

export interface ResourcePath {
  def: ResourceDef;
  group: string;
  version: string;
  /** the namespace in the path (namespaced kinds only) */
  namespace?: string;
  name?: string;
  sub?: string;
}

/** The resource a path names, or undefined when the path is no resource's (the mux's 404). */
export function parseResourcePath(path: string): ResourcePath | undefined {
  const parts = path.split('/').filter((p) => p !== '');
  let group = '';
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts[1] === 'v1') {
    version = 'v1';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else return undefined;
  if (!hasGroupVersion(group, version) || !rest.length) return undefined;
  let namespace: string | undefined;
  // /namespaces/NS/<plural>/...: inside a namespace; /namespaces/NAME[/status|finalize]: the namespace itself
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const inner = findServed(group, version, rest[2]);
    if (inner?.namespaced) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
  }
  const def = findServed(group, version, rest[0]);
  if (!def || rest.length > 3) return undefined;
  if (def.namespaced && rest.length > 1 && namespace === undefined) return undefined;
  return { def, group, version, namespace, name: rest[1], sub: rest[2] };
}
