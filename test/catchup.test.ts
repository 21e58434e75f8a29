// Closed-form catch-up gives what stepping gives: one long `clock advance` against the same time
// stepped through with the closed forms turned off (every turn, resync, probe and sync run).
import { afterAll, describe, expect, it } from 'vitest';
import { fastForwardLoops } from '../src/runtime/steady-loop.js';
import { closedForm } from '../src/sim/skip.js';
import { Sandbox } from './harness.js';

/** Runs a command with every closed form off. */
async function stepping(sb: Sandbox, argv: string[]): Promise<{ code: number; stdout: string }> {
  closedForm.on = false;
  fastForwardLoops.on = false;
  try {
    return await sb.run(argv);
  } finally {
    closedForm.on = true;
    fastForwardLoops.on = true;
  }
}

const boxes: Sandbox[] = [];
afterAll(() => boxes.forEach((b) => b.dispose()));

interface Snapshot {
  pods: unknown;
  events: unknown;
}

async function snapshot(sb: Sandbox): Promise<Snapshot> {
  const pods = JSON.parse((await sb.run(['get', 'pods', '-o', 'json'])).stdout).items.map((p: any) => ({
    name: p.metadata.name,
    phase: p.status.phase,
    conditions: p.status.conditions,
    containers: p.status.containerStatuses,
  }));
  const events = JSON.parse((await sb.run(['get', 'events', '-o', 'json'])).stdout)
    .items.filter((e: any) => e.involvedObject.kind === 'Pod')
    .map((e: any) => `${e.involvedObject.name} ${e.reason} ${e.involvedObject.fieldPath ?? ''} count=${e.count} first=${e.firstTimestamp} last=${e.lastTimestamp} ${e.message}`)
    .sort();
  return { pods, events };
}

async function scenario(setup: (sb: Sandbox) => Promise<void>, total: string | string[], steps: string[]): Promise<[Snapshot, Snapshot]> {
  const jump = new Sandbox();
  const stepped = new Sandbox();
  boxes.push(jump, stepped);
  for (const sb of [jump, stepped]) {
    await sb.run(['clock', 'freeze']);
    await setup(sb);
  }
  for (const t of Array.isArray(total) ? total : [total]) expect((await jump.run(['clock', 'advance', t])).code).toBe(0);
  for (const s of steps) expect((await stepping(stepped, ['clock', 'advance', s])).code).toBe(0);
  expect((await jump.run(['clock'])).stdout).toBe((await stepped.run(['clock'])).stdout);
  return [await snapshot(jump), await snapshot(stepped)];
}

const pod = (name: string, containers: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers, ...extra } });

describe('closed-form catch-up equals stepping', () => {
  it('a container that crashes at start (CrashLoopBackOff): restarts, last state, events', async () => {
    const [a, b] = await scenario(
      async (sb) => {
        await sb.run(['apply', '-f', '-'], pod('crash', [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'exit 1'] }]));
      },
      '3h',
      Array(36).fill('5m'),
    );
    expect(a).toEqual(b);
  }, 60_000);

  it('a day of CrashLoopBackOff in one advance: quick, and what stepping gives', async () => {
    const setup = async (sb: Sandbox) => {
      await sb.run(['apply', '-f', '-'], pod('loop', [{ name: 'c', image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'echo starting; sleep 2; echo failing >&2; exit 3'] }]));
    };
    const [a, b] = await scenario(setup, '24h', Array(144).fill('10m'));
    expect(a).toEqual(b);
    const restarts = (a.pods as any)[0].containers[0].restartCount;
    expect(restarts).toBeGreaterThan(280);
  }, 120_000);

  it('a crash loop known from an earlier command is accounted for from its next resync or restart', async () => {
    const setup = async (sb: Sandbox) => {
      await sb.run(['apply', '-f', '-'], pod('known', [{ name: 'c', image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'echo up; exit 2'] }]));
    };
    // 10m in, the loop waits out a 5-minute back-off: the day after starts at one of its resyncs
    const [a, b] = await scenario(setup, ['10m', '24h'], Array(145).fill('10m'));
    expect(a).toEqual(b);
    const [c, d] = await scenario(setup, ['2m50s', '3h'], [...Array(18).fill('10m'), '2m50s']);
    expect(c).toEqual(d);
  }, 180_000);

  it('image pull back-off, a missing ConfigMap volume, a missing env ConfigMap', async () => {
    const [a, b] = await scenario(
      async (sb) => {
        await sb.run(['apply', '-f', '-'], pod('nopull', [{ name: 'c', image: 'nginx:nope' }]));
        await sb.run(['apply', '-f', '-'], pod('nomount', [{ name: 'c', image: 'nginx' }], { volumes: [{ name: 'v', configMap: { name: 'missing' } }] }));
        await sb.run(['apply', '-f', '-'], pod('noenv', [{ name: 'c', image: 'nginx', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'missing', key: 'k' } } }] }]));
      },
      '3h',
      Array(18).fill('10m'),
    );
    expect(a).toEqual(b);
  }, 120_000);

  it('a readiness probe that keeps failing', async () => {
    const [a, b] = await scenario(
      async (sb) => {
        await sb.run(['apply', '-f', '-'], pod('unready', [{ name: 'c', image: 'nginx', readinessProbe: { httpGet: { path: '/', port: 81 }, periodSeconds: 10 } }]));
      },
      '3h',
      Array(18).fill('10m'),
    );
    expect(a).toEqual(b);
  }, 120_000);

  it('an endless loop printing the time every second: its logs after an idle hour are those stepping writes', async () => {
    const loop = pod('ticker', [{ name: 'c', image: 'busybox:1.36', command: ['sh', '-c', 'n=0; while true; do echo "tick $(date) $(date +%s)"; echo err >&2; sleep 1; done'] }]);
    const jump = new Sandbox();
    const stepped = new Sandbox();
    boxes.push(jump, stepped);
    for (const sb of [jump, stepped]) {
      await sb.run(['clock', 'freeze']);
      await sb.run(['apply', '-f', '-'], loop);
      await sb.run(['clock', 'advance', '20s']);
    }
    await jump.run(['clock', 'advance', '1h']);
    for (let i = 0; i < 60; i++) {
      await stepping(stepped, ['clock', 'advance', '1m']);
      // a steady loop runs when someone looks; each look here (a writer: it keeps what it ran) covers a minute
      await stepping(stepped, ['exec', 'ticker', '--', 'true']);
    }
    const started = Date.now();
    const a = (await jump.run(['logs', 'ticker', '--timestamps'])).stdout;
    const jumpMs = Date.now() - started;
    const b = (await stepping(stepped, ['logs', 'ticker', '--timestamps'])).stdout;
    expect(a.split('\n').length).toBe(5001); // the newest 5,000 lines are kept
    expect(a).toBe(b);
    expect(a).toMatch(/tick Sun Nov 22 22:00:19 UTC 2026 1795384819\n/);
    expect(jumpMs).toBeLessThan(3000);
    // and the shell sees the loop where stepping left it
    expect((await jump.run(['exec', 'ticker', '--', 'sh', '-c', 'echo $n'])).stdout).toBe((await stepping(stepped, ['exec', 'ticker', '--', 'sh', '-c', 'echo $n'])).stdout);
  }, 120_000);
});
