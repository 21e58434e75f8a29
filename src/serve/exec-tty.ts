// `kubectl exec -it POD -- sh|bash|ash` through the server: the terminal is in raw mode on the
// client, so the line discipline is here: typed characters are echoed, backspace erases, Enter runs
// the line in the container's shell (its working directory carried from line to line, as kubesim's
// own exec -it does), Ctrl-C drops the line, Ctrl-D on an empty line or `exit [N]` ends the session
// with the shell's status. Output goes out on channel 1 with \r\n line ends.
import type { KObj } from '../api/types.js';
import { PodRuntime } from '../runtime/pod.js';
import type { ClusterAccess } from './access.js';
import type { ResourcePath } from './route.js';
import type { WebSocket } from './websocket.js';

const STDIN = 0;
const STDOUT = 1;
const ERROR = 3;

function prompt(pod: string, shell: string, user: string, cwd: string): string {
  if (shell === 'sh' || shell === 'ash') return `${cwd} ${user === 'root' ? '#' : '$'} `;
  return `${user === 'root' ? 'root' : 'I have no name!'}@${pod}:${cwd}${user === 'root' ? '#' : '$'} `;
}

const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');

/** Whether a command is an interactive shell session for the line discipline (a shell without -c). */
export function isInteractiveShell(argv: string[]): boolean {
  const base = (argv[0] ?? '').split('/').pop()!;
  return ['sh', 'bash', 'ash'].includes(base) && !argv.includes('-c');
}

/**
 * A terminal session on `container`; `main` (attach) makes its end the end of the container's main
 * process, with the shell's exit status.
 */
export function ttySession(access: ClusterAccess, rp: ResourcePath, container: string, argv: string[], ws: WebSocket, status: (code: number) => string, main = false): void {
  const shell = (argv[0] ?? 'sh').split('/').pop()!;
  const send = (text: string) => ws.send(Buffer.concat([Buffer.from([STDOUT]), Buffer.from(text, 'utf8')]));
  const run = (cmd: string[], cwd?: string) =>
    access.run('write', async (s) => {
      const pod: KObj | undefined = s.cluster.api.peek(rp.def, rp.namespace, rp.name!);
      if (!pod) return undefined;
      return PodRuntime.of(s.cluster, pod).exec(container, cmd, undefined, { cwd, display: [argv[0]] });
    });
  let user = 'root';
  let cwd = '/';
  let line = '';
  let last = 0;
  let busy: Promise<void> = Promise.resolve();
  let ended = false;
  const end = async (code: number) => {
    if (ended) return;
    ended = true;
    if (main) {
      await access
        .run('write', (s) => {
          const pod: KObj | undefined = s.cluster.api.peek(rp.def, rp.namespace, rp.name!);
          if (pod) PodRuntime.of(s.cluster, pod).exitMain(container, code, s.cluster.now());
        })
        .catch(() => undefined);
    }
    ws.send(Buffer.concat([Buffer.from([ERROR]), Buffer.from(status(code), 'utf8')]));
    ws.close();
  };
  const ready = run(['sh', '-c', 'whoami; pwd']).then((r) => {
    const [u, d] = (r?.stdout ?? '').split('\n');
    user = u || user;
    cwd = d || cwd;
    send(prompt(rp.name!, shell, user, cwd));
  });
  const enter = async (text: string) => {
    const m = /^\s*exit(?:\s+(\d+))?\s*$/.exec(text);
    if (m) return end(m[1] !== undefined ? Number(m[1]) : last);
    if (ended) return undefined;
    if (text.trim()) {
      const script = `${text}\n__s=$?; printf '\\036%s' "$PWD" >&2; exit $__s`;
      const r = await run([argv[0], '-c', script], cwd);
      if (!r) return end(137);
      let err = r.stderr;
      const mark = err.lastIndexOf('\u001e');
      if (mark >= 0) {
        cwd = err.slice(mark + 1) || cwd;
        err = err.slice(0, mark);
      }
      send(crlf(r.stdout + err));
      last = r.exitCode;
    }
    send(prompt(rp.name!, shell, user, cwd));
  };
  ws.onMessage((data) => {
    if (!data.length || data[0] !== STDIN || ended) return;
    const chars = data.subarray(1).toString('utf8');
    busy = busy.then(async () => {
      await ready;
      for (const ch of chars) {
        if (ended) return;
        if (ch === '\r' || ch === '\n') {
          send('\r\n');
          const text = line;
          line = '';
          await enter(text);
        } else if (ch === '\u007f' || ch === '\b') {
          if (line) {
            line = line.slice(0, -1);
            send('\b \b');
          }
        } else if (ch === '\u0003') {
          line = '';
          send(`^C\r\n${prompt(rp.name!, shell, user, cwd)}`);
        } else if (ch === '\u0004') {
          if (!line) {
            send('exit\r\n');
            await end(last);
          }
        } else if (ch >= ' ' || ch === '\t') {
          line += ch;
          send(ch);
        }
      }
    });
  });
}
