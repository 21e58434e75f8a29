// kubesim repair: brings back a cluster state that cannot be read. It restores the state kept before
// the last write (store.json.bak) when that one is sound, else salvages the API objects that can still
// be read into a new cluster; the damaged file is kept as store.json.broken-<time>.
import { copyFileSync, readFileSync } from 'node:fs';
import { CliError } from '../api/errors.js';
import { freshState } from '../sim/bootstrap.js';
import { moveAside, moveBrokenAside, osReason, storePaths, verifyStore, withLock, writeState } from '../store/file-store.js';
import { kubesimHome } from '../store/kubeconfig.js';
import { parseLenient, salvageSegments, salvageState } from '../store/salvage.js';
import { parseFlags } from './flags.js';
import { clusterStore } from './session.js';
import type { IO } from './io.js';
import { setAsideBrokenKubeconfig } from './reset.js';

function readText(file: string): { text?: string; missing?: boolean; error?: string } {
  try {
    return { text: readFileSync(file, 'utf8') };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true };
    return { error: osReason(e) };
  }
}

export default async function repair(argv: string[], io: IO): Promise<number> {
  parseFlags(argv, [], 'repair');
  const paths = clusterStore(io, undefined);
  const said = await withLock(paths, async () => {
    const kc = setAsideBrokenKubeconfig(io);
    const cur = readText(paths.file);
    if (cur.missing) return `${kc}no cluster state in ${paths.home}: nothing to repair\n`;
    const parsed = cur.text !== undefined ? verifyStore(paths, cur.text) : { reason: cur.error, newer: false };
    if (parsed.state) return `${kc}the cluster state in ${paths.file} is sound: nothing to repair\n`;
    if (parsed.newer) throw new CliError(`the cluster state in ${paths.file} cannot be repaired: ${parsed.reason}`);
    const bak = readText(paths.backup);
    if (bak.text !== undefined && verifyStore(paths, bak.text).state) {
      const aside = moveAside(paths.file, io.wallNow());
      copyFileSync(paths.backup, paths.file);
      return `${kc}restored the cluster state from ${paths.backup} (the state before the last write)\nthe damaged file is kept as ${aside}\n`;
    }
    let damaged: ReturnType<typeof parseLenient> = { value: undefined, partial: new WeakSet() };
    try {
      if (cur.text !== undefined) damaged = parseLenient(cur.text);
    } catch {
      /* nested too deeply to read */
    }
    const now = io.wallNow();
    const { state, objects: inline } = salvageState(damaged, freshState(now));
    const objects = inline + salvageSegments(paths.segdir, state);
    if (!objects) {
      throw new CliError(`nothing could be salvaged from ${paths.file} (${parsed.reason}); 'kubesim reset' starts a new cluster`);
    }
    // the segments go with it: the new state's are written afresh
    const aside = moveBrokenAside(paths, now);
    writeState(paths, state, { backup: false });
    return `${kc}salvaged ${objects} object${objects === 1 ? '' : 's'} from ${paths.file} into a new cluster state\nthe damaged file is kept as ${aside}\n`;
  });
  io.stdout.write(said);
  return 0;
}
