// kubectl exec -it … sh in a real pseudo-terminal (tmux), in both clock modes: Tab completes file names
// of the container's filesystem, Ctrl-C at the prompt drops the line (`^C`, a new prompt) without
// ending the session, exit ends it and gives the terminal back.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const bin = join(root, 'bin', 'kubesim');

describe.skipIf(!hasTmux)('exec -it in a terminal', () => {
  const home = mkdtempSync(join(tmpdir(), 'kubesim-exec-tty-'));
  const sock = `kubesim-exec-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', sock, ...args], { encoding: 'utf8' });
  const screen = () => tmux('capture-pane', '-p', '-t', '0');
  const lastLine = () => screen().split('\n').filter((l) => l.trim()).pop() ?? '';
  const env: NodeJS.ProcessEnv = { ...process.env, KUBESIM_HOME: home };
  delete env.NODE_EXTRA_CA_CERTS;
  const ks = (...args: string[]) => execFileSync(bin, args, { env, encoding: 'utf8' });

  async function until(pred: () => boolean): Promise<void> {
    for (let i = 0; i < 150 && !pred(); i++) await new Promise((r) => setTimeout(r, 100));
  }

  beforeAll(() => {
    const bundle = join(root, 'bin', 'dist', 'kubesim.cjs');
    const sources = ['src/cli/exec.ts', 'src/cli/io.ts'].map((f) => statSync(join(root, f)).mtimeMs);
    if (!existsSync(bundle) || statSync(bundle).mtimeMs < Math.max(...sources)) execFileSync(process.execPath, [join(root, 'src', 'tools', 'build.mjs')]);
    ks('run', 'web', '--image=nginx');
    ks('clock', 'advance', '30s');
  });

  afterAll(() => {
    spawnSync('tmux', ['-L', sock, 'kill-server']);
    rmSync(home, { recursive: true, force: true });
  });

  for (const mode of ['frozen', 'wall'] as const) {
    it(`completes container file names and survives Ctrl-C (${mode} clock)`, async () => {
      ks('clock', mode === 'frozen' ? 'freeze' : 'resume');
      tmux('new-session', '-d', '-x', '150', '-y', '40', `env -u NODE_EXTRA_CA_CERTS KUBESIM_HOME=${home} ${bin} exec -it web -- sh; echo "session ended $?"; sleep 30`);
      await until(() => lastLine() === '/ #');
      expect(lastLine()).toBe('/ #');
      tmux('send-keys', '-t', '0', '-l', 'cat /etc/hostn');
      tmux('send-keys', '-t', '0', 'Tab');
      await until(() => lastLine() === '/ # cat /etc/hostname');
      expect(lastLine()).toBe('/ # cat /etc/hostname');
      tmux('send-keys', '-t', '0', 'Enter');
      await until(() => screen().includes('\nweb\n'));
      expect(screen()).toContain('/ # cat /etc/hostname\nweb\n/ #');
      tmux('send-keys', '-t', '0', '-l', 'echo never');
      tmux('send-keys', '-t', '0', 'C-c');
      await until(() => screen().includes('/ # echo never^C\n/ #'));
      expect(screen()).toContain('/ # echo never^C\n/ #');
      tmux('send-keys', '-t', '0', '-l', 'echo still here');
      tmux('send-keys', '-t', '0', 'Enter');
      await until(() => screen().includes('\nstill here\n'));
      tmux('send-keys', '-t', '0', '-l', 'exit 3');
      tmux('send-keys', '-t', '0', 'Enter');
      await until(() => screen().includes('session ended'));
      expect(screen()).toMatch(/command terminated with exit code 3\nsession ended 3/);
      spawnSync('tmux', ['-L', sock, 'kill-server']);
    }, 60_000);
  }

  it('run -it --rm … sh is the same session (Tab, Ctrl-C), and the pod goes when it ends', async () => {
    ks('clock', 'resume');
    tmux('new-session', '-d', '-x', '150', '-y', '40', `env -u NODE_EXTRA_CA_CERTS KUBESIM_HOME=${home} ${bin} run tmp -it --rm --restart=Never --image=busybox -- sh; echo "session ended $?"; sleep 30`);
    await until(() => lastLine() === '/ #');
    expect(lastLine()).toBe('/ #');
    tmux('send-keys', '-t', '0', '-l', 'ls -d /et');
    tmux('send-keys', '-t', '0', 'Tab');
    await until(() => lastLine() === '/ # ls -d /etc/');
    expect(lastLine()).toBe('/ # ls -d /etc/');
    tmux('send-keys', '-t', '0', 'C-c');
    await until(() => screen().includes('/ # ls -d /etc/^C\n/ #'));
    expect(screen()).toContain('/ # ls -d /etc/^C\n/ #');
    tmux('send-keys', '-t', '0', 'C-d');
    await until(() => screen().includes('session ended'));
    expect(screen()).toMatch(/pod "tmp" deleted\n(.*\n)?session ended 0/);
    spawnSync('tmux', ['-L', sock, 'kill-server']);
    expect(ks('get', 'pods', '-o', 'name')).not.toContain('pod/tmp');
  }, 60_000);
});
