// The scheduler's retry of its unschedulable pods, grouped by scheduling signature (scheduler-queue.ts),
// leaves the same cluster as retrying every pod one by one: same pods (conditions, nodes, versions),
// same events (series counts and times), through deletions that free room for some signatures and not
// others, a cordon that changes every message, pod affinity that a placement satisfies, priorities,
// the broadcaster's 30-minute refresh and the series' end.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pendingOptions } from '../src/api/pending-index.js';
import { readState, storePaths, writeState } from '../src/store/file-store.js';
import { queueOptions } from '../src/sim/scheduler-queue.js';
import { Sandbox } from './harness.js';

function pod(name: string, cpu: string, extra: { labels?: Record<string, string>; spec?: string } = {}): string {
  const labels = Object.entries({ app: 'retry', ...(extra.labels ?? {}) })
    .map(([k, v]) => `    ${k}: ${v}\n`)
    .join('');
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  labels:\n${labels}spec:\n${extra.spec ?? ''}  containers:\n  - name: app\n    image: nginx:1.27\n    resources:\n      requests:\n        cpu: ${cpu}\n`;
}

const AFFINITY = `  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector:
          matchLabels:
            tier: b
        topologyKey: kubernetes.io/hostname
`;

function manifest(): string {
  const docs: string[] = [];
  // 750m of the node's 2 CPUs are the control plane's: 1000m more leaves 250m
  for (let i = 0; i < 2; i++) docs.push(pod(`r-${i}`, '500m'));
  for (let i = 0; i < 5; i++) docs.push(pod(`a-${i}`, '400m'));
  for (let i = 0; i < 4; i++) docs.push(pod(`b-${i}`, '300m', { labels: { tier: 'b' } }));
  for (let i = 0; i < 3; i++) docs.push(pod(`s-${i}`, '10m', { spec: '  nodeSelector:\n    disktype: ssd\n' }));
  for (let i = 0; i < 2; i++) docs.push(pod(`d-${i}`, '10m', { spec: AFFINITY }));
  for (let i = 0; i < 6; i++) docs.push(pod(`m-${i}`, '100m'));
  docs.push(pod('p-0', '300m', { spec: '  priority: 100\n' }));
  docs.push(pod('p-1', '400m', { spec: '  priority: 100\n' }));
  return docs.join('---\n');
}

const STEPS: string[][] = [
  ['delete', 'pod', 'r-0'],
  ['clock', 'advance', '1m'],
  ['delete', 'pod', 'a-0'],
  ['clock', 'advance', '2m'],
  ['delete', 'pod', 'p-0'],
  ['clock', 'advance', '1m'],
  ['delete', 'pod', 'm-0'],
  ['cordon', 'minikube'],
  ['clock', 'advance', '1m'],
  ['uncordon', 'minikube'],
  ['clock', 'advance', '2m'],
  ['delete', 'pod', 'm-1'],
  ['clock', 'advance', '40m'],
  ['delete', 'pod', 'b-0'],
  ['clock', 'advance', '5m'],
  ['delete', 'pod', 'r-1'],
  ['clock', 'advance', '3h'],
  ['delete', 'pod', 'a-1'],
];

/** What the cluster shows after each step. */
async function replay(grouped: boolean, steps = STEPS, nodes = 1, before?: (home: string) => void): Promise<string[]> {
  queueOptions.grouped = grouped;
  const sb = new Sandbox();
  sandboxes.push(sb);
  const out: string[] = [];
  try {
    if (nodes > 1) expect((await sb.run(['cluster', 'create', '--nodes', String(nodes)])).code).toBe(0);
    await sb.run(['clock', 'freeze']);
    const file = join(sb.home, 'pods.yaml');
    writeFileSync(file, manifest());
    expect((await sb.run(['apply', '-f', file])).code).toBe(0);
    await sb.run(['clock', 'advance', '1m']);
    before?.(sb.home);
    for (const step of steps) {
      const r = await sb.run(step);
      expect(r.code, `${step.join(' ')}: ${r.stderr}`).toBe(0);
      out.push(`$ ${step.join(' ')}\n${r.stdout}`);
      for (const look of [['get', 'pods', '-o', 'wide'], ['get', 'pods', '-o', 'yaml'], ['get', 'events', '-o', 'yaml'], ['describe', 'pod', 'a-3']]) {
        out.push(`$ ${look.join(' ')}\n${(await sb.run(look)).stdout}`);
      }
    }
  } finally {
    queueOptions.grouped = true;
  }
  return out;
}

const sandboxes: Sandbox[] = [];

/** Puts the scheduler's queue and node usage back in version 2's layout: every entry in `@pending`. */
function toVersion2(home: string): void {
  const paths = storePaths(home);
  const state = readState(paths)!;
  const old = state.objects['@pending'] as Record<string, unknown>;
  for (const name of ['@psched', '@pchunks']) {
    const rec = state.objects[name] as Record<string, unknown>;
    for (const k of Object.keys(rec)) {
      old[k] = rec[k];
      delete rec[k];
    }
  }
  expect(Object.keys(old).some((k) => k.startsWith('g:'))).toBe(true);
  state.counters.pendingIndex = 2;
  state.counters.nodeUsage = 1;
  writeState(paths, state);
}

/** Outputs alike, but for the order of the broadcaster's refresh writes (a Go map's: none set). */
function expectSame(got: string[], want: string[]): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!want[i].startsWith('$ get events')) {
      expect(got[i], `output ${i}`).toBe(want[i]);
      continue;
    }
    const rvs = (s: string) => [...s.matchAll(/\n {4}resourceVersion: "(\d+)"/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
    const masked = (s: string) => s.replace(/\n {4}resourceVersion: "\d+"/g, '\n    resourceVersion: _');
    expect(rvs(got[i]), `output ${i}`).toEqual(rvs(want[i]));
    expect(masked(got[i]), `output ${i}`).toBe(masked(want[i]));
  }
}

// three nodes (kind's: the control plane tainted): per-node messages, placements spread by score
const KIND_STEPS: string[][] = [
  ['delete', 'pod', 'r-0'],
  ['clock', 'advance', '1m'],
  ['delete', 'pod', 'r-1'],
  ['clock', 'advance', '2m'],
  ['cordon', 'kind-worker'],
  ['delete', 'pod', 'a-0'],
  ['clock', 'advance', '1m'],
  ['uncordon', 'kind-worker'],
  ['clock', 'advance', '35m'],
  ['delete', 'pod', 'p-0'],
];

describe('retrying unschedulable pods by signature', () => {
  afterAll(() => sandboxes.forEach((s) => s.dispose()));

  it('leaves the same pods and events as retrying each pod', async () => {
    const each = await replay(false);
    queueOptions.counted = 0;
    queueOptions.observed = 0;
    queueOptions.predicted = 0;
    const grouped = await replay(true);
    expect(queueOptions.counted).toBeGreaterThan(20);
    expect(queueOptions.observed).toBeGreaterThan(5);
    // after a placement, the pods behind it were told failing from the one placed, not read
    expect(queueOptions.predicted).toBeGreaterThan(0);
    expectSame(grouped, each);
    // groups kept in chunks of 2 to 3 members: whole chunks passed over, chunks split and emptied
    pendingOptions.chunk = 2;
    queueOptions.chunksPassed = 0;
    let chunked: string[];
    try {
      chunked = await replay(true);
    } finally {
      pendingOptions.chunk = 256;
    }
    for (const [i, out] of chunked.entries()) expect(out, `output ${i}`).toBe(grouped[i]);
    expect(queueOptions.chunksPassed).toBeGreaterThan(3);
    // the scenario did what it is for: placements after deletions, series that grew, pod affinity met
    const last = each[each.length - 4];
    expect(last).toMatch(/d-0 +1\/1 +Running/);
    expect(each.join('\n')).toMatch(/count: [4-9]/);
  }, 120_000);

  it('moves a queue kept in the layout of version 2 and retries alike', async () => {
    const want = await replay(true, STEPS.slice(0, 6));
    let home = '';
    const got = await replay(true, STEPS.slice(0, 6), 1, (h) => {
      toVersion2(h);
      home = h;
    });
    expectSame(got, want);
    const state = readState(storePaths(home))!;
    expect(state.counters.pendingIndex).toBe(3);
    expect(state.counters.nodeUsage).toBe(2);
    expect(Object.keys(state.objects['@pending']).every((k) => k.startsWith('u:'))).toBe(true);
  }, 120_000);

  it('on three nodes too', async () => {
    const each = await replay(false, KIND_STEPS, 3);
    queueOptions.counted = 0;
    const grouped = await replay(true, KIND_STEPS, 3);
    expect(queueOptions.counted).toBeGreaterThan(10);
    expectSame(grouped, each);
  }, 120_000);
});
