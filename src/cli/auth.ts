// kubectl auth can-i | whoami (kubectl/pkg/cmd/auth): kubesim's user is the cluster's admin
// (minikube's minikube-user, kind's kubernetes-admin), whom RBAC allows everything.
import { CliError } from '../api/errors.js';
import { findResource, resourceForKind } from '../api/registry.js';
import { toJson } from '../printers/json.js';
import { TabWriter } from '../printers/tabwriter.js';
import { toYaml } from '../printers/yaml.js';
import { bool, list, parseFlags, str, type Parsed } from './flags.js';
import type { IO } from './io.js';
import { notSupported } from './help/entry.js';
import { withCluster } from './session.js';

const CAN_I_FLAGS = [
  { name: 'all-namespaces', short: 'A', type: 'bool' as const, default: false },
  { name: 'quiet', short: 'q', type: 'bool' as const, default: false },
  { name: 'subresource', type: 'string' as const, default: '' },
  { name: 'list', type: 'bool' as const, default: false },
  { name: 'no-headers', type: 'bool' as const, default: false },
];

const WHOAMI_FLAGS = [
  { name: 'output', short: 'o', type: 'string' as const, default: '' },
  { name: 'allow-missing-template-keys', type: 'bool' as const, default: true },
  { name: 'show-managed-fields', type: 'bool' as const, default: false },
  { name: 'template', type: 'string' as const, default: '' },
];

/**
 * The admin's rules as a SelfSubjectRulesReview reports them, broken down, compacted and sorted by
 * their text as kubectl does: cluster-admin (system:masters), then what every authenticated user
 * has (system:basic-user, system:discovery, system:public-info-viewer; the last two share some URLs).
 */
const ADMIN_RULES: string[][] = [
  ['*.*', '[]', '[]', '[*]'],
  ['', '[*]', '[]', '[*]'],
  ['selfsubjectreviews.authentication.k8s.io', '[]', '[]', '[create]'],
  ['selfsubjectaccessreviews.authorization.k8s.io', '[]', '[]', '[create]'],
  ['selfsubjectrulesreviews.authorization.k8s.io', '[]', '[]', '[create]'],
  ...['/api/*', '/api', '/apis/*', '/apis', '/healthz', '/healthz', '/livez', '/livez', '/openapi/*', '/openapi', '/readyz', '/readyz', '/version/', '/version/', '/version', '/version'].map((u) => ['', `[${u}]`, '[]', '[get]']),
];

/**
 * --as/--as-group: the API server answers for the impersonated user, who has only the grants every
 * authenticated user has unless a group bound to cluster-admin is given.
 */
function impersonated(p: Parsed): { username: string; groups: string[]; admin: boolean } | undefined {
  const username = str(p, 'as');
  if (!username) return undefined;
  const groups = list(p, 'as-group');
  return { username, groups: [...groups, 'system:authenticated'], admin: groups.some((g) => g === 'system:masters' || g === 'kubeadm:cluster-admins') };
}

/** kubectl's printers.GetNewTabWriter: minwidth 6, tabwidth 4, padding 3. */
function table(text: string): string {
  return new TabWriter({ minwidth: 6, padding: 3 }).write(text).flush();
}

async function canI(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, CAN_I_FLAGS, 'auth can-i');
  if (bool(p, 'list')) {
    if (p.args.length) throw new CliError('list option must be specified with no arguments');
    if (bool(p, 'quiet') || bool(p, 'all-namespaces') || str(p, 'subresource')) {
      throw new CliError("list option can't be specified with neither quiet, all-namespaces nor subresource options");
    }
  } else if (p.args.length !== 2) {
    throw new CliError("you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.");
  }
  if (bool(p, 'no-headers') && !bool(p, 'list')) throw new CliError('--no-headers cannot be set without --list specified');
  const as = impersonated(p);
  if (bool(p, 'list')) {
    const head = bool(p, 'no-headers') ? '' : 'Resources\tNon-Resource URLs\tResource Names\tVerbs\n';
    const rules = as && !as.admin ? ADMIN_RULES.slice(2) : ADMIN_RULES;
    io.stdout.write(table(head + rules.map((r) => `${r.join('\t')}\n`).join('')));
    return 0;
  }
  const target = p.args[1];
  if (!target.startsWith('/')) {
    const type = target.split('/')[0];
    if (type !== '*' && !findResource(type)) io.stderr.write(`Warning: the server doesn't have a resource type '${type}'\n\n`);
  } else if (str(p, 'subresource')) {
    throw new CliError('--subresource can not be used with NonResourceURL');
  }
  // an impersonated user without a cluster-admin group has no grant here (the self reviews aside)
  const allowed = !as || as.admin || (target.split('/')[0].startsWith('selfsubject') && p.args[0] === 'create');
  if (!bool(p, 'quiet')) io.stdout.write(allowed ? 'yes\n' : 'no\n');
  return allowed ? 0 : 1;
}

async function whoami(argv: string[], io: IO): Promise<number> {
  const p: Parsed = parseFlags(argv, WHOAMI_FLAGS, 'auth whoami');
  const kind = await withCluster(io, p, 'read', (s) => s.cluster.api.peek(resourceForKind('v1', 'Node')!, undefined, 'kind-control-plane') !== undefined);
  const as = impersonated(p);
  const username = as?.username ?? (kind ? 'kubernetes-admin' : 'minikube-user');
  const groups = as?.groups ?? (kind ? ['kubeadm:cluster-admins', 'system:authenticated'] : ['system:masters', 'system:authenticated']);
  const output = str(p, 'output');
  if (output === '') {
    io.stdout.write(table(`ATTRIBUTE\tVALUE\nUsername\t${username}\nGroups\t[${groups.join(' ')}]\n`));
    return 0;
  }
  const review = {
    kind: 'SelfSubjectReview',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { creationTimestamp: null },
    status: { userInfo: { username, groups } },
  };
  if (output === 'json') io.stdout.write(toJson(review, { sort: false }));
  else if (output === 'yaml') io.stdout.write(toYaml(review));
  else throw new CliError(`unable to match a printer suitable for the output format "${output}", allowed formats are: json,yaml`);
  return 0;
}

export default async function auth(argv: string[], io: IO): Promise<number> {
  const at = argv.findIndex((a) => !a.startsWith('-'));
  const sub = at >= 0 ? argv[at] : undefined;
  const rest = at >= 0 ? [...argv.slice(0, at), ...argv.slice(at + 1)] : argv;
  if (sub === 'can-i') return canI(rest, io);
  if (sub === 'whoami') return whoami(rest, io);
  throw notSupported(sub ? `auth ${sub}` : 'auth');
}
