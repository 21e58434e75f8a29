// kubectl run and expose: --overrides with --override-type (kubectl's cmdutil.Overrider): a JSON merge patch
// (the default), an RFC 6902 JSON patch or a strategic merge patch over the generated object.
import { CliError, StatusError } from '../api/errors.js';
import type { KObj } from '../api/types.js';

export async function applyOverrides(obj: KObj, text: string, type: string): Promise<KObj> {
  const patch = await import('../api/patch/index.js');
  switch (type || 'merge') {
    case 'merge':
      return patch.mergeOverrides(obj, text);
    case 'json':
    case 'strategic': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new CliError(type === 'json' ? 'invalid character in JSON patch' : 'Invalid JSON Patch');
      }
      try {
        if (type === 'json') return patch.applyJsonPatch(obj, parsed);
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new CliError('Invalid JSON Patch');
        return patch.strategicMergePatch(obj, parsed as KObj, String(obj.kind ?? ''));
      } catch (e) {
        if (e instanceof StatusError) throw new CliError(e.message);
        throw e;
      }
    }
    default:
      throw new CliError(`invalid override type: ${type}`);
  }
}
