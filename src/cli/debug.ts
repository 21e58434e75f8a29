// kubectl debug (POD | TYPE/NAME) [-- COMMAND…]: an ephemeral container added to a running pod
// through its ephemeralcontainers subresource, a copy of the pod (--copy-to), or a pod on a node
// (node/NAME); then, with -i/--attach, waits for the container and attaches as `kubectl attach`
// does. Flags, checks, messages and their order as kubectl 1.32's pkg/cmd/debug.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError, notFound, StatusError } from '../api/errors.js';
import { parsePatchArg } from '../api/patch/index.js';
import { updateEphemeralContainers } from '../api/ephemeral-containers.js';
import { resolveResource } from '../api/registry.js';
import { qualifiedResource, type KObj } from '../api/types.js';
import { PodRuntime } from '../runtime/pod.js';
import { logText, runtimeOf } from '../runtime/state.js';
import type { Cluster } from '../sim/engine.js';
import { NODE, POD } from '../sim/keys.js';
import { podCopy, nodePod, withEphemeral, type DebugOptions } from './debug-pods.js';
import { readManifests } from './files.js';
import { checkProfile } from './debug-profiles.js';
import { bool, list, parseFlags, str, type Parsed } from './flags.js';
import type { IO } from './io.js';
import { withCluster } from './session.js';
import { waitUntil } from './waiting.js';

const FLAGS = [
  { name: 'arguments-only', type: 'bool' as const, default: false },
  { name: 'attach', type: 'bool' as const, default: false },
  { name: 'container', short: 'c', type: 'string' as const, default: '' },
  { name: 'copy-to', type: 'string' as const, default: '' },
  { name: 'custom', type: 'string' as const, default: '' },
  { name: 'env', type: 'stringArray' as const, default: [] },
  { name: 'filename', short: 'f', type: 'stringArray' as const, default: [] },
  { name: 'image', type: 'string' as const, default: '' },
  { name: 'image-pull-policy', type: 'string' as const, default: '' },
  { name: 'keep-annotations', type: 'bool' as const, default: false },
  { name: 'keep-init-containers', type: 'bool' as const, default: true },
  { name: 'keep-labels', type: 'bool' as const, default: false },
  { name: 'keep-liveness', type: 'bool' as const, default: false },
  { name: 'keep-readiness', type: 'bool' as const, default: false },
  { name: 'keep-startup', type: 'bool' as const, default: false },
  { name: 'profile', type: 'string' as const, default: 'legacy' },
  { name: 'quiet', short: 'q', type: 'bool' as const, default: false },
  { name: 'replace', type: 'bool' as const, default: false },
  { name: 'same-node', type: 'bool' as const, default: false },
  { name: 'set-image', type: 'stringArray' as const, default: [] },
  { name: 'share-processes', type: 'bool' as const, default: true },
  { name: 'stdin', short: 'i', type: 'bool' as const, default: false },
  { name: 'target', type: 'string' as const, default: '' },
  { name: 'tty', short: 't', type: 'bool' as const, default: false },
];

// docker/distribution's reference.ReferenceRegexp
const DOMAIN = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?';
const PATH = '[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*';
const REFERENCE = new RegExp(`^((?:${DOMAIN}/)?${PATH}(?:/${PATH})*)(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`);

/** pflag's stringToString: `k=v,k2=v2`, repeatable. */
function stringToString(p: Parsed, flag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of list(p, flag)) {
    for (const pair of raw.split(',')) {
      const eq = pair.indexOf('=');
      if (eq < 0) throw new CliError(`invalid argument "${raw}" for "--${flag}" flag: ${pair} must be formatted as key=value\nSee 'kubectl debug --help' for usage.`);
      out.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }
  return out;
}

function options(p: Parsed, io: IO): { o: DebugOptions; names: string[]; attach: boolean } {
  const args = p.dashAt >= 0 ? p.args.slice(p.dashAt) : [];
  const names = p.dashAt >= 0 ? p.args.slice(0, p.dashAt) : p.args;
  const interactive = bool(p, 'stdin');
  const attach = p.changed.has('attach') ? bool(p, 'attach') : interactive;
  const env = [...stringToString(p, 'env')].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, value]) => ({ name, value }));
  const profile = str(p, 'profile');
  checkProfile(profile);
  const o: DebugOptions = {
    image: str(p, 'image'),
    container: str(p, 'container'),
    args,
    argsOnly: bool(p, 'arguments-only'),
    env,
    pullPolicy: str(p, 'image-pull-policy'),
    interactive,
    tty: bool(p, 'tty'),
    target: str(p, 'target'),
    profile,
    keep: { labels: bool(p, 'keep-labels'), annotations: bool(p, 'keep-annotations'), liveness: bool(p, 'keep-liveness'), readiness: bool(p, 'keep-readiness'), startup: bool(p, 'keep-startup'), initContainers: bool(p, 'keep-init-containers') },
    copyTo: str(p, 'copy-to'),
    setImages: stringToString(p, 'set-image'),
    shareProcesses: p.changed.has('share-processes') ? bool(p, 'share-processes') : undefined,
    sameNode: bool(p, 'same-node'),
    quiet: bool(p, 'quiet'),
    out: io.stdout,
    suffix: () => '',
  };
  return { o, names, attach };
}

/** --custom FILE: a partial container spec, JSON or YAML (read in Complete, before Validate). */
function customProfile(file: string, io: IO): KObj {
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, file), 'utf8');
  } catch {
    throw new CliError(`must pass a container spec json file for custom profile: open ${file}: no such file or directory`);
  }
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch {
    try {
      spec = parsePatchArg(text);
    } catch {
      throw new CliError(`${file} does not contain a valid container spec: error converting YAML to JSON: yaml: did not find expected node content`);
    }
  }
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) throw new CliError(`${file} does not contain a valid container spec: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${Array.isArray(spec) ? 'array' : typeof spec === 'string' ? 'string' : 'number'} into Go value of type v1.Container`);
  return spec as KObj;
}

function checkCustom(o: DebugOptions): void {
  const c = o.custom;
  if (!c) return;
  if (c.name || (c.command ?? []).length || c.image || c.lifecycle || (c.volumeDevices ?? []).length) throw new CliError('name, command, image, lifecycle and volume devices are not modifiable via custom profile');
}

/** DebugOptions.Validate, in its order. */
function validate(p: Parsed, o: DebugOptions, names: string[], attach: boolean, io: IO): void {
  if (attach && p.changed.has('attach') && !o.image && !o.container) throw new CliError('you must specify --container or create a new container using --image in order to attach.');
  if (o.copyTo) {
    if (!o.image && !o.setImages.size && !o.args.length) throw new CliError('you must specify --image, --set-image or command arguments.');
    if (o.args.length && !o.container && !o.image) throw new CliError('you must specify an existing container or a new image when specifying args.');
  } else if (bool(p, 'replace')) throw new CliError('--replace may only be used with --copy-to.');
  else if (o.sameNode) throw new CliError('--same-node may only be used with --copy-to.');
  else if (o.setImages.size) throw new CliError('--set-image may only be used with --copy-to.');
  else if (!o.image) throw new CliError('you must specify --image when not using --copy-to.');
  if (o.image && !REFERENCE.test(o.image)) throw new CliError(`invalid image name "${o.image}": invalid reference format`);
  if (!names.length && !list(p, 'filename').length) throw new CliError('NAME or filename is required for debug');
  if (!['Always', 'IfNotPresent', 'Never', ''].includes(o.pullPolicy)) throw new CliError(`invalid image pull policy: ${o.pullPolicy}`);
  for (const [name, image] of o.setImages) {
    if (!REFERENCE.test(image)) throw new CliError(`invalid image name "${image}" for container "${name}": invalid reference format`);
  }
  if (o.target) {
    if (o.copyTo) throw new CliError('--target is incompatible with --copy-to. Use --share-processes instead.');
    if (!o.quiet) io.stdout.write(`Targeting container "${o.target}". If you don't see processes from this container it may be because the container runtime doesn't support this feature.\n`);
  }
  if (o.tty && !o.interactive) throw new CliError('-i/--stdin is required for containers with -t/--tty=true');
  checkCustom(o);
  if (o.profile === 'legacy') io.stderr.write('--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example "--profile=general".\n');
}

/** Resolves NAME / TYPE/NAME as the builder does with ResourceNames("pods", …). */
function target(c: Cluster, namespace: string, ref: string): { kind: 'Pod' | 'Node'; name: string } {
  const slash = ref.indexOf('/');
  if (slash < 0) return { kind: 'Pod', name: ref };
  const def = resolveResource(ref.slice(0, slash));
  const name = ref.slice(slash + 1);
  if (def.kind === 'Pod' || def.kind === 'Node') return { kind: def.kind, name };
  // the builder fetches the object first: a missing one is NotFound, an existing one unsupported
  if (!c.api.peek(def, def.namespaced ? namespace : undefined, name)) throw notFound(qualifiedResource(def), name);
  throw new CliError(`"${def.group ? `${def.group}/` : ''}${def.version}, Kind=${def.kind}" not supported by debug`);
}

function statusOf(pod: KObj | undefined, name: string): KObj | undefined {
  const s = pod?.status ?? {};
  return [...(s.initContainerStatuses ?? []), ...(s.containerStatuses ?? []), ...(s.ephemeralContainerStatuses ?? [])].find((x: KObj) => x.name === name);
}

/** Creates (or patches) what debugging `ref` needs; returns the pod and container to attach to. */
async function visit(io: IO, p: Parsed, o: DebugOptions, ref: string, fileNs?: string): Promise<{ ns: string; pod: string; uid: string; container: string }> {
  return withCluster(io, p, 'write', (session) => {
    const s = fileNs && !session.namespaceExplicit ? { ...session, namespace: fileNs } : session;
    if (fileNs && session.namespaceExplicit && fileNs !== session.namespace) {
      throw new CliError(`the namespace from the provided object "${fileNs}" does not match the namespace "${session.namespace}". You must pass '--namespace=${fileNs}' to perform this operation.`);
    }
    const c = s.cluster;
    const t = target(c, s.namespace, ref);
    o.suffix = () => c.randomSuffix(5);
    if (t.kind === 'Node') {
      const node = c.api.peek(NODE, undefined, t.name);
      if (!node) throw notFound('nodes', t.name);
      const { pod, name } = nodePod(o, node, s.namespace);
      const made = c.api.create(POD, pod);
      return { ns: s.namespace, pod: made.metadata.name, uid: made.metadata.uid, container: name };
    }
    const pod = c.api.peek(POD, s.namespace, t.name);
    if (!pod) throw notFound('pods', t.name);
    if (o.copyTo) {
      const { pod: copied, name } = podCopy(o, pod);
      const made = c.api.create(POD, copied);
      if (bool(p, 'replace')) c.api.delete(POD, pod.metadata.namespace, pod.metadata.name, { gracePeriodSeconds: 0 });
      return { ns: s.namespace, pod: made.metadata.name, uid: made.metadata.uid, container: name };
    }
    const { pod: wanted, name } = withEphemeral(o, pod);
    const made = updateEphemeralContainers(c.api, POD, s.namespace, t.name, wanted.spec.ephemeralContainers);
    return { ns: s.namespace, pod: made.metadata.name, uid: made.metadata.uid, container: name };
  });
}

/** waitForContainer, then attach — or the container's logs when it has already ended. */
async function attachTo(io: IO, p: Parsed, o: DebugOptions, at: { ns: string; pod: string; uid: string; container: string }): Promise<void> {
  let shown = '';
  let statusPhase = '';
  const current = (c: Cluster) => {
    const pod = c.api.peek(POD, at.ns, at.pod);
    return pod?.metadata.uid === at.uid ? pod : undefined;
  };
  const res = await waitUntil(io, p, {
    check: (c) => {
      const pod = current(c);
      if (!pod) return 'gone';
      const st = statusOf(pod, at.container);
      if (st?.state?.running) return 'running';
      if (st?.state?.terminated) return 'terminated';
      // a pod that has ended starts nothing more: kubectl would wait forever; attach's own check ends it here
      statusPhase = pod.status?.phase ?? '';
      if (!st && (statusPhase === 'Succeeded' || statusPhase === 'Failed')) return 'completed';
      const msg = st?.state?.waiting?.message;
      if (!o.quiet && msg && msg !== shown) io.stderr.write(`Warning: container ${at.container}: ${msg}\n`);
      if (msg) shown = msg;
      return undefined;
    },
    timeoutMs: Infinity,
  });
  if (res.value === 'gone') throw new StatusError('NotFound', 'pods "" not found');
  if (res.timedOut) throw new CliError('timed out waiting for the condition');
  if (res.value === 'completed') throw new CliError(`cannot attach a container in a completed pod; current phase is ${statusPhase}`);
  if (res.value === 'terminated') {
    const text = await withCluster(io, p, 'read', async (s) => {
      const pod = current(s.cluster);
      if (!pod) return '';
      await PodRuntime.of(s.cluster, pod).advance(s.cluster.now());
      return (runtimeOf(s.cluster.state)[pod.metadata.uid]?.containers[at.container]?.log ?? []).map(logText).join('');
    });
    io.stdout.write(text);
    return;
  }
  const { default: attach } = await import('./attach.js');
  const argv = ['-n', at.ns, at.pod, '-c', at.container];
  if (o.interactive) argv.push('-i');
  if (o.tty) argv.push('-t');
  if (o.quiet) argv.push('-q');
  await attach(argv, io);
}

export default async function debug(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'debug');
  const { o, names, attach } = options(p, io);
  if (str(p, 'custom')) o.custom = customProfile(str(p, 'custom'), io);
  validate(p, o, names, attach, io);
  const refs: { ref: string; ns?: string }[] = [];
  for (const doc of list(p, 'filename').length ? await readManifests(io, list(p, 'filename'), false) : []) {
    if (doc.error) throw doc.error;
    if (doc.obj?.kind && doc.obj.metadata?.name) refs.push({ ref: `${doc.obj.kind.toLowerCase()}/${doc.obj.metadata.name}`, ns: doc.obj.metadata.namespace });
  }
  for (const ref of names) refs.push({ ref });
  for (const { ref, ns } of refs) {
    const at = await visit(io, p, o, ref, ns);
    if (attach && at.container) await attachTo(io, p, o, at);
  }
  return 0;
}
