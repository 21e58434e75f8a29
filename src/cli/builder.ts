// The resource builder: turns `TYPE[,TYPE] [NAME…]`, `TYPE/NAME…`, `-f FILE`, `-l`, `--field-selector`,
// `--all` and `-A` into the objects a verb works on, with kubectl's argument errors.
import { CliError, notFound, StatusError } from '../api/errors.js';
import { allResources, resolveResource } from '../api/registry.js';
import { qualifiedResource, type KObj, type ResourceDef } from '../api/types.js';
import type { Cluster } from '../sim/engine.js';

export interface Selection {
  def: ResourceDef;
  /** names asked for; undefined = all matching */
  names?: string[];
}

export interface Found {
  def: ResourceDef;
  obj: KObj;
}

export interface BuildResult {
  items: Found[];
  errors: Error[];
  /** exactly one object was named (for -o yaml printing it bare) */
  singleItem: boolean;
  /** what was asked, for messages */
  selections: Selection[];
}

function expandTypes(token: string): ResourceDef[] {
  const out: ResourceDef[] = [];
  for (const t of token.split(',')) {
    if (!t) continue;
    if (t === 'all') {
      out.push(...allResources().filter((d) => d.categories?.includes('all')).sort(allOrder));
      continue;
    }
    out.push(resolveResource(t));
  }
  return out;
}

const ALL_ORDER = ['pods', 'replicationcontrollers', 'services', 'daemonsets', 'deployments', 'replicasets', 'statefulsets', 'horizontalpodautoscalers', 'cronjobs', 'jobs'];
function allOrder(a: ResourceDef, b: ResourceDef): number {
  return ALL_ORDER.indexOf(a.plural) - ALL_ORDER.indexOf(b.plural);
}

/** Parses positional arguments into selections (no cluster access). */
export function parseResourceArgs(args: string[], verb: string): Selection[] {
  if (args.length === 0) return [];
  const slashed = args.filter((a) => a.includes('/'));
  if (slashed.length) {
    if (slashed.length !== args.length) {
      throw new CliError(
        `there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl ${verb} resource/<resource_name>' instead of 'kubectl ${verb} resource resource/<resource_name>'`,
      );
    }
    const sels: Selection[] = [];
    for (const a of args) {
      const i = a.indexOf('/');
      const type = a.slice(0, i);
      const name = a.slice(i + 1);
      if (!type || !name) throw new CliError(`arguments in resource/name form must have a single resource and name`);
      const def = resolveResource(type);
      const last = sels[sels.length - 1];
      if (last && last.def === def) last.names!.push(name);
      else sels.push({ def, names: [name] });
    }
    return sels;
  }
  const defs = expandTypes(args[0]);
  const names = args.slice(1);
  return defs.map((def) => ({ def, names: names.length ? [...names] : undefined }));
}

export interface Filters {
  namespace: string;
  allNamespaces: boolean;
  labelSelector?: (o: KObj) => boolean;
  fieldSelector?: (def: ResourceDef, o: KObj) => boolean;
  /** listings may be the kind's brief copies (the caller prints a table: see ApiServer.listBrief) */
  brief?: boolean;
}

/** Looks the selections up in the cluster. Missing names become NotFound errors. */
export function resolveSelections(c: Cluster, sels: Selection[], f: Filters): BuildResult {
  const items: Found[] = [];
  const errors: Error[] = [];
  let named = 0;
  for (const sel of sels) {
    const ns = sel.def.namespaced ? f.namespace : undefined;
    if (sel.names) {
      for (const name of sel.names) {
        named++;
        // a manifest without a name: client-go refuses the request before sending it
        if (!name) {
          errors.push(new CliError('resource name may not be empty'));
          continue;
        }
        const obj = c.api.peek(sel.def, ns, name);
        if (!obj) {
          errors.push(notFound(qualifiedResource(sel.def), name));
          continue;
        }
        if (f.labelSelector && !f.labelSelector(obj)) continue;
        if (f.fieldSelector && !f.fieldSelector(sel.def, obj)) continue;
        items.push({ def: sel.def, obj });
      }
      continue;
    }
    const objs = f.brief && !f.fieldSelector ? c.api.listBrief(sel.def, f.allNamespaces ? undefined : ns) : c.api.list(sel.def, f.allNamespaces ? undefined : ns);
    // the apiserver refuses an unsupported field label even when nothing is listed
    if (f.fieldSelector && !objs.length) f.fieldSelector(sel.def, { metadata: {} } as KObj);
    for (const obj of objs) {
      if (f.labelSelector && !f.labelSelector(obj)) continue;
      if (f.fieldSelector && !f.fieldSelector(sel.def, obj)) continue;
      items.push({ def: sel.def, obj });
    }
  }
  const singleItem = sels.length === 1 && named === 1 && sels[0].names?.length === 1;
  return { items, errors, singleItem, selections: sels };
}

/** `Error from server (NotFound)` etc. for a list of errors; returns whether any was printed. */
export function isStatus(e: Error): e is StatusError {
  return e instanceof StatusError;
}
