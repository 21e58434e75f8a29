// client-go's event spam filter: a source may record 25 events about an object, then one more every
// five minutes (counts of aggregated events included).
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
  await sb.run(['clock', 'advance', '5m']);
  expect(await kubeletEvents()).toBe(26);
});
