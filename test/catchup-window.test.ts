// A steady loop that appends to files, looked at after a long idle: the last MAX_CATCHUP_MS it runs
// are written from the template of two real iterations (steady-window.ts); the logs, the files and
// the shell's state are those stepping through every iteration gives.
import { afterAll, describe, expect, it } from 'vitest';
import { windowTemplates } from '../src/runtime/steady-window.js';
import { Sandbox } from './harness.js';

const boxes: Sandbox[] = [];
afterAll(() => boxes.forEach((b) => b.dispose()));

/** Runs a command with the window's iterations stepped one by one. */
async function stepped(sb: Sandbox, argv: string[]) {
  windowTemplates.on = false;
  try {
    return await sb.run(argv);
  } finally {
    windowTemplates.on = true;
  }
}

const pod = (name: string, script: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox:1.36', command: ['sh', '-c', script] }] } });

async function pair(script: string): Promise<[Sandbox, Sandbox]> {
  const a = new Sandbox();
  const b = new Sandbox();
  boxes.push(a, b);
  for (const sb of [a, b]) {
    await sb.run(['clock', 'freeze']);
    expect((await sb.run(['apply', '-f', '-'], pod('w', script))).code).toBe(0);
    await sb.run(['clock', 'advance', '20s']);
  }
  return [a, b];
}

/** The same commands on both: the first as it runs, the second with the window stepped. */
async function same(a: Sandbox, b: Sandbox, argv: string[], written?: (n: number) => void): Promise<string> {
  const before = windowTemplates.written;
  const x = await a.run(argv);
  written?.(windowTemplates.written - before);
  const y = await stepped(b, argv);
  expect(x.stderr).toBe(y.stderr);
  expect(x.stdout).toBe(y.stdout);
  expect(x.code).toBe(y.code);
  return x.stdout;
}

describe('a steady loop that appends to files, after a long idle', () => {
  it('writes the window from its template as stepping writes it', async () => {
    const [a, b] = await pair('n=0; while true; do date >> /tmp/out; echo "tick $(date +%s)"; sleep 1; done');
    for (const sb of [a, b]) await sb.run(['clock', 'advance', '1h']);
    const started = Date.now();
    const logs = await same(a, b, ['logs', 'w', '--timestamps'], (n) => expect(n).toBeGreaterThan(170));
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(logs.split('\n').length).toBeGreaterThan(180);
    const out = await same(a, b, ['exec', 'w', '--', 'cat', '/tmp/out']);
    expect(out).toMatch(/Sun Nov 22 22:00:20 UTC 2026\n$/);
    await same(a, b, ['exec', 'w', '--', 'sh', '-c', 'echo $n; ls -l /tmp']);
    // a look inside the window (no jump), then another after an idle hour
    for (const sb of [a, b]) await sb.run(['clock', 'advance', '2m']);
    await same(a, b, ['logs', 'w', '--timestamps', '--tail=200']);
    await same(a, b, ['exec', 'w', '--', 'wc', '-l', '/tmp/out']);
    for (const sb of [a, b]) await sb.run(['clock', 'advance', '1h']);
    await same(a, b, ['exec', 'w', '--', 'cat', '/tmp/out']);
    await same(a, b, ['logs', 'w', '--timestamps']);
  }, 120_000);

  it('several times in a line, several files, and a file rewritten each turn', async () => {
    const [a, b] = await pair('while true; do echo "$(date +%H:%M:%S) at $(date +%s)" >> /tmp/a; sleep 2; echo x >> /tmp/b; date > /tmp/now; echo "$(date)"; sleep 1; done');
    for (const sb of [a, b]) await sb.run(['clock', 'advance', '30m']);
    await same(a, b, ['logs', 'w', '--timestamps'], (n) => expect(n).toBeGreaterThan(50));
    await same(a, b, ['exec', 'w', '--', 'sh', '-c', 'cat /tmp/a /tmp/b /tmp/now']);
    for (const sb of [a, b]) await sb.run(['clock', 'advance', '30m']);
    await same(a, b, ['exec', 'w', '--', 'sh', '-c', 'tail -3 /tmp/a; wc -l /tmp/a /tmp/b; cat /tmp/now']);
    await same(a, b, ['logs', 'w', '--timestamps', '--tail=20']);
  }, 120_000);

  it('a loop that takes no time (busy, no sleep) is stepped until its steps run out', async () => {
    const a = new Sandbox();
    const b = new Sandbox();
    boxes.push(a, b);
    for (const sb of [a, b]) {
      await sb.run(['clock', 'freeze']);
      await sb.run(['apply', '-f', '-'], pod('w', 'while true; do :; done'));
      // and a program that is not steady until its endless statement runs (it must not be woken again and again)
      await sb.run(['apply', '-f', '-'], pod('v', 'echo up; if true; then while true; do :; done; fi'));
    }
    const started = Date.now();
    for (const sb of [a, b]) await sb.run(['clock', 'advance', '2m']);
    await same(a, b, ['get', 'pods', '--no-headers']);
    await same(a, b, ['logs', 'v']);
    for (const sb of [a, b]) await sb.run(['clock', 'advance', '1h']);
    await same(a, b, ['exec', 'w', '--', 'echo', 'still here']);
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 60_000);
});
