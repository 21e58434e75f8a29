// kubectl api-versions: the group/versions the cluster serves, sorted.
import { allResources } from '../api/registry.js';
import { apiVersionOf } from '../api/types.js';
import { parseFlags } from './flags.js';
import type { IO } from './io.js';

export default async function apiVersions(argv: string[], io: IO): Promise<number> {
  parseFlags(argv, [], 'api-versions');
  const versions = new Set(allResources().map(apiVersionOf));
  for (const v of [...versions].sort()) io.stdout.write(`${v}\n`);
  return 0;
}
