// `ls -l` (and -n, -g, -o) in a container, in the image's dialect: GNU coreutils (columns as wide as
// their widest cell, `%b %e %H:%M` dates) or busybox (`%-10s %4lu %-8.8s %-8.8s %9u` and ctime's date),
// both with `total` in 1K blocks (4K filesystem blocks), names from the container's /etc/passwd and
// /etc/group, and symlinks as `name -> target`. The filesystem keeps no owners, so they follow the
// rules that decide them on a node: the image's files are root's; what the container's user made is
// its own (group: runAsGroup, or the pod's fsGroup under a volume the kubelet gave that group); a
// volume's root is root's with the fsGroup and, for an emptyDir, mode 2777 (drwxrwsrwx), setgid
// carried down to the directories made in it. Other listings are left to just-bash's ls.

/** How owners are decided for one container (see the opening comment). */
export interface LsOwners {
  /** paths in the image (and the kubelet's files): root's */
  image: Set<string>;
  /** volume mounts, deepest first: API-backed ones (configMap, secret…) hold root's files */
  mounts: { path: string; writable: boolean }[];
  fsGroup?: number;
  uid: number;
  gid: number;
  style: 'gnu' | 'busybox';
}

interface Stat {
  isDirectory: boolean;
  isSymbolicLink: boolean;
  mode: number;
  size: number;
  mtime: Date;
}

interface Fs {
  lstat(p: string): Promise<Stat>;
  stat(p: string): Promise<Stat>;
  readdir(p: string): Promise<string[]>;
  readlink(p: string): Promise<string>;
  readFile(p: string): Promise<string>;
  resolvePath(base: string, p: string): string;
}

interface Entry {
  name: string;
  path: string;
  st: Stat;
  uid: number;
  gid: number;
  mode: number;
  nlink: number;
  link?: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function modeString(type: 'd' | 'l' | '-', mode: number): string {
  const bit = (m: number, c: string) => (mode & m ? c : '-');
  const special = (x: string, set: boolean, on: string, off: string) => (set ? (x === 'x' ? on : off) : x);
  const u = bit(0o100, 'x');
  const g = bit(0o010, 'x');
  const o = bit(0o001, 'x');
  return (
    type +
    bit(0o400, 'r') +
    bit(0o200, 'w') +
    special(u, (mode & 0o4000) !== 0, 's', 'S') +
    bit(0o040, 'r') +
    bit(0o020, 'w') +
    special(g, (mode & 0o2000) !== 0, 's', 'S') +
    bit(0o004, 'r') +
    bit(0o002, 'w') +
    special(o, (mode & 0o1000) !== 0, 't', 'T')
  );
}

/** 512-byte blocks a file takes on a 4K-block filesystem. */
function blocks(e: Entry): number {
  if (e.st.isSymbolicLink) return 0;
  if (e.st.isDirectory) return 8;
  return Math.ceil(e.st.size / 4096) * 8;
}

function dateCell(mtime: number, now: number): string {
  const d = new Date(mtime);
  const mon = MONTHS[d.getUTCMonth()];
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const recent = mtime <= now + 15 * 60_000 && now - mtime < (365 * 24 * 3600_000) / 2;
  if (recent) return `${mon} ${day} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  return `${mon} ${day}  ${d.getUTCFullYear()}`;
}

function idNames(text: string): Map<number, string> {
  const m = new Map<number, string>();
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length >= 3 && /^\d+$/.test(f[2]) && !m.has(Number(f[2]))) m.set(Number(f[2]), f[0]);
  }
  return m;
}

function under(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir === '/' ? '/' : `${dir}/`);
}

async function describe(fs: Fs, owners: LsOwners, path: string, name: string): Promise<Entry> {
  const st = await fs.lstat(path);
  let uid = 0;
  let gid = 0;
  let mode = st.mode & 0o7777;
  const mount = owners.mounts.find((m) => under(path, m.path));
  const fsGroup = owners.fsGroup;
  if (mount && path === mount.path) {
    gid = fsGroup ?? 0;
    mode = 0o777 | (fsGroup !== undefined && mount.writable ? 0o2000 : 0);
  } else if (mount) {
    if (mount.writable) {
      uid = owners.uid;
      gid = fsGroup ?? owners.gid;
      if (st.isDirectory && fsGroup !== undefined) mode |= 0o2000;
    } else gid = fsGroup ?? 0;
  } else if (!owners.image.has(path) && !path.startsWith('/proc') && !path.startsWith('/dev')) {
    uid = owners.uid;
    gid = owners.gid;
  }
  let nlink = 1;
  if (st.isDirectory) {
    nlink = 2;
    for (const child of await fs.readdir(path).catch(() => [] as string[])) {
      const cst = await fs.lstat(fs.resolvePath(path, child)).catch(() => undefined);
      if (cst?.isDirectory) nlink++;
    }
  }
  const e: Entry = { name, path, st, uid, gid, mode, nlink };
  if (st.isSymbolicLink) e.link = await fs.readlink(path).catch(() => '');
  return e;
}

interface Opts {
  all: boolean;
  almostAll: boolean;
  dirItself: boolean;
  numeric: boolean;
  noOwner: boolean;
  noGroup: boolean;
  human: boolean;
  reverse: boolean;
}

function human(n: number, style: 'gnu' | 'busybox'): string {
  if (n < 1024) return String(n);
  const units = ['K', 'M', 'G', 'T'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  if (style === 'gnu') return v < 10 ? `${(Math.ceil(v * 10) / 10).toFixed(1)}${units[i]}` : `${Math.ceil(v)}${units[i]}`;
  return `${v.toFixed(1)}${units[i]}`;
}

function render(entries: Entry[], o: Opts, owners: LsOwners, users: Map<number, string>, groups: Map<number, string>, now: number): string {
  const who = (id: number, names: Map<number, string>) => (o.numeric ? String(id) : names.get(id) ?? String(id));
  const rows = entries.map((e) => ({
    mode: modeString(e.st.isSymbolicLink ? 'l' : e.st.isDirectory ? 'd' : '-', e.mode),
    nlink: String(e.nlink),
    owner: who(e.uid, users),
    group: who(e.gid, groups),
    size: o.human ? human(e.st.isDirectory ? 4096 : e.st.isSymbolicLink ? (e.link ?? '').length : e.st.size, owners.style) : String(e.st.isDirectory ? 4096 : e.st.isSymbolicLink ? (e.link ?? '').length : e.st.size),
    // the in-memory filesystem stamps files with the host's clock: none is later than the simulated now
    date: dateCell(Math.min(e.st.mtime.getTime(), now), now),
    name: e.link !== undefined ? `${e.name} -> ${e.link}` : e.name,
  }));
  if (owners.style === 'busybox') {
    return rows
      .map((r) => {
        const ids = [o.noOwner ? undefined : r.owner, o.noGroup ? undefined : r.group].filter((x) => x !== undefined).map((x) => `${(o.numeric ? x! : x!.slice(0, 8)).padEnd(8)} `).join('');
        return `${r.mode.padEnd(10)} ${r.nlink.padStart(4)} ${ids}${r.size.padStart(o.human ? 5 : 9)} ${r.date} ${r.name}\n`;
      })
      .join('');
  }
  const w = (k: 'nlink' | 'owner' | 'group' | 'size') => Math.max(...rows.map((r) => r[k].length));
  const [wl, wo, wg, ws] = [w('nlink'), w('owner'), w('group'), w('size')];
  return rows
    .map((r) => {
      const ids = [o.noOwner ? undefined : r.owner.padEnd(wo), o.noGroup ? undefined : r.group.padEnd(wg)].filter((x) => x !== undefined).join(' ');
      return `${r.mode} ${r.nlink.padStart(wl)} ${ids} ${r.size.padStart(ws)} ${r.date} ${r.name}\n`;
    })
    .join('');
}

const byName = (a: Entry, b: Entry) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Runs `ls` with a long-format option; undefined when the arguments ask for something this does not
 * do (the caller runs just-bash's ls then).
 */
export async function lsLong(args: string[], fs: Fs, cwd: string, owners: LsOwners, now: number): Promise<{ stdout: string; stderr: string; exitCode: number } | undefined> {
  const o: Opts = { all: false, almostAll: false, dirItself: false, numeric: false, noOwner: false, noGroup: false, human: false, reverse: false };
  let long = false;
  const paths: string[] = [];
  let dashdash = false;
  for (const a of args) {
    if (dashdash || !a.startsWith('-') || a === '-') {
      paths.push(a);
      continue;
    }
    if (a === '--') {
      dashdash = true;
      continue;
    }
    if (a.startsWith('--')) return undefined;
    for (const c of a.slice(1)) {
      if (c === 'l') long = true;
      else if (c === 'n') (long = true), (o.numeric = true);
      else if (c === 'g') (long = true), (o.noOwner = true);
      else if (c === 'o') (long = true), (o.noGroup = true);
      else if (c === 'a') o.all = true;
      else if (c === 'A') o.almostAll = true;
      else if (c === 'd') o.dirItself = true;
      else if (c === 'h') o.human = true;
      else if (c === 'r') o.reverse = true;
      else if (c === '1') continue;
      else return undefined;
    }
  }
  if (!long) return undefined;
  const [users, groups] = await Promise.all([fs.readFile('/etc/passwd').then(idNames, () => new Map()), fs.readFile('/etc/group').then(idNames, () => new Map())]);
  const show = (list: Entry[]) => render(o.reverse ? list.reverse() : list, o, owners, users, groups, now);
  let out = '';
  let err = '';
  let code = 0;
  const files: Entry[] = [];
  const dirs: Entry[] = [];
  for (const p of paths.length ? paths : ['.']) {
    const full = fs.resolvePath(cwd, p);
    try {
      const e = await describe(fs, owners, full, p);
      // a link named on the command line is followed when it leads to a directory (not with -d)
      const target = e.st.isSymbolicLink && !o.dirItself ? await fs.stat(full).catch(() => undefined) : undefined;
      if ((e.st.isDirectory || target?.isDirectory) && !o.dirItself) dirs.push(e);
      else files.push(e);
    } catch {
      err += owners.style === 'busybox' ? `ls: ${p}: No such file or directory\n` : `ls: cannot access '${p}': No such file or directory\n`;
      code = owners.style === 'busybox' ? 1 : 2;
    }
  }
  files.sort(byName);
  dirs.sort(byName);
  if (files.length) out += show(files);
  const headed = paths.length > 1 || (files.length > 0 && dirs.length > 0);
  for (const [i, d] of dirs.entries()) {
    if (out || i > 0) out += '\n';
    if (headed) out += `${d.name}:\n`;
    const names = (await fs.readdir(d.path)).filter((n) => o.all || o.almostAll || !n.startsWith('.'));
    const list: Entry[] = [];
    if (o.all) {
      list.push({ ...(await describe(fs, owners, d.path, '.')), name: '.' });
      const parent = d.path === '/' ? '/' : d.path.replace(/\/[^/]+$/, '') || '/';
      list.push({ ...(await describe(fs, owners, parent, '..')), name: '..' });
    }
    for (const n of names) list.push(await describe(fs, owners, fs.resolvePath(d.path, n), n));
    list.sort(byName);
    const total = list.reduce((s, e) => s + blocks(e), 0);
    out += `total ${owners.style === 'busybox' ? (total + 1) >> 1 : Math.ceil(total / 2)}\n`;
    out += show(list);
  }
  return { stdout: out, stderr: err, exitCode: code };
}
