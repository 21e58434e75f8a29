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
