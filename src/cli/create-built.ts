// The end of `create job|cronjob …`: an object the subcommand built goes to the API server as
// kubectl sends it (server fields dropped, the last-applied annotation with --save-config), and a
// refusal reads `failed to create <what>: …` as kubectl words it.
import { CliError, StatusError } from '../api/errors.js';
import type { KObj, ResourceDef } from '../api/types.js';
import type { Session } from './session.js';

export async function createBuilt(s: Session, def: ResourceDef, obj: KObj, opts: { what: string; saveConfig: boolean; serverDryRun: boolean }): Promise<KObj> {
  delete obj.metadata.creationTimestamp;
  delete obj.status;
  if (opts.saveConfig) {
    const { withLastApplied } = await import('./apply-annotation.js');
    Object.assign(obj, withLastApplied(obj));
  }
  try {
    return s.cluster.api.create(def, obj, { dryRun: opts.serverDryRun });
  } catch (e) {
    if (!(e instanceof StatusError)) throw e;
    if (e.reason === 'Invalid') {
      const causes = (e.details?.causes ?? []).map((c) => `${c.field}: ${c.message}`);
      const body = causes.length === 1 ? causes[0] : `[${causes.join(', ')}]`;
      throw new CliError(`failed to create ${opts.what}: ${def.kind}${def.group ? `.${def.group}` : ''} "${obj.metadata.name}" is invalid: ${body}`);
    }
    throw new CliError(`failed to create ${opts.what}: ${e.message}`);
  }
}
