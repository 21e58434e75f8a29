// Small argument helpers shared by several verbs.
import { CliError } from '../api/errors.js';

/** kubectl's answer when a verb that acts on objects was given none. */
export const NO_RESOURCES = `You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'`;

/** `a=b,c=d` → {a: 'b', c: 'd'} (kubectl run --labels, --annotations). */
export function parseLabelsArg(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const i = part.indexOf('=');
    if (i <= 0) throw new CliError(`invalid label spec: ${part}`);
    out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}

/** kubectl's generate.ParseLabels (`expose --labels/--selector`, `run --expose`): `a=b,c=d` with its own texts. */
export function parseLabelSpec(spec: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of spec.split(',')) {
    const kv = part.split('=');
    if (kv.length !== 2) throw new CliError(`unexpected label spec: ${part}`);
    if (!kv[0]) throw new CliError('unexpected empty label key');
    out[kv[0]] = kv[1];
  }
  return out;
}

/** cmdutil.GetResourcesAndPairs: resources first, then NAME=VALUE pairs. */
export function resourcesAndPairs(args: string[], pairType: string): { resources: string[]; pairs: string[] } {
  const resources: string[] = [];
  const pairs: string[] = [];
  for (const s of args) {
    const nonResource = (s.includes('=') && s[0] !== '=') || (s.endsWith('-') && s !== '-');
    if (nonResource) pairs.push(s);
    else if (pairs.length) throw new CliError(`all resources must be specified before ${pairType} changes: ${s}`);
    else resources.push(s);
  }
  return { resources, pairs };
}
