// kubectl cp POD:PATH LOCAL | LOCAL POD:PATH [-c C]: a tar stream between the local disk and the
// container's simulated filesystem (never the host's paths inside the container), as kubectl's cp:
// bytes as they are, links as links (never followed), directories recursively, modes into the
// container (umask with --no-preserve), and kubectl's own texts and exit codes.
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { posix, resolve } from 'node:path';
import { CliError, StatusError } from '../api/errors.js';
import type { KObj } from '../api/types.js';
import { PodRuntime } from '../runtime/pod.js';
import { imageTar, tarCreate, tarExtract, type TarMember } from '../runtime/tar.js';
import type { Cluster } from '../sim/engine.js';
import { bool, parseFlags, str } from './flags.js';
import type { IO } from './io.js';
import { findPod, pickContainer } from './pod-target.js';
import { withCluster } from './session.js';

const FLAGS = [
  { name: 'container', short: 'c', type: 'string' as const, default: '' },
  { name: 'no-preserve', type: 'bool' as const, default: false },
  { name: 'retries', type: 'int' as const, default: 0 },
];

interface FileSpec {
  ns?: string;
  pod?: string;
  file: string;
}

const stripTrailingSlash = (f: string) => (f !== '' && f !== '/' && f.endsWith('/') ? f.slice(0, -1) : f);
/** Go's path.Clean / filepath.Join (empty elements dropped, "" when nothing is left). */
const clean = (p: string) => (p === '' ? '.' : posix.normalize(p).replace(/(.)\/$/, '$1'));
const join = (...parts: string[]) => {
  const kept = parts.filter((x) => x !== '');
  return kept.length ? clean(kept.join('/')) : '';
};
const quote = (s: string) => JSON.stringify(s);

/** kubectl's extractFileSpec: `[[namespace/]pod:]file/path`. */
function fileSpec(arg: string): FileSpec {
  const i = arg.indexOf(':');
  if (i === 0) throw new CliError('filespec must match the canonical format: [[namespace/]pod:]file/path');
  if (i < 0) return { file: stripTrailingSlash(arg) };
  const pieces = arg.slice(0, i).split('/');
  if (pieces.length > 2) throw new CliError('filespec must match the canonical format: [[namespace/]pod:]file/path');
  const file = stripTrailingSlash(arg.slice(i + 1).replaceAll('\\', '/'));
  return pieces.length === 1 ? { pod: pieces[0], file } : { ns: pieces[0], pod: pieces[1], file };
}

/** kubectl's stripPathShortcuts: leading "../" (and a lone "." or "..") removed. */
function stripPathShortcuts(p: string): string {
  while (p.startsWith('../')) p = p.slice(3);
  if (p === '.' || p === '..') p = '';
  return p.startsWith('/') ? p.slice(1) : p;
}

export default async function cp(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'cp');
  if (p.args.length !== 2) throw new CliError('source and destination are required');
  const src = fileSpec(p.args[0]);
  const dst = fileSpec(p.args[1]);
  if (src.pod && dst.pod) throw new CliError('one of src or dest must be a local file specification');
  if (!src.file || !dst.file) throw new CliError('filepath can not be empty');
  if (!src.pod && !dst.pod) throw new CliError('one of src or dest must be a remote file specification');
  const remote = (src.pod ? src : dst) as Required<FileSpec>;
  if (!src.pod && !existsSync(resolve(io.cwd, src.file))) throw new CliError(`${src.file} doesn't exist in local filesystem`);
  return withCluster(io, p, 'write', async (s) => {
    const pod = findPod(s.cluster, remote.ns ?? s.namespace, remote.pod, io);
    const name = pickContainer(pod, str(p, 'container'), io);
    execTarget(pod, name);
    const rt = PodRuntime.of(s.cluster, pod);
    await rt.advance(s.cluster.now());
    if (!rt.rt.containers[name]) throw new CliError(`unable to upgrade connection: container not found ("${name}")`);
    const tar = imageTar(rt.rt.containers[name].image);
    const cwd = rt.spec(name)?.workingDir || tar.workingDir;
    if (!tar.flavor) throw noTar(s.cluster);
    const sh = await rt.shell(name);
    if (src.pod) {
      const r = await tarCreate(sh.bash.fs, src.file, cwd, tar.flavor);
      // the remote tar's standard error reaches kubectl's standard output (kubectl's tar pipe)
      io.stdout.write(r.stderr);
      untarAll(io, r.members, src, dst.file);
      if (r.code !== 0) return terminated(io, r.code);
      return 0;
    }
    let dest = dst.file;
    const target = await sh.bash.fs.stat(posix.resolve(cwd, dest)).catch(() => undefined);
    if (target?.isDirectory) dest = join(dest, posix.basename(clean(src.file)));
    const members = makeTar(resolve(io.cwd, clean(src.file)), posix.basename(clean(dest)));
    const umask = bool(p, 'no-preserve') || String(sh.kernel.uid) !== '0';
    const r = await tarExtract(sh.bash.fs, members, posix.dirname(clean(dest)), cwd, { flavor: tar.flavor, umask });
    await rt.flush(name);
    io.stderr.write(r.stderr);
    if (r.code !== 0) return terminated(io, r.code);
    return 0;
  });
}

/** cp runs tar through exec: exec's checks and texts (a completed pod, a container not running). */
function execTarget(pod: KObj, name: string): void {
  if (!pod.spec.nodeName) throw new StatusError('BadRequest', `pod ${pod.metadata.name} does not have a host assigned`);
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw new CliError(`cannot exec into a container in a completed pod; current phase is ${phase}`);
  const all = [...pod.spec.containers, ...(pod.spec.initContainers ?? []), ...(pod.spec.ephemeralContainers ?? [])];
  if (!all.some((x: KObj) => x.name === name)) throw new StatusError('BadRequest', `container ${name} is not valid for pod ${pod.metadata.name}`);
  const st = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find((x: KObj) => x.name === name);
  if (!st?.state?.running) throw new CliError(`unable to upgrade connection: container not found ("${name}")`);
}

function terminated(io: IO, code: number): number {
  io.stderr.write(`command terminated with exit code ${code}\n`);
  return code;
}

/** No tar in the image (distroless): the runtime cannot start it. */
function noTar(c: Cluster): CliError {
  let x = (c.now() ^ c.randomInt(1 << 30)) >>> 0 || 1;
  const id = Array.from({ length: 64 }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return '0123456789abcdef'[(x >>> 0) % 16];
  }).join('');
  return new CliError(
    `Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${id}": OCI runtime exec failed: exec failed: unable to start container process: exec: "tar": executable file not found in $PATH: unknown`,
  );
}

/** kubectl's makeTar/recursiveTar: the local tree as members named under `destBase` (links kept as links). */
function makeTar(local: string, destBase: string): TarMember[] {
  const out: TarMember[] = [];
  const walk = (lp: string, name: string) => {
    const st = lstatSync(lp);
    const mode = st.mode & 0o7777;
    if (st.isDirectory()) {
      const names = readdirSync(lp).sort();
      if (!names.length) out.push({ name, entry: { type: 'dir', mode } });
      for (const n of names) walk(`${lp}/${n}`, `${name}/${n}`);
    } else if (st.isSymbolicLink()) out.push({ name, entry: { type: 'symlink', target: readlinkSync(lp) } });
    else if (st.isFile()) out.push({ name, entry: { type: 'file', data: readFileSync(lp), mode } });
  };
  walk(local, destBase);
  return out;
}

/** kubectl's untarAll: members under the source's prefix land under the destination; links are skipped. */
function untarAll(io: IO, members: TarMember[], src: FileSpec, dest: string): void {
  const prefix = stripPathShortcuts(clean(src.file.replace(/^[/\\]+/, '')));
  let warned = false;
  for (const m of members) {
    if (!m.name.startsWith(prefix)) throw new CliError('tar contents corrupted');
    const destFile = join(dest, stripTrailingSlash(m.name.slice(prefix.length)));
    const rel = posix.relative(clean(dest), destFile) || '.';
    if (rel !== '.' && rel !== stripPathShortcuts(rel)) {
      io.stderr.write(`warning: file ${quote(destFile)} is outside target destination, skipping\n`);
      continue;
    }
    const abs = resolve(io.cwd, destFile);
    mkdirSync(posix.dirname(abs), { recursive: true, mode: 0o755 });
    const e = m.entry;
    if (e.type === 'dir') {
      mkdirSync(abs, { recursive: true, mode: 0o755 });
      continue;
    }
    if (e.type === 'symlink') {
      if (!warned) {
        warned = true;
        io.stderr.write(
          `warning: skipping symlink: ${quote(destFile)} -> ${quote(e.target)} (consider using "kubectl exec -n ${quote(src.ns ?? '')} ${quote(src.pod ?? '')} -- tar cf - ${quote(src.file)} | tar xf -")\n`,
        );
        continue;
      }
      io.stderr.write(`warning: skipping symlink: ${quote(destFile)} -> ${quote(e.target)}\n`);
      continue;
    }
    if (statSync(abs, { throwIfNoEntry: false })?.isDirectory()) throw new CliError(`open ${destFile}: is a directory`);
    writeFileSync(abs, e.data);
  }
}
