// What the `create <kind> NAME …` subcommands share: kubectl's one-NAME check, what they print, and
// the end of `create job|cronjob`: an object the subcommand built goes to the API server as kubectl
// sends it (server fields dropped, the last-applied annotation with --save-config), and a refusal
// reads `failed to create <what>: …` as kubectl words it.
import { CliError, StatusError } from '../api/errors.js';
import type { KObj, ResourceDef } from '../api/types.js';
import { str, type Parsed } from './flags.js';
import type { IO } from './io.js';
import { printResult, printStructured } from './output.js';
import type { Session } from './session.js';

/** kubectl's check that a `create <kind>` got exactly one NAME (`count`: the words that are names). */
export function oneName(p: Parsed, word: string, count = p.args.length): string {
  if (count !== 1) throw new CliError(`error: exactly one NAME is required, got ${count}\nSee 'kubectl create ${word} -h' for help and examples`, 1, true);
  return p.args[0];
}

/** A client dry run with -o prints the typed object kubectl built; anything else the `created` line. */
export async function printCreated(io: IO, p: Parsed, def: ResourceDef, obj: KObj, dryRun: string): Promise<void> {
  if (dryRun === 'client' && str(p, 'output') && str(p, 'output') !== 'name') await printStructured(io, p, [{ def, obj }], true, { typed: true });
  else await printResult(io, p, { def, obj }, 'created', dryRun);
}

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
