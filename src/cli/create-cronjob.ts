// kubectl create cronjob NAME --image=IMAGE --schedule='…' [--restart=OnFailure|Never] [-- COMMAND…]
// (kubectl/pkg/cmd/create/create_cronjob.go: the jobTemplate is named after the CronJob, one
// container named after it; --image and --schedule are required flags).
import { resourceForKind } from '../api/registry.js';
import type { KObj, ResourceDef } from '../api/types.js';
import { bool, parseFlags, str, type FlagSpec } from './flags.js';
import type { IO } from './io.js';
import { VALIDATE_FLAG } from './objects.js';
import { checkMutatingOutput, DRY_RUN_FLAG, dryRunMode, OUTPUT_FLAGS } from './output.js';
import { createBuilt, oneName, printCreated } from './create-built.js';
import { withCluster } from './session.js';

const FLAGS: FlagSpec[] = [
  ...OUTPUT_FLAGS,
  DRY_RUN_FLAG,
  VALIDATE_FLAG,
  { name: 'save-config', type: 'bool', default: false },
  { name: 'field-manager', type: 'string', default: 'kubectl-create' },
  { name: 'image', type: 'string', default: '' },
  { name: 'schedule', type: 'string', default: '' },
  { name: 'restart', type: 'string', default: '' },
];

const CRONJOB_DEF = resourceForKind('batch/v1', 'CronJob') as ResourceDef;

/** The CronJob kubectl builds, in its typed field order. */
export function buildCronJob(name: string, image: string, schedule: string, restart: string, command: string[], namespace?: string): KObj {
  const container: KObj = { name, image };
  if (command.length) container.command = [...command];
  container.resources = {};
  const metadata: KObj = { name };
  if (namespace) metadata.namespace = namespace;
  metadata.creationTimestamp = null;
  return {
    kind: 'CronJob',
    apiVersion: 'batch/v1',
    metadata,
    spec: {
      schedule,
      jobTemplate: {
        metadata: { name, creationTimestamp: null },
        spec: { template: { metadata: { creationTimestamp: null }, spec: { containers: [container], restartPolicy: restart } } },
      },
    },
    status: {},
  };
}


export default async function createCronJob(word: string, argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, `create ${word}`);
  const missing = ['image', 'schedule'].filter((f) => !p.changed.has(f));
  if (missing.length) {
    io.stderr.write(`error: required flag(s) ${missing.map((f) => `"${f}"`).join(', ')} not set\n`);
    return 1;
  }
  const name = oneName(p, word, p.dashAt >= 0 ? p.dashAt : p.args.length);
  const command = p.args.slice(1);
  const restart = str(p, 'restart') || 'OnFailure';
  checkMutatingOutput(p);
  const dryRun = dryRunMode(p, io);
  const explicitNs = str(p, 'namespace') || undefined;
  if (dryRun === 'client') {
    await printCreated(io, p, CRONJOB_DEF, buildCronJob(name, str(p, 'image'), str(p, 'schedule'), restart, command, explicitNs), dryRun);
    return 0;
  }
  return withCluster(io, p, 'write', async (s) => {
    const obj = buildCronJob(name, str(p, 'image'), str(p, 'schedule'), restart, command, s.namespace);
    const created = await createBuilt(s, CRONJOB_DEF, obj, { what: 'cronjob', saveConfig: bool(p, 'save-config'), serverDryRun: dryRun === 'server' });
    await printCreated(io, p, CRONJOB_DEF, created, dryRun);
    return 0;
  });
}
