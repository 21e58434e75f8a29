// What `kubectl debug` sends to the API server (pkg/cmd/debug/debug.go, kubectl 1.32): the ephemeral
// container added to a pod, the copy of a pod (images set, a container's command changed or a debug
// container added), and the pod that debugs a node; each with its profile applied.
import { CliError } from '../api/errors.js';
import { strategicMergePatch } from '../api/patch/strategic.js';
import type { KObj } from '../api/types.js';
import { applyProfile, type KeepFlags } from './debug-profiles.js';
import type { Out } from './io.js';

export interface DebugOptions {
  image: string;
  container: string;
  args: string[];
  argsOnly: boolean;
  env: KObj[];
  pullPolicy: string;
  interactive: boolean;
  tty: boolean;
  target: string;
  profile: string;
  keep: KeepFlags;
  copyTo: string;
  setImages: Map<string, string>;
  shareProcesses?: boolean;
  sameNode: boolean;
  quiet: boolean;
  out: Out;
  suffix: () => string;
  /** --custom: a partial container spec merged over the profile's result */
  custom?: KObj;
}

/** applyCustomProfile(Ephemeral): the partial container spec merged strategically into the container. */
function applyCustom(o: DebugOptions, pod: KObj, name: string, list: 'containers' | 'ephemeralContainers'): KObj {
  if (!o.custom) return pod;
  return strategicMergePatch(pod, { spec: { [list]: [{ ...o.custom, name }] } }, 'Pod');
}

function allNames(pod: KObj): Set<string> {
  return new Set([...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? []), ...(pod.spec.ephemeralContainers ?? [])].map((c: KObj) => c.name));
}

/** computeDebugContainerName: -c, or a fresh `debugger-xxxxx` announced on stdout. */
function debugName(o: DebugOptions, pod: KObj): string {
  if (o.container) return o.container;
  const taken = allNames(pod);
  let name = '';
  while (!name || taken.has(name)) name = `debugger-${o.suffix()}`;
  if (!o.quiet) o.out.write(`Defaulting debug container name to ${name}.\n`);
  return name;
}

function baseContainer(o: DebugOptions, name: string): KObj {
  const c: KObj = { name, image: o.image };
  if (o.env.length) c.env = o.env;
  if (o.pullPolicy) c.imagePullPolicy = o.pullPolicy;
  if (o.args.length) c[o.argsOnly ? 'args' : 'command'] = o.args;
  if (o.interactive) c.stdin = true;
  c.terminationMessagePolicy = 'File';
  if (o.tty) c.tty = true;
  return c;
}

/** generateDebugContainer: the pod with the new ephemeral container appended, and its name. */
export function withEphemeral(o: DebugOptions, pod: KObj): { pod: KObj; name: string } {
  const copy = structuredClone(pod);
  const name = debugName(o, copy);
  const ec = baseContainer(o, name);
  if (o.target) ec.targetContainerName = o.target;
  (copy.spec.ephemeralContainers ??= []).push(ec);
  applyProfile(o.profile, copy, name, 'ephemeral', o.keep);
  return { pod: applyCustom(o, copy, name, 'ephemeralContainers'), name };
}

/** generatePodCopyWithDebugContainer: the copy to create and the container to attach to ('' for --set-image only). */
export function podCopy(o: DebugOptions, pod: KObj): { pod: KObj; name: string } {
  const meta: KObj = { name: o.copyTo, namespace: pod.metadata.namespace };
  if (pod.metadata.annotations) meta.annotations = structuredClone(pod.metadata.annotations);
  if (pod.metadata.labels) meta.labels = structuredClone(pod.metadata.labels);
  const spec = structuredClone(pod.spec);
  delete spec.ephemeralContainers;
  if (o.shareProcesses !== undefined) spec.shareProcessNamespace = o.shareProcesses;
  if (!o.sameNode) delete spec.nodeName;
  const copied: KObj = { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec };
  for (const c of spec.containers as KObj[]) {
    const img = o.setImages.get(c.name) ?? o.setImages.get('*');
    if (img) c.image = img;
  }
  let name = o.container;
  let c: KObj | undefined = name ? (spec.containers as KObj[]).find((x) => x.name === name) ?? (spec.initContainers ?? []).find((x: KObj) => x.name === name) : undefined;
  if (!c) {
    if (!o.image) {
      if (o.setImages.size) return { pod: copied, name: '' };
      throw new CliError('you must specify image when creating new container');
    }
    if (!name) name = debugName(o, copied);
    c = { name, terminationMessagePolicy: 'File' };
    spec.containers.push(c);
  }
  if (o.args.length) {
    if (o.argsOnly) c.args = o.args;
    else {
      c.command = o.args;
      delete c.args;
    }
  }
  if (o.env.length) c.env = o.env;
  if (o.image) c.image = o.image;
  if (o.pullPolicy) c.imagePullPolicy = o.pullPolicy;
  if (o.interactive) c.stdin = true;
  else delete c.stdin;
  if (o.tty) c.tty = true;
  else delete c.tty;
  applyProfile(o.profile, copied, c.name, 'podCopy', o.keep);
  return { pod: applyCustom(o, copied, name, 'containers'), name };
}

/** generateNodeDebugPod: a pod bound to the node, announced on stdout. */
export function nodePod(o: DebugOptions, node: KObj, namespace: string): { pod: KObj; name: string } {
  const cn = o.container || 'debugger';
  const pn = `node-debugger-${node.metadata.name}-${o.suffix()}`;
  if (!o.quiet) o.out.write(`Creating debugging pod ${pn} with container ${cn} on node ${node.metadata.name}.\n`);
  const pod: KObj = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: pn, namespace },
    spec: { containers: [baseContainer(o, cn)], nodeName: node.metadata.name, restartPolicy: 'Never', tolerations: [{ operator: 'Exists' }] },
  };
  applyProfile(o.profile, pod, cn, 'node', o.keep);
  return { pod: applyCustom(o, pod, cn, 'containers'), name: cn };
}
