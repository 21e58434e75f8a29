// Server-side printing: a meta.k8s.io/v1 Table built from the same column code as `kubesim get`
// (src/printers/tables), so the real kubectl lays out what kubesim's own table printer shows.
import type { KObj, ResourceDef } from '../api/types.js';
import { tableFor } from '../printers/table.js';

/** What the Accept header asks for: a Table (as=Table;g=meta.k8s.io;v=v1 or v1beta1), or plain JSON. */
export function wantsTable(accept: string | undefined): 'v1' | 'v1beta1' | undefined {
  for (const part of (accept ?? '').split(',')) {
    const params = part.split(';').slice(1).map((p) => p.trim());
    const get = (k: string) => params.find((p) => p.toLowerCase().startsWith(`${k}=`))?.slice(k.length + 1);
    if (get('as') === 'Table' && get('g') === 'meta.k8s.io' && (get('v') === 'v1' || get('v') === 'v1beta1')) return get('v') as 'v1' | 'v1beta1';
  }
  return undefined;
}

const DESCRIPTIONS: Record<string, string> = {
  Name: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  Age: 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
};

/** The object carried by a row: its metadata only (includeObject=Metadata, the default), all of it, or none. */
function rowObject(obj: KObj, include: string, group: string): KObj | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${group}`, metadata: obj.metadata };
}

function cell(v: unknown): unknown {
  if (v === null || v === undefined) return '';
  return typeof v === 'number' ? v : String(v);
}

/** The Table of `objects` of one kind; `include` is the request's includeObject (None, Metadata, Object). */
export function buildTable(def: ResourceDef, objects: KObj[], now: number, meta: KObj, include: string, version: 'v1' | 'v1beta1' = 'v1'): KObj {
  const table = tableFor(def);
  const columnDefinitions = table.columns.map((c) => ({
    name: c.name,
    type: c.name === 'Age' ? 'date' : 'string',
    format: c.isName ? 'name' : '',
    description: DESCRIPTIONS[c.name] ?? c.name,
    priority: c.priority ?? 0,
  }));
  const rows = objects.map((o) => {
    const row: KObj = { cells: table.row(o, now).map(cell) };
    const object = rowObject(o, include, version);
    if (object) row.object = object;
    return row;
  });
  return { kind: 'Table', apiVersion: `meta.k8s.io/${version}`, metadata: meta, columnDefinitions, rows };
}
