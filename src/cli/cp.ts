// kubectl cp POD:PATH LOCAL | LOCAL POD:PATH [-c C]: files between the local disk and the
// container's simulated filesystem (never the host's paths inside the container).
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError } from '../api/errors.js';
import { PodRuntime } from '../runtime/pod.js';
import { parseFlags, str } from './flags.js';
import type { IO } from './io.js';
import { findPod, pickContainer } from './pod-target.js';
import { withCluster } from './session.js';

const FLAGS = [
  { name: 'container', short: 'c', type: 'string' as const, default: '' },
  { name: 'no-preserve', type: 'bool' as const, default: false },
  { name: 'retries', type: 'int' as const, default: 0 },
];

function remote(arg: string): { pod: string; path: string; ns?: string } | undefined {
  const i = arg.indexOf(':');
  if (i <= 0 || arg.startsWith('/') || arg.startsWith('.')) return undefined;
  const left = arg.slice(0, i);
  const [ns, pod] = left.includes('/') ? left.split('/', 2) : [undefined, left];
  return { pod: pod!, path: arg.slice(i + 1), ns };
}

export default async function cp(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'cp');
  if (p.args.length !== 2) throw new CliError('source and destination are required');
  const [src, dst] = p.args;
  const from = remote(src);
  const to = remote(dst);
  if (!from && !to) throw new CliError('one of src or dest must be a remote file specification');
  if (from && to) throw new CliError('one of src or dest must be a local file specification');
  const r = (from ?? to)!;
  return withCluster(io, p, 'write', async (s) => {
    const pod = findPod(s.cluster, r.ns ?? s.namespace, r.pod, io);
    const name = pickContainer(pod, str(p, 'container'), io);
    const rt = PodRuntime.of(s.cluster, pod);
    await rt.advance(s.cluster.now());
    const sh = await rt.shell(name);
    const fs = sh.bash.fs;
    if (from) {
      const path = from.path.startsWith('/') ? from.path : `/${from.path}`;
      if (!(await fs.exists(path))) throw new CliError(`${from.path}: No such file or directory`, 1);
      if (from.path.startsWith('/')) io.stderr.write("tar: Removing leading `/' from member names\n");
      const local = resolve(io.cwd, dst);
      const copy = async (rp: string, lp: string) => {
        const st = await fs.stat(rp);
        if (st.isDirectory) {
          mkdirSync(lp, { recursive: true });
          for (const e of await fs.readdir(rp)) await copy(`${rp.replace(/\/$/, '')}/${e}`, join(lp, e));
        } else writeFileSync(lp, await fs.readFile(rp));
      };
      const target = existsSync(local) && statSync(local).isDirectory() && !(await fs.stat(path)).isDirectory ? join(local, basename(path)) : local;
      await copy(path, target);
      return 0;
    }
    const local = resolve(io.cwd, src);
    if (!existsSync(local)) throw new CliError(`${src} doesn't exist in local filesystem`);
    const base = to!.path.startsWith('/') ? to!.path : `${sh.bash.getCwd?.() ?? '/'}/${to!.path}`;
    const put = async (lp: string, rp: string) => {
      if (statSync(lp).isDirectory()) {
        await fs.mkdir(rp, { recursive: true });
        for (const e of readdirSync(lp)) await put(join(lp, e), `${rp}/${e}`);
      } else {
        await fs.mkdir(dirname(rp), { recursive: true });
        await fs.writeFile(rp, readFileSync(lp, 'utf8'));
      }
    };
    let target = base;
    if (!statSync(local).isDirectory() && (await fs.exists(base)) && (await fs.stat(base)).isDirectory) target = `${base.replace(/\/$/, '')}/${basename(local)}`;
    await put(local, target);
    await rt.flush(name);
    return 0;
  });
}
