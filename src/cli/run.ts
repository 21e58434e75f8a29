// kubectl run NAME --image=IMAGE [--env] [--port] [--labels] [--restart] [--command] [-- args…]
import { CliError } from '../api/errors.js';
import type { KObj } from '../api/types.js';
import { bool, list, parseFlags, str, type Parsed } from './flags.js';
import type { IO } from './io.js';
import { checkMutatingOutput, DRY_RUN_FLAG, dryRunMode, OUTPUT_FLAGS, printResult, printStructured } from './output.js';
import { POD, SERVICE } from '../sim/keys.js';
import { withCluster } from './session.js';
import { parseLabelsArg } from './common.js';
import { RECORD_FLAG, record, recordedCommand } from './workload-common.js';

const FLAGS = [
  { name: 'image', type: 'string' as const, default: '' },
  { name: 'port', type: 'string' as const, default: '' },
  { name: 'labels', short: 'l', type: 'string' as const, default: '' },
  { name: 'env', type: 'stringArray' as const, default: [] },
  { name: 'annotations', type: 'stringArray' as const, default: [] },
  { name: 'restart', type: 'string' as const, default: 'Always' },
  { name: 'command', type: 'bool' as const, default: false },
  { name: 'image-pull-policy', type: 'string' as const, default: '' },
  { name: 'overrides', type: 'string' as const, default: '' },
  { name: 'rm', type: 'bool' as const, default: false },
  { name: 'stdin', short: 'i', type: 'bool' as const, default: false },
  { name: 'tty', short: 't', type: 'bool' as const, default: false },
  { name: 'attach', type: 'bool' as const, default: false },
  { name: 'quiet', short: 'q', type: 'bool' as const, default: false },
  { name: 'expose', type: 'bool' as const, default: false },
  { name: 'privileged', type: 'bool' as const, default: false },
  { name: 'pod-running-timeout', type: 'duration' as const, default: '1m0s' },
  { name: 'field-manager', type: 'string' as const, default: 'kubectl-run' },
  { name: 'save-config', type: 'bool' as const, default: false },
  { name: 'leave-stdin-open', type: 'bool' as const, default: false },
  { name: 'override-type', type: 'string' as const, default: 'merge' },
  // kubectl's delete flags, for --rm: only --cascade changes what run does (kubectl sets the grace
  // period to the pod's default and does not wait, whatever --grace-period, --force, --wait and
  // --timeout say; -f, -k and -R name nothing to delete)
  { name: 'filename', short: 'f', type: 'stringArray' as const, default: [] },
  { name: 'kustomize', short: 'k', type: 'string' as const, default: '' },
  { name: 'recursive', short: 'R', type: 'bool' as const, default: false },
  { name: 'cascade', type: 'string' as const, default: 'background', noOptDefault: 'background' },
  { name: 'force', type: 'bool' as const, default: false },
  { name: 'grace-period', type: 'int' as const, default: -1 },
  { name: 'timeout', type: 'duration' as const, default: '0s' },
  { name: 'wait', type: 'bool' as const, default: false },
  RECORD_FLAG,
  DRY_RUN_FLAG,
  ...OUTPUT_FLAGS,
];

function usage(msg: string): CliError {
  return new CliError(`error: ${msg}\nSee 'kubectl run -h' for help and examples`, 1, true);
}

/** The Pod object `kubectl run` sends, in the client's (typed) field order. */
export function buildRunPod(name: string, p: Parsed): KObj {
  const labels = str(p, 'labels') ? parseLabelsArg(str(p, 'labels')) : { run: name };
  const container: KObj = { name, image: str(p, 'image') };
  const rest = p.dashAt >= 0 ? p.args.slice(p.dashAt) : p.args.slice(1);
  if (rest.length) {
    if (bool(p, 'command')) container.command = rest;
    else container.args = rest;
  }
  if (str(p, 'port')) {
    const port = Number(str(p, 'port'));
    if (!Number.isInteger(port)) throw new CliError(`strconv.Atoi: parsing "${str(p, 'port')}": invalid syntax`);
    container.ports = [{ containerPort: port }];
  }
  const env = list(p, 'env');
  if (env.length) {
    container.env = env.map((e) => {
      const i = e.indexOf('=');
      if (i <= 0) throw new CliError(`invalid env: ${e}`);
      return { name: e.slice(0, i), value: e.slice(i + 1) };
    });
  }
  container.resources = {};
  if (str(p, 'image-pull-policy')) container.imagePullPolicy = str(p, 'image-pull-policy');
  if (bool(p, 'privileged')) container.securityContext = { privileged: true };
  if (bool(p, 'stdin')) {
    container.stdin = true;
    if (!bool(p, 'leave-stdin-open')) container.stdinOnce = true;
  }
  if (bool(p, 'tty')) container.tty = true;
  const metadata: KObj = { name, creationTimestamp: null, labels };
  const annotations = list(p, 'annotations');
  if (annotations.length) metadata.annotations = parseLabelsArg(annotations.join(','));
  const spec: KObj = { containers: [container], restartPolicy: str(p, 'restart'), dnsPolicy: 'ClusterFirst' };
  return { kind: 'Pod', apiVersion: 'v1', metadata, spec, status: {} };
}

export default async function run(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'run');
  checkMutatingOutput(p);
  for (const w of p.warnings) io.stderr.write(`${w}\n`);
  const name = p.args[0];
  if (!name || (p.dashAt === 0)) throw usage('NAME is required for run');
  if (!str(p, 'image')) {
    io.stderr.write('error: required flag(s) "image" not set\n');
    return 1;
  }
  const restart = str(p, 'restart');
  if (!['Always', 'OnFailure', 'Never'].includes(restart)) throw usage(`invalid restart policy: ${restart}`);
  if (bool(p, 'expose') && !str(p, 'port')) throw usage('--port must be set when exposing a service');
  if (bool(p, 'rm') && !bool(p, 'stdin') && !bool(p, 'attach')) throw usage('--rm should only be used for attached containers');
  const image = str(p, 'image');
  if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$/.test(image)) {
    throw new CliError(`Invalid image name "${image}": invalid reference format`);
  }
  const dryRun = dryRunMode(p, io);
  // kubectl's DeleteFlags.ToOptions checks --cascade up front
  const cascade = (await import('./delete.js')).cascadePolicy(p, io);
  const pod = buildRunPod(name, p);
  if (str(p, 'overrides')) {
    const merged = await (await import('./run-overrides.js')).applyOverrides(pod, str(p, 'overrides'), str(p, 'override-type'));
    for (const k of Object.keys(pod)) delete pod[k];
    Object.assign(pod, merged);
  }
  record(pod, p, () => recordedCommand(['run'], argv, FLAGS, p));
  // --expose: the service is printed before the pod (run.go prints it as it creates it)
  const svc = bool(p, 'expose') ? (await import('./run-expose.js')).buildRunService(name, p) : undefined;
  if (dryRun === 'client') {
    if (svc) {
      if (str(p, 'output') && str(p, 'output') !== 'name') await printStructured(io, p, [{ def: SERVICE, obj: svc }], true, { typed: true });
      else await printResult(io, p, { def: SERVICE, obj: svc }, 'created', dryRun);
      if (str(p, 'output') === 'yaml') io.stdout.write('---\n');
    }
    if (str(p, 'output') && str(p, 'output') !== 'name') {
      await printStructured(io, p, [{ def: POD, obj: pod }], true, { typed: true });
    } else await printResult(io, p, { def: POD, obj: pod }, 'created', dryRun);
    return 0;
  }
  if ((bool(p, 'stdin') || bool(p, 'attach')) && dryRun === 'none') {
    delete pod.metadata.creationTimestamp;
    delete pod.status;
    const { attachRun } = await import('./run-attach.js');
    return attachRun(io, p, pod, bool(p, 'rm'), bool(p, 'tty'), cascade);
  }
  return withCluster(io, p, 'write', async (s) => {
    pod.metadata.namespace = s.namespace;
    delete pod.metadata.creationTimestamp;
    delete pod.status;
    const created = s.cluster.api.create(POD, pod, { dryRun: dryRun === 'server' });
    if (svc) {
      svc.metadata.namespace = s.namespace;
      delete svc.metadata.creationTimestamp;
      delete svc.status;
      try {
        const createdSvc = s.cluster.api.create(SERVICE, svc, { dryRun: dryRun === 'server' });
        await printResult(io, p, { def: SERVICE, obj: createdSvc }, 'created', dryRun);
        if (str(p, 'output') === 'yaml') io.stdout.write('---\n');
      } catch (e) {
        // the pod stays created and is printed; the service's error follows
        await printResult(io, p, { def: POD, obj: created }, 'created', dryRun);
        throw e;
      }
    }
    await printResult(io, p, { def: POD, obj: created }, 'created', dryRun);
    return 0;
  });
}
