// `get pods` prints from the brief copies the store keeps beside each shard of pods: every cell of
// the table (wide, labels, all namespaces) must be what the whole pods give, for pods in every state
// the table distinguishes (init containers, sidecars, crash loops, Pending, Terminating, gates, …).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KObj } from '../src/api/types.js';
import { tableRows } from '../src/printers/table.js';
import { resourceForKind } from '../src/api/registry.js';
import { podBrief } from '../src/printers/tables/pods.js';
import { segmentReads } from '../src/store/file-store.js';
import { Sandbox } from './harness.js';

const PODS = `
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web, tier: front}}
spec:
  readinessGates: [{conditionType: example.com/ready}]
  containers: [{name: app, image: nginx:1.27}]
---
apiVersion: v1
kind: Pod
metadata: {name: crash}
spec:
  containers: [{name: app, image: busybox:1.36, command: [sh, -c, 'echo hi; exit 3']}]
---
apiVersion: v1
kind: Pod
metadata: {name: init-wait}
spec:
  initContainers: [{name: setup, image: busybox:1.36, command: [sh, -c, 'sleep 3600']}]
  containers: [{name: app, image: nginx:1.27}]
---
apiVersion: v1
kind: Pod
metadata: {name: init-fail}
spec:
  initContainers: [{name: setup, image: busybox:1.36, command: [sh, -c, 'exit 2']}]
  containers: [{name: app, image: nginx:1.27}]
---
apiVersion: v1
kind: Pod
metadata: {name: sidecar}
spec:
  initContainers: [{name: log, image: busybox:1.36, restartPolicy: Always, command: [sh, -c, 'sleep 3600']}]
  containers: [{name: app, image: nginx:1.27}, {name: two, image: busybox:1.36, command: [sh, -c, 'exit 0']}]
---
apiVersion: v1
kind: Pod
metadata: {name: done}
spec:
  restartPolicy: Never
  containers: [{name: app, image: busybox:1.36, command: [sh, -c, 'echo ok']}]
---
apiVersion: v1
kind: Pod
metadata: {name: pending}
spec:
  nodeSelector: {disktype: none}
  containers: [{name: app, image: nginx:1.27}]
---
apiVersion: v1
kind: Pod
metadata: {name: gated}
spec:
  schedulingGates: [{name: example.com/wait}]
  containers: [{name: app, image: nginx:1.27}]
---
apiVersion: v1
kind: Pod
metadata: {name: badimage}
spec:
  containers: [{name: app, image: nosuchimage.example/none:1}]
---
apiVersion: v1
kind: Pod
metadata: {name: slowstop}
spec:
  terminationGracePeriodSeconds: 600
  containers: [{name: app, image: busybox:1.36, command: [sh, -c, 'trap "" TERM; sleep 3600']}]
`;

describe('pod briefs', () => {
  it('print every table cell as the whole pods do', async () => {
    const sb = new Sandbox();
    await sb.run(['clock', 'freeze']);
    await sb.run(['create', 'namespace', 'other']);
    const file = join(sb.home, 'pods.yaml');
    writeFileSync(file, PODS);
    expect((await sb.run(['apply', '-f', file])).code).toBe(0);
    expect((await sb.run(['apply', '-n', 'other', '-f', file])).code).toBe(0);
    await sb.run(['clock', 'advance', '95s']);
    await sb.run(['delete', 'pod', 'slowstop', '--wait=false']);
    await sb.run(['clock', 'advance', '3s']);
    const def = resourceForKind('v1', 'Pod')!;
    const all = JSON.parse((await sb.run(['get', 'pods', '-A', '-o', 'json'])).stdout).items as KObj[];
    expect(all.length).toBeGreaterThanOrEqual(20);
    const now = Date.parse((await sb.run(['clock'])).stdout.match(/\d{4}-\d\d-\d\dT[\d:.]+Z/)![0]);
    for (const opts of [{}, { wide: true, showLabels: true, allNamespaces: true, labelColumns: ['app'] }]) {
      const full = tableRows(def, all, { now, ...opts });
      const brief = tableRows(def, all.map(podBrief), { now, ...opts });
      expect(brief).toEqual(full);
    }
    // through the store: the listing reads the briefs, and prints what the objects print
    for (const args of [['-A'], ['-A', '-o', 'wide', '--show-labels'], ['-n', 'other', '-l', 'app=web', '-L', 'tier'], ['-o', 'name']]) {
      const whole = await sb.run(['get', 'pods', ...args, '--sort-by', '{.metadata.namespace}']);
      segmentReads.clear();
      const briefed = await sb.run(['get', 'pods', ...args]);
      expect(briefed.stdout).toBe(whole.stdout);
      expect(segmentReads.get('pods') ?? 0).toBe(0);
    }
  });
});
