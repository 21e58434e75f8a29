// Container shells never show the interpreter's own messages: an endless loop runs until interrupted
// (or kubesim stops it with its own note), runaway recursion and memory end as a real process would,
// and only the image's own programs are reachable (just-bash's sqlite3, jq… are "not found").
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import type { IO } from '../src/cli/io.js';
import { getCommandNames } from 'just-bash';
import { catalog } from '../src/runtime/catalog.js';
import { SHELL_BUILTINS } from '../src/runtime/programs.js';
import { Sandbox } from './harness.js';

const LIBRARY = /executionLimits|just-bash|browser environments|worker failed|Node\.js bundle/;

let sb: Sandbox;

beforeEach(async () => {
  sb = new Sandbox();
  await sb.run(['clock', 'freeze']);
  for (const [n, img] of [['web', 'nginx'], ['bb', 'busybox'], ['py', 'python'], ['nd', 'node'], ['al', 'alpine']]) {
    await sb.run(['run', n, `--image=${img}`, ...(n === 'web' ? [] : ['--', 'sleep', 'infinity'])]);
  }
  await sb.run(['clock', 'advance', '20s']);
});

afterEach(() => sb.dispose());

async function exec(...args: string[]) {
  const r = await sb.run(['exec', ...args]);
  expect(r.stdout + r.stderr).not.toMatch(LIBRARY);
  return r;
}

/** Runs kubesim as from a terminal; the user presses Ctrl-C as soon as the command waits for it. */
async function fromTerminal(argv: string[], ctrlCWhileReading = false) {
  let stdout = '';
  let stderr = '';
  let interrupts = 0;
  const io: IO = {
    stdout: { write: (s) => void (stdout += s) },
    stderr: { write: (s) => void (stderr += s) },
    readStdin: async () => '',
    env: { KUBESIM_HOME: sb.home, HOME: sb.home },
    cwd: sb.cwd,
    wallNow: () => sb.wall,
    pid: 4242,
    sleep: async (ms) => void (sb.wall += ms),
    stdinIsTTY: true,
    stdoutIsTTY: true,
    waitForInterrupt: async (until) => {
      if (until && !ctrlCWhileReading) return false;
      interrupts++;
      return true;
    },
  };
  const code = await main(argv, io);
  return { stdout, stderr, code, interrupts };
}

describe('a loop that never ends', () => {
  it('in a script (no terminal, frozen clock): kubesim stops it with its own note and exits 124', async () => {
    const r = await exec('web', '--', 'sh', '-c', 'echo start; while true; do :; done');
    expect(r).toEqual({ stdout: 'start\n', stderr: 'kubesim: the command runs forever in the container; stopped after simulating 5000 commands (exit 124)\n', code: 124 });
  });

  it('with the clock following wall time but no terminal: the same note', async () => {
    await sb.run(['clock', 'resume']);
    const r = await exec('bb', '--', 'sh', '-c', 'i=0; while :; do i=$((i+1)); done');
    expect(r.code).toBe(124);
    expect(r.stderr).toMatch(/^kubesim: the command runs forever in the container; stopped after simulating \d+ (commands|loop iterations) \(exit 124\)\n$/);
  });

  it('a loop that may end but not within the simulated commands: the note says only that', async () => {
    await sb.run(['clock', 'resume']);
    const r = await fromTerminal(['exec', 'bb', '--', 'sh', '-c', 'for i in $(seq 100000); do :; done']);
    expect(r).toMatchObject({ code: 124, interrupts: 0, stderr: 'kubesim: the command did not end within 5000 loop iterations the simulation runs for one command; stopped it (exit 124)\n' });
  });

  it('from a terminal with the clock following wall time: runs until Ctrl-C, then exits as kubectl does', async () => {
    await sb.run(['clock', 'resume']);
    const plain = await fromTerminal(['exec', 'web', '--', 'sh', '-c', 'while true; do :; done']);
    expect(plain).toEqual({ stdout: '', stderr: '', code: 130, interrupts: 1 });
    // -i: kubectl's interrupt handler exits 1; -it: the interrupt reaches the container's shell
    expect((await fromTerminal(['exec', '-i', 'web', '--', 'sh', '-c', 'while true; do :; done'])).code).toBe(1);
    const tty = await fromTerminal(['exec', '-it', 'web', '--', 'sh', '-c', 'while true; do :; done']);
    expect(tty).toMatchObject({ stderr: 'command terminated with exit code 130\n', code: 130, interrupts: 1 });
  });

  it('Ctrl-C while kubectl reads the terminal for -i: the command is interrupted', async () => {
    expect(await fromTerminal(['exec', '-it', 'web', '--', 'cat'], true)).toMatchObject({ stderr: 'command terminated with exit code 130\n', code: 130 });
    expect(await fromTerminal(['exec', '-i', 'web', '--', 'cat'], true)).toMatchObject({ stderr: '', code: 1 });
  });

  it('from a terminal with a frozen clock: kubesim stops it (nothing would ever advance)', async () => {
    const r = await fromTerminal(['exec', 'web', '--', 'sh', '-c', 'while true; do :; done']);
    expect(r).toMatchObject({ code: 124, interrupts: 0 });
  });

  it("as a container's main program: the container keeps running", async () => {
    await sb.run(['run', 'spin', '--image=busybox', '--', 'sh', '-c', 'while true; do :; done']);
    await sb.run(['run', 'spin2', '--image=busybox', '--', 'sh', '-c', 'echo up; if true; then while true; do :; done; fi']);
    await sb.run(['clock', 'advance', '2m']);
    for (const p of ['spin', 'spin2']) expect((await sb.run(['get', 'pod', p, '--no-headers'])).stdout).toMatch(new RegExp(`^${p} +1/1 +Running +0 `));
    expect((await sb.run(['logs', 'spin2'])).stdout).toBe('up\n');
    expect((await exec('spin', '--', 'echo', 'still here')).stdout).toBe('still here\n');
  });
});

describe('exec probes', () => {
  it("time out as the CRI's ExecSync deadline says when the command never ends or outlasts timeoutSeconds", async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'pr' },
      spec: {
        containers: [
          {
            name: 'c',
            image: 'busybox',
            command: ['sleep', '3600'],
            livenessProbe: { exec: { command: ['sh', '-c', 'while true; do :; done'] }, periodSeconds: 5 },
            readinessProbe: { exec: { command: ['sleep', '3'] }, periodSeconds: 5 },
          },
        ],
      },
    };
    await sb.run(['apply', '-f', '-'], JSON.stringify(pod));
    await sb.run(['clock', 'advance', '60s']);
    const d = (await sb.run(['describe', 'pod', 'pr'])).stdout;
    expect(d).toContain('Liveness probe failed: command "sh -c while true; do :; done" timed out');
    expect(d).toContain('Readiness probe failed: command "sleep 3" timed out');
    expect(d).not.toMatch(LIBRARY);
  });
});

describe('other interpreter limits', () => {
  it('runaway recursion ends like a segfaulting shell (139, no message)', async () => {
    const r = await exec('web', '--', 'sh', '-c', 'f() { f; }; f');
    expect(r).toEqual({ stdout: '', stderr: 'command terminated with exit code 139\n', code: 139 });
  });

  it('a string that outgrows the simulation ends with 137 and one kubesim line', async () => {
    const r = await exec('web', '--', 'bash', '-c', 'x=aaaaaaaaaa; while true; do x=$x$x; done');
    expect(r.code).toBe(137);
    expect(r.stderr).toBe('kubesim: the command outgrew the memory the simulation gives one command; stopped it (exit 137)\ncommand terminated with exit code 137\n');
  });
});

describe('syntax errors', () => {
  it("are the invoked shell's, in exec and in a container's main program", async () => {
    expect((await exec('web', '--', 'sh', '-c', 'for x in 1; do')).stderr).toBe('sh: 1: Syntax error: end of file unexpected (expecting "done")\ncommand terminated with exit code 2\n');
    expect((await exec('al', '--', 'sh', '-c', 'if then')).stderr).toBe('sh: syntax error: unexpected "fi"\ncommand terminated with exit code 2\n');
    await sb.run(['run', 'bad', '--image=busybox', '--', 'sh', '-c', 'if then']);
    await sb.run(['clock', 'advance', '10s']);
    expect((await sb.run(['logs', 'bad'])).stdout).toBe('sh: syntax error: unexpected "fi"\n');
  });
});

describe('only the image’s own programs', () => {
  it("sqlite3 and just-bash's other commands are not found, in each shell's words", async () => {
    expect(await exec('bb', '--', 'sh', '-c', 'sqlite3 /tmp/db')).toEqual({ stdout: '', stderr: 'sh: sqlite3: not found\ncommand terminated with exit code 127\n', code: 127 });
    expect((await exec('al', '--', 'sh', '-c', 'sqlite3 /tmp/db')).stderr).toBe('sh: sqlite3: not found\ncommand terminated with exit code 127\n');
    expect((await exec('web', '--', 'bash', '-c', 'sqlite3 /tmp/db')).stderr).toBe('bash: line 1: sqlite3: command not found\ncommand terminated with exit code 127\n');
    expect((await exec('web', '--', 'sh', '-c', 'sqlite3 /tmp/db')).stderr).toBe('sh: 1: sqlite3: not found\ncommand terminated with exit code 127\n');
    const direct = await exec('web', '--', 'sqlite3');
    expect(direct.stderr).toMatch(/OCI runtime exec failed: exec failed: unable to start container process: exec: "sqlite3": executable file not found in \$PATH: unknown/);
    const many = await exec('web', '--', 'sh', '-c', 'for c in jq yq xan rg tree file html-to-markdown strings column python3 node ps; do $c --help >/dev/null 2>&1 || echo "$c $?"; done');
    expect(many.stdout).toBe(['jq', 'yq', 'xan', 'rg', 'tree', 'file', 'html-to-markdown', 'strings', 'column', 'python3', 'node', 'ps'].map((c) => `${c} 127\n`).join(''));
    expect((await exec('bb', '--', 'sh', '-c', 'curl -s localhost; bash -c true')).stderr).toBe('sh: curl: not found\nsh: bash: not found\ncommand terminated with exit code 127\n');
  });

  it('programs the image has but the simulation cannot run say so in one line (126); versions answer', async () => {
    expect(await exec('py', '--', 'python3', '-c', 'print(sum([1]))')).toEqual({ stdout: '', stderr: 'kubesim: python3 is in the image, but the simulation cannot run it\ncommand terminated with exit code 126\n', code: 126 });
    expect((await exec('py', '--', 'python3', '--version')).stdout).toBe('Python 3.13.0\n');
    expect((await exec('nd', '--', 'sh', '-c', 'node --version; npm install; echo $?')).stdout).toBe('v23.3.0\n126\n');
    expect((await exec('nd', '--', 'git', 'status')).stderr).toBe('kubesim: git is in the image, but the simulation cannot run it\ncommand terminated with exit code 126\n');
  });

  it("audit: each of just-bash's commands is reachable only where the image's OS has it", async () => {
    await sb.run(['run', 'my', '--image=mysql', '--', 'sleep', 'infinity']);
    await sb.run(['clock', 'advance', '10s']);
    const names = getCommandNames().filter((n) => !['bash', 'sh', 'clear', 'history', 'help', 'alias', 'unalias', 'time', 'sleep', 'timeout', 'xargs'].includes(n));
    for (const [pod, os] of [['bb', 'busybox'], ['web', 'debian12'], ['my', 'oraclelinux9']]) {
      const set = catalog().os[os].programs as string[];
      const script = names.map((n) => `${n} --help </dev/null >/dev/null 2>&1; echo "${n} $?"`).join('\n');
      const r = await exec(pod, '--', 'sh', '-c', script);
      for (const line of r.stdout.trim().split('\n')) {
        const [n, code] = line.split(' ');
        const reachable = set.includes(n) || SHELL_BUILTINS.has(n) || ['curl', 'ps', 'wget'].includes(n);
        expect(code === '127', `${os}: ${n} exited ${code}`).toBe(!reachable);
      }
    }
  });

  it("nginx answers -v, -t and -s reload as the image's nginx does", async () => {
    expect(await exec('web', '--', 'nginx', '-t')).toEqual({ stdout: '', stderr: 'nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n', code: 0 });
    expect((await exec('web', '--', 'nginx', '-v')).stderr).toBe('nginx version: nginx/1.27.3\n');
    expect((await exec('web', '--', 'nginx', '-s', 'reload')).stderr).toBe('2026/11/22 21:00:20 [notice] 42#42: signal process started\n');
  });

  it("the shells' builtins just-bash lacks (trap, ulimit, umask) and nohup are there", async () => {
    const r = await exec('web', '--', 'sh', '-c', 'trap "echo bye" TERM; ulimit -n; umask; nohup echo hi');
    expect(r).toEqual({ stdout: '1048576\n0022\nhi\n', stderr: '', code: 0 });
    await sb.run(['run', 'tr', '--image=busybox', '--', 'sh', '-c', 'trap "exit 0" TERM; echo up; while true; do sleep 1; done']);
    await sb.run(['clock', 'advance', '10s']);
    expect((await sb.run(['logs', 'tr'])).stdout).toBe('up\n');
  });

  it('the images keep their real tools', async () => {
    expect((await exec('bb', '--', 'sh', '-c', 'echo b | tr a-z A-Z; wget -qO- http://localhost:1 2>&1 | head -1')).stdout).toBe("B\nwget: can't connect to remote host (127.0.0.1): Connection refused\n");
    expect((await exec('web', '--', 'sh', '-c', 'curl -s localhost | grep -c Welcome; tar cf /tmp/h.tar /etc/hostname 2>/dev/null && echo tar')).stdout).toBe('2\ntar\n');
  });
});
