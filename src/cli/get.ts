// kubectl get: tables (server columns laid out by the client), -o formats, selectors, sorting.
import { CliError, formatError, StatusError } from '../api/errors.js';
import { resourceForKind } from '../api/registry.js';
import type { KObj, ResourceDef } from '../api/types.js';
import { parseResourceArgs, resolveSelections, type Found, type Selection } from './builder.js';
import { FILE_FLAGS, manifestArgs, readManifests } from './files.js';
import { bool, list, parseFlags, str, type Parsed } from './flags.js';
import type { IO } from './io.js';
import { OUTPUT_FLAGS, outputFormat, printStructured } from './output.js';
import { selectorFilters } from './selectors.js';
import { getRaw } from './get-raw.js';
import { withCluster } from './session.js';

const FLAGS = [
  ...OUTPUT_FLAGS,
  ...FILE_FLAGS,
  { name: 'selector', short: 'l', type: 'string' as const, default: '' },
  { name: 'field-selector', type: 'string' as const, default: '' },
  { name: 'all-namespaces', short: 'A', type: 'bool' as const, default: false },
  { name: 'show-labels', type: 'bool' as const, default: false },
  { name: 'label-columns', short: 'L', type: 'stringSlice' as const, default: [] },
  { name: 'no-headers', type: 'bool' as const, default: false },
  { name: 'sort-by', type: 'string' as const, default: '' },
  { name: 'watch', short: 'w', type: 'bool' as const, default: false },
  { name: 'watch-only', type: 'bool' as const, default: false },
  { name: 'output-watch-events', type: 'bool' as const, default: false },
  { name: 'chunk-size', type: 'int' as const, default: 500 },
  { name: 'ignore-not-found', type: 'bool' as const, default: false },
  { name: 'show-kind', type: 'bool' as const, default: false },
  { name: 'server-print', type: 'bool' as const, default: true },
  { name: 'subresource', type: 'string' as const, default: '' },
  { name: 'raw', type: 'string' as const, default: '' },
];

const FORMATS = ['json', 'yaml', 'name', 'wide', 'jsonpath', 'jsonpath-file', 'jsonpath-as-json', 'custom-columns', 'custom-columns-file', 'go-template', 'go-template-file', 'template', 'templatefile'];

function requireType(): CliError {
  return new CliError(
    'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee \'kubectl get -h\' for help and examples',
    1,
    true,
  );
}

async function selectionsFromFiles(io: IO, p: Parsed): Promise<{ sels: Selection[]; errors: Error[]; namespaces: (string | undefined)[] }> {
  const docs = await readManifests(io, manifestArgs(p), bool(p, 'recursive'));
  const sels: Selection[] = [];
  const errors: Error[] = [];
  const namespaces: (string | undefined)[] = [];
  for (const d of docs) {
    if (d.error) {
      errors.push(d.error);
      continue;
    }
    const obj = d.obj!;
    const def = resourceForKind(obj.apiVersion ?? '', obj.kind ?? '');
    if (!def) {
      errors.push(new CliError(`resource mapping not found for name: "${obj.metadata?.name ?? ''}" namespace: "${obj.metadata?.namespace ?? ''}" from "${d.source}": no matches for kind "${obj.kind}" in version "${obj.apiVersion}"\nensure CRDs are installed first`));
      continue;
    }
    sels.push({ def, names: [obj.metadata?.name ?? ''] });
    namespaces.push(obj.metadata?.namespace);
  }
  return { sels, errors, namespaces };
}

/** The resource builder's refusals of names with selectors or -A (get and describe). */
export function checkNamedArgs(p: Parsed, sels: Selection[]): void {
  if (!sels.some((sel) => sel.names)) return;
  const selector = str(p, 'selector') !== '' || str(p, 'field-selector') !== '';
  if (selector && p.args.some((a) => a.includes('/'))) throw new CliError('selectors and the all flag cannot be used when passing resource/name arguments');
  if (selector) throw new CliError('name cannot be provided when a selector is specified');
  if (bool(p, 'all-namespaces')) throw new CliError('a resource cannot be retrieved by name across all namespaces');
}

export default async function get(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'get');
  if (str(p, 'raw')) return getRaw(p, io);
  const format = outputFormat(p, FORMATS);
  const files = manifestArgs(p);
  if (!files.length && p.args.length === 0) throw requireType();
  const fromArgs = files.length ? [] : parseResourceArgs(p.args, 'get');
  const fileSel = files.length ? await selectionsFromFiles(io, p) : undefined;
  const allNamespaces = bool(p, 'all-namespaces');
  checkNamedArgs(p, fromArgs);
  const filters = await selectorFilters(p);
  const watch = bool(p, 'watch') || bool(p, 'watch-only');
  const seen = new Map<string, string>();
  let frozen = true;
  const code = await withCluster(io, p, 'read', async (s) => {
    frozen = s.cluster.state.clock.mode === 'frozen';
    const now = s.cluster.now();
    let items: Found[] = [];
    const errors: Error[] = [...(fileSel?.errors ?? [])];
    let single = false;
    if (fileSel) {
      fileSel.sels.forEach((sel, i) => {
        const r = resolveSelections(s.cluster, [sel], { namespace: fileSel.namespaces[i] ?? s.namespace, allNamespaces: false, ...filters });
        items.push(...r.items);
        errors.push(...r.errors);
      });
      single = fileSel.sels.length === 1 && items.length === 1;
    } else {
      // a table (or -o name) reads only what a kind's brief copy holds (no sort, no field selector)
      const brief = (!format || format === 'wide' || format === 'name') && !str(p, 'sort-by') && !watch;
      const r = resolveSelections(s.cluster, fromArgs, { namespace: s.namespace, allNamespaces, ...filters, brief });
      items = r.items;
      errors.push(...r.errors);
      single = r.singleItem;
    }
    if (bool(p, 'ignore-not-found')) {
      for (let i = errors.length - 1; i >= 0; i--) if (errors[i] instanceof StatusError && (errors[i] as StatusError).reason === 'NotFound') errors.splice(i, 1);
    }
    const pr = await import('../printers/index.js');
    if (str(p, 'sort-by') && !single) {
      // a sort field that does not parse fails with the JSONPath parser's own words
      try {
        items = pr.sortByField(items, (i) => i.obj, str(p, 'sort-by'));
      } catch (err) {
        throw err instanceof CliError ? err : new CliError((err as Error).message);
      }
    }
    if (bool(p, 'watch-only')) {
      // -w --watch-only: only changes from here on
    } else if (format && format !== 'wide') {
      // one name asked for that fails: kubectl prints only the error (printGeneric's singleItemImplied)
      const onlyError = single && errors.length > 0 && !items.length;
      if (!onlyError && (items.length || !['name'].includes(format))) await printStructured(io, p, items, single && !errors.length);
    } else if (items.length) {
      const groups: Array<{ def: ResourceDef; objects: KObj[] }> = [];
      for (const it of items) {
        const last = groups[groups.length - 1];
        if (last && last.def === it.def) last.objects.push(it.obj);
        else groups.push({ def: it.def, objects: [it.obj] });
      }
      const kinds = new Set(items.map((i) => i.def));
      io.stdout.write(
        pr.printTableGroups(groups, {
          now,
          wide: format === 'wide',
          noHeaders: bool(p, 'no-headers'),
          showLabels: bool(p, 'show-labels'),
          labelColumns: list(p, 'label-columns'),
          allNamespaces,
          withKind: kinds.size > 1 || bool(p, 'show-kind'),
          clientSide: !bool(p, 'server-print'),
        }),
      );
    } else if (!errors.length && (!format || format === 'wide')) {
      const sels = fileSel?.sels ?? fromArgs;
      const clusterScoped = sels.some((x) => !x.def.namespaced);
      io.stderr.write(allNamespaces || clusterScoped ? 'No resources found\n' : `No resources found in ${s.namespace} namespace.\n`);
    }
    for (const e of errors) io.stderr.write(`${formatError(e)}\n`);
    if (!format || format === 'wide') (await import('./frozen-hint.js')).frozenClockHint(io, s.cluster, items.map((i) => i.obj));
    if (watch) for (const it of items) seen.set(`${it.def.plural}/${it.obj.metadata.namespace ?? ''}/${it.obj.metadata.name}`, it.obj.metadata.resourceVersion);
    return errors.length ? 1 : 0;
  });
  if (!watch || frozen || !io.sleep || (format && format !== 'wide')) return code;
  // -w: with the clock following wall time, print each object again when it changes (until Ctrl-C)
  for (;;) {
    await io.sleep(1000);
    await withCluster(io, p, 'read', async (s) => {
      const r = resolveSelections(s.cluster, fromArgs, { namespace: s.namespace, allNamespaces, ...filters });
      const changed = r.items.filter((it) => {
        const k = `${it.def.plural}/${it.obj.metadata.namespace ?? ''}/${it.obj.metadata.name}`;
        const was = seen.get(k);
        seen.set(k, it.obj.metadata.resourceVersion);
        return was !== it.obj.metadata.resourceVersion;
      });
      if (!changed.length) return;
      const pr = await import('../printers/index.js');
      io.stdout.write(
        pr.printTableGroups([{ def: changed[0].def, objects: changed.map((x) => x.obj) }], {
          now: s.cluster.now(),
          wide: format === 'wide',
          noHeaders: true,
          showLabels: bool(p, 'show-labels'),
          labelColumns: list(p, 'label-columns'),
          allNamespaces,
          withKind: false,
        }),
      );
    });
  }
}
