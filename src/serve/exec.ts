// pods/exec over WebSocket (the channel protocol kubectl 1.30+ speaks: v5.channel.k8s.io, or v4): the
// command runs in the container's shell once its standard input has ended (v5's close of channel 0;
// right away without stdin); its output goes out on channels 1 and 2 and the outcome as a Status on
// channel 3 (NonZeroExitCode with the ExitCode cause), as the kubelet's streaming server sends them.
// `-it` into a shell is a terminal session (exec-tty.ts).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CliError, StatusError } from '../api/errors.js';
import type { KObj } from '../api/types.js';
import { endlessNote, ENDLESS_EXIT } from '../runtime/limits.js';
import { PodRuntime } from '../runtime/pod.js';
import type { ClusterAccess } from './access.js';
import { statusOf } from './http-types.js';
import type { ResourcePath } from './route.js';
import { isInteractiveShell, ttySession } from './exec-tty.js';
import { tarIn, tarOut } from './tar-stream.js';
import { acceptWebSocket, offeredProtocols, refuseUpgrade, type WebSocket } from './websocket.js';

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const CLOSE = 255;

function containerOf(pod: KObj, given: string): string {
  if (!pod.spec?.nodeName) throw new StatusError('BadRequest', `pod ${pod.metadata.name} does not have a host assigned`);
  const names = (pod.spec.containers ?? []).map((x: KObj) => x.name);
  const name = given || (names.length === 1 ? names[0] : '');
  if (!name) throw new StatusError('BadRequest', `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]`);
  const all = [...pod.spec.containers, ...(pod.spec.initContainers ?? []), ...(pod.spec.ephemeralContainers ?? [])];
  if (!all.some((x: KObj) => x.name === name)) throw new StatusError('BadRequest', `container ${name} is not valid for pod ${pod.metadata.name}`);
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw new StatusError('BadRequest', `cannot exec into a container in a completed pod; current phase is ${phase}`);
  const st = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])].find((s: KObj) => s.name === name);
  if (!st?.state?.running) throw new StatusError('BadRequest', `container not found ("${name}")`);
  return name;
}

function channel(id: number, data: Buffer | string): Buffer {
  return Buffer.concat([Buffer.from([id]), Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8')]);
}

function statusText(exitCode: number, argv: string[]): string {
  if (exitCode === 0) return JSON.stringify({ metadata: {}, status: 'Success' });
  return JSON.stringify({
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  });
}

/** Checks the pod and container before the upgrade; the container's name, or a refusal already sent. */
async function target(access: ClusterAccess, rp: ResourcePath, q: URLSearchParams, socket: Duplex): Promise<string | undefined> {
  try {
    return await access.run('read', (s) => {
      const pod = s.cluster.api.peek(rp.def, rp.namespace, rp.name!);
      if (!pod) throw new StatusError('NotFound', `pods "${rp.name}" not found`, { name: rp.name });
      return containerOf(pod, q.get('container') ?? '');
    });
  } catch (e) {
    const res = statusOf(e, rp.def);
    refuseUpgrade(socket, res.status, res.body);
    return undefined;
  }
}

async function run(access: ClusterAccess, rp: ResourcePath, container: string, argv: string[], stdinBytes: Buffer | undefined, ws: WebSocket, q: URLSearchParams): Promise<void> {
  const stdin = stdinBytes?.toString('utf8');
  try {
    const r = await access.run('write', async (s) => {
      const pod = s.cluster.api.peek(rp.def, rp.namespace, rp.name!);
      if (!pod) throw new StatusError('NotFound', `pods "${rp.name}" not found`, { name: rp.name });
      const rt = PodRuntime.of(s.cluster, pod);
      await rt.advance(s.cluster.now());
      // kubectl cp's download: the archive as bytes
      const tar = (await tarOut(rt, container, argv)) ?? (stdinBytes ? await tarIn(rt, container, argv, stdinBytes) : undefined);
      if (tar) return { ...tar, id: '', notFound: false, endless: undefined };
      const out = await rt.exec(container, argv, stdin);
      // containerd's exec id: 64 hex digits
      const id = out.notFound ? Array.from({ length: 64 }, () => '0123456789abcdef'[s.cluster.randomInt(16)]).join('') : '';
      return { ...out, id };
    });
    if (r.notFound) {
      const msg = `Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${r.id}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${argv[0]}": executable file not found in $PATH: unknown`;
      ws.send(channel(ERROR, JSON.stringify({ metadata: {}, status: 'Failure', message: msg, reason: 'InternalError', code: 500 })));
      return;
    }
    let stderr = r.stderr;
    let code = r.exitCode;
    if (r.endless) {
      stderr += endlessNote(r.endless);
      code = ENDLESS_EXIT;
    }
    const sendErr = () => q.get('stderr') !== 'false' && stderr && ws.send(channel(q.get('tty') === 'true' ? STDOUT : STDERR, stderr));
    // tar's messages come before its archive (kubectl cp stops reading once the archive has ended)
    if (Buffer.isBuffer(r.stdout)) sendErr();
    if (q.get('stdout') !== 'false' && r.stdout.length) ws.send(channel(STDOUT, r.stdout));
    if (!Buffer.isBuffer(r.stdout)) sendErr();
    ws.send(channel(ERROR, statusText(code, argv)));
  } catch (e) {
    const message = e instanceof StatusError || e instanceof CliError ? e.message : `Internal error occurred: ${(e as Error).message}`;
    ws.send(channel(ERROR, JSON.stringify({ metadata: {}, status: 'Failure', message, reason: 'InternalError', code: 500 })));
  }
}

/** The command a container runs (what attach attaches to): its command and args, else a shell. */
async function mainCommand(access: ClusterAccess, rp: ResourcePath, container: string): Promise<string[]> {
  return access.run('read', (s) => {
    const pod = s.cluster.api.peek(rp.def, rp.namespace, rp.name!);
    const spec = [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? [])].find((x: KObj) => x.name === container) ?? {};
    const argv = [...(spec.command ?? []), ...(spec.args ?? [])];
    return argv.length ? argv : ['sh'];
  });
}

/** attach without a terminal: what the container writes from now on, until it stops (or the client goes). */
function followOutput(access: ClusterAccess, rp: ResourcePath, container: string, ws: WebSocket, from?: number): void {
  let gone = false;
  ws.onClose(() => (gone = true));
  let since = from ?? -1;
  const look = () =>
    access.run('read', async (s) => {
      const pod = s.cluster.api.peek(rp.def, rp.namespace, rp.name!);
      if (!pod) return { text: '', alive: false };
      await PodRuntime.of(s.cluster, pod).advance(s.cluster.now());
      const { containerLogLines } = await import('../runtime/log-endpoint.js');
      const { logText } = await import('../runtime/state.js');
      let lines: { t: number; l: string; p?: boolean }[] = [];
      try {
        lines = containerLogLines(s.cluster.state, pod, container, false);
      } catch {
        lines = [];
      }
      if (since < 0) since = s.cluster.now();
      const fresh = lines.filter((l) => l.t > since);
      if (fresh.length) since = fresh[fresh.length - 1].t;
      const st = (pod.status?.containerStatuses ?? []).find((x: KObj) => x.name === container);
      return { text: fresh.map((l) => logText(l as never)).join(''), alive: Boolean(st?.state?.running) };
    });
  void (async () => {
    for (;;) {
      const r = await look().catch(() => ({ text: '', alive: false }));
      if (gone) return;
      if (r.text) ws.send(channel(STDOUT, r.text));
      if (!r.alive) {
        ws.send(channel(ERROR, statusText(0, [])));
        ws.close();
        return;
      }
      await new Promise((res) => setTimeout(res, 500));
    }
  })();
}

/** The upgrade request of pods/exec and pods/attach. */
export async function upgradeExec(access: ClusterAccess, rp: ResourcePath, req: IncomingMessage, socket: Duplex, head: Buffer, q: URLSearchParams): Promise<void> {
  // the pod and container are checked first, as the kubelet does (SPDY clients get the same refusals)
  const container = await target(access, rp, q, socket);
  if (!container) return;
  const protocol = PROTOCOLS.find((p) => offeredProtocols(req).includes(p));
  if (!protocol) {
    refuseUpgrade(socket, 400, JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'unable to upgrade: no supported subprotocol (v5.channel.k8s.io, v4.channel.k8s.io) offered', reason: 'BadRequest', code: 400 }));
    return;
  }
  if (rp.sub === 'attach') {
    const argv = await mainCommand(access, rp, container);
    // an attached stream ends without the program's status (kubectl reads it from the pod)
    const attached = () => statusText(0, argv);
    const ws = acceptWebSocket(req, socket, head, protocol);
    // a terminal on a shell is the shell's session; anything else shows what the container writes
    if (q.get('stdin') === 'true' && q.get('tty') === 'true' && isInteractiveShell(argv)) ttySession(access, rp, container, argv, ws, attached, true);
    else if (q.get('stdin') === 'true') {
      // piped input (run -i): the main program's stdin up to its end, then what it writes
      const chunks: Buffer[] = [];
      let fed = false;
      ws.onMessage((data) => {
        if (data[0] === STDIN) chunks.push(data.subarray(1));
        else if (data[0] === CLOSE && data[1] === STDIN && !fed) {
          fed = true;
          let from: number | undefined;
          void access
            .run('write', async (s) => {
              from = s.cluster.now() - 1;
              const pod = s.cluster.api.peek(rp.def, rp.namespace, rp.name!);
              if (pod) await PodRuntime.of(s.cluster, pod).feedStdin(container, Buffer.concat(chunks).toString('utf8'), s.cluster.now());
            })
            .catch(() => undefined)
            .finally(() => followOutput(access, rp, container, ws, from));
        }
      });
    } else followOutput(access, rp, container, ws);
    return;
  }
  const argv = q.getAll('command');
  if (!argv.length) {
    refuseUpgrade(socket, 400, JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'you must specify at least one command for the container', reason: 'BadRequest', code: 400 }));
    return;
  }
  const ws = acceptWebSocket(req, socket, head, protocol);
  const wantsStdin = q.get('stdin') === 'true';
  if (wantsStdin && q.get('tty') === 'true' && isInteractiveShell(argv)) {
    ttySession(access, rp, container, argv, ws, (code) => statusText(code, argv));
    return;
  }
  const chunks: Buffer[] = [];
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    void run(access, rp, container, argv, wantsStdin ? Buffer.concat(chunks) : undefined, ws, q).finally(() => ws.close());
  };
  ws.onMessage((data) => {
    if (!data.length) return;
    if (data[0] === STDIN) chunks.push(data.subarray(1));
    else if (data[0] === CLOSE && data[1] === STDIN) start();
  });
  // v4 has no end-of-input signal: the command gets what arrived before the client stops sending
  ws.onClose(() => undefined);
  if (!wantsStdin) start();
  else if (protocol !== 'v5.channel.k8s.io') setTimeout(start, 500);
}
