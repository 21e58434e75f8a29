// kubectl create deployment NAME --image=IMAGE… [--replicas=N] [--port=P] [-- COMMAND…]
// (kubectl/pkg/cmd/create/create_deployment.go: labels app=NAME, containers named after their images).
import { CliError, StatusError } from '../api/errors.js';
import { resourceForKind } from '../api/registry.js';
import type { KObj, ResourceDef } from '../api/types.js';
import { int, list, parseFlags, str, type FlagSpec } from './flags.js';
import type { IO } from './io.js';
import { VALIDATE_FLAG } from './objects.js';
import { checkMutatingOutput, DRY_RUN_FLAG, dryRunMode, OUTPUT_FLAGS } from './output.js';
import { oneName, printCreated } from './create-built.js';
import { withCluster } from './session.js';
import { requiredFlagMissing, serverMessage } from './workload-common.js';

const FLAGS: FlagSpec[] = [
  ...OUTPUT_FLAGS,
  DRY_RUN_FLAG,
  VALIDATE_FLAG,
  { name: 'save-config', type: 'bool', default: false },
  { name: 'field-manager', type: 'string', default: 'kubectl-create' },
  { name: 'image', type: 'stringSlice', default: [] },
  { name: 'port', type: 'int', default: -1 },
  { name: 'replicas', short: 'r', type: 'int', default: 1 },
];

/** The container name kubectl derives from an image: last path part, no tag or digest, `_`/`.` → `-` plus a suffix. */
export function containerNameFor(image: string, suffix: () => string): string {
  let name = image.split('/').pop() ?? '';
  if (name.includes(':')) name = name.split(':')[0];
  if (name.includes('@')) name = name.split('@')[0];
  if (/[_.]/.test(name)) name = `${name.replace(/_/g, '-').replace(/\./g, '-')}-${suffix()}`;
  return name;
}

/** The Deployment kubectl sends, in its typed field order. */
export function buildDeployment(name: string, images: string[], replicas: number, port: number, command: string[], suffix: () => string, namespace?: string): KObj {
  const labels = () => ({ app: name });
  const containers = images.map((image) => {
    const c: KObj = { name: containerNameFor(image, suffix), image };
    if (command.length) c.command = [...command];
    c.resources = {};
    return c;
  });
  if (port >= 0 && containers.length) {
    const first = containers[0];
    const { resources } = first;
    delete first.resources;
    first.ports = [{ containerPort: port }];
    first.resources = resources;
  }
  const metadata: KObj = { name };
  if (namespace) metadata.namespace = namespace;
  metadata.creationTimestamp = null;
  metadata.labels = labels();
  return {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata,
    spec: {
      replicas,
      selector: { matchLabels: labels() },
      template: { metadata: { creationTimestamp: null, labels: labels() }, spec: { containers } },
      strategy: {},
    },
    status: {},
  };
}

export default async function createDeployment(word: string, argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, `create ${word}`);
  if (!p.changed.has('image')) return requiredFlagMissing(io, 'image');
  const name = oneName(p, word, p.dashAt >= 0 ? p.dashAt : p.args.length);
  const command = p.args.slice(1);
  const images = list(p, 'image');
  if (images.length > 1 && command.length) throw new CliError('cannot specify multiple --image options and command');
  checkMutatingOutput(p);
  const dryRun = dryRunMode(p, io);
  const def = resourceForKind('apps/v1', 'Deployment') as ResourceDef;
  const needsSuffix = images.some((i) => /[_.]/.test((i.split('/').pop() ?? '').split(/[:@]/)[0]));
  if (dryRun === 'client') {
    const make = (suffix: () => string, ns?: string) => buildDeployment(name, images, int(p, 'replicas'), int(p, 'port'), command, suffix, ns);
    // kubectl names the namespace only when -n was given
    const explicitNs = str(p, 'namespace') || undefined;
    const obj = needsSuffix ? await withCluster(io, p, 'read', (s) => make(() => s.cluster.randomSuffix(5), explicitNs)) : make(() => '', explicitNs);
    await printCreated(io, p, def, obj, dryRun);
    return 0;
  }
  return withCluster(io, p, 'write', async (s) => {
    const obj = buildDeployment(name, images, int(p, 'replicas'), int(p, 'port'), command, () => s.cluster.randomSuffix(5), s.namespace);
    delete obj.metadata.creationTimestamp;
    delete obj.spec.template.metadata.creationTimestamp;
    delete obj.status;
    if (str(p, 'save-config') === 'true') {
      const { withLastApplied } = await import('./apply-annotation.js');
      Object.assign(obj, withLastApplied(obj));
    }
    try {
      const created = s.cluster.api.create(def, obj, { dryRun: dryRun === 'server' });
      await printCreated(io, p, def, created, dryRun);
      return 0;
    } catch (e) {
      if (!(e instanceof StatusError)) throw e;
      // kubectl wraps the API error as text: an Invalid one reads as the server's own message
      throw new CliError(`failed to create deployment: ${serverMessage(e, def)}`);
    }
  });
}
