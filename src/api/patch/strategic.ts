// Strategic merge patch (apimachinery semantics) for the built-in kinds: lists of objects merge by
// their patchMergeKey, lists without one are replaced, primitive "set" lists merge, `null` deletes,
// and the `$patch`, `$retainKeys`, `$deleteFromPrimitiveList/…`, `$setElementOrder/…` directives apply.
import { jsonEqual } from '../equal.js';
import type { KObj } from '../types.js';
import { listStrategy } from './merge-keys.js';

type Json = unknown;

const isObj = (v: Json): v is KObj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A deep copy of JSON without recursion (patches may nest thousands deep); `strip` drops `$` directive keys. */
function copyJson<T>(v: T, strip = false): T {
  const copy = (x: unknown): unknown => (Array.isArray(x) ? [...x] : x && typeof x === 'object' ? { ...x } : x);
  const root = copy(v);
  const stack: unknown[] = root && typeof root === 'object' ? [root] : [];
  while (stack.length) {
    const list = Array.isArray(stack[stack.length - 1]);
    const cur = stack.pop() as Record<string, unknown>;
    for (const k of Object.keys(cur)) {
      if (strip && !list && k.startsWith('$')) {
        delete cur[k];
        continue;
      }
      cur[k] = copy(cur[k]);
      if (cur[k] && typeof cur[k] === 'object') stack.push(cur[k]);
    }
  }
  return root as T;
}
const clone = <T>(v: T): T => (v === undefined ? v : copyJson(v));

/** No `$` directive, null or list holding objects anywhere in `v` (checked without recursion). */
function plainContent(v: Json): boolean {
  const stack: Json[] = [v];
  while (stack.length) {
    const cur = stack.pop();
    if (Array.isArray(cur)) {
      for (const x of cur) {
        if (isObj(x)) return false;
        if (Array.isArray(x)) stack.push(x);
      }
    } else if (isObj(cur)) {
      for (const [k, x] of Object.entries(cur)) {
        if (k.startsWith('$') || x === null) return false;
        if (typeof x === 'object') stack.push(x);
      }
    }
  }
  return true;
}

/** Applies `patch` to `original` (not mutated). `kind` selects the merge keys. */
export function strategicMergePatch(original: KObj, patch: KObj, kind: string): KObj {
  return mergeObject(clone(original) ?? {}, patch, kind, '') as KObj;
}

function mergeObject(orig: KObj, patch: KObj, kind: string, path: string): KObj | undefined {
  if (patch.$patch === 'replace') {
    const out = clone(patch);
    delete out.$patch;
    return out;
  }
  if (patch.$patch === 'delete') return undefined;
  const out: KObj = isObj(orig) ? orig : {};
  const retain: string[] | undefined = patch.$retainKeys;
  for (const [key, pv] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys') continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[field])) out[field] = out[field].filter((x: Json) => !(pv as Json[]).includes(x));
      continue;
    }
    if (key.startsWith('$setElementOrder/')) {
      // an order without the list itself (only the order changed): the server reorders what it has
      const field = key.slice('$setElementOrder/'.length);
      if (!(field in patch) && Array.isArray(out[field]) && Array.isArray(pv)) out[field] = mergeList(out[field], [], kind, path ? `${path}.${field}` : field, pv);
      continue;
    }
    const childPath = path ? `${path}.${key}` : key;
    if (pv === null) {
      delete out[key];
      continue;
    }
    if (Array.isArray(pv)) {
      out[key] = mergeList(out[key], pv, kind, childPath, patch[`$setElementOrder/${key}`]);
      continue;
    }
    if (isObj(pv) && !isObj(out[key]) && plainContent(pv)) {
      // new content without directives, nulls or lists of objects merges to itself (no recursion)
      out[key] = copyJson(pv);
      continue;
    }
    if (isObj(pv)) {
      const merged = mergeObject(isObj(out[key]) ? out[key] : {}, pv, kind, childPath);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
      continue;
    }
    out[key] = pv;
  }
  if (retain) for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  return out;
}

function mergeList(orig: Json, patch: Json[], kind: string, path: string, order?: Json[]): Json[] {
  const strategy = listStrategy(kind, path);
  const base: Json[] = Array.isArray(orig) ? orig : [];
  if (!strategy) return clone(patch).map(stripDirectives);
  if (strategy.mergeKey === undefined) {
    // a primitive list with patchStrategy merge: union keeping order
    const out = [...base];
    for (const v of patch) if (!out.includes(v)) out.push(v);
    if (order) {
      const pos = (v: Json) => {
        const i = order.indexOf(v);
        return i < 0 ? Number.MAX_SAFE_INTEGER : i;
      };
      out.sort((a, b) => pos(a) - pos(b));
    }
    return out;
  }
  const key = strategy.mergeKey;
  if (patch.some((p) => isObj(p) && p.$patch === 'replace')) {
    return clone(patch.filter((p) => !(isObj(p) && p.$patch === 'replace'))).map(stripDirectives);
  }
  const out = clone(base) as KObj[];
  for (const item of patch) {
    if (!isObj(item)) continue;
    const idx = out.findIndex((o) => isObj(o) && o[key] === item[key]);
    if (item.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = mergeObject(out[idx], item, kind, path) as KObj;
    else out.push(stripDirectives(clone(item)) as KObj);
  }
  if (order) {
    const pos = (o: KObj) => {
      const i = order.findIndex((x) => isObj(x) && x[key] === o[key]);
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    out.sort((a, b) => pos(a) - pos(b));
  }
  return out;
}

function stripDirectives(v: Json): Json {
  return copyJson(v, true);
}

/** The patch turning `original` into `modified` (deletions as null), as kubectl computes it. */
export function createTwoWayMergePatch(original: KObj, modified: KObj, kind: string): KObj {
  return diffObject(original ?? {}, modified ?? {}, kind, '', true) ?? {};
}

function diffObject(a: KObj, b: KObj, kind: string, path: string, deletions: boolean): KObj | undefined {
  const out: KObj = {};
  for (const [k, bv] of Object.entries(b)) {
    const av = a[k];
    const p = path ? `${path}.${k}` : k;
    if (deletions && Array.isArray(av) && Array.isArray(bv) && listStrategy(kind, p)) {
      Object.assign(out, twoWayList(k, av, bv, kind, p));
      continue;
    }
    const d = diffValue(av, bv, kind, p, deletions);
    if (d !== undefined) out[k] = d;
  }
  if (deletions) for (const k of Object.keys(a)) if (!(k in b)) out[k] = null;
  return Object.keys(out).length ? out : undefined;
}

/**
 * A merged list in a two-way patch as CreateTwoWayMergePatch writes it: the changed items (deletions
 * last), `$deleteFromPrimitiveList/KEY` for a set's removed values, and `$setElementOrder/KEY` (the
 * modified list's keys or values) whenever anything changed or the order did.
 */
function twoWayList(key: string, av: Json[], bv: Json[], kind: string, path: string): KObj {
  const mergeKey = listStrategy(kind, path)?.mergeKey;
  const out: KObj = {};
  if (!mergeKey) {
    const added = bv.filter((x) => !av.some((y) => jsonEqual(y, x)));
    const removed = av.filter((x) => !bv.some((y) => jsonEqual(y, x)));
    if (added.length) out[key] = added;
    if (removed.length) out[`$deleteFromPrimitiveList/${key}`] = [...removed].sort((x, y) => (String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0));
    if (removed.length || !jsonEqual(av, bv)) out[`$setElementOrder/${key}`] = bv;
    return out;
  }
  const items = (diffValue(av, bv, kind, path, true) ?? []) as KObj[];
  const keysOf = (l: Json[]) => JSON.stringify(l.map((x) => (isObj(x) ? x[mergeKey] : x)));
  if (items.length) out[key] = items;
  if (items.length || keysOf(av) !== keysOf(bv)) out[`$setElementOrder/${key}`] = bv.map((x) => ({ [mergeKey]: isObj(x) ? x[mergeKey] : x }));
  return out;
}

function diffValue(av: Json, bv: Json, kind: string, path: string, deletions: boolean): Json | undefined {
  // key order is no difference (a stored object and the same object read back from YAML)
  if (jsonEqual(av, bv)) return undefined;
  if (isObj(av) && isObj(bv)) return diffObject(av, bv, kind, path, deletions);
  if (Array.isArray(av) && Array.isArray(bv)) {
    const strategy = listStrategy(kind, path);
    if (strategy?.mergeKey) {
      const key = strategy.mergeKey;
      const items: KObj[] = [];
      for (const b of bv as KObj[]) {
        const a = (av as KObj[]).find((x) => isObj(x) && x[key] === b[key]);
        if (!a) items.push(b);
        else {
          const d = diffObject(a, b, kind, path, deletions);
          if (d) items.push({ [key]: b[key], ...d });
        }
      }
      if (deletions) {
        for (const a of av as KObj[]) if (!(bv as KObj[]).some((b) => b[key] === a[key])) items.push({ $patch: 'delete', [key]: a[key] });
      }
      return items.length ? items : undefined;
    }
  }
  return bv;
}

/**
 * kubectl apply's three-way patch: changes from `current` to `modified`, plus deletions of what the
 * last applied configuration had and `modified` dropped. `{}` means nothing to do.
 */
export function createThreeWayMergePatch(lastApplied: KObj, modified: KObj, current: KObj, kind: string): KObj {
  const additions = diffObject(current ?? {}, modified ?? {}, kind, '', false) ?? {};
  const deletions = deletionsOf(lastApplied ?? {}, modified ?? {}, kind, '');
  return mergePatches(deletions, additions);
}

function deletionsOf(last: KObj, modified: KObj, kind: string, path: string): KObj {
  const out: KObj = {};
  for (const [k, lv] of Object.entries(last)) {
    const p = path ? `${path}.${k}` : k;
    if (!(k in modified)) out[k] = null;
    else if (isObj(lv) && isObj(modified[k])) {
      const d = deletionsOf(lv, modified[k], kind, p);
      if (Object.keys(d).length) out[k] = d;
    } else if (Array.isArray(lv) && Array.isArray(modified[k])) {
      const key = listStrategy(kind, p)?.mergeKey;
      if (key) {
        const gone = (lv as KObj[]).filter((l) => isObj(l) && !(modified[k] as KObj[]).some((m) => isObj(m) && m[key] === l[key]));
        if (gone.length) out[k] = gone.map((g) => ({ $patch: 'delete', [key]: g[key] }));
      }
    }
  }
  return out;
}

function mergePatches(a: KObj, b: KObj): KObj {
  const out: KObj = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (isObj(v) && isObj(out[k])) out[k] = mergePatches(out[k], v);
    else if (Array.isArray(v) && Array.isArray(out[k])) out[k] = [...out[k], ...v];
    else out[k] = v;
  }
  return out;
}
