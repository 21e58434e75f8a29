// kubectl config: current-context, get-contexts, get-clusters, get-users, use-context, set-context,
// rename-context, delete-context/cluster/user, set-cluster, set-credentials, set, unset, view.
import { CliError } from '../api/errors.js';
import type { KObj, ResourceDef } from '../api/types.js';
import { resolve } from 'node:path';
import { kubeconfigPath, loadKubeconfig, saveKubeconfig } from '../store/kubeconfig.js';
import { bool, parseFlags, str, type FlagSpec, type Parsed } from './flags.js';
import { applyCredentialPlugins, checkCredentialPluginFlags, CREDENTIAL_PLUGIN_FLAGS } from './config-credentials.js';
import { bytesValue, checkCluster, checkUser, modifyCluster, modifyUser } from './config-entries.js';
import { firstWord } from './help/entry.js';
import { OUTPUT_FLAGS, outputFormat, printStructured } from './output.js';
import type { IO } from './io.js';

interface Ctx {
  io: IO;
  p: Parsed;
  path: string;
  cfg: KObj;
}

const named = (list: KObj[] | undefined, name: string) => (list ?? []).find((x) => x.name === name);

function usage(sub: string, msg: string): CliError {
  return new CliError(`error: ${msg}\nSee 'kubectl config ${sub} -h' for help and examples`, 1, true);
}

async function table(rows: string[][]): Promise<string> {
  const { layoutTable } = await import('../printers/index.js');
  return layoutTable(rows);
}

function redact(cfg: KObj): KObj {
  const out = structuredClone(cfg);
  for (const c of out.clusters ?? []) if (c.cluster?.['certificate-authority-data']) c.cluster['certificate-authority-data'] = 'DATA+OMITTED';
  for (const u of out.users ?? []) {
    for (const k of ['client-certificate-data', 'client-key-data']) if (u.user?.[k]) u.user[k] = 'DATA+OMITTED';
    for (const k of ['token', 'password']) if (u.user?.[k]) u.user[k] = 'REDACTED';
  }
  return out;
}

function minify(cfg: KObj, contextName: string): KObj {
  const current = contextName || cfg['current-context'];
  const ctx = named(cfg.contexts, current);
  if (!ctx) throw new CliError(current ? `cannot locate context ${current}` : 'current-context must exist in order to minify');
  return {
    ...cfg,
    clusters: (cfg.clusters ?? []).filter((c: KObj) => c.name === ctx.context?.cluster),
    contexts: [ctx],
    'current-context': current,
    users: (cfg.users ?? []).filter((u: KObj) => u.name === ctx.context?.user),
  };
}

async function view(c: Ctx): Promise<number> {
  let cfg = c.cfg;
  if (bool(c.p, 'minify')) cfg = minify(cfg, str(c.p, 'context'));
  if (!bool(c.p, 'raw') && !bool(c.p, 'flatten')) cfg = redact(cfg);
  cfg = { apiVersion: 'v1', clusters: cfg.clusters ?? [], contexts: cfg.contexts ?? [], 'current-context': cfg['current-context'] ?? '', kind: 'Config', preferences: cfg.preferences ?? {}, users: cfg.users ?? [] };
  const pr = await import('../printers/index.js');
  // kubectl's print flags with yaml as the default output (and --template alone meaning go-template)
  const format = outputFormat(c.p, ['json', 'yaml', 'name', 'jsonpath', 'jsonpath-file', 'jsonpath-as-json']);
  if (format === 'yaml') c.io.stdout.write(pr.toYaml(cfg));
  else if (format === 'json') c.io.stdout.write((await import('../printers/kubeconfig-json.js')).kubeconfigJson(cfg));
  // the name printer finds no name in a Config
  else if (format === 'name') c.io.stdout.write('config/<unknown>\n');
  else await printStructured(c.io, c.p, [{ def: { kind: 'Config' } as ResourceDef, obj: cfg }], true, { typed: true });
  return 0;
}

async function getContexts(c: Ctx): Promise<number> {
  const wanted = c.p.args;
  const names = str(c.p, 'output') === 'name';
  const contexts: KObj[] = (c.cfg.contexts ?? []).filter((x: KObj) => !wanted.length || wanted.includes(x.name));
  contexts.sort((a, b) => (a.name < b.name ? -1 : 1));
  if (names) {
    for (const x of contexts) c.io.stdout.write(`${x.name}\n`);
  } else {
    const rows = bool(c.p, 'no-headers') ? [] : [['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE']];
    for (const x of contexts) {
      rows.push([x.name === c.cfg['current-context'] ? '*' : '', x.name, x.context?.cluster ?? '', x.context?.user ?? '', x.context?.namespace ?? '']);
    }
    c.io.stdout.write(await table(rows));
  }
  const missing = wanted.filter((w) => !contexts.some((x) => x.name === w));
  if (missing.length) throw new CliError(`context ${missing[0]} not found`);
  return 0;
}

function setContext(c: Ctx): number {
  let name = c.p.args[0];
  if (bool(c.p, 'current')) {
    if (name) throw new CliError('you cannot specify both a context name and --current');
    name = c.cfg['current-context'];
    if (!name) throw new CliError('no current context is set');
  }
  if (!name) throw usage('set-context', 'you must specify a non-empty context name or --current');
  let ctx = named(c.cfg.contexts, name);
  const created = !ctx;
  if (!ctx) {
    ctx = { context: {}, name };
    c.cfg.contexts.push(ctx);
  }
  ctx.context ??= {};
  for (const [flag, key] of [['cluster', 'cluster'], ['user', 'user'], ['namespace', 'namespace']]) {
    if (c.p.changed.has(flag)) ctx.context[key] = str(c.p, flag);
  }
  saveKubeconfig(c.path, c.cfg);
  c.io.stdout.write(`Context "${name}" ${created ? 'created' : 'modified'}.\n`);
  return 0;
}

function remove(c: Ctx, list: 'contexts' | 'clusters' | 'users', what: string): number {
  const name = c.p.args[0];
  if (!name) throw usage(`delete-${what}`, `you must specify a ${what} name`);
  const i = (c.cfg[list] ?? []).findIndex((x: KObj) => x.name === name);
  if (i < 0) throw new CliError(`cannot delete ${what} ${name}, not in ${c.path}`);
  c.cfg[list].splice(i, 1);
  if (list === 'contexts' && c.cfg['current-context'] === name) {
    c.io.stderr.write(`warning: this removed your active context, use "kubectl config use-context" to select a different one\n`);
  }
  saveKubeconfig(c.path, c.cfg);
  c.io.stdout.write(`deleted ${what} ${name} from ${c.path}\n`);
  return 0;
}

function setEntry(c: Ctx, list: 'clusters' | 'users', key: 'cluster' | 'user', label: string): number {
  const name = c.p.args[0];
  if (!name) throw usage(`set-${label === 'Cluster' ? 'cluster' : 'credentials'}`, `you must specify a non-empty ${label === 'Cluster' ? 'cluster' : 'user'} name`);
  if (key === 'user') {
    checkCredentialPluginFlags(c.p);
    checkUser(c.p, c.io.cwd);
  } else checkCluster(c.p, c.io.cwd);
  let entry = named(c.cfg[list], name);
  if (!entry) {
    entry = { name, [key]: {} };
    c.cfg[list].push(entry);
  }
  entry[key] ??= {};
  if (key === 'user') {
    modifyUser(entry[key], c.p, { cwd: c.io.cwd, kubeconfig: c.path });
    applyCredentialPlugins(entry[key], c.p);
  } else modifyCluster(entry[key], c.p, { cwd: c.io.cwd, kubeconfig: c.path });
  saveKubeconfig(c.path, c.cfg);
  c.io.stdout.write(`${label} "${name}" set.\n`);
  return 0;
}

function setProperty(c: Ctx, unset: boolean): number {
  const [prop, value] = c.p.args;
  if (!prop || (!unset && value === undefined)) throw usage(unset ? 'unset' : 'set', unset ? 'unexpected args: []' : 'unexpected args: ' + `[${c.p.args.join(' ')}]`);
  const parts = prop.split('.');
  let node: KObj = c.cfg;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i];
    if (['clusters', 'contexts', 'users'].includes(part) && i + 1 < parts.length - 1) {
      const listKey = part;
      const name = parts[++i];
      let entry = named(c.cfg[listKey], name);
      if (!entry) {
        if (unset) throw new CliError(`current map key \`${name}\` is invalid`);
        entry = { name, [listKey.slice(0, -1)]: {} };
        c.cfg[listKey].push(entry);
      }
      node = entry[listKey.slice(0, -1)] ??= {};
      continue;
    }
    node = node[part] ??= {};
  }
  const last = parts[parts.length - 1];
  if (unset) delete node[last];
  else if (['certificate-authority-data', 'client-certificate-data', 'client-key-data'].includes(last)) node[last] = bytesValue(value, bool(c.p, 'set-raw-bytes'));
  else node[last] = value === 'true' ? true : value === 'false' ? false : value;
  saveKubeconfig(c.path, c.cfg);
  c.io.stdout.write(unset ? `Property "${prop}" unset.\n` : `Property "${prop}" set.\n`);
  return 0;
}

const FLAGS: FlagSpec[] = [
  { name: 'current', type: 'bool', default: false },
  { name: 'output', short: 'o', type: 'string', default: '' },
  // config view's print flags: yaml by default
  { name: 'view-output', short: 'o', type: 'string', default: 'yaml' },
  ...OUTPUT_FLAGS.filter((f) => f.name !== 'output'),
  { name: 'no-headers', type: 'bool', default: false },
  { name: 'minify', type: 'bool', default: false },
  { name: 'raw', type: 'bool', default: false },
  { name: 'flatten', type: 'bool', default: false },
  // a tristate bool in kubectl: true unless given false; a bare --merge is true
  { name: 'merge', type: 'bool', default: true },
  { name: 'embed-certs', type: 'bool', default: false },
  { name: 'certificate-authority', type: 'string', default: '' },
  { name: 'client-certificate', type: 'string', default: '' },
  { name: 'client-key', type: 'string', default: '' },
  { name: 'token', type: 'string', default: '' },
  { name: 'username', type: 'string', default: '' },
  { name: 'password', type: 'string', default: '' },
  { name: 'set-raw-bytes', type: 'bool', default: false },
  { name: 'proxy-url', type: 'string', default: '' },
  ...CREDENTIAL_PLUGIN_FLAGS,
];

/** Global flags a subcommand also declares as its own (kubectl lists them among its options). */
const LOCAL_GLOBALS: FlagSpec[] = [
  { name: 'namespace', type: 'string', default: '' },
  { name: 'cluster', type: 'string', default: '' },
  { name: 'user', type: 'string', default: '' },
  { name: 'server', type: 'string', default: '' },
  { name: 'tls-server-name', type: 'string', default: '' },
  { name: 'insecure-skip-tls-verify', type: 'bool', default: false },
];

/** Each subcommand's own flags, as kubectl 1.32 declares them (of those kubesim supports). */
const SUB_FLAGS: Record<string, string[]> = {
  view: ['view-output', 'minify', 'raw', 'flatten', 'merge', 'template', 'show-managed-fields', 'allow-missing-template-keys'],
  'get-contexts': ['output', 'no-headers'],
  'set-context': ['current', 'namespace', 'cluster', 'user'],
  'set-cluster': ['server', 'certificate-authority', 'embed-certs', 'insecure-skip-tls-verify', 'tls-server-name', 'proxy-url'],
  'set-credentials': ['client-certificate', 'client-key', 'token', 'username', 'password', 'embed-certs', ...CREDENTIAL_PLUGIN_FLAGS.map((f) => f.name)],
  set: ['set-raw-bytes'],
};

function flagsOf(sub: string): FlagSpec[] {
  const names = SUB_FLAGS[sub] ?? [];
  return [...FLAGS, ...LOCAL_GLOBALS].filter((f) => names.includes(f.name)).map((f) => (f.name === 'view-output' ? { ...f, name: 'output' } : f));
}

const HELP = `Modify kubeconfig files using subcommands like "kubectl config set current-context my-context".

 The loading order follows these rules:

  1.  If the --kubeconfig flag is set, then only that file is loaded. The flag may only be set once and no merging takes place.
  2.  If $KUBECONFIG environment variable is set, then it is used as a list of paths (normal path delimiting rules for your system). These paths are merged. When a value is modified, it is modified in the file that defines the stanza. When a value is created, it is created in the first file that exists. If no files in the chain exist, then it creates the last file in the list.
  3.  Otherwise, \${HOME}/.kube/config is used and no merging takes place.

Available Commands:
  current-context   Display the current-context
  delete-cluster    Delete the specified cluster from the kubeconfig
  delete-context    Delete the specified context from the kubeconfig
  delete-user       Delete the specified user from the kubeconfig
  get-clusters      Display clusters defined in the kubeconfig
  get-contexts      Describe one or many contexts
  get-users         Display users defined in the kubeconfig
  rename-context    Rename a context from the kubeconfig file
  set               Set an individual value in a kubeconfig file
  set-cluster       Set a cluster entry in kubeconfig
  set-context       Set a context entry in kubeconfig
  set-credentials   Set a user entry in kubeconfig
  unset             Unset an individual value in a kubeconfig file
  use-context       Set the current-context in a kubeconfig file
  view              Display merged kubeconfig settings or a specified kubeconfig file

Usage:
  kubectl config SUBCOMMAND [options]

Use "kubectl config <command> --help" for more information about a given command.
Use "kubectl options" for a list of global command-line options (applies to all commands).
`;

export default async function config(argv: string[], io: IO): Promise<number> {
  // the subcommand word, global flags' values skipped (`config --kubeconfig FILE view`)
  const subIndex = firstWord(argv);
  const sub = subIndex >= 0 ? argv[subIndex] : undefined;
  if (!sub) {
    io.stdout.write(HELP);
    return 0;
  }
  const rest = [...argv.slice(0, subIndex), ...argv.slice(subIndex + 1)];
  const p = parseFlags(rest, flagsOf(sub === 'use' ? 'use-context' : sub), `config ${sub}`);
  const path = resolve(io.cwd, kubeconfigPath(io.env, str(p, 'kubeconfig')));
  const c: Ctx = { io, p, path, cfg: loadKubeconfig(path, io.env) };
  switch (sub) {
    case 'current-context': {
      const cur = c.cfg['current-context'];
      if (!cur) throw new CliError('current-context is not set');
      io.stdout.write(`${cur}\n`);
      return 0;
    }
    case 'view':
      return view(c);
    case 'get-contexts':
      return getContexts(c);
    case 'get-clusters':
    case 'get-users': {
      const list = sub === 'get-clusters' ? c.cfg.clusters : c.cfg.users;
      io.stdout.write(`NAME\n${(list ?? []).map((x: KObj) => `${x.name}\n`).join('')}`);
      return 0;
    }
    case 'use-context':
    case 'use': {
      const name = p.args[0];
      if (!name) throw usage('use-context', 'Unexpected args: []');
      if (!named(c.cfg.contexts, name)) throw new CliError(`no context exists with the name: "${name}"`);
      c.cfg['current-context'] = name;
      saveKubeconfig(path, c.cfg);
      io.stdout.write(`Switched to context "${name}".\n`);
      return 0;
    }
    case 'set-context':
      return setContext(c);
    case 'rename-context': {
      const [from, to] = p.args;
      if (!from || !to) throw usage('rename-context', 'Unexpected args: ' + `[${p.args.join(' ')}]`);
      const ctx = named(c.cfg.contexts, from);
      if (!ctx) throw new CliError(`cannot rename the context "${from}", it's not in ${path}`);
      if (named(c.cfg.contexts, to)) throw new CliError(`cannot rename the context "${from}", the context "${to}" already exists in ${path}`);
      ctx.name = to;
      if (c.cfg['current-context'] === from) c.cfg['current-context'] = to;
      saveKubeconfig(path, c.cfg);
      io.stdout.write(`Context "${from}" renamed to "${to}".\n`);
      return 0;
    }
    case 'delete-context':
      return remove(c, 'contexts', 'context');
    case 'delete-cluster':
      return remove(c, 'clusters', 'cluster');
    case 'delete-user':
      return remove(c, 'users', 'user');
    case 'set-cluster':
      return setEntry(c, 'clusters', 'cluster', 'Cluster');
    case 'set-credentials':
      return setEntry(c, 'users', 'user', 'User');
    case 'set':
      return setProperty(c, false);
    case 'unset':
      return setProperty(c, true);
    default:
      throw new CliError(`Error: unknown command "${sub}" for "kubectl config"\n\nDid you mean this?\n\tview\n\nRun 'kubectl config --help' for usage.`, 1, true);
  }
}
