// How container files are kept in the store (writable layers, emptyDirs, the node's hostPath files,
// kubelet-synced volumes). The store is JSON, so every entry is a string (or null for a whiteout):
//
//   text                       a regular file, mode 0644, whose bytes are valid UTF-8 (not starting with NUL)
//   "\0dir" / "\0dir:700"      a directory (mode 0755 unless given, in octal)
//   "\0link:TARGET"            a symbolic link (never followed when saved or copied)
//   "\0b64:DATA"               a regular file, mode 0644, whose bytes are not UTF-8 text (base64)
//   "\0file:755:utf8:TEXT"     a regular file with another mode; "\0file:755:b64:DATA" when binary
//
// Text stays readable and small in the store; only what is not text pays base64's third.
import type { FileMap } from './state.js';

type JB = typeof import('just-bash');
export type MemFs = InstanceType<JB['InMemoryFs']>;
export type Fs = import('just-bash').IFileSystem;

export const DIR = '\0dir';
const FILE_MODE = 0o644;
const DIR_MODE = 0o755;

export type Entry =
  | { type: 'file'; data: Uint8Array; mode: number }
  | { type: 'dir'; mode: number }
  | { type: 'symlink'; target: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as UTF-8 text, or undefined when they are not text we can keep as a plain string. */
export function asText(data: Uint8Array): string | undefined {
  if (data.length && data[0] === 0) return undefined;
  try {
    return utf8.decode(data);
  } catch {
    return undefined;
  }
}

export function encodeEntry(e: Entry): string {
  if (e.type === 'dir') return (e.mode & 0o7777) === DIR_MODE ? DIR : `${DIR}:${(e.mode & 0o7777).toString(8)}`;
  if (e.type === 'symlink') return `\0link:${e.target}`;
  const mode = e.mode & 0o7777;
  const text = asText(e.data);
  if (mode === FILE_MODE) return text !== undefined ? text : `\0b64:${Buffer.from(e.data).toString('base64')}`;
  return text !== undefined ? `\0file:${mode.toString(8)}:utf8:${text}` : `\0file:${mode.toString(8)}:b64:${Buffer.from(e.data).toString('base64')}`;
}

export function decodeEntry(v: string): Entry {
  if (!v.startsWith('\0')) return { type: 'file', data: Buffer.from(v, 'utf8'), mode: FILE_MODE };
  if (v === DIR) return { type: 'dir', mode: DIR_MODE };
  if (v.startsWith(`${DIR}:`)) return { type: 'dir', mode: parseInt(v.slice(DIR.length + 1), 8) };
  if (v.startsWith('\0link:')) return { type: 'symlink', target: v.slice(6) };
  if (v.startsWith('\0b64:')) return { type: 'file', data: Buffer.from(v.slice(5), 'base64'), mode: FILE_MODE };
  const m = /^\0file:([0-7]+):(utf8|b64):/.exec(v);
  if (m) {
    const body = v.slice(m[0].length);
    return { type: 'file', data: m[2] === 'b64' ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8'), mode: parseInt(m[1], 8) };
  }
  // an entry this version does not know: keep its bytes as they are
  return { type: 'file', data: Buffer.from(v, 'utf8'), mode: FILE_MODE };
}

/** Writes one entry at `path` (its parent directories are created as needed); what is in the way of
 * another kind is removed first, as tar unlinks it. */
export async function putEntry(fs: Fs, path: string, e: Entry): Promise<void> {
  const cur = await fs.lstat(path).catch(() => undefined);
  if (cur && !(e.type === 'dir' && cur.isDirectory) && !(e.type === 'file' && cur.isFile)) await fs.rm(path, { recursive: true, force: true });
  if (e.type === 'dir') {
    if (!cur?.isDirectory) await fs.mkdir(path, { recursive: true });
    if (e.mode !== (cur?.isDirectory ? cur.mode & 0o7777 : DIR_MODE)) await fs.chmod(path, e.mode);
    return;
  }
  const parent = path.slice(0, path.lastIndexOf('/')) || '/';
  if (!(await fs.exists(parent))) await fs.mkdir(parent, { recursive: true });
  if (e.type === 'symlink') return fs.symlink(e.target, path);
  await fs.writeFile(path, e.data);
  if (e.mode !== FILE_MODE || (cur && (cur.mode & 0o7777) !== e.mode)) await fs.chmod(path, e.mode);
}

/** Whether something (a dangling link too) is at `path`. */
export async function lexists(fs: Pick<Fs, 'lstat'>, path: string): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** What is at `path`, without following a final symbolic link; undefined when nothing is. */
export async function readEntry(fs: Pick<Fs, 'lstat' | 'readlink' | 'readFileBuffer'>, path: string): Promise<Entry | undefined> {
  let st;
  try {
    st = await fs.lstat(path);
  } catch {
    return undefined;
  }
  if (st.isSymbolicLink) return { type: 'symlink', target: await fs.readlink(path) };
  if (st.isDirectory) return { type: 'dir', mode: st.mode & 0o7777 };
  return { type: 'file', data: await fs.readFileBuffer(path), mode: st.mode & 0o7777 };
}

/** An in-memory filesystem holding a stored file map (entries under `prefix`, re-rooted at /). */
export async function loadFs(jb: JB, map: FileMap, prefix = ''): Promise<MemFs> {
  const fs = new jb.InMemoryFs({});
  await applyMap(fs, map, prefix);
  return fs;
}

/** Applies stored entries (and whiteouts) onto a filesystem, directories first. */
export async function applyMap(fs: Fs, map: FileMap, prefix = ''): Promise<void> {
  const items = Object.entries(map)
    .filter(([p]) => !prefix || p.startsWith(`${prefix}/`))
    .map(([p, c]) => [prefix ? p.slice(prefix.length) : p, c] as const)
    .sort(([a], [b]) => a.split('/').length - b.split('/').length);
  for (const [p, c] of items) {
    if (c === null) {
      if (await lexists(fs, p)) await fs.rm(p, { recursive: true, force: true });
    } else await putEntry(fs, p, decodeEntry(c));
  }
}

/** Every entry of a filesystem, encoded as the store keeps it (links as links, not followed). */
export async function snapshot(fs: MemFs): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const p of fs.getAllPaths()) {
    try {
      const e = await readEntry(fs, p);
      if (e) out.set(p, encodeEntry(e));
    } catch {
      // an unreadable entry: not content
    }
  }
  return out;
}

/** Whether two file maps hold the same entries (a volume's contents as last synced and as they are now). */
export function sameFiles(a: FileMap | undefined, b: FileMap | undefined): boolean {
  if (!a || !b) return a === b;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) if (a[k] !== b[k] || !(k in b)) return false;
  return true;
}
