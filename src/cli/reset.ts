// kubesim reset: forgets the simulated cluster (the next command starts a fresh one).
import { rmSync } from 'node:fs';
import { storePaths, withLock } from '../store/file-store.js';
import { kubesimHome } from '../store/kubeconfig.js';
import { parseFlags } from './flags.js';
import type { IO } from './io.js';

export default async function reset(argv: string[], io: IO): Promise<number> {
  parseFlags(argv, [], 'reset');
  const paths = storePaths(kubesimHome(io.env));
  await withLock(paths, async () => rmSync(paths.file, { force: true }));
  io.stdout.write('cluster reset\n');
  return 0;
}
