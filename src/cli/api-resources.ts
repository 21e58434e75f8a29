// kubectl api-resources [--namespaced] [--api-group] [-o wide|name] [--no-headers] [--sort-by]
import { CliError } from '../api/errors.js';
import { allResources } from '../api/registry.js';
import { apiVersionOf, type ResourceDef } from '../api/types.js';
import { bool, list, parseFlags, str } from './flags.js';
import type { IO } from './io.js';

export default async function apiResources(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(
    argv,
    [
      { name: 'output', short: 'o', type: 'string', default: '' },
      { name: 'namespaced', type: 'bool', default: true },
      { name: 'api-group', type: 'string', default: '' },
      { name: 'no-headers', type: 'bool', default: false },
      { name: 'sort-by', type: 'string', default: '' },
      { name: 'verbs', type: 'stringSlice', default: [] },
      { name: 'categories', type: 'stringSlice', default: [] },
      { name: 'cached', type: 'bool', default: false },
    ],
    'api-resources',
  );
  const out = str(p, 'output');
  if (out && out !== 'wide' && out !== 'name') throw new CliError(`--output ${out} is not available`);
  let defs: ResourceDef[] = [...allResources()];
  if (p.changed.has('namespaced')) defs = defs.filter((d) => d.namespaced === bool(p, 'namespaced'));
  if (p.changed.has('api-group')) defs = defs.filter((d) => d.group === str(p, 'api-group'));
  // kubectl keeps a resource only when it has every --verbs and every --categories given
  const verbs = list(p, 'verbs');
  const categories = list(p, 'categories');
  if (verbs.length) defs = defs.filter((d) => verbs.every((v) => (d.verbs ?? []).includes(v)));
  if (categories.length) defs = defs.filter((d) => categories.every((c) => (d.categories ?? []).includes(c)));
  const sortBy = str(p, 'sort-by');
  defs.sort((a, b) => {
    if (sortBy === 'kind') return a.kind < b.kind ? -1 : 1;
    if (a.group !== b.group) return a.group < b.group ? -1 : 1;
    return a.plural < b.plural ? -1 : 1;
  });
  if (out === 'name') {
    for (const d of defs) io.stdout.write(`${d.group ? `${d.plural}.${d.group}` : d.plural}\n`);
    return 0;
  }
  const { layoutTable } = await import('../printers/index.js');
  const rows: string[][] = [];
  const wide = out === 'wide';
  if (!bool(p, 'no-headers')) rows.push(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(wide ? ['VERBS', 'CATEGORIES'] : [])]);
  for (const d of defs) {
    rows.push([
      d.plural,
      d.shortNames.join(','),
      apiVersionOf(d),
      String(d.namespaced),
      d.kind,
      ...(wide ? [(d.verbs ?? []).join(','), (d.categories ?? []).join(',')] : []),
    ]);
  }
  io.stdout.write(layoutTable(rows));
  return 0;
}
