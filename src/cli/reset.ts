// kubesim reset: forgets the simulated cluster (the next command starts a fresh one). A store or a
// kubesim kubeconfig that cannot be read is not deleted but moved aside as <file>.broken-<time>.
import { existsSync, rmSync } from 'node:fs';
import { BrokenStore, moveAside, moveBrokenAside, readState, storePaths, withLock } from '../store/file-store.js';
import { decodeKubeconfigFile, kubesimHome, ownKubeconfig } from '../store/kubeconfig.js';
import { parseFlags } from './flags.js';
import { clusterStore } from './session.js';
import type { IO } from './io.js';

/** Moves kubesim's own kubeconfig aside when it cannot be loaded; returns a note for the user. */
export function setAsideBrokenKubeconfig(io: IO): string {
  const path = ownKubeconfig(io.env);
  if (!existsSync(path) || typeof decodeKubeconfigFile(path) !== 'string') return '';
  return `kubeconfig ${path} could not be loaded: kept as ${moveAside(path, io.wallNow())}, a new one is made\n`;
}

export default async function reset(argv: string[], io: IO): Promise<number> {
  parseFlags(argv, [], 'reset');
  const paths = clusterStore(io, undefined);
  const note = await withLock(paths, async () => {
    let kept = '';
    try {
      readState(paths);
      rmSync(paths.file, { force: true });
      rmSync(paths.segdir, { recursive: true, force: true });
    } catch (e) {
      if (!(e instanceof BrokenStore)) throw e;
      kept = `the unreadable cluster state is kept as ${moveBrokenAside(paths, io.wallNow())}\n`;
    }
    return kept + setAsideBrokenKubeconfig(io);
  });
  io.stdout.write(`${note}cluster reset\n`);
  return 0;
}
