// The container runtime for one pod: starts a container's main program, runs its processes forward
// in simulated time, answers exec and HTTP, and keeps files, processes and logs in the store.
import type { KObj } from '../api/types.js';
import type { Cluster } from '../sim/engine.js';
import { podKey } from '../api/kinds.js';
import { catalog, resolveImage, type OsSpec, type Variant } from './catalog.js';
import { curlAgentOf, type Kernel, type PsEntry } from './commands.js';
import { daemonKind, fill, serveHttp, signalExit, startDaemon, type DaemonCtx, type HttpResponse } from './daemons.js';
import { entrypointPlan, execNotFoundText } from './entrypoint.js';
import { invokedShell } from './programs.js';
import { classify, ENDLESS_EXIT, limitExit, memoryNote, syntaxErrorText } from './limits.js';
import { keepArrays, withArrays } from './shell-arrays.js';
import { compile, step, type StepHost } from './program.js';
import { buildShell, flushShell, hasProgram, justBash, shellErrors, snapshot, type ContainerShell } from './shell.js';
import { appendLog, appendOutput, runtimeOf, type ContainerRt, type FileMap, type PodRt, type Proc } from './state.js';
import { containerEnv, kubeletFiles, serviceLinks, userOf, type User } from './pod-env.js';
import { expandVars, resolveEnv, volumeContents } from './config.js';
import { loadFs, sameFiles } from './files.js';
import { endsInEndlessLoop, failureText, nextPid, programExists, quote, readOnly } from './pod-helpers.js';
import { resolveFrom, routeTo } from './service-net.js';
import { dnsTools } from './bindtools.js';
import { hostDir } from './pv-disk.js';
import { ownNamespace } from './ephemeral-pids.js';
import { isBaseEntry, nodeRoot } from './node-root.js';
import { memoryProgram, runMemoryProgram } from './stress.js';
import { mountedLayout } from './atomic-writer.js';
import { execedCommand } from './shell-exec.js';
import { advanceProc } from './advance-proc.js';
import { grantFreshSteps } from './step-budget.js';
import { shellScriptOf } from './python-c.js';
type MemFs = Awaited<ReturnType<typeof justBash>>['InMemoryFs'];

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash']);

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** the program is not in the image */
  notFound?: boolean;
  /** simulated time the command took (its sleeps) */
  elapsedMs?: number;
  /** the command never ends (a loop without sleep): stopped after `count` simulated commands */
  endless?: { count?: number; what?: string; forever?: boolean };
}

export class PodRuntime {
  readonly rt: PodRt;
  private shells = new Map<string, ContainerShell>();
  private volumeFs: Record<string, InstanceType<MemFs>> | undefined;
  /** simulated time inside the command running now */
  private clock = 0;

  private constructor(readonly c: Cluster, public pod: KObj) {
    const all = runtimeOf(c.state);
    this.rt = all[pod.metadata.uid] ??= { volumes: {}, containers: {} };
  }

  static of(c: Cluster, pod: KObj): PodRuntime {
    const key = `runtime:${pod.metadata.uid}`;
    let r = c.memo.get(key) as PodRuntime | undefined;
    if (!r) c.memo.set(key, (r = new PodRuntime(c, pod)));
    r.pod = pod;
    return r;
  }

  static forget(c: Cluster, uid: string): void {
    delete runtimeOf(c.state)[uid];
    c.memo.delete(`runtime:${uid}`);
  }

  spec(name: string): KObj | undefined {
    return [...(this.pod.spec.initContainers ?? []), ...this.pod.spec.containers, ...(this.pod.spec.ephemeralContainers ?? [])].find((x: KObj) => x.name === name);
  }

  private image(name: string): { variant: Variant; os: OsSpec } {
    const r = resolveImage(this.rt.containers[name]?.image ?? this.spec(name)?.image ?? '');
    if (r.found) return { variant: r.variant, os: r.os };
    const cat = catalog();
    return { variant: cat.generic, os: cat.os[cat.generic.os] };
  }

  private async volumes(): Promise<Record<string, InstanceType<MemFs>>> {
    if (this.volumeFs) return this.volumeFs;
    const jb = await justBash();
    this.volumeFs = {};
    // volume contents as files.ts stores them (text, base64 bytes, modes, links)
    const load = (map: FileMap, prefix = '') => loadFs(jb, map, prefix);
    for (const v of this.pod.spec.volumes ?? []) {
      if (v.emptyDir) this.volumeFs[v.name] = await load(this.rt.volumes[v.name] ?? {});
      else if (hostDir(this.c, this.pod, v)) {
        const dir = hostDir(this.c, this.pod, v)!;
        const node = ((this.c.state.nodeFiles ??= {})[dir.node] ??= {});
        this.volumeFs[v.name] = await load(dir.path ? (node as FileMap) : { ...nodeRoot(this.c, dir.node), ...(node as FileMap) }, dir.path);
      } else {
        const files = (this.rt.mounted ??= {})[v.name] ?? volumeContents(this.c, this.pod, v);
        if (files) this.volumeFs[v.name] = await load(mountedLayout(this.pod, v, files, this.rt.mountedAt?.[v.name]));
      }
    }
    return this.volumeFs;
  }

  /** The kubelet refreshes API-backed volume contents (as it does, some time after a change). */
  syncMounted(): boolean {
    let changed = false;
    for (const v of this.pod.spec.volumes ?? []) {
      const files = volumeContents(this.c, this.pod, v);
      if (!files) continue;
      const mounted = (this.rt.mounted ??= {});
      if (!sameFiles(mounted[v.name], files)) {
        if (mounted[v.name]) (this.rt.mountedAt ??= {})[v.name] = this.c.now();
        mounted[v.name] = files;
        changed = true;
      }
    }
    if (changed) {
      this.volumeFs = undefined;
      this.shells.clear();
    }
    return changed;
  }

  async shell(name: string): Promise<ContainerShell> {
    let sh = this.shells.get(name);
    if (sh) return sh;
    const ct = this.rt.containers[name];
    const spec = this.spec(name)!;
    const { variant, os } = this.image(name);
    const user = userOf(this.pod, spec, variant, os);
    sh = await buildShell({
      pod: this.pod,
      container: spec,
      variant,
      os,
      upper: ct.upper,
      volumeFs: await this.volumes(),
      kubeletFiles: kubeletFiles(this.c, this.pod),
      env: containerEnv(this.c, this.pod, spec, variant, user),
      kernel: this.kernel(name, user, os),
      readOnly,
      termination: { path: String(spec.terminationMessagePath || '/dev/termination-log'), content: ct.term ?? '' },
      readOnlyVolumes: new Set((this.pod.spec.volumes ?? []).filter((v: KObj) => !v.emptyDir && !(hostDir(this.c, this.pod, v) && !hostDir(this.c, this.pod, v)!.readOnly)).map((v: KObj) => v.name)),
    });
    this.shells.set(name, sh);
    return sh;
  }

  private kernel(name: string, user: User, os: OsSpec): Kernel {
    return {
      hostname: this.pod.spec.hostNetwork ? this.pod.spec.nodeName ?? this.pod.metadata.name : this.pod.spec.hostname ?? this.pod.metadata.name,
      podIP: this.pod.status?.podIP ?? '',
      uid: user.uid,
      gid: user.gid,
      group: user.group,
      ...(user.groups.length > 1 ? { groups: user.groups } : {}),
      user: user.name,
      psStyle: os.shellKind === 'ash' ? 'busybox' : 'procps', curlAgent: curlAgentOf(this.image(name).variant),
      now: () => this.clock,
      sleep: (ms) => void (this.clock += ms),
      ps: () => this.ps(name),
      signal: (match, sig) => this.signal(name, match, sig),
      http: (host, port, method, path, headers, agent) => this.httpFrom(host, port, method, path, headers, agent),
      resolve: (host) => resolveFrom(this.c, this.pod, host),
      ...dnsTools(this.c, this.pod, this.image(name).variant, () => this.clock || this.c.now()),
    };
  }

  /** Processes `ps` sees: the container's own, or with shareProcessNamespace the whole pod's behind /pause. */
  private processes(name: string): { ct: string; proc: Proc; pid: number }[] {
    if (!this.pod.spec.shareProcessNamespace || this.pod.spec.hostPID) return ownNamespace(this.c, this.pod, this.rt, name);
    const out: { ct: string; proc: Proc; pid: number }[] = [];
    let next = 7;
    for (const [ct, rt] of Object.entries(this.rt.containers)) {
      if (rt.exited) continue;
      for (const proc of rt.procs) {
        out.push({ ct, proc, pid: next });
        next += 6;
      }
    }
    return out;
  }

  private ps(name: string): PsEntry[] {
    const list: PsEntry[] = [];
    for (const { proc, pid } of this.processes(name)) {
      if (proc.daemon?.kind !== 'nginx') {
        list.push({ pid, user: proc.user, argv: proc.argv, startedAt: proc.startedAt });
        continue;
      }
      // nginx renames its processes: a master and its workers
      list.push({ pid, user: proc.user, argv: [`nginx: master process ${proc.argv.join(' ')}`], startedAt: proc.startedAt });
      const shared = this.pod.spec.shareProcessNamespace || pid !== proc.pid; // seen from another container (or the host)
      const worker = proc.user === 'root' ? (shared ? '101' : 'nginx') : proc.user;
      for (const w of [29, 30]) list.push({ pid: shared ? pid + w - 28 : w, user: worker, argv: ['nginx: worker process'], startedAt: proc.startedAt });
    }
    if (this.pod.spec.shareProcessNamespace) list.unshift({ pid: 1, user: '65535', argv: ['/pause'], startedAt: Date.parse(this.pod.status?.startTime ?? '') || 0 });
    return list;
  }

  private daemonCtx(name: string, t: number, proc?: Proc): DaemonCtx {
    const ct = this.rt.containers[name];
    return {
      t,
      log: (s, text, at) => appendLog(ct, at ?? t, s, text === '' ? '\n' : text),
      readFile: async (p) => {
        const sh = await this.shell(name);
        try {
          return await sh.bash.fs.readFile(p);
        } catch {
          return undefined;
        }
      },
      isDir: async (p) => {
        const sh = await this.shell(name);
        try {
          return (await sh.bash.fs.stat(p)).isDirectory;
        } catch {
          return false;
        }
      },
      portInUse: (port) => this.listener(port) !== undefined,
      hostname: this.pod.metadata.name,
      podIP: this.pod.status?.podIP ?? '',
      env: proc?.env ?? {},
      cwd: proc?.cwd ?? (this.spec(name)?.workingDir || this.image(name).variant.workingDir || '/'),
    };
  }

  /** Which container's process listens on a port of the pod's network namespace. */
  listener(port: number): { name: string; proc: Proc } | undefined {
    for (const [name, ct] of Object.entries(this.rt.containers)) {
      if (ct.exited) continue;
      const proc = ct.procs.find((p) => p.daemon?.port === port);
      if (proc) return { name, proc };
    }
    return undefined;
  }

  /** What the container runs: the spec's command/args ($(VAR) expanded from its env) over the image's. */
  private argv(spec: KObj, variant: Variant): string[] {
    const env = { ...serviceLinks(this.c, this.pod), ...resolveEnv(this.c, this.pod, spec).env };
    const expand = (words: string[] | undefined) => words?.map((w) => expandVars(String(w), env));
    const command = expand(spec.command);
    return [...(command ?? variant.entrypoint ?? []), ...(expand(spec.args) ?? (command ? [] : variant.cmd ?? []))];
  }

  /** Starts (or restarts) a container's main program at simulated time `t`. */
  async start(name: string, image: string, t: number): Promise<void> {
    const old = this.rt.containers[name];
    const ct: ContainerRt = { image, upper: {}, procs: [], nextPid: 7, log: [] };
    if (old) ct.prevLog = old.log;
    this.rt.containers[name] = ct;
    this.shells.delete(name);
    const spec = this.spec(name)!;
    const { variant, os } = this.image(name);
    let argv = this.argv(spec, variant);
    // the image's entrypoint script runs its own program, or execs what it was given (`exec "$@"`)
    const plan = entrypointPlan(variant, argv, (w) => hasProgram(variant, os, w.split('/').pop() ?? w));
    if (plan && !plan.serve) {
      for (const [s, l] of plan.log) appendLog(ct, t, s, l === '' ? '\n' : fill(l, t, this.pod.metadata.name, this.pod.status?.podIP ?? ''));
      argv = plan.argv;
      const missing = argv[0] && !SHELLS.has(argv[0].split('/').pop()!) && !(await programExists(variant, os, argv[0].split('/').pop()!));
      const text = missing ? execNotFoundText(variant.entrypointScript, os.sh ?? os.shellKind ?? '', argv[0]) : undefined;
      if (text) {
        appendLog(ct, t, 'e', text);
        return this.exitMain(name, 127, t);
      }
    }
    const user = userOf(this.pod, spec, variant, os);
    const proc: Proc = { pid: 1, argv, user: user.name, startedAt: t, wakeAt: t };
    grantFreshSteps(this.c, proc);
    ct.procs.push(proc);
    const base = (argv[0] ?? '').split('/').pop() ?? '';
    const kind = daemonKind(argv, variant);
    const script = shellScriptOf(argv, SHELLS, hasProgram(variant, os, base));
    if (script !== undefined) {
      const jb = await justBash();
      try {
        const prog = compile(jb, script);
        proc.ops = prog.ops;
        proc.steady = prog.steady;
      } catch (e) {
        appendLog(ct, t, 'e', syntaxErrorText((e as Error).message, invokedShell(os, argv[0]).shellKind ?? 'bash'));
        return this.exitMain(name, 2, t);
      }
      const exe = execedCommand(script);
      if (exe && (await programExists(variant, os, exe[0].split('/').pop()!))) proc.argv = exe;
      proc.env = containerEnv(this.c, this.pod, spec, variant, user);
      proc.cwd = spec.workingDir || variant.workingDir || '/';
    } else if (argv.length === 0 && variant.process.kind === 'sleep-forever') {
      proc.argv = ['sleep', 'infinity'];
      proc.daemon = { kind: 'sleep-forever' };
      delete proc.wakeAt;
      return;
    } else if (SHELLS.has(base) || argv.length === 0) {
      if (spec.stdin) proc.wakeAt = undefined;
      else return this.exitMain(name, 0, t);
    } else if (memoryProgram(argv, t)) {
      // stress and its kin hold what they allocate; over the memory limit the OOM killer ends them
      runMemoryProgram(memoryProgram(argv, t)!, spec, t, proc, { log: (at, s, line) => appendLog(ct, at, s, line), exit: (code, at, oom) => this.exitMain(name, code, at, undefined, oom) });
      if (proc.ops && !ct.exited) proc.env = containerEnv(this.c, this.pod, spec, variant, user);
      else return;
    } else if (kind) {
      proc.env = containerEnv(this.c, this.pod, spec, variant, user);
      const ctx = this.daemonCtx(name, t, proc);
      // started without the image's entrypoint script (--command): none of the script's own lines
      const own = argv[0] !== variant.entrypoint?.[0] && variant.entrypointScript?.ownLog;
      if (own) ctx.log = ((log) => (s: 'o' | 'e', text: string, at?: number) => void (new RegExp(own).test(text) || log(s, text, at)))(ctx.log);
      const r = startDaemon(kind, variant, ctx);
      proc.daemon = r.daemon;
      // an entrypoint script execs the program it prepares
      if (/docker-entrypoint\.sh$/.test(argv[0] ?? '') && argv.length > 1) proc.argv = argv.slice(1);
      delete proc.wakeAt;
      if (r.exit) this.exitMain(name, r.exit.code, t + r.exit.ms);
      return;
    } else {
      proc.ops = [{ op: 'exec', text: argv.map(quote).join(' ') }];
      proc.env = containerEnv(this.c, this.pod, spec, variant, user);
      proc.cwd = spec.workingDir || variant.workingDir || '/';
    }
    await this.advanceContainer(name, t);
  }

  /**
   * What a client attached to the main program's stdin sent, up to its end (`run -i` with piped
   * input): a shell waiting on its stdin runs it as its script and ends with it. False when the
   * main program is not such a shell (or has been fed already).
   */
  async feedStdin(name: string, text: string, t: number): Promise<boolean> {
    const ct = this.rt.containers[name];
    const proc = ct?.procs.find((p) => p.pid === 1);
    const spec = this.spec(name);
    if (!ct || !proc || !spec?.stdin || proc.ops || proc.daemon || proc.wakeAt !== undefined) return false;
    if (!SHELLS.has((proc.argv[0] ?? '').split('/').pop() ?? '') || proc.argv.includes('-c')) return false;
    const { variant, os } = this.image(name);
    const jb = await justBash();
    try {
      const prog = compile(jb, text);
      proc.ops = prog.ops;
      proc.steady = prog.steady;
    } catch (e) {
      appendLog(ct, t, 'e', syntaxErrorText((e as Error).message, invokedShell(os, proc.argv[0]).shellKind ?? 'bash'));
      this.exitMain(name, 2, t);
      return true;
    }
    proc.env = containerEnv(this.c, this.pod, spec, variant, userOf(this.pod, spec, variant, os));
    proc.cwd = spec.workingDir || variant.workingDir || '/';
    proc.wakeAt = t;
    if (!spec.stdinOnce) (proc as Proc & { stdinOpen?: boolean }).stdinOpen = true; // stdin stays open after the attach (kubectl debug)
    await this.advanceContainer(name, t);
    return true;
  }

  /** Whether the program can be started at all (containerd's StartError otherwise). */
  async missingProgram(name: string): Promise<string | undefined> {
    const spec = this.spec(name)!;
    const { variant, os } = this.image(name);
    const argv = this.argv(spec, variant);
    const cmd = argv[0];
    if (!cmd) return undefined;
    const base = cmd.split('/').pop()!;
    if (daemonKind(argv, variant) || (SHELLS.has(base) && os.shell !== null && (base !== 'bash' || hasProgram(variant, os, 'bash')))) return undefined;
    if (!(await programExists(variant, os, base))) return cmd;
    return undefined;
  }

  exitMain(name: string, code: number, at: number, signal?: number, oom?: boolean): void {
    const ct = this.rt.containers[name];
    if (!ct || ct.exited) return;
    ct.exited = { code, at };
    if (signal) ct.exited.signal = signal;
    if (oom) ct.exited.oom = true;
    for (const p of ct.procs) {
      delete p.wakeAt;
      delete p.daemon;
    }
    this.c.schedule(Math.max(0, at - this.c.now()), 'kubelet-exited', podKey(this.pod), { name });
  }

  private host(name: string): StepHost {
    return {
      run: async (proc, text, t) => {
        const sh = await this.shell(name);
        this.clock = t;
        let r: { stdout: string; stderr: string; exitCode: number; env?: Record<string, string> };
        try {
          const wrapped = withArrays(proc, text);
          r = await sh.bash.exec(wrapped ?? text, { env: proc.env, replaceEnv: true, cwd: proc.cwd });
          if (wrapped) keepArrays(proc, r);
        } catch (e) {
          r = { stdout: '', stderr: failureText(e, this.image(name).os), exitCode: 1, env: proc.env };
        }
        if (proc.env) proc.env = Object.fromEntries(Object.entries(r.env ?? {}).filter(([k]) => !['PWD', 'OLDPWD', 'SHLVL', '_'].includes(k) || k === 'PWD'));
        // just-bash's limits: an endless loop keeps running; a stack or memory blow-up ends the shell
        const c = classify(r.stderr, r.exitCode, invokedShell(this.image(name).os, proc.argv[0]).shellKind);
        const endless = c.limit?.kind === 'endless';
        const stderr = shellErrors(c.stderr, invokedShell(this.image(name).os, proc.argv[0])) + (c.limit?.kind === 'memory' ? memoryNote() : '');
        const fatal = Boolean(c.limit && !endless);
        return { stdout: r.stdout, stderr, exitCode: c.limit && !endless ? limitExit(c.limit.kind) : r.exitCode, elapsedMs: this.clock - t, endless, fatal };
      },
      output: (_p, t, out, err) => {
        const ct = this.rt.containers[name];
        appendOutput(ct, t, 'o', out);
        appendOutput(ct, t, 'e', err);
      },
      daemon: async (proc, text, t) => {
        const argv = text.replace(/^exec\s+/, '').match(/"[^"]*"|'[^']*'|\S+/g)?.map((w) => w.replace(/^["']|["']$/g, '')) ?? [];
        const kind = daemonKind(argv, this.image(name).variant);
        if (!kind) return;
        if (kind.kind === 'python-http') kind.root ??= proc.cwd;
        const r = startDaemon(kind, this.image(name).variant, this.daemonCtx(name, t, proc));
        if (/^exec\s/.test(text)) {
          proc.argv = argv;
          proc.daemon = r.daemon;
          delete proc.wakeAt;
          if (r.exit) this.exitMain(name, r.exit.code, t + r.exit.ms);
          return;
        }
        // a foreground child of the shell: the shell goes on when it ends
        if (r.exit) {
          proc.status = r.exit.code;
          proc.wakeAt = t + r.exit.ms;
          return;
        }
        const ct = this.rt.containers[name];
        const child: Proc = { pid: nextPid(ct), argv, user: proc.user, startedAt: t, daemon: r.daemon };
        ct.procs.push(child);
        proc.waitFor = child.pid;
        delete proc.wakeAt;
      },
      exit: (proc, code, t) => {
        if (proc.pid === 1) this.exitMain(name, code, t);
        else this.rt.containers[name].procs = this.rt.containers[name].procs.filter((p) => p !== proc);
      },
    };
  }

  private async advanceContainer(name: string, until: number): Promise<void> {
    const ct = this.rt.containers[name];
    if (!ct || ct.exited) return;
    for (const proc of [...ct.procs]) {
      if (proc.wakeAt === undefined || proc.daemon) continue;
      const write = async (path: string, text: string, append: boolean) => (await this.shell(name)).bash.fs[append ? 'appendFile' : 'writeFile'](path, text);
      await advanceProc(this.c, proc, ct, until, this.host(name), async () => (await this.flush(name), [this.rt.volumes, ct.term]), write);
      if (ct.exited) break;
    }
    await this.flush(name);
    if (!ct.exited) this.scheduleWake(name);
  }

  /** Programs that may end by themselves are woken by the kubelet's timers; endless loops are not. */
  scheduleWake(name: string): void {
    const ct = this.rt.containers[name];
    const next = Math.min(...ct.procs.filter((p) => !p.steady && p.wakeAt !== undefined).map((p) => p.wakeAt!));
    if (Number.isFinite(next) && !this.c.hasTimer(podKey(this.pod), 'runtime-wake')) {
      this.c.schedule(Math.max(0, next - this.c.now()), 'runtime-wake', podKey(this.pod));
    }
  }

  /** Runs every container's processes up to `until` (the kubelet's timers, or someone looking). */
  async advance(until: number): Promise<void> {
    for (const name of Object.keys(this.rt.containers)) await this.advanceContainer(name, until);
  }

  async flush(name: string): Promise<void> {
    const sh = this.shells.get(name);
    if (sh) await flushShell(sh, this.rt.containers[name].upper);
    if (sh?.termPath) this.rt.containers[name].term = await sh.bash.fs.readFile(sh.termPath).catch(() => undefined);
    if (!this.volumeFs) return;
    for (const v of this.pod.spec.volumes ?? []) {
      const fs = this.volumeFs[v.name];
      const dir = v.emptyDir ? undefined : hostDir(this.c, this.pod, v);
      if (!fs || !(v.emptyDir || dir)) continue;
      const files: FileMap = {};
      for (const [p, c] of await snapshot(fs)) if (p !== '/') files[p] = c;
      if (v.emptyDir) this.rt.volumes[v.name] = files;
      else if (dir) {
        const prefix = dir.path;
        const node = ((this.c.state.nodeFiles ??= {})[dir.node] ??= {});
        const base = prefix ? {} : nodeRoot(this.c, dir.node);
        for (const p of Object.keys(node)) if (p.startsWith(`${prefix}/`)) delete node[p];
        for (const [p, c] of Object.entries(files)) if (!isBaseEntry(base, p, c)) node[prefix + p] = c;
      }
    }
  }

  private async signal(name: string, match: (p: PsEntry) => boolean, sig: number): Promise<number> {
    let n = 0;
    for (const { ct: owner, proc, pid } of this.processes(name)) {
      if (!this.rt.containers[owner] /* another pod's process (hostPID) */ || !match({ pid, user: proc.user, argv: proc.argv, startedAt: proc.startedAt })) continue;
      n++;
      const ct = this.rt.containers[owner];
      const { variant } = this.image(owner);
      const code = signalExit(proc.daemon, sig, proc.pid === 1, variant, this.daemonCtx(owner, this.clock, proc));
      if (code === undefined) continue;
      if (proc.pid === 1) this.exitMain(owner, code, this.clock, code > 128 ? code - 128 : undefined);
      else {
        ct.procs = ct.procs.filter((p) => p !== proc);
        const parent = ct.procs.find((p) => p.waitFor === proc.pid);
        if (parent) {
          delete parent.waitFor;
          parent.status = code;
          parent.wakeAt = this.clock;
          this.scheduleWake(owner);
        }
      }
    }
    return n;
  }

  private async httpFrom(host: string, port: number, method: string, path: string, _h: Record<string, string>, agent: string): Promise<HttpResponse | 'refused' | 'unresolved' | 'timeout'> {
    const local = ['localhost', '127.0.0.1', '0.0.0.0', this.pod.metadata.name, this.pod.status?.podIP].includes(host);
    if (local) return this.http(port, method, path, '127.0.0.1', agent);
    // cluster DNS, kube-proxy's service rules and the pod network (service-net.ts)
    const route = routeTo(this.c, this.pod, host, port);
    if ('fail' in route) return route.fail;
    if (route.pod.metadata.uid === this.pod.metadata.uid) return this.http(route.port, method, path, this.pod.status?.podIP ?? '127.0.0.1', agent);
    const other = PodRuntime.of(this.c, route.pod);
    await other.advance(this.clock);
    return other.http(route.port, method, path, this.pod.status?.podIP ?? '10.244.0.1', agent);
  }

  async http(port: number, method: string, path: string, client: string, agent: string): Promise<HttpResponse | 'refused'> {
    const l = this.listener(port);
    if (!l?.proc.daemon) return 'refused';
    const t = Math.max(this.clock, this.c.now());
    return serveHttp(l.proc.daemon, this.image(l.name).variant, method, path, client, agent, this.daemonCtx(l.name, t, l.proc));
  }

  /** The kubelet stops a container with the image's stop signal; true when its program ended. */
  async stopContainer(name: string, sig: number): Promise<boolean> {
    let ct = this.rt.containers[name];
    if (!ct) {
      // a container the runtime never ran here (the cluster's own pods): it stops at once
      ct = this.rt.containers[name] = { image: this.spec(name)?.image ?? '', upper: {}, procs: [], nextPid: 7, log: [] };
      this.exitMain(name, 0, this.c.now());
      return true;
    }
    if (ct.exited) return true;
    ct.stopping ??= this.c.now();
    this.clock = this.c.now();
    await this.signal(name, (p) => p.pid === 1, sig);
    return Boolean(ct.exited);
  }

  /** SIGKILL: the container ends with 137. */
  killContainer(name: string): void {
    this.exitMain(name, 137, this.c.now(), 9);
  }

  stopSignal(name: string): number {
    const sig = this.image(name).variant.stopSignal ?? 'SIGTERM';
    return { SIGTERM: 15, SIGQUIT: 3, SIGINT: 2, SIGWINCH: 28, SIGKILL: 9, SIGUSR1: 10 }[sig] ?? 15;
  }

  /** `kubectl exec`: runs argv in the container at simulated now. */
  async exec(name: string, argv: string[], stdin?: string, opts: { cwd?: string; display?: string[] } = {}): Promise<ExecResult> {
    const now = this.c.now();
    await this.advance(now);
    const ct = this.rt.containers[name];
    const { variant, os } = this.image(name);
    const base = (argv[0] ?? '').split('/').pop()!;
    if ((SHELLS.has(base) && os.shell === null) || (!SHELLS.has(base) && !(await programExists(variant, os, base)))) {
      return { stdout: '', stderr: '', exitCode: 127, notFound: true };
    }
    if (base === 'bash' && !hasProgram(variant, os, 'bash')) return { stdout: '', stderr: '', exitCode: 127, notFound: true };
    const sh = await this.shell(name);
    const proc: Proc = { pid: nextPid(ct), argv: opts.display ?? argv, user: sh.kernel.user, startedAt: now };
    ct.procs.push(proc);
    this.clock = now;
    // `sh -c SCRIPT` or a translated `python -c`; a shell alone reads stdin; anything else as words
    const text = shellScriptOf(argv, SHELLS, true) ?? (SHELLS.has(base) ? (stdin ?? '') : argv.map(quote).join(' '));
    let r: { stdout: string; stderr: string; exitCode: number };
    try {
      r = await sh.bash.exec(text, { stdin: SHELLS.has(base) && !argv.includes('-c') ? '' : stdin, cwd: opts.cwd || this.spec(name)?.workingDir || variant.workingDir || '/' });
    } catch (e) {
      r = { stdout: '', stderr: failureText(e, os), exitCode: 1 };
    } finally {
      ct.procs = ct.procs.filter((p) => p !== proc);
    }
    await this.flush(name);
    // just-bash's limits as a container shows them (endless: the caller decides how it ends)
    const c = classify(r.stderr, r.exitCode, invokedShell(os, argv[0]).shellKind);
    const stderr = shellErrors(c.stderr, invokedShell(os, argv[0])) + (c.limit?.kind === 'memory' ? memoryNote() : '');
    if (c.limit?.kind === 'endless') {
      // a loop that cannot end (`while true` without break or exit) runs forever; others may just be long
      const forever = await endsInEndlessLoop(text);
      return { stdout: r.stdout, stderr, exitCode: ENDLESS_EXIT, elapsedMs: this.clock - now, endless: { count: c.limit.count, what: c.limit.what, forever } };
    }
    return { stdout: r.stdout, stderr, exitCode: c.limit ? limitExit(c.limit.kind) : r.exitCode, elapsedMs: this.clock - now };
  }
}

