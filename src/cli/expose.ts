// kubectl expose (pod|deployment|replicaset|service) NAME | -f FILE [--port] [--target-port]
// [--protocol] [--type] [--name] [--selector] [--labels] [--external-ip] [--cluster-ip]
// [--session-affinity] [--load-balancer-ip] (kubectl/pkg/cmd/expose/expose.go with the
// polymorphichelpers it calls): the selector, ports, protocols and labels come from the exposed
// object when not given; `service/NAME exposed`.
import { CliError, notFound } from '../api/errors.js';
import { resourceForKind } from '../api/registry.js';
import { qualifiedResource, type KObj, type ResourceDef } from '../api/types.js';
import { parseResourceArgs } from './builder.js';
import { NO_RESOURCES, parseLabelSpec } from './common.js';
import { FILE_FLAGS } from './files.js';
import { bool, list, parseFlags, str, type FlagSpec, type Parsed } from './flags.js';
import type { IO } from './io.js';
import { loadDocs, settleNamespace } from './objects.js';
import { checkMutatingOutput, DRY_RUN_FLAG, dryRunMode, OUTPUT_FLAGS, printResult, printStructured } from './output.js';
import { withCluster } from './session.js';
import { RECORD_FLAG, record, recordedCommand } from './workload-common.js';

const SERVICE_DEF = resourceForKind('v1', 'Service') as ResourceDef;

const FLAGS: FlagSpec[] = [
  ...OUTPUT_FLAGS,
  ...FILE_FLAGS,
  DRY_RUN_FLAG,
  { name: 'protocol', type: 'string', default: '' },
  { name: 'port', type: 'string', default: '' },
  { name: 'type', type: 'string', default: '' },
  { name: 'load-balancer-ip', type: 'string', default: '' },
  { name: 'selector', type: 'string', default: '' },
  { name: 'labels', short: 'l', type: 'string', default: '' },
  { name: 'target-port', type: 'string', default: '' },
  { name: 'external-ip', type: 'string', default: '' },
  { name: 'name', type: 'string', default: '' },
  { name: 'session-affinity', type: 'string', default: '' },
  { name: 'cluster-ip', type: 'string', default: '' },
  { name: 'field-manager', type: 'string', default: 'kubectl-expose' },
  { name: 'override-type', type: 'string', default: 'merge' },
  { name: 'overrides', type: 'string', default: '' },
  { name: 'save-config', type: 'bool', default: false },
  RECORD_FLAG,
];

const EXPOSABLE = new Set(['Pod', 'Service', 'ReplicationController', 'Deployment.apps', 'ReplicaSet.apps']);

/** GroupKind's String(): `Kind.group`, or `Kind` for the core group. */
const groupKind = (def: ResourceDef) => (def.group ? `${def.kind}.${def.group}` : def.kind);

const makeLabels = (m: Record<string, string> | undefined) => Object.entries(m ?? {}).map(([k, v]) => `${k}=${v}`).join(',');

/** MapBasedSelectorForObject */
function selectorOf(def: ResourceDef, obj: KObj): string {
  const fail = (m: string) => new CliError(`couldn't retrieve selectors via --selector flag or introspection: ${m}`);
  switch (def.kind) {
    case 'Pod':
      if (!Object.keys(obj.metadata.labels ?? {}).length) throw fail('the pod has no labels and cannot be exposed');
      return makeLabels(obj.metadata.labels);
    case 'Service':
      if (!obj.spec?.selector) throw fail('the service has no pod selector set');
      return makeLabels(obj.spec.selector);
    case 'ReplicationController':
      return makeLabels(obj.spec?.selector);
    default: {
      const what = def.kind === 'Deployment' ? 'deployment' : 'replicaset';
      const sel = obj.spec?.selector;
      if (!sel || !Object.keys(sel.matchLabels ?? {}).length) throw fail(`invalid ${what}: no selectors, therefore cannot be exposed`);
      if ((sel.matchExpressions ?? []).length) throw fail(`couldn't convert expressions - "${JSON.stringify(sel.matchExpressions)}" to map-based selector format`);
      return makeLabels(sel.matchLabels);
    }
  }
}

function podSpecOf(def: ResourceDef, obj: KObj): KObj | undefined {
  return def.kind === 'Pod' ? obj.spec : obj.spec?.template?.spec;
}

/** PortsForObject: container ports (or a service's ports), de-duplicated, in order. */
function portsOf(def: ResourceDef, obj: KObj): string[] {
  const out: string[] = [];
  const add = (n: unknown) => !out.includes(String(n)) && out.push(String(n));
  if (def.kind === 'Service') for (const p of (obj.spec?.ports ?? []) as KObj[]) add(p.port);
  else for (const c of (podSpecOf(def, obj)?.containers ?? []) as KObj[]) for (const p of (c.ports ?? []) as KObj[]) add(p.containerPort);
  return out;
}

/** MultiProtocolsForObject: each port's protocols. */
function protocolsOf(def: ResourceDef, obj: KObj): Map<string, string[]> {
  const m = new Map<string, string[]>();
  const add = (port: unknown, proto: unknown) => {
    const list = m.get(String(port)) ?? [];
    const pr = String(proto || 'TCP');
    if (!list.includes(pr)) list.push(pr);
    m.set(String(port), list);
  };
  if (def.kind === 'Service') for (const p of (obj.spec?.ports ?? []) as KObj[]) add(p.port, p.protocol);
  else for (const c of (podSpecOf(def, obj)?.containers ?? []) as KObj[]) for (const p of (c.ports ?? []) as KObj[]) add(p.containerPort, p.protocol);
  return m;
}


/** intstr.Parse: a number when it parses as one, else the string. */
function intOrString(s: string): number | string {
  return /^[+-]?\d+$/.test(s) && Math.abs(Number(s)) < 2 ** 31 ? Number(s) : s;
}

/** The service expose builds for one object (createService), in its typed field order. */
function buildService(p: Parsed, def: ResourceDef, obj: KObj): KObj {
  const selectorText = str(p, 'selector') || selectorOf(def, obj);
  const headless = str(p, 'cluster-ip') === 'None';
  let port = str(p, 'port');
  let ports = '';
  if (!port) {
    const found = portsOf(def, obj);
    if (!found.length && !headless) throw new CliError("couldn't find port via --port flag or introspection");
    if (found.length === 1) port = found[0];
    else if (found.length > 1) ports = found.join(',');
  }
  const protocols = protocolsOf(def, obj);
  const labelsText = str(p, 'labels') || makeLabels(obj.metadata.labels);
  if (!selectorText) throw new CliError('selector must be specified');
  const selector = parseLabelSpec(selectorText);
  const labels = labelsText ? parseLabelSpec(labelsText) : undefined;
  const name = str(p, 'name') || String(obj.metadata.name).slice(0, 63);
  const portString = ports || port;
  const servicePorts: KObj[] = [];
  if (portString) {
    const list = portString.split(',');
    list.forEach((ps, i) => {
      if (!/^[+-]?\d+$/.test(ps)) throw new CliError(`strconv.Atoi: parsing ${JSON.stringify(ps)}: invalid syntax`);
      const n = Number(ps);
      const pname = list.length > 1 ? `port-${i + 1}` : '';
      let protocol = str(p, 'protocol');
      if (!protocol) {
        const found = protocols.get(ps);
        if (found && found.length > 1) {
          for (const pr of found) servicePorts.push({ name: `port-${i + 1}-${pr.toLowerCase()}`, protocol: pr, port: n });
          return;
        }
        protocol = found?.[0] ?? 'TCP';
      }
      const sp: KObj = {};
      if (pname) sp.name = pname;
      sp.protocol = protocol;
      sp.port = n;
      servicePorts.push(sp);
    });
  }
  const target = str(p, 'target-port');
  for (const sp of servicePorts) sp.targetPort = target ? intOrString(target) : sp.port;
  const metadata: KObj = { name, creationTimestamp: null };
  if (labels) metadata.labels = labels;
  const spec: KObj = {};
  if (servicePorts.length) spec.ports = servicePorts;
  spec.selector = selector;
  const clusterIP = str(p, 'cluster-ip');
  if (clusterIP) spec.clusterIP = clusterIP;
  if (str(p, 'type')) spec.type = str(p, 'type');
  if (str(p, 'external-ip')) spec.externalIPs = [str(p, 'external-ip')];
  const affinity = str(p, 'session-affinity');
  if (affinity) {
    if (affinity !== 'None' && affinity !== 'ClientIP') throw new CliError(`unknown session affinity: ${affinity}`);
    spec.sessionAffinity = affinity;
  }
  if (spec.type === 'LoadBalancer' && str(p, 'load-balancer-ip')) spec.loadBalancerIP = str(p, 'load-balancer-ip');
  return { kind: 'Service', apiVersion: 'v1', metadata, spec, status: { loadBalancer: {} } };
}

export default async function expose(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'expose');
  for (const w of p.warnings) io.stderr.write(`${w}\n`);
  checkMutatingOutput(p);
  const dryRun = dryRunMode(p, io);
  const files = list(p, 'filename');
  if (!files.length && !p.args.length) throw new CliError(NO_RESOURCES);
  const sels = files.length ? [] : parseResourceArgs(p.args, 'expose');
  if (!files.length && sels.some((s) => !s.names?.length)) throw new CliError('resource(s) were provided, but no name was specified');
  const docs = files.length ? await loadDocs(io, files, bool(p, 'recursive'), 'exposing', 'strict') : [];
  return withCluster(io, p, dryRun === 'client' ? 'read' : 'write', async (s) => {
    const targets: { def: ResourceDef; obj: KObj }[] = [];
    for (const d of docs) {
      if (d.error) throw d.error;
      settleNamespace(d, s.namespace, s.namespaceExplicit);
      targets.push({ def: d.def!, obj: d.obj! });
    }
    for (const sel of sels) {
      for (const name of sel.names ?? []) {
        const obj = s.cluster.api.peek(sel.def, sel.def.namespaced ? s.namespace : undefined, name);
        if (!obj) throw notFound(qualifiedResource(sel.def), name);
        targets.push({ def: sel.def, obj });
      }
    }
    for (const { def, obj } of targets) {
      if (!EXPOSABLE.has(groupKind(def))) throw new CliError(`cannot expose a ${groupKind(def)}`);
      let svc = buildService(p, def, obj);
      if (str(p, 'overrides')) svc = await (await import('./run-overrides.js')).applyOverrides(svc, str(p, 'overrides'), str(p, 'override-type'));
      record(svc, p, () => recordedCommand(['expose'], argv, FLAGS, p));
      if (dryRun === 'client') {
        if (s.namespaceExplicit) svc.metadata = { name: svc.metadata.name, namespace: s.namespace, ...svc.metadata };
        if (str(p, 'output') && str(p, 'output') !== 'name') await printStructured(io, p, [{ def: SERVICE_DEF, obj: svc }], true, { typed: true });
        else await printResult(io, p, { def: SERVICE_DEF, obj: svc }, 'exposed', dryRun);
        continue;
      }
      delete svc.metadata.creationTimestamp;
      delete svc.status;
      svc.metadata.namespace = s.namespace;
      const created = s.cluster.api.create(SERVICE_DEF, svc, { dryRun: dryRun === 'server' });
      await printResult(io, p, { def: SERVICE_DEF, obj: created }, 'exposed', dryRun);
    }
    return 0;
  });
}
