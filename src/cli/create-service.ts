// kubectl create service clusterip|nodeport|loadbalancer|externalname NAME [--tcp=port[:targetPort]]…
// (kubectl/pkg/cmd/create/create_service.go): label and selector app=NAME, one TCP port per --tcp
// named after it (`80:8080` → `80-8080`), --node-port on every port, --clusterip (clusterip only),
// --external-name (externalname only, required).
import { CliError, StatusError } from '../api/errors.js';
import { resourceForKind } from '../api/registry.js';
import type { KObj, ResourceDef } from '../api/types.js';
import { int, list, parseFlags, str, type FlagSpec, type Parsed } from './flags.js';
import type { IO } from './io.js';
import { VALIDATE_FLAG } from './objects.js';
import { checkMutatingOutput, DRY_RUN_FLAG, dryRunMode, OUTPUT_FLAGS, printResult } from './output.js';
import { oneName, printCreated } from './create-built.js';
import { withCluster } from './session.js';
import { isValidPortName } from '../api/validation/names.js';
import { parsePortNumber } from './service-ports.js';

const SERVICE_DEF = resourceForKind('v1', 'Service') as ResourceDef;

const TYPES: Record<string, string> = { clusterip: 'ClusterIP', nodeport: 'NodePort', loadbalancer: 'LoadBalancer', externalname: 'ExternalName' };

const COMMON: FlagSpec[] = [
  ...OUTPUT_FLAGS,
  DRY_RUN_FLAG,
  VALIDATE_FLAG,
  { name: 'save-config', type: 'bool', default: false },
  { name: 'field-manager', type: 'string', default: 'kubectl-create' },
];

function flagsFor(kind: string): FlagSpec[] {
  const f: FlagSpec[] = [...COMMON, { name: 'tcp', type: 'stringSlice', default: [] }];
  if (kind === 'clusterip') f.push({ name: 'clusterip', type: 'string', default: '' });
  if (kind === 'nodeport') f.push({ name: 'node-port', type: 'int', default: 0 });
  if (kind === 'externalname') f.push({ name: 'external-name', type: 'string', default: '' });
  return f;
}

const HELP = `Create a service using a specified subcommand.

Aliases:
service, svc

Available Commands:
  clusterip      Create a ClusterIP service
  externalname   Create an ExternalName service
  loadbalancer   Create a LoadBalancer service
  nodeport       Create a NodePort service

Usage:
  kubectl create service [flags] [options]

Use "kubectl create service <command> --help" for more information about a given command.
Use "kubectl options" for a list of global command-line options (applies to all commands).
`;

/** parsePorts: `port[:targetPort]`, the target a number or a port name. */
function parsePorts(spec: string): { port: number; targetPort: number | string } {
  const parts = spec.split(':');
  const port = parsePortNumber(parts[0], true);
  if (parts.length === 1) return { port, targetPort: port };
  const t = parts[1];
  if (/^[+-]?\d+$/.test(t)) {
    const n = Number(t);
    if (n < 1 || n > 65535) throw new CliError('must be between 1 and 65535, inclusive');
    return { port, targetPort: n };
  }
  const errs = isValidPortName(t);
  if (errs.length) throw new CliError(errs.join(','));
  return { port, targetPort: t };
}

/** DNS-1123 subdomain (validation.IsDNS1123Subdomain). */
function isDns1123Subdomain(s: string): boolean {
  return s.length > 0 && s.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(s);
}

/** The Service kubectl builds, in its typed field order. */
export function buildService(kind: string, name: string, p: Parsed, namespace?: string): KObj {
  const type = TYPES[kind];
  const clusterIP = kind === 'clusterip' ? str(p, 'clusterip') : '';
  const tcp = list(p, 'tcp');
  const externalName = kind === 'externalname' ? str(p, 'external-name') : '';
  if (clusterIP === 'None' && type !== 'ClusterIP') throw new CliError('ClusterIP=None can only be used with ClusterIP service type');
  if (clusterIP !== 'None' && !tcp.length && type !== 'ExternalName') throw new CliError('at least one tcp port specifier must be provided');
  if (type === 'ExternalName' && !isDns1123Subdomain(externalName)) throw new CliError(`invalid service external name ${externalName}`);
  const nodePort = kind === 'nodeport' ? int(p, 'node-port') : 0;
  const ports = tcp.map((t) => {
    const { port, targetPort } = parsePorts(t);
    const sp: KObj = { name: t.replaceAll(':', '-'), protocol: 'TCP', port, targetPort };
    if (nodePort) sp.nodePort = nodePort;
    return sp;
  });
  const metadata: KObj = { name };
  if (namespace) metadata.namespace = namespace;
  metadata.creationTimestamp = null;
  metadata.labels = { app: name };
  const spec: KObj = {};
  if (ports.length) spec.ports = ports;
  spec.selector = { app: name };
  if (clusterIP) spec.clusterIP = clusterIP;
  spec.type = type;
  if (externalName) spec.externalName = externalName;
  return { kind: 'Service', apiVersion: 'v1', metadata, spec, status: { loadBalancer: {} } };
}

export default async function createService(word: string, argv: string[], io: IO): Promise<number> {
  // `create service` alone: cobra's help for the parent command, on stderr, exit 1
  const kind = word.split(' ')[1];
  if (!kind || !TYPES[kind]) {
    io.stderr.write(HELP);
    return 1;
  }
  const p = parseFlags(argv, flagsFor(kind), `create ${word}`);
  oneName(p, word);
  if (kind === 'externalname' && !p.changed.has('external-name')) {
    io.stderr.write('error: required flag(s) "external-name" not set\n');
    return 1;
  }
  checkMutatingOutput(p);
  const dryRun = dryRunMode(p, io);
  const name = p.args[0];
  if (dryRun === 'client') {
    const obj = buildService(kind, name, p, str(p, 'namespace') || undefined);
    await printCreated(io, p, SERVICE_DEF, obj, dryRun);
    return 0;
  }
  return withCluster(io, p, 'write', async (s) => {
    const obj = buildService(kind, name, p);
    obj.metadata.namespace = s.namespace;
    delete obj.metadata.creationTimestamp;
    delete obj.status;
    try {
      const created = s.cluster.api.create(SERVICE_DEF, obj, { dryRun: dryRun === 'server' });
      await printResult(io, p, { def: SERVICE_DEF, obj: created }, 'created', dryRun);
      return 0;
    } catch (e) {
      if (e instanceof StatusError && e.reason === 'AlreadyExists') throw new CliError(`failed to create ${TYPES[kind]} service: ${e.message}`);
      // the server's own message (NewInvalid: no "The", several causes as an aggregate in brackets)
      if (e instanceof StatusError && e.reason === 'Invalid') {
        const causes = (e.details?.causes ?? []).map((c) => `${c.field}: ${c.message}`);
        const msg = `Service ${JSON.stringify(name)} is invalid: ${causes.length === 1 ? causes[0] : `[${causes.join(', ')}]`}`;
        throw new CliError(`failed to create ${TYPES[kind]} service: ${msg}`);
      }
      throw e;
    }
  });
}
