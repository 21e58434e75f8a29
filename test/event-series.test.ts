// kube-scheduler 1.32 records through events.k8s.io/v1 (client-go tools/events): one event per
// isomorphic key, a series at the second observation, later ones written by the broadcaster's
// 30-minute refresh or when the series ends (no observation for 6 minutes, at finishSeries' tick).
import { afterAll, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

const sb = new Sandbox();
afterAll(() => sb.dispose());

async function events(): Promise<any[]> {
  return JSON.parse((await sb.run(['get', 'events', '--field-selector', 'involvedObject.name=sel', '-o', 'json'])).stdout).items;
}

it('aggregates FailedScheduling repeats into a series instead of piling up events', async () => {
  await sb.run(['clock', 'freeze']);
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'sel' }, spec: { nodeSelector: { disk: 'ssd' }, containers: [{ name: 'c', image: 'nginx' }] } };
  await sb.run(['apply', '-f', '-'], JSON.stringify(pod));
  let [ev] = await events();
  expect(ev).toMatchObject({ action: 'Scheduling', reason: 'FailedScheduling', firstTimestamp: null, lastTimestamp: null, source: {}, reportingComponent: 'default-scheduler', reportingInstance: 'default-scheduler-minikube', type: 'Warning' });
  expect(ev.count).toBeUndefined();
  expect(ev.series).toBeUndefined();
  // each node change retries the pod: the second observation makes a series at once
  for (let i = 1; i <= 5; i++) {
    await sb.run(['label', 'node', 'minikube', '--overwrite', `x=${i}`]);
    await sb.run(['clock', 'advance', '1m']);
    if (i === 1) expect((await events())[0].series.count).toBe(2);
  }
  // the later ones wait in the broadcaster's cache
  [ev] = await events();
  expect(ev.series.count).toBe(2);
  // the series ends six minutes after its last observation (at the next 6-minute tick): written then
  await sb.run(['clock', 'advance', '13m']);
  const after = await events();
  expect(after).toHaveLength(1);
  expect(after[0].series.count).toBe(6);
  expect((await sb.run(['describe', 'pod', 'sel'])).stdout).toMatch(/Warning +FailedScheduling +\d+m \(x6 over \d+m\) +default-scheduler +0\/1 nodes are available/);
  // a retry after the end starts a new event
  await sb.run(['label', 'node', 'minikube', '--overwrite', 'x=9']);
  expect(await events()).toHaveLength(2);
  // events expire an hour after their last write
  await sb.run(['clock', 'advance', '61m']);
  expect(await events()).toHaveLength(0);
});
