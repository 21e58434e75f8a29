// config set-credentials' auth-provider and exec plugin flags (kubectl's set_credentials.go): an
// auth provider by name with key=value (key- removes) config; an exec plugin's command, which a new
// command resets the arguments of, with api version, arguments, environment, interactive mode and
// provideClusterInfo changed only when the user already has (or now gets) an exec plugin.
import { CliError } from '../api/errors.js';
import type { KObj } from '../api/types.js';
import { bool, list, str, type FlagSpec, type Parsed } from './flags.js';

export const CREDENTIAL_PLUGIN_FLAGS: FlagSpec[] = [
  { name: 'auth-provider', type: 'string', default: '' },
  { name: 'auth-provider-arg', type: 'stringSlice', default: [] },
  { name: 'exec-command', type: 'string', default: '' },
  { name: 'exec-api-version', type: 'string', default: '' },
  { name: 'exec-arg', type: 'stringSlice', default: [] },
  { name: 'exec-env', type: 'stringArray', default: [] },
  { name: 'exec-interactive-mode', type: 'string', default: '' },
  { name: 'exec-provide-cluster-info', type: 'bool', default: false, noOptDefault: 'true' },
];

/** cmdutil.ParsePairs with removal: `key=value` sets, `key-` removes. */
function parsePairs(args: string[], pairType: string): { set: [string, string][]; remove: string[] } {
  const set: [string, string][] = [];
  const remove: string[] = [];
  const invalid: string[] = [];
  for (const a of args) {
    if (a.includes('=') && a[0] !== '=') {
      const i = a.indexOf('=');
      set.push([a.slice(0, i), a.slice(i + 1)]);
    } else if (a.endsWith('-') && a !== '-') remove.push(a.slice(0, -1));
    else invalid.push(a);
  }
  if (invalid.length) throw new CliError(`invalid ${pairType} format: ${invalid.join(', ')}`);
  return { set, remove };
}

/** Checks made before anything changes (complete and validate). */
export function checkCredentialPluginFlags(p: Parsed): void {
  parsePairs(list(p, 'auth-provider-arg'), 'auth-provider-arg');
  parsePairs(list(p, 'exec-env'), 'exec-env');
  if (p.changed.has('exec-interactive-mode') && !['IfAvailable', 'Always', 'Never'].includes(str(p, 'exec-interactive-mode'))) {
    throw new CliError('invalid interactive mode type, can be only IfAvailable, Never, Always');
  }
}

/** Changes the user entry (`users[].user`) as the flags given ask. */
export function applyCredentialPlugins(user: KObj, p: Parsed): void {
  if (p.changed.has('auth-provider')) {
    const name = str(p, 'auth-provider');
    if (user['auth-provider']?.name !== name) user['auth-provider'] = { name };
  }
  if (user['auth-provider']) {
    const { set, remove } = parsePairs(list(p, 'auth-provider-arg'), 'auth-provider-arg');
    const config: Record<string, string> = { ...(user['auth-provider'].config ?? {}) };
    for (const k of remove) delete config[k];
    for (const [k, v] of set) config[k] = v;
    user['auth-provider'].config = config;
  }
  if (p.changed.has('exec-command')) {
    if (!user.exec) user.exec = { command: str(p, 'exec-command') };
    else {
      user.exec.command = str(p, 'exec-command');
      delete user.exec.args;
    }
  }
  const exec = user.exec;
  if (!exec) return;
  if (p.changed.has('exec-api-version')) exec.apiVersion = str(p, 'exec-api-version');
  if (list(p, 'exec-arg').length) exec.args = list(p, 'exec-arg');
  if (p.changed.has('exec-interactive-mode')) exec.interactiveMode = str(p, 'exec-interactive-mode');
  if (p.changed.has('exec-provide-cluster-info')) exec.provideClusterInfo = bool(p, 'exec-provide-cluster-info');
  const { set, remove } = parsePairs(list(p, 'exec-env'), 'exec-env');
  if (!list(p, 'exec-env').length) return;
  let env: { name: string; value: string }[] = (exec.env ?? []).filter((e: KObj) => !remove.includes(e.name));
  for (const [name, value] of set) {
    const found = env.find((e) => e.name === name);
    if (found) found.value = value;
    else env = [...env, { name, value }];
  }
  exec.env = env;
}
