// The frozen-clock hint: on a terminal only, when a listed pod would progress if time moved.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IO } from '../src/cli/io.js';
import { main } from '../src/main.js';
import { T0 } from './harness.js';

const home = mkdtempSync(join(tmpdir(), 'kubesim-hint-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function run(argv: string[], tty: boolean): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: IO = {
    stdout: { write: (s) => void (stdout += s) },
    stderr: { write: (s) => void (stderr += s) },
    readStdin: async () => '',
    env: { KUBESIM_HOME: home, HOME: home },
    cwd: home,
    wallNow: () => T0,
    pid: 4242,
    ...(tty ? { stdoutIsTTY: true } : {}),
  };
  await main(argv, io);
  return { stdout, stderr };
}

describe('frozen-clock hint', () => {
  it('says the clock is frozen when a pod waits for time, on a terminal only', async () => {
    await run(['clock', 'freeze'], false);
    await run(['run', 'web', '--image=nginx'], false);
    const tty = await run(['get', 'pods'], true);
    expect(tty.stdout).toMatch(/web +0\/1 +ContainerCreating/);
    expect(tty.stderr).toBe('kubesim: the clock is frozen at 2026-11-22T21:00:00Z (kubesim clock resume)\n');
    expect((await run(['get', 'pods'], false)).stderr).toBe('');
    expect((await run(['get', 'pods', '-o', 'name'], true)).stderr).toBe('');
    await run(['clock', 'advance', '30s'], false);
    const running = await run(['get', 'pods'], true);
    expect(running.stdout).toMatch(/web +1\/1 +Running/);
    expect(running.stderr).toBe('');
  });
});
