// A StatefulSet recreated after `delete --cascade=orphan` adopts the orphans of its name and selector
// (getPodsForStatefulSet + ClaimPods), whatever their ordinal: those beyond its size are condemned,
// as the StatefulSet Basics tutorial's "Non-Cascading Delete" shows (web-2 terminates).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

const sb = new Sandbox();
afterAll(() => sb.dispose());

const sts = (replicas: number) => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: orph
spec:
  serviceName: orph
  replicas: ${replicas}
  selector:
    matchLabels:
      app: orph
  template:
    metadata:
      labels:
        app: orph
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
`;

const pods = async () => JSON.parse((await sb.run(['get', 'pods', '-l', 'app=orph', '-o', 'json'])).stdout).items as { metadata: { name: string; uid: string; ownerReferences?: { uid: string }[] } }[];

beforeAll(async () => {
  await sb.run(['clock', 'freeze']);
});

describe('StatefulSet adoption of orphans', () => {
  it('adopts the orphans within its size and condemns the one beyond it', async () => {
    await sb.run(['apply', '-f', '-'], sts(3));
    await sb.run(['clock', 'advance', '60s']);
    const before = await pods();
    expect(before.map((p) => p.metadata.name)).toEqual(['orph-0', 'orph-1', 'orph-2']);
    expect((await sb.run(['delete', 'sts', 'orph', '--cascade=orphan'])).stdout).toBe('statefulset.apps "orph" deleted\n');
    await sb.run(['clock', 'advance', '5s']);
    expect((await pods()).every((p) => !p.metadata.ownerReferences?.length)).toBe(true);

    await sb.run(['apply', '-f', '-'], sts(2));
    await sb.run(['clock', 'advance', '30s']);
    const set = JSON.parse((await sb.run(['get', 'sts', 'orph', '-o', 'json'])).stdout);
    const after = await pods();
    expect(after.map((p) => p.metadata.name)).toEqual(['orph-0', 'orph-1']);
    // the same pods, now the new set's
    expect(after.map((p) => p.metadata.uid)).toEqual(before.slice(0, 2).map((p) => p.metadata.uid));
    expect(after.every((p) => p.metadata.ownerReferences?.[0]?.uid === set.metadata.uid)).toBe(true);
    const ev = await sb.run(['get', 'events', '--field-selector', 'involvedObject.kind=StatefulSet', '-o', 'jsonpath={range .items[*]}{.reason}|{.message}{"\\n"}{end}']);
    expect(ev.stdout).toContain('SuccessfulDelete|delete Pod orph-2 in StatefulSet orph successful\n');
    expect(ev.stdout).not.toContain('delete Pod orph-1');
  });

  it('adopts the orphaned revisions its selector matches, the equal one moved to the newest number (adoptOrphanRevisions)', async () => {
    await sb.run(['set', 'image', 'sts/orph', 'nginx=nginx:1.27']);
    await sb.run(['clock', 'advance', '60s']);
    await sb.run(['delete', 'sts', 'orph', '--cascade=orphan']);
    await sb.run(['apply', '-f', '-'], sts(2));
    await sb.run(['clock', 'advance', '5s']);
    const set = JSON.parse((await sb.run(['get', 'sts', 'orph', '-o', 'json'])).stdout);
    const revs = JSON.parse((await sb.run(['get', 'controllerrevisions', '-l', 'app=orph', '-o', 'json'])).stdout).items as { revision: number; data: { spec: { template: { spec: { containers: { image: string }[] } } } }; metadata: { ownerReferences?: { uid: string }[] } }[];
    expect(revs.every((r) => r.metadata.ownerReferences?.[0]?.uid === set.metadata.uid)).toBe(true);
    const byImage = Object.fromEntries(revs.map((r) => [r.data.spec.template.spec.containers[0].image, r.revision]));
    expect(byImage).toEqual({ 'nginx:1.27': 2, 'nginx:1.25': 3 });
  });

  it('leaves an orphan whose labels its selector does not match', async () => {
    await sb.run(['delete', 'sts', 'orph', '--cascade=orphan']);
    await sb.run(['label', 'pod', 'orph-1', 'app=other', '--overwrite']);
    await sb.run(['apply', '-f', '-'], sts(1));
    await sb.run(['clock', 'advance', '30s']);
    const other = JSON.parse((await sb.run(['get', 'pod', 'orph-1', '-o', 'json'])).stdout);
    expect(other.metadata.ownerReferences ?? []).toEqual([]);
    expect(other.metadata.deletionTimestamp).toBeUndefined();
  });
});
