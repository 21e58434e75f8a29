// Programs inside a container that act on the simulation: date and sleep on the simulated clock,
// hostname/id/whoami from the pod and image, ps/kill/killall on the container's processes, and
// curl/wget against whatever serves in the pod (or another pod) — never the host.
import type { HttpResponse } from './daemons.js';

type JB = typeof import('just-bash');
type Result = { stdout: string; stderr: string; exitCode: number };

export interface PsEntry {
  pid: number;
  user: string;
  argv: string[];
  startedAt: number;
}

export interface Kernel {
  hostname: string;
  podIP: string;
  uid: string;
  gid: string;
  group: string;
  user: string;
  /** the process's groups (getgroups order), when more than its gid */
  groups?: { id: string; name: string }[];
  /** simulated now inside the running command (advances with sleep) */
  now(): number;
  sleep(ms: number): void;
  ps(): PsEntry[];
  /** signals processes; returns how many matched */
  signal(match: (p: PsEntry) => boolean, sig: number): Promise<number>;
  http(host: string, port: number, method: string, path: string, headers: Record<string, string>, client: string): Promise<HttpResponse | 'refused' | 'unresolved' | 'timeout'>;
  /** the address a name resolves to in the pod (/etc/hosts, cluster DNS), undefined when it does not */
  resolve?(host: string): string | undefined;
  /** the image's nslookup (busybox's dialect or BIND's), dig and host against the cluster DNS */
  nslookup?(args: string[]): { stdout: string; stderr: string; exitCode: number };
  dig?(args: string[]): { stdout: string; stderr: string; exitCode: number };
  host?(args: string[]): { stdout: string; stderr: string; exitCode: number };
  psStyle: 'busybox' | 'procps';
  /** curl's User-Agent in this image (curl/VERSION), when the catalog names the image's curl */
  curlAgent?: string;
}

const SIGNALS: Record<string, number> = { HUP: 1, INT: 2, QUIT: 3, KILL: 9, USR1: 10, USR2: 12, TERM: 15, STOP: 19, CONT: 18 };

function sigNumber(s: string): number | undefined {
  const t = s.replace(/^-/, '').replace(/^SIG/i, '').toUpperCase();
  if (/^\d+$/.test(t)) return Number(t);
  return SIGNALS[t];
}

/** curl's User-Agent in an image whose catalog entry names its curl's version. */
export function curlAgentOf(variant: { process: Record<string, unknown> }): string | undefined {
  return variant.process.curlVersion ? `curl/${String(variant.process.curlVersion)}` : undefined;
}

const ok = (stdout = ''): Result => ({ stdout, stderr: '', exitCode: 0 });

function clockTime(ms: number): string {
  const m = Math.floor(ms / 60_000);
  return `${Math.floor(m / 60) ? `${Math.floor(m / 60)}:` : ''}${String(m % 60).padStart(Math.floor(m / 60) ? 2 : 1, '0')}:${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}`;
}

function comm(argv: string[]): string {
  const first = argv[0] ?? '';
  if (first.startsWith('nginx:')) return 'nginx';
  return first.split('/').pop() ?? '';
}

function psOutput(k: Kernel, args: string[]): string {
  const procs = [...k.ps()].sort((a, b) => a.pid - b.pid);
  // ps lists itself: run by a shell (not exec'd as the process kubectl exec started) it is the
  // shell's newest child, with the next pid
  if (!procs.some((p) => (p.argv[0] ?? '').split('/').pop() === 'ps')) {
    procs.push({ pid: (procs[procs.length - 1]?.pid ?? 0) + 1, user: k.user, argv: ['ps', ...args], startedAt: k.now() });
  }
  if (k.psStyle === 'busybox') {
    let out = 'PID   USER     TIME  COMMAND\n';
    for (const p of procs) out += `${String(p.pid).padStart(5)} ${p.user.padEnd(8).slice(0, 8)}  0:00 ${p.argv.join(' ')}\n`;
    return out;
  }
  const full = args.some((a) => /a|e|f|x/.test(a.replace(/^-/, '')));
  if (!full) {
    let out = '    PID TTY          TIME CMD\n';
    for (const p of procs) out += `${String(p.pid).padStart(7)} ?        00:00:00 ${comm(p.argv)}\n`;
    return out;
  }
  let out = 'USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n';
  for (const p of procs) {
    const start = new Date(p.startedAt).toISOString().slice(11, 16);
    out += `${p.user.padEnd(8)} ${String(p.pid).padStart(7)}  0.0  0.0   ${String(2480 + p.pid * 8).padStart(4)}  ${String(1400 + p.pid).padStart(4)} ?        ${p.pid === 1 ? 'Ss' : 'R '}   ${start}   0:00 ${p.argv.join(' ')}\n`;
  }
  void clockTime;
  return out;
}

interface Url {
  host: string;
  port: number;
  path: string;
}

function parseUrl(u: string): Url | undefined {
  const m = /^(?:(https?):\/\/)?([^/:?#]+)(?::(\d+))?([^#]*)/.exec(u);
  if (!m) return undefined;
  return { host: m[2], port: m[3] ? Number(m[3]) : m[1] === 'https' ? 443 : 80, path: m[4] || '/' };
}

async function curl(k: Kernel, args: string[]): Promise<Result> {
  let url: string | undefined;
  let silent = false;
  let showErr = false;
  let include = false;
  let head = false;
  let fail = false;
  let out: string | undefined;
  let method = 'GET';
  const headers: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-s' || a === '--silent') silent = true;
    else if (a === '-S' || a === '--show-error') showErr = true;
    else if (a === '-sS' || a === '-Ss') silent = showErr = true;
    else if (a === '-i' || a === '--include') include = true;
    else if (a === '-I' || a === '--head') (head = true), (method = 'HEAD');
    else if (a === '-f' || a === '--fail') fail = true;
    else if (a === '-o' || a === '--output') out = args[++i];
    else if (a === '-X' || a === '--request') method = args[++i] ?? 'GET';
    else if (a === '-H' || a === '--header') {
      const [hk, ...hv] = (args[++i] ?? '').split(':');
      headers[hk.trim()] = hv.join(':').trim();
    } else if (a === '-m' || a === '--max-time' || a === '--connect-timeout') i++;
    else if (a.startsWith('-') && a.length > 1) continue;
    else url = a;
  }
  if (!url) return { stdout: '', stderr: "curl: try 'curl --help' or 'curl --manual' for more information\n", exitCode: 2 };
  const u = parseUrl(url);
  if (!u) return { stdout: '', stderr: `curl: (3) URL using bad/illegal format or missing URL\n`, exitCode: 3 };
  const r = await k.http(u.host, u.port, method, u.path, headers, k.curlAgent ?? 'curl/7.88.1');
  const quietErr = silent && !showErr;
  if (r === 'unresolved') return { stdout: '', stderr: quietErr ? '' : `curl: (6) Could not resolve host: ${u.host}\n`, exitCode: 6 };
  if (r === 'timeout') return { stdout: '', stderr: quietErr ? '' : `curl: (28) Failed to connect to ${u.host} port ${u.port} after 134015 ms: Couldn't connect to server\n`, exitCode: 28 };
  if (r === 'refused') {
    return { stdout: '', stderr: quietErr ? '' : `curl: (7) Failed to connect to ${u.host} port ${u.port} after 0 ms: Couldn't connect to server\n`, exitCode: 7 };
  }
  if (fail && r.status >= 400) {
    return { stdout: '', stderr: quietErr ? '' : `curl: (22) The requested URL returned error: ${r.status}\n`, exitCode: 22 };
  }
  const headText = `HTTP/1.1 ${r.status} ${r.reason}\r\n${Object.entries(r.headers).map(([hk, hv]) => `${hk}: ${hv}\r\n`).join('')}\r\n`;
  const body = (head ? headText : include ? headText + r.body : r.body);
  if (out && out !== '-') return { stdout: '', stderr: '', exitCode: 0, ...{ write: { path: out, body } } } as Result;
  return ok(body);
}

async function wget(k: Kernel, args: string[], write: (p: string, c: string) => Promise<void>): Promise<Result> {
  let quiet = false;
  let out: string | undefined;
  let url: string | undefined;
  let limited = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-q') quiet = true;
    else if (a === '-qO-' || a === '-qO' || a === '-O-' || a === '-O') {
      if (a.includes('q')) quiet = true;
      out = a.endsWith('-') ? '-' : args[++i];
    } else if (a.startsWith('-O')) out = a.slice(2);
    else if (a === '-T' || a === '--timeout') {
      limited = true;
      i++;
    } else if (a.startsWith('-T') || a.startsWith('--timeout=')) limited = true;
    else if (a.startsWith('-')) continue;
    else url = a;
  }
  if (!url) return { stdout: '', stderr: 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n', exitCode: 1 };
  const u = parseUrl(url);
  if (!u) return { stdout: '', stderr: `wget: bad address '${url}'\n`, exitCode: 1 };
  const ip = u.host === 'localhost' ? '127.0.0.1' : k.resolve ? k.resolve(u.host) : u.host;
  if (!ip) return { stdout: '', stderr: `wget: bad address '${u.host}${u.port !== 80 ? `:${u.port}` : ''}'\n`, exitCode: 1 };
  let err = quiet ? '' : `Connecting to ${u.host}${u.port !== 80 ? `:${u.port}` : ''} (${ip}:${u.port})\n`;
  const r = await k.http(u.host === 'localhost' ? u.host : ip, u.port, 'GET', u.path, {}, 'Wget');
  if (r === 'unresolved') return { stdout: '', stderr: `wget: bad address '${u.host}${u.port !== 80 ? `:${u.port}` : ''}'\n`, exitCode: 1 };
  // busybox's own alarm (-T) says download timed out; otherwise the kernel gives up the connect
  if (r === 'timeout') return { stdout: '', stderr: `${err}${limited ? 'wget: download timed out' : `wget: can't connect to remote host (${ip}): Connection timed out`}\n`, exitCode: 1 };
  if (r === 'refused') return { stdout: '', stderr: `${err}wget: can't connect to remote host (${ip}): Connection refused\n`, exitCode: 1 };
  if (r.status >= 400) return { stdout: '', stderr: `${err}wget: server returned error: HTTP/1.1 ${r.status} ${r.reason}\n`, exitCode: 1 };
  const file = out ?? (u.path.replace(/\/$/, '/index.html').split('/').pop() || 'index.html');
  const size = Buffer.byteLength(r.body);
  if (file === '-') {
    if (!quiet) err += `writing to stdout\n`;
    const tail = quiet ? '' : `-                    100% |********************************|  ${String(size).padStart(4)}  0:00:00 ETA\nwritten to stdout\n`;
    return { stdout: r.body, stderr: err + tail, exitCode: 0 };
  }
  await write(file, r.body);
  if (!quiet) err += `saving to '${file}'\n${file.padEnd(20)} 100% |********************************|  ${String(size).padStart(4)}  0:00:00 ETA\n'${file}' saved\n`;
  return { stdout: '', stderr: err, exitCode: 0 };
}

export function containerCommands(jb: JB, k: Kernel) {
  const def = jb.defineCommand;
  const date = def('date', async (args, ctx) => {
    if (args.some((a) => a === '-d' || a.startsWith('--date') || a === '-r')) return ctx.origCommand!(args);
    return ctx.origCommand!(['-d', `@${Math.floor(k.now() / 1000)}`, ...args]);
  });
  const hostname = def('hostname', async (args) => {
    if (args.includes('-i')) return ok(`${k.podIP}\n`);
    return ok(`${k.hostname}\n`);
  });
  const whoami = def('whoami', async () => {
    if (/^\d+$/.test(k.user) && k.user !== '0') {
      const text = k.psStyle === 'busybox' ? `whoami: unknown uid ${k.user}\n` : `whoami: cannot find name for user ID ${k.user}\n`;
      return { stdout: '', stderr: text, exitCode: 1 };
    }
    return ok(`${k.user}\n`);
  });
  const id = def('id', async (args) => {
    const named = (n: string, name: string) => (name && name !== n ? `${n}(${name})` : n);
    if (args.includes('-u')) return ok(`${k.uid}\n`);
    if (args.includes('-un')) return ok(`${k.user}\n`);
    if (args.includes('-g')) return ok(`${k.gid}\n`);
    const g = named(k.gid, k.group);
    if (args.includes('-G')) return ok(`${(k.groups ?? [{ id: k.gid }]).map((x) => x.id).join(' ')}\n`);
    // busybox prints getgroups() as it comes (sorted); GNU id the primary gid first, then the others
    const list = k.groups?.length ? (k.psStyle === 'busybox' ? k.groups : [...k.groups.filter((x) => x.id === k.gid), ...k.groups.filter((x) => x.id !== k.gid)]) : undefined;
    const groups = list ? list.map((x) => named(x.id, x.name)).join(',') : g;
    return ok(`uid=${named(k.uid, k.user)} gid=${g} groups=${groups}\n`);
  });
  const ps = def('ps', async (args) => ok(psOutput(k, args)));
  const kill = def('kill', async (args) => {
    let sig = 15;
    const targets: string[] = [];
    for (const a of args) {
      if (a === '-l') return ok('HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM\n');
      if (/^-/.test(a) && sigNumber(a) !== undefined) sig = sigNumber(a)!;
      else if (a !== '-s') targets.push(a);
    }
    let err = '';
    for (const t of targets) {
      const pid = Number(t);
      const n = await k.signal((p) => p.pid === pid, sig);
      if (!n) err += `sh: kill: (${t}) - No such process\n`;
    }
    return { stdout: '', stderr: err, exitCode: err ? 1 : 0 };
  });
  const killNamed = (name: string) =>
    def(name, async (args) => {
      let sig = 15;
      const names: string[] = [];
      for (const a of args) {
        if (/^-/.test(a) && sigNumber(a) !== undefined) sig = sigNumber(a)!;
        else if (!a.startsWith('-')) names.push(a);
      }
      let err = '';
      let any = false;
      for (const nm of names) {
        const n = await k.signal((p) => (p.argv[0] ?? '').split('/').pop() === nm || (name === 'pkill' && p.argv.join(' ').includes(nm)), sig);
        if (n) any = true;
        else if (name === 'killall') err += `killall: ${nm}: no process killed\n`;
      }
      return { stdout: '', stderr: err, exitCode: any ? 0 : 1 };
    });
  const curlCmd = def('curl', async (args, ctx) => {
    const r = (await curl(k, args)) as Result & { write?: { path: string; body: string } };
    if (r.write) {
      await ctx.fs.writeFile(ctx.fs.resolvePath(ctx.cwd, r.write.path), r.write.body);
      return { stdout: '', stderr: '', exitCode: 0 };
    }
    return r;
  });
  const wgetCmd = def('wget', async (args, ctx) => wget(k, args, (p, c) => ctx.fs.writeFile(ctx.fs.resolvePath(ctx.cwd, p), c)));
  const INTERNAL = new Set(['IFS', 'OSTYPE', 'MACHTYPE', 'HOSTTYPE', 'OPTIND', 'SHELLOPTS', 'BASHOPTS', 'OLDPWD', 'PWD', 'PPID', 'UID', 'EUID', 'BASHPID', 'SHLVL', 'BASH_VERSION', '_']);
  const environ = (ctx: { env: Map<string, string>; exportedEnv?: Record<string, string> }) =>
    Object.entries(ctx.exportedEnv ?? Object.fromEntries(ctx.env))
      .filter(([key]) => !INTERNAL.has(key))
      .sort((a, b) => Number(a[0] === 'HOME') - Number(b[0] === 'HOME'));
  const envCmd = def('env', async (args, ctx) => {
    if (args.length && !args.every((a) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(a))) return ctx.origCommand!(args);
    const vars = [...environ(ctx), ...args.map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] as [string, string])];
    return ok(vars.map(([key, v]) => `${key}=${v}\n`).join(''));
  });
  const printenv = def('printenv', async (args, ctx) => {
    const vars = environ(ctx);
    if (!args.length) return ok(vars.map(([key, v]) => `${key}=${v}\n`).join(''));
    const m = new Map(vars);
    const found = args.filter((a) => m.has(a));
    return { stdout: found.map((a) => `${m.get(a)}\n`).join(''), stderr: '', exitCode: found.length === args.length ? 0 : 1 };
  });
  const uname = def('uname', async (args) => {
    if (args.includes('-a')) return ok(`Linux ${k.hostname} 6.8.0-1017-gcp #19-Ubuntu SMP x86_64 GNU/Linux\n`);
    if (args.includes('-r')) return ok('6.8.0-1017-gcp\n');
    return ok('Linux\n');
  });
  const nslookupCmd = def('nslookup', async (args) => k.nslookup?.(args) ?? { stdout: '', stderr: '', exitCode: 1 });
  const digCmd = def('dig', async (args) => k.dig?.(args) ?? { stdout: '', stderr: '', exitCode: 1 });
  const hostCmd = def('host', async (args) => k.host?.(args) ?? { stdout: '', stderr: '', exitCode: 1 });
  // containers run without a locale (LANG unset): sort compares bytes, as busybox and GNU sort do in
  // the C locale; the options that need more than byte order go to just-bash's own sort
  const sortCmd = def('sort', async (args, ctx) => {
    const flags = args.filter((a) => /^-[ru]+$/.test(a));
    const files = args.filter((a) => !a.startsWith('-') || a === '-');
    if (flags.length + files.length !== args.length) return ctx.origCommand!(args);
    const chunks: Buffer[] = [];
    for (const f of files.length ? files : ['-']) {
      if (f === '-') chunks.push(Buffer.from(String(ctx.stdin), 'latin1'));
      else {
        try {
          chunks.push(Buffer.from(await ctx.fs.readFile(ctx.fs.resolvePath(ctx.cwd, f)), 'utf8'));
        } catch {
          return ctx.origCommand!(args);
        }
      }
    }
    const text = Buffer.concat(chunks.map((c) => (c.length && c[c.length - 1] !== 10 ? Buffer.concat([c, Buffer.from('\n')]) : c))).toString('latin1');
    let lines = text ? text.slice(0, -1).split('\n') : [];
    lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const opt = flags.join('');
    if (opt.includes('u')) lines = lines.filter((l, i) => i === 0 || l !== lines[i - 1]);
    if (opt.includes('r')) lines.reverse();
    return ok(lines.length ? Buffer.from(`${lines.join('\n')}\n`, 'latin1').toString('utf8') : '');
  });
  return [date, hostname, whoami, id, envCmd, printenv, ps, kill, killNamed('killall'), killNamed('pkill'), curlCmd, wgetCmd, uname, nslookupCmd, digCmd, hostCmd, sortCmd];
}
