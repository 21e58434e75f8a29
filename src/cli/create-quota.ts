// kubectl create quota NAME [--hard=key=value,...] [--scopes=Scope,...]: the ResourceQuota it builds.
import { CliError } from '../api/errors.js';
import { parseQuantity } from '../api/quantity.js';
import type { KObj } from '../api/types.js';
import { str, type FlagSpec, type Parsed } from './flags.js';

export const QUOTA_FLAGS: FlagSpec[] = [
  { name: 'hard', type: 'string', default: '' },
  { name: 'scopes', type: 'string', default: '' },
];

const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

/** populateResourceListV1: `a=1,b=2` into a resource list, with kubectl's errors. */
function resourceList(spec: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of spec.split(',')) {
    if (!pair) continue;
    const parts = pair.split('=');
    if (parts.length !== 2) throw new CliError(`Invalid argument syntax ${pair}, expected <resource>=<value>`);
    const [name, value] = parts;
    if (!QUANTITY.test(value) || !parseQuantity(value)) throw new CliError("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    out[name] = value;
  }
  return out;
}

export function buildQuota(name: string, p: Parsed): KObj {
  const spec: KObj = {};
  const hard = resourceList(str(p, 'hard'));
  if (Object.keys(hard).length) spec.hard = hard;
  const scopes = str(p, 'scopes')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (scopes.length) spec.scopes = scopes;
  return { kind: 'ResourceQuota', apiVersion: 'v1', metadata: { name, creationTimestamp: null }, spec, status: {} };
}
