// kubectl cp through exec: `tar cf - PATH` is the container's tar (runtime/tar.ts, as kubesim's own cp
// uses it) written out as a ustar byte stream for the exec stream's stdout, and `tar -xmf - [-C DIR]`
// reads the archive kubectl sends (ustar, with PAX path records) into members for the container's tar.
import { imageTar, tarCreate, tarExtract, type TarMember } from '../runtime/tar.js';
import type { PodRuntime } from '../runtime/pod.js';

function header(name: string, type: '0' | '5' | '2', mode: number, size: number, link = ''): Buffer {
  const h = Buffer.alloc(512);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', name.length - 2);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  const put = (text: string, at: number, len: number) => h.write(text, at, len, 'utf8');
  put(base, 0, 100);
  put(`${(mode & 0o7777).toString(8).padStart(7, '0')}\0`, 100, 8);
  put('0000000\0', 108, 8);
  put('0000000\0', 116, 8);
  put(`${size.toString(8).padStart(11, '0')}\0`, 124, 12);
  put(`${Math.floor(Date.now() / 1000).toString(8).padStart(11, '0')}\0`, 136, 12);
  put('        ', 148, 8);
  put(type, 156, 1);
  put(link, 157, 100);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  put('root', 265, 32);
  put('root', 297, 32);
  put(prefix, 345, 155);
  let sum = 0;
  for (const b of h) sum += b;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return h;
}

/** The members as a tar archive. */
export function tarBytes(members: TarMember[]): Buffer {
  const parts: Buffer[] = [];
  for (const m of members) {
    const e = m.entry;
    if (e.type === 'dir') parts.push(header(`${m.name.replace(/\/$/, '')}/`, '5', e.mode, 0));
    else if (e.type === 'symlink') parts.push(header(m.name, '2', 0o777, 0, e.target));
    else {
      parts.push(header(m.name, '0', e.mode, e.data.length), Buffer.from(e.data));
      const pad = (512 - (e.data.length % 512)) % 512;
      if (pad) parts.push(Buffer.alloc(pad));
    }
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** `tar cf - PATH` in the container, when that is the command and the image has tar. */
export async function tarOut(rt: PodRuntime, container: string, argv: string[]): Promise<{ stdout: Buffer; stderr: string; exitCode: number } | undefined> {
  if (argv.length !== 4 || argv[0] !== 'tar' || argv[1] !== 'cf' || argv[2] !== '-') return undefined;
  const ct = rt.rt.containers[container];
  if (!ct) return undefined;
  const tar = imageTar(ct.image);
  if (!tar.flavor) return undefined;
  const sh = await rt.shell(container);
  const r = await tarCreate(sh.bash.fs, argv[3], rt.spec(container)?.workingDir || tar.workingDir, tar.flavor);
  return { stdout: r.code === 0 || r.members.length ? tarBytes(r.members) : Buffer.alloc(0), stderr: r.stderr, exitCode: r.code };
}

/** The members of a tar archive (ustar headers; PAX `path`/`linkpath` records; GNU long names). */
export function parseTar(buf: Buffer): TarMember[] {
  const out: TarMember[] = [];
  const str = (a: number, b: number) => {
    const s = buf.subarray(a, b);
    const z = s.indexOf(0);
    return (z >= 0 ? s.subarray(0, z) : s).toString('utf8');
  };
  const num = (a: number, b: number) => parseInt(str(a, b).trim() || '0', 8);
  let at = 0;
  let longName: string | undefined;
  let longLink: string | undefined;
  while (at + 512 <= buf.length) {
    if (buf.subarray(at, at + 512).every((b) => b === 0)) break;
    const size = num(at + 124, at + 136);
    const type = String.fromCharCode(buf[at + 156] || 48);
    const data = buf.subarray(at + 512, at + 512 + size);
    const prefix = str(at + 345, at + 500);
    let name = longName ?? (prefix ? `${prefix}/${str(at, at + 100)}` : str(at, at + 100));
    const link = longLink ?? str(at + 157, at + 257);
    at += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x' || type === 'L' || type === 'K') {
      if (type === 'L') longName = data.toString('utf8').replace(/\0+$/, '');
      else if (type === 'K') longLink = data.toString('utf8').replace(/\0+$/, '');
      else {
        for (const m of data.toString('utf8').matchAll(/\d+ (path|linkpath)=([^\n]*)\n/g)) {
          if (m[1] === 'path') longName = m[2];
          else longLink = m[2];
        }
      }
      continue;
    }
    longName = undefined;
    longLink = undefined;
    const mode = num(at - 512 - Math.ceil(size / 512) * 512 + 100, at - 512 - Math.ceil(size / 512) * 512 + 108);
    name = name.replace(/^\.\//, '');
    if (type === '5') out.push({ name, entry: { type: 'dir', mode: mode || 0o755 } });
    else if (type === '2') out.push({ name, entry: { type: 'symlink', target: link } });
    else if (type === '0' || type === '7') out.push({ name, entry: { type: 'file', data: new Uint8Array(data), mode: mode || 0o644 } });
  }
  return out;
}

/** `tar [--no-same-permissions --no-same-owner] -xmf - [-C DIR]` with the archive on stdin. */
export async function tarIn(rt: PodRuntime, container: string, argv: string[], stdin: Buffer): Promise<{ stdout: string; stderr: string; exitCode: number } | undefined> {
  if (argv[0] !== 'tar') return undefined;
  const rest = argv.slice(1);
  const umask = rest.includes('--no-same-permissions');
  const opts = rest.filter((a) => a !== '--no-same-permissions' && a !== '--no-same-owner');
  if (opts[0] !== '-xmf' || opts[1] !== '-' || !(opts.length === 2 || (opts.length === 4 && opts[2] === '-C'))) return undefined;
  const ct = rt.rt.containers[container];
  if (!ct) return undefined;
  const tar = imageTar(ct.image);
  if (!tar.flavor) return undefined;
  const sh = await rt.shell(container);
  const r = await tarExtract(sh.bash.fs, parseTar(stdin), opts[3] ?? '', rt.spec(container)?.workingDir || tar.workingDir, { flavor: tar.flavor, umask: umask || String(sh.kernel.uid) !== '0' });
  await rt.flush(container);
  return { stdout: '', stderr: r.stderr, exitCode: r.code };
}
