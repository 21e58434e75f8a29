// Label and field selectors with apimachinery's syntax: `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
// `a notin (x)`, `a`, `!a`, comma-separated requirements that must all hold.
import { StatusError } from './errors.js';
import type { KObj } from './types.js';

export type Op = '=' | '!=' | 'in' | 'notin' | 'exists' | '!';

export interface Requirement {
  key: string;
  op: Op;
  values: string[];
}

export interface LabelSelector {
  requirements: Requirement[];
  matches(labels: Record<string, string> | undefined): boolean;
  toString(): string;
}

function parseError(msg: string): StatusError {
  return new StatusError('BadRequest', `unable to parse requirement: ${msg}`);
}

const KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkKey(k: string): void {
  if (!KEY.test(k)) {
    throw parseError(
      `invalid label key "${k}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    );
  }
}

function checkValue(v: string): void {
  if (v.length > 63 || !VALUE.test(v)) {
    throw parseError(
      `invalid label value: "${v}": at key: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    );
  }
}

/** Splits on commas that are not inside parentheses. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

function parseRequirement(raw: string): Requirement {
  const t = raw.trim();
  if (!t) throw parseError("found '', expected: !, identifier, or 'end of string'");
  if (t.startsWith('!')) {
    const key = t.slice(1).trim();
    checkKey(key);
    return { key, op: '!', values: [] };
  }
  const set = t.match(/^(\S+)\s+(in|notin)\s*\((.*)\)\s*$/);
  if (set) {
    checkKey(set[1]);
    const values = set[3].split(',').map((v) => v.trim());
    for (const v of values) checkValue(v);
    return { key: set[1], op: set[2] as Op, values };
  }
  if (/^\S+\s+(in|notin)\b/.test(t)) throw parseError("found '', expected: ')'");
  const m = t.match(/^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/);
  if (m) {
    checkKey(m[1]);
    const value = m[3].trim();
    if (/[\s=!(),]/.test(value)) throw parseError(`found '${value.split(/[\s=!(),]/).slice(1).join('') || value}', expected: ',' or 'end of string'`);
    checkValue(value);
    return { key: m[1], op: m[2] === '!=' ? '!=' : '=', values: [value] };
  }
  if (/\s/.test(t)) throw parseError(`found '${t.split(/\s+/)[1]}', expected: in, notin, =, ==, !=, gt, lt`);
  checkKey(t);
  return { key: t, op: 'exists', values: [] };
}

function matchOne(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = labels[r.key];
  switch (r.op) {
    case '=':
    case 'in':
      return has && r.values.includes(v);
    case '!=':
    case 'notin':
      return !has || !r.values.includes(v);
    case 'exists':
      return has;
    case '!':
      return !has;
  }
}

function reqString(r: Requirement): string {
  switch (r.op) {
    case 'in':
    case 'notin':
      return `${r.key} ${r.op} (${[...r.values].sort().join(',')})`;
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    default:
      return `${r.key}${r.op}${r.values[0]}`;
  }
}

function selector(requirements: Requirement[]): LabelSelector {
  return {
    requirements,
    matches: (labels) => requirements.every((r) => matchOne(r, labels ?? {})),
    toString: () => requirements.map(reqString).join(','),
  };
}

export function parseLabelSelector(text: string): LabelSelector {
  if (text.trim() === '') return selector([]);
  return selector(splitTop(text).map(parseRequirement));
}

/** A workload's `selector` (matchLabels + matchExpressions). */
export function selectorFromLabelSelector(spec: KObj | undefined): LabelSelector {
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(spec?.matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) reqs.push({ key: k, op: '=', values: [String(v)] });
  for (const e of spec?.matchExpressions ?? []) {
    const op = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' } as Record<string, Op>)[e.operator];
    if (op) reqs.push({ key: e.key, op, values: e.values ?? [] });
  }
  return selector(reqs);
}

/** `app=web,tier in (a,b)` as tables and describe print a LabelSelector; `<none>` when empty. */
export function formatLabelSelector(spec: KObj | undefined): string {
  const s = selectorFromLabelSelector(spec).toString();
  return s || '<none>';
}

// ---- field selectors ----

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

export function parseFieldSelector(text: string): FieldRequirement[] {
  if (!text.trim()) return [];
  return text.split(',').map((part) => {
    const m = part.match(/^\s*([^=!]+?)\s*(==|=|!=)\s*(.*?)\s*$/);
    if (!m) throw new StatusError('BadRequest', `invalid selector: '${text}'; can't understand '${part}'`);
    return { field: m[1], op: m[2] === '!=' ? '!=' : '=', value: m[3] };
  });
}

const COMMON = ['metadata.name', 'metadata.namespace'];
const FIELDS: Record<string, string[]> = {
  Pod: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.podIPs', 'status.nominatedNodeName'],
  Event: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  Namespace: ['status.phase'],
  Node: ['spec.unschedulable'],
  Secret: ['type'],
  ReplicaSet: ['status.replicas'],
  Job: ['status.successful'],
};

function fieldValue(kind: string, obj: KObj, field: string): string {
  if (kind === 'Event' && field === 'source') return obj.source?.component ?? '';
  if (kind === 'Pod' && field === 'status.podIPs') return obj.status?.podIPs?.[0]?.ip ?? '';
  const v = field.split('.').reduce((a: KObj | undefined, k) => a?.[k], obj);
  if (v === undefined || v === null) {
    if (kind === 'Pod' && field === 'spec.hostNetwork') return 'false';
    if (kind === 'Node' && field === 'spec.unschedulable') return 'false';
    return '';
  }
  return String(v);
}

export function fieldSelectorMatcher(kind: string, reqs: FieldRequirement[], plural = `${kind.toLowerCase()}s`, group = '', version = 'v1') {
  for (const r of reqs) {
    if (!COMMON.includes(r.field) && !(FIELDS[kind] ?? []).includes(r.field)) {
      // the apiserver prints the GroupVersionResource: "/v1, Resource=pods", "apps/v1, Resource=deployments"
      throw new StatusError('BadRequest', `Unable to find "${group}/${version}, Resource=${plural}" that match label selector "", field selector "${reqs.map((x) => `${x.field}${x.op}${x.value}`).join(',')}": field label not supported: ${r.field}`);
    }
  }
  return {
    matches: (o: KObj) => reqs.every((r) => (fieldValue(kind, o, r.field) === r.value) === (r.op === '=')),
  };
}
