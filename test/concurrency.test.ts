// Parallel invocations of the real binary must lose nothing: 20 concurrent `run`s leave 20 pods.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'kubesim');
const home = mkdtempSync(join(tmpdir(), 'kubesim-par-'));
const env: NodeJS.ProcessEnv = { ...process.env, KUBESIM_HOME: home };
delete env.NODE_EXTRA_CA_CERTS;

beforeAll(() => {
  if (!existsSync(join(root, 'bin', 'dist', 'kubesim.cjs'))) execFileSync(process.execPath, [join(root, 'src', 'tools', 'build.mjs')]);
}, 120_000);
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('concurrent invocations', () => {
  it('20 parallel runs leave 20 pods', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => run(bin, ['run', `p${i}`, '--image=nginx'], { env })),
    );
    for (const [i, r] of results.entries()) expect(r.stdout).toBe(`pod/p${i} created\n`);
    const { stdout } = await run(bin, ['get', 'pods', '-o', 'name'], { env });
    expect(stdout.trim().split('\n').sort()).toEqual(Array.from({ length: 20 }, (_, i) => `pod/p${i}`).sort());
  }, 60_000);

  it('readers saving their catch-up never lose a writer\'s pod', async () => {
    const jobs: Promise<unknown>[] = [];
    for (let i = 0; i < 15; i++) {
      jobs.push(run(bin, ['run', `q${i}`, '--image=busybox', '--', 'sh', '-c', 'while true; do date; sleep 1; done'], { env }));
      jobs.push(run(bin, ['get', 'pods'], { env }));
    }
    await Promise.all(jobs);
    const { stdout } = await run(bin, ['get', 'pods', '-o', 'name'], { env });
    const names = stdout.trim().split('\n').filter((n) => n.startsWith('pod/q'));
    expect(names.sort()).toEqual(Array.from({ length: 15 }, (_, i) => `pod/q${i}`).sort());
  }, 60_000);
});
