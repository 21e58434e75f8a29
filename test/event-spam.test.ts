// client-go's event spam filter: a source may record 25 events about an object, then one more every
// five minutes (counts of aggregated events included). The recorder counts an observation before the
// filter sees it (EventCorrelate: eventObserve, then filterFunc), so the one let through carries the
// count of those dropped before it.
import { afterAll, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

const sb = new Sandbox();
afterAll(() => sb.dispose());

async function kubeletEvents(): Promise<number> {
  const r = await sb.run(['get', 'events', '--field-selector', 'involvedObject.name=flappy', '-o', 'json']);
  const items = JSON.parse(r.stdout).items as { count: number; source: { component: string } }[];
  return items.filter((e) => e.source.component === 'kubelet').reduce((n, e) => n + e.count, 0);
}

it('lets the kubelet record 25 events about a pod, then one every five minutes', async () => {
  await sb.run(['clock', 'freeze']);
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'flappy' },
    spec: { containers: [{ name: 'c', image: 'nginx', readinessProbe: { httpGet: { path: '/', port: 81 }, periodSeconds: 1 } }] },
  };
  await sb.run(['create', '-f', '-'], JSON.stringify(pod));
  await sb.run(['clock', 'advance', '2m']);
  expect(await kubeletEvents()).toBe(25);
  const before = await unhealthy();
  await sb.run(['clock', 'advance', '5m']);
  const after = await unhealthy();
  // one more write in five minutes: the probe failures of the whole time, one a second
  expect(after.metadata.resourceVersion).not.toBe(before.metadata.resourceVersion);
  expect(after.count).toBe((Date.parse(after.lastTimestamp) - Date.parse(after.firstTimestamp)) / 1000 + 1);
  expect(after.count).toBeGreaterThan(before.count + 250);
  expect(await kubeletEvents()).toBe(4 + after.count);
});

async function unhealthy(): Promise<{ count: number; firstTimestamp: string; lastTimestamp: string; metadata: { resourceVersion: string } }> {
  const r = await sb.run(['get', 'events', '--field-selector', 'involvedObject.name=flappy,reason=Unhealthy', '-o', 'json']);
  return JSON.parse(r.stdout).items[0];
}
