// kubectl describe (TYPE [NAME_PREFIX] | TYPE/NAME | -f FILE) [-l] [-A]
import { formatError, notFound } from '../api/errors.js';
import { qualifiedResource, type KObj } from '../api/types.js';
import { parseResourceArgs, type Found } from './builder.js';
import { FILE_FLAGS, manifestArgs } from './files.js';
import { checkNamedArgs } from './get.js';
import { bool, list, parseFlags, str } from './flags.js';
import type { IO } from './io.js';
import { loadDocs, settleNamespace } from './objects.js';
import { selectorFilters } from './selectors.js';
import { withCluster } from './session.js';
import { relatedObjects } from './describe-related.js';
import { ENDPOINTSLICE, POD } from '../sim/keys.js';
import { nodeLease } from '../sim/controllers/node-heartbeat.js';
import { CliError } from '../api/errors.js';

const FLAGS = [
  ...FILE_FLAGS,
  { name: 'selector', short: 'l', type: 'string' as const, default: '' },
  { name: 'all-namespaces', short: 'A', type: 'bool' as const, default: false },
  { name: 'show-events', type: 'bool' as const, default: true },
  { name: 'chunk-size', type: 'int' as const, default: 500 },
];

export default async function describe(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'describe');
  const files = manifestArgs(p);
  if (!files.length && !p.args.length) {
    throw new CliError(`You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.`, 1);
  }
  const filters = await selectorFilters(p);
  const docs = files.length ? await loadDocs(io, files, bool(p, 'recursive'), 'describing', 'ignore') : [];
  const errors: Error[] = [];
  const allNs = bool(p, 'all-namespaces');
  const sels = files.length ? [] : parseResourceArgs(p.args, 'describe');
  checkNamedArgs(p, sels);
  let prefixed: KObj[] = [];
  return withCluster(io, p, 'read', async (s) => {
    const api = s.cluster.api;
    const items: Found[] = [];
    if (files.length) {
      for (const d of docs) {
        if (d.error) {
          errors.push(d.error);
          continue;
        }
        settleNamespace(d, s.namespace, s.namespaceExplicit);
        if (!d.obj!.metadata.name) {
          errors.push(new CliError('resource name may not be empty'));
          continue;
        }
        const o = api.peek(d.def!, d.obj!.metadata.namespace, d.obj!.metadata.name);
        if (o) items.push({ def: d.def!, obj: o });
        else errors.push(notFound(qualifiedResource(d.def!), d.obj!.metadata.name));
      }
    } else {
      for (const sel of sels) {
        const ns = sel.def.namespaced && !allNs ? s.namespace : undefined;
        if (!sel.names) {
          const pool = api.list(sel.def, ns).filter((o) => (!filters.labelSelector || filters.labelSelector(o)));
          items.push(...pool.map((obj) => ({ def: sel.def, obj })));
          continue;
        }
        for (const name of sel.names) {
          const exact = api.peek(sel.def, sel.def.namespaced ? s.namespace : undefined, name);
          if (exact) items.push({ def: sel.def, obj: exact });
          else errors.push(notFound(qualifiedResource(sel.def), name));
        }
      }
      // `describe TYPE PREFIX` with no object of that name: every object whose name starts with it
      // (DescribeMatchingResources: the namespace's objects, no selector, each followed by a newline)
      if (p.args.length === 2 && sels.length === 1 && errors.length === 1 && !items.length) {
        const sel = sels[0];
        prefixed = api.list(sel.def, sel.def.namespaced ? s.namespace : undefined).filter((o) => o.metadata.name.startsWith(p.args[1]));
        if (prefixed.length) {
          errors.length = 0;
          items.push(...prefixed.map((obj) => ({ def: sel.def, obj })));
        }
      }
    }
    const { describeObject, setLocalZone } = await import('../printers/index.js');
    // times print in the local zone, as kubectl decodes them (TZ)
    setLocalZone(io.env.TZ);
    const texts = items.map(({ def, obj }) => {
      const related: Record<string, KObj[]> = relatedObjects(api, def, obj);
      if (def.kind === 'Node') {
        related.pods = api.list(POD).filter((x) => x.spec?.nodeName === obj.metadata.name);
        // the node's kubelet renews its lease every 10 s
        related.leases = [nodeLease(obj, s.cluster.now())];
      }
      if (def.kind === 'Service') {
        // describeService lists the service's EndpointSlices by the kubernetes.io/service-name label
        const slices = api.list(ENDPOINTSLICE, obj.metadata.namespace);
        related.endpointslices = slices.filter((x) => x.metadata.labels?.['kubernetes.io/service-name'] === obj.metadata.name);
      }
      // a node's events are searched twice (describe.go): by its uid (controllers), then by its name
      // as uid (the kubelet's and kube-proxy's node reference)
      const events = api.eventsNamed(obj.metadata.namespace, obj.metadata.name);
      const about = (uid: string) => events.filter((e) => e.involvedObject?.uid === uid);
      const evs = !bool(p, 'show-events') ? [] : def.kind === 'Node' ? [...about(obj.metadata.uid), ...about(obj.metadata.name)] : about(obj.metadata.uid);
      return describeObject(def, obj, { events: evs, now: s.cluster.now(), related, showEvents: bool(p, 'show-events') });
    });
    if (prefixed.length) io.stdout.write(texts.map((t) => `${t}\n`).join(''));
    else if (texts.length) io.stdout.write(texts.join('\n\n'));
    else if (!errors.length) {
      io.stderr.write(allNs || str(p, 'namespace') === '' ? `No resources found in ${s.namespace} namespace.\n` : `No resources found in ${s.namespace} namespace.\n`);
    }
    for (const e of errors) io.stderr.write(`${formatError(e)}\n`);
    return errors.length ? 1 : 0;
  });
}
