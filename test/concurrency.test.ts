// Parallel invocations of the real binary must lose nothing, and a writer killed at any moment must
// leave a store that loads with its change either whole or absent.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'kubesim');
const homes: string[] = [];
const newEnv = (): NodeJS.ProcessEnv => {
  const home = mkdtempSync(join(tmpdir(), 'kubesim-par-'));
  homes.push(home);
  const env: NodeJS.ProcessEnv = { ...process.env, KUBESIM_HOME: home };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
};
const env = newEnv();

beforeAll(() => {
  if (!existsSync(join(root, 'bin', 'dist', 'kubesim.cjs'))) execFileSync(process.execPath, [join(root, 'src', 'tools', 'build.mjs')]);
}, 120_000);
afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

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

  // The shape of the lab script that lost writes: run, label and annotate on one object (distinct
  // keys) in parallel, with readers, round after round; every write kept, every command exit 0.
  it('parallel run/label/annotate with readers keep every write, 10 times over', async () => {
    const writers = 9;
    const rounds = 3;
    for (let rep = 0; rep < 10; rep++) {
      const e = newEnv();
      await run(bin, ['run', 'target', '--image=nginx'], { env: e });
      for (let r = 0; r < rounds; r++) {
        const jobs: Promise<unknown>[] = [];
        for (let i = 0; i < writers; i++) {
          const argv = [['run', `p${r}-${i}`, '--image=nginx'], ['label', 'pod', 'target', `k${r}-${i}=v`], ['annotate', 'pod', 'target', `a${r}-${i}=v`]][i % 3];
          jobs.push(run(bin, argv, { env: e }));
        }
        for (let i = 0; i < 3; i++) jobs.push(run(bin, ['get', 'pods'], { env: e }));
        await Promise.all(jobs); // rejects on any non-zero exit
      }
      const { stdout } = await run(bin, ['get', 'pods', '-o', 'json'], { env: e });
      const items = (JSON.parse(stdout) as { items: { metadata: { name: string; labels?: object; annotations?: object } }[] }).items;
      const target = items.find((p) => p.metadata.name === 'target')!;
      const kept =
        items.filter((p) => p.metadata.name.startsWith('p')).length +
        Object.keys(target.metadata.labels ?? {}).filter((k) => k.startsWith('k')).length +
        Object.keys(target.metadata.annotations ?? {}).filter((k) => /^a\d/.test(k)).length;
      expect(kept, `repetition ${rep}`).toBe(writers * rounds);
    }
  }, 240_000);
});

describe('a writer killed at any moment', () => {
  function manifest(gen: number): string {
    return Array.from(
      { length: 200 },
      (_, i) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: w${i}\n  labels:\n    gen: "g${gen}"\nspec:\n  containers:\n  - name: app\n    image: nginx\n`,
    ).join('---\n');
  }

  it('leaves a store that loads, with a 200-pod apply either whole or absent', async () => {
    const e = newEnv();
    const file = join(e.KUBESIM_HOME!, 'pods.yaml');
    let killed = 0;
    for (let gen = 0; gen < 20; gen++) {
      writeFileSync(file, manifest(gen));
      const child = spawn(bin, ['apply', '-f', file], { env: e, stdio: 'ignore' });
      const ended = new Promise<void>((r) => child.on('exit', () => r()));
      await new Promise((r) => setTimeout(r, 60 + ((gen * 37) % 250)));
      if (child.kill('SIGKILL')) killed++;
      await ended;
      const { stdout } = await run(bin, ['get', 'pods', '-o', 'jsonpath={.items[*].metadata.labels.gen}'], { env: e });
      const gens = new Set(stdout.split(' ').filter(Boolean));
      expect(gens.size, `generation ${gen}: ${[...gens].join(',')}`).toBeLessThanOrEqual(1);
    }
    expect(killed).toBeGreaterThan(0);
  }, 240_000);
});
