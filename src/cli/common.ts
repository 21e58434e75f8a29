// Small argument helpers shared by several verbs.
import { CliError } from '../api/errors.js';

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
