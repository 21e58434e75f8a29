// kubectl create -f FILE | namespace | configmap | secret generic|docker-registry|tls | serviceaccount
import { CliError, formatError, StatusError } from '../api/errors.js';
import { resourceForKind } from '../api/registry.js';
import type { KObj, ResourceDef } from '../api/types.js';
import { oneName, printCreated } from './create-built.js';
import { collectData } from './create-data.js';
import { buildQuota, QUOTA_FLAGS } from './create-quota.js';
import { DOCKER_REGISTRY_FLAGS, dockerRegistrySecret, TLS_FLAGS, tlsSecret } from './create-secret-kinds.js';
import { FILE_FLAGS, manifestArgs } from './files.js';
import { bool, GLOBAL_FLAGS, list, parseFlags, str, type FlagSpec, type Parsed } from './flags.js';
import type { IO } from './io.js';
import { loadDocs, settleNamespace, VALIDATE_FLAG, validateMode } from './objects.js';
import { checkMutatingOutput, DRY_RUN_FLAG, dryRunMode, OUTPUT_FLAGS, printResult } from './output.js';
import { withCluster } from './session.js';
import { RECORD_FLAG, record, recordedCommand } from './workload-common.js';

const COMMON: FlagSpec[] = [
  ...OUTPUT_FLAGS,
  DRY_RUN_FLAG,
  VALIDATE_FLAG,
  { name: 'save-config', type: 'bool', default: false },
  { name: 'field-manager', type: 'string', default: 'kubectl-create' },
];

interface Sub {
  names: string[];
  flags: FlagSpec[];
  /** builds the object in kubectl's typed field order */
  build(name: string, p: Parsed, io: IO): KObj;
  /** prefix of AlreadyExists errors (`failed to create configmap: `) */
  failPrefix?: string;
  kind: string;
  /** a subcommand with its own flags and flow (`create deployment`) */
  run?(word: string, argv: string[], io: IO): Promise<number>;
}

const SUBS: Sub[] = [
  { names: ['deployment', 'deploy'], kind: 'Deployment', flags: [], build: () => ({}), run: async (w, a, io) => (await import('./create-deployment.js')).default(w, a, io) },
  { names: ['job'], kind: 'Job', flags: [], build: () => ({}), run: async (w, a, io) => (await import('./create-job.js')).default(w, a, io) },
  { names: ['cronjob', 'cj'], kind: 'CronJob', flags: [], build: () => ({}), run: async (w, a, io) => (await import('./create-cronjob.js')).default(w, a, io) },
  {
    names: ['clusterip', 'nodeport', 'loadbalancer', 'externalname'].flatMap((k) => [`service ${k}`, `svc ${k}`]).concat(['service', 'svc']),
    kind: 'Service',
    flags: [],
    build: () => ({}),
    run: async (w, a, io) => (await import('./create-service.js')).default(w.replace(/^svc\b/, 'service'), a, io),
  },
  {
    names: ['namespace', 'ns'],
    kind: 'Namespace',
    flags: [],
    build: (name) => ({ kind: 'Namespace', apiVersion: 'v1', metadata: { name, creationTimestamp: null }, spec: {}, status: {} }),
  },
  {
    names: ['configmap', 'cm'],
    kind: 'ConfigMap',
    failPrefix: 'failed to create configmap: ',
    flags: [
      { name: 'from-literal', type: 'stringArray', default: [] },
      { name: 'from-file', type: 'stringSlice', default: [] },
      { name: 'from-env-file', type: 'stringSlice', default: [] },
      { name: 'append-hash', type: 'bool', default: false },
    ],
    build(name, p, io) {
      const d = collectData(io.cwd, list(p, 'from-literal'), list(p, 'from-file'), list(p, 'from-env-file'), 'ConfigMap', name, false);
      const o: KObj = { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name, creationTimestamp: null } };
      if (Object.keys(d.data).length) o.data = d.data;
      if (Object.keys(d.binary).length) o.binaryData = d.binary;
      return o;
    },
  },
  {
    names: ['secret generic'],
    kind: 'Secret',
    failPrefix: 'failed to create secret ',
    flags: [
      { name: 'from-literal', type: 'stringArray', default: [] },
      { name: 'from-file', type: 'stringSlice', default: [] },
      { name: 'from-env-file', type: 'stringSlice', default: [] },
      { name: 'type', type: 'string', default: '' },
      { name: 'append-hash', type: 'bool', default: false },
    ],
    build(name, p, io) {
      const d = collectData(io.cwd, list(p, 'from-literal'), list(p, 'from-file'), list(p, 'from-env-file'), 'Secret', name, true);
      const o: KObj = { kind: 'Secret', apiVersion: 'v1', metadata: { name, creationTimestamp: null } };
      if (Object.keys(d.data).length) o.data = d.data;
      if (str(p, 'type')) o.type = str(p, 'type');
      return o;
    },
  },
  {
    names: ['secret docker-registry'],
    kind: 'Secret',
    failPrefix: 'failed to create secret ',
    flags: DOCKER_REGISTRY_FLAGS,
    build: (name, p, io) => dockerRegistrySecret(name, p, io.cwd),
  },
  {
    names: ['secret tls'],
    kind: 'Secret',
    failPrefix: 'failed to create secret ',
    flags: TLS_FLAGS,
    build: (name, p, io) => tlsSecret(name, p, io.cwd),
  },
  {
    names: ['quota', 'resourcequota'],
    kind: 'ResourceQuota',
    failPrefix: 'failed to create quota: ',
    flags: QUOTA_FLAGS,
    build: (name, p) => buildQuota(name, p),
  },
  {
    names: ['serviceaccount', 'sa'],
    kind: 'ServiceAccount',
    failPrefix: 'failed to create serviceaccount: ',
    flags: [],
    build: (name) => ({ kind: 'ServiceAccount', apiVersion: 'v1', metadata: { name, creationTimestamp: null } }),
  },
];

function findSub(args: string[]): { sub: Sub; used: number } | undefined {
  for (const sub of SUBS) {
    for (const n of sub.names) {
      const words = n.split(' ');
      if (words.every((w, i) => args[i] === w)) return { sub, used: words.length };
    }
  }
  return undefined;
}

async function createSub(sub: Sub, word: string, argv: string[], io: IO): Promise<number> {
  if (sub.run) return sub.run(word, argv, io);
  const p = parseFlags(argv, [...COMMON, ...sub.flags], `create ${word}`);
  oneName(p, word);
  checkMutatingOutput(p);
  const dryRun = dryRunMode(p, io);
  const obj = sub.build(p.args[0], p, io);
  if (p.flags['append-hash'] === true) obj.metadata.name = `${obj.metadata.name}-${(await import('./create-hash.js')).nameHash(obj)}`;
  const def = resourceForKind('v1', sub.kind) as ResourceDef;
  if (dryRun === 'client') {
    await printCreated(io, p, def, obj, dryRun);
    return 0;
  }
  return withCluster(io, p, 'write', async (s) => {
    if (def.namespaced) obj.metadata.namespace = s.namespace;
    delete obj.metadata.creationTimestamp;
    delete obj.status;
    try {
      const created = s.cluster.api.create(def, obj, { dryRun: dryRun === 'server' });
      await printResult(io, p, { def, obj: created }, 'created', dryRun);
      return 0;
    } catch (e) {
      // the generators wrap whatever the server answers (`failed to create configmap: %v`): already exists, forbidden by admission
      if (e instanceof StatusError && (e.reason === 'AlreadyExists' || e.reason === 'Forbidden') && sub.failPrefix) throw new CliError(`${sub.failPrefix}${e.message}`);
      throw e;
    }
  });
}

async function createFromFiles(argv: string[], io: IO): Promise<number> {
  const specs: FlagSpec[] = [...COMMON, ...FILE_FLAGS, { name: 'edit', type: 'bool', default: false }, { name: 'windows-line-endings', type: 'bool', default: false }, { name: 'selector', short: 'l', type: 'string', default: '' }, { name: 'raw', type: 'string', default: '' }, RECORD_FLAG];
  const p = parseFlags(argv, specs, 'create');
  for (const w of p.warnings) io.stderr.write(`${w}\n`);
  const files = manifestArgs(p);
  if (!files.length) throw new CliError('must specify one of -f and -k');
  if (p.args.length) {
    throw new CliError(`Unexpected args: [${p.args.join(' ')}]\nSee 'kubectl create -h' for help and examples`);
  }
  const dryRun = dryRunMode(p, io);
  let docs = await loadDocs(io, files, bool(p, 'recursive'), 'creating', validateMode(str(p, 'validate')));
  if (!docs.length) throw new CliError('no objects passed to create');
  if (bool(p, 'edit')) docs = await (await import('./create-edit.js')).editDocs(io, p, docs);
  let failed = false;
  await withCluster(io, p, dryRun === 'client' ? 'read' : 'write', async (s) => {
    for (const doc of docs) {
      try {
        if (doc.error) throw doc.error;
        settleNamespace(doc, s.namespace, s.namespaceExplicit);
        let obj = doc.obj!;
        record(obj, p, () => recordedCommand(['create'], argv, specs, p));
        if (bool(p, 'save-config')) {
          const { withLastApplied } = await import('./apply-annotation.js');
          obj = withLastApplied(obj);
        }
        const created = dryRun === 'client' ? obj : s.cluster.api.create(doc.def!, obj, { dryRun: dryRun === 'server' });
        await printResult(io, p, { def: doc.def!, obj: created }, 'created', dryRun);
      } catch (e) {
        failed = true;
        const err = e instanceof StatusError ? e.wrap(`error when creating "${doc.source}": `) : e;
        io.stderr.write(`${formatError(err)}\n`);
      }
    }
  });
  return failed ? 1 : 0;
}

/** The first argument that is not a flag or a flag's value (`kubectl -n team create job …`). */
function firstPositional(argv: string[]): number {
  const specs = [...COMMON, ...FILE_FLAGS, ...GLOBAL_FLAGS];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return -1;
    if (!a.startsWith('-') || a === '-') return i;
    if (a.includes('=')) continue;
    const spec: FlagSpec | undefined = a.startsWith('--') ? specs.find((s) => s.name === a.slice(2)) : a.length === 2 ? specs.find((s) => s.short === a.slice(1)) : undefined;
    if (spec && spec.type !== 'bool' && spec.noOptDefault === undefined) i++;
  }
  return -1;
}

export default async function create(argv: string[], io: IO): Promise<number> {
  const firstWord = firstPositional(argv);
  const found = firstWord >= 0 ? findSub(argv.slice(firstWord)) : undefined;
  if (found) {
    const word = argv.slice(firstWord, firstWord + found.used).join(' ');
    const rest = [...argv.slice(0, firstWord), ...argv.slice(firstWord + found.used)];
    return createSub(found.sub, word, rest, io);
  }
  return createFromFiles(argv, io);
}
