// A command about one object reads a bounded part of the store, whatever the number of objects: the
// segment files each command reads, counted in-process, stay a few out of hundreds with 600 pods.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { segmentReads } from '../src/store/file-store.js';
import { Sandbox } from './harness.js';

function manifest(n: number): string {
  const docs: string[] = [];
  for (let i = 0; i < n; i++) {
    docs.push(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: p-${i}\n  labels:\n    app: many\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n`);
  }
  return docs.join('---\n');
}

async function cluster(n: number): Promise<Sandbox> {
  const sb = new Sandbox();
  await sb.run(['clock', 'freeze']);
  const file = join(sb.home, 'pods.yaml');
  writeFileSync(file, manifest(n));
  expect((await sb.run(['apply', '-f', file])).code).toBe(0);
  await sb.run(['clock', 'advance', '1m']);
  return sb;
}

/** Segment files the command reads, and by record. */
async function reads(sb: Sandbox, argv: string[]): Promise<{ n: number; by: string }> {
  segmentReads.clear();
  const r = await sb.run(argv);
  expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
  let n = 0;
  for (const v of segmentReads.values()) n += v;
  return { n, by: JSON.stringify(Object.fromEntries(segmentReads)) };
}

const COMMANDS: string[][] = [
  ['get', 'pod', 'p-3'],
  ['get', 'pod', 'p-3', '-o', 'yaml'],
  ['describe', 'pod', 'p-3'],
  ['logs', 'p-3'],
  ['exec', 'p-3', '--', 'cat', '/etc/hostname'],
  ['label', 'pod', 'p-3', 'x=y'],
  ['run', 'extra', '--image=nginx'],
  ['delete', 'pod', 'p-400'],
  ['get', 'pod', 'p-500'],
];

describe('a command about one object', () => {
  const sandboxes: Sandbox[] = [];
  afterAll(() => sandboxes.forEach((s) => s.dispose()));

  it('reads a few segment files out of hundreds, with 600 pods (most of them Pending)', async () => {
    const big = await cluster(600);
    sandboxes.push(big);
    const all = (await reads(big, ['get', 'pods'])).n;
    expect(all).toBeGreaterThan(200); // a list reads every shard of its kind
    for (const argv of COMMANDS) {
      const { n, by } = await reads(big, argv);
      // scheduling a pod reads the pods bound to the nodes (their requests): at most a node's 110
      const pods = JSON.parse(by).pods ?? 0;
      expect(pods, `${argv.join(' ')} read ${by}`).toBeLessThanOrEqual(110);
      expect(n - pods, `${argv.join(' ')} read ${by}`).toBeLessThanOrEqual(30);
    }
  }, 120_000);

  it('deleting a Running pod retries the Pending ones reading a few pods, once their failures are series', async () => {
    const big = await cluster(600);
    sandboxes.push(big);
    // the first retry makes each Pending pod's FailedScheduling a series (count 2): a write for each
    expect((await reads(big, ['delete', 'pod', 'p-3'])).n).toBeGreaterThan(200);
    for (const name of ['p-4', 'p-5']) {
      const { n, by } = await reads(big, ['delete', 'pod', name]);
      expect(JSON.parse(by).pods ?? 0, `delete pod ${name} read ${by}`).toBeLessThanOrEqual(5);
      expect(n, `delete pod ${name} read ${by}`).toBeLessThanOrEqual(30);
    }
    // one of the Pending pods took each freed place
    const nodes = (await big.run(['get', 'pods', '-o', 'custom-columns=NODE:.spec.nodeName', '--no-headers'])).stdout.trim().split('\n');
    expect(nodes.filter((n) => n === 'minikube').length).toBe(110 - 7); // the node's 110, 7 of them the control plane's
    expect(nodes.length).toBe(600 - 3);
  }, 120_000);
});
