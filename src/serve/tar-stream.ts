// `tar cf - PATH` as kubectl cp runs it through exec: the container's tar (runtime/tar.ts, as
// kubesim's own cp uses it) written out as a ustar byte stream for the exec stream's stdout.
import { imageTar, tarCreate, type TarMember } from '../runtime/tar.js';
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
