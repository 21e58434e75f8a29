// DaemonSets on a 3-node kind-like cluster: placement by taints, tolerations, nodeSelector and node
// changes; the pods the controller creates; rolling updates; revisions; status; kube-system's sets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = new Sandbox();
  await sb.run(['cluster', 'create', '--nodes', '3']);
  await sb.run(['clock', 'freeze']);
});
afterAll(() => sb.dispose());

const ds = (name: string, spec: Record<string, unknown> = {}, tpl: Record<string, unknown> = {}) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'agent', image: 'nginx:1.25' }], ...tpl } },
      ...spec,
    },
  });

const out = async (argv: string[]) => (await sb.run(argv)).stdout;
const podNodes = async (app: string) =>
  (await out(['get', 'pods', '-l', `app=${app}`, '-o', 'jsonpath={range .items[*]}{.spec.nodeName}{"\\n"}{end}'])).trim().split('\n').filter(Boolean).sort();

describe('kube-system DaemonSets', () => {
  it('kube-proxy and kindnet are DaemonSets owning one pod per node', async () => {
    expect(await out(['get', 'ds', '-n', 'kube-system'])).toBe(
      [
        'NAME         DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE',
        'kindnet      3         3         3       3            3           <none>                   5m',
        'kube-proxy   3         3         3       3            3           kubernetes.io/os=linux   5m',
        '',
      ].join('\n'),
    );
    const uid = await out(['get', 'ds', 'kube-proxy', '-n', 'kube-system', '-o', 'jsonpath={.metadata.uid}']);
    const owners = await out(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-proxy', '-o', 'jsonpath={.items[*].metadata.ownerReferences[0].uid}']);
    expect(owners.split(' ')).toEqual([uid, uid, uid]);
    expect(await out(['get', 'controllerrevisions', '-n', 'kube-system', 'kube-proxy-7bb84c4984', '--no-headers'])).toMatch(/^kube-proxy-7bb84c4984\s+daemonset.apps\/kube-proxy\s+1\s+5m\n$/);
  });
});

describe('placement', () => {
  it('skips the tainted control plane and creates pods with the controller affinity and tolerations', async () => {
    const r = await sb.run(['apply', '-f', '-'], ds('agent'));
    expect(r.stdout).toBe('daemonset.apps/agent created\n');
    expect(await podNodes('agent')).toEqual(['kind-worker', 'kind-worker2']);
    const pod = JSON.parse(await out(['get', 'pods', '-l', 'app=agent', '--field-selector', 'spec.nodeName=kind-worker', '-o', 'json'])).items[0];
    expect(pod.metadata.name).toMatch(/^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(pod.metadata.labels['pod-template-generation']).toBe('1');
    expect(pod.metadata.labels['controller-revision-hash']).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(pod.metadata.ownerReferences[0]).toMatchObject({ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', controller: true, blockOwnerDeletion: true });
    expect(pod.spec.affinity).toEqual({
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['kind-worker'] }] }] } },
    });
    expect(pod.spec.tolerations.map((t: { key: string; effect: string }) => `${t.key}:${t.effect}`)).toEqual([
      'node.kubernetes.io/not-ready:NoExecute',
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule',
      'node.kubernetes.io/pid-pressure:NoSchedule',
      'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
    const ev = await out(['get', 'events', '--field-selector', 'involvedObject.name=agent', '-o', 'jsonpath={range .items[*]}{.reason} {.source.component} {.message}{"\\n"}{end}']);
    expect(ev).toMatch(/^SuccessfulCreate daemonset-controller Created pod: agent-\w{5}\nSuccessfulCreate daemonset-controller Created pod: agent-\w{5}\n$/);
    await sb.run(['clock', 'advance', '30s']);
    expect(await out(['get', 'ds', 'agent'])).toBe(
      'NAME    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE\nagent   2         2         2       2            2           <none>          30s\n',
    );
    const st = JSON.parse(await out(['get', 'ds', 'agent', '-o', 'jsonpath={.status}']));
    expect(st).toEqual({ currentNumberScheduled: 2, desiredNumberScheduled: 2, numberAvailable: 2, numberMisscheduled: 0, numberReady: 2, observedGeneration: 1, updatedNumberScheduled: 2 });
  });

  it('a toleration of the control-plane taint puts a pod there too', async () => {
    await sb.run(['apply', '-f', '-'], ds('everywhere', {}, { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] }));
    expect(await podNodes('everywhere')).toEqual(['kind-control-plane', 'kind-worker', 'kind-worker2']);
  });

  it('follows node labels for a nodeSelector', async () => {
    await sb.run(['apply', '-f', '-'], ds('ssd', {}, { nodeSelector: { disk: 'ssd' } }));
    expect(await podNodes('ssd')).toEqual([]);
    expect((await out(['get', 'ds', 'ssd', '--no-headers'])).split(/\s+/).slice(1, 7)).toEqual(['0', '0', '0', '0', '0', 'disk=ssd']);
    await sb.run(['label', 'node', 'kind-worker2', 'disk=ssd']);
    expect(await podNodes('ssd')).toEqual(['kind-worker2']);
    await sb.run(['label', 'node', 'kind-worker2', 'disk-']);
    const ev = await out(['get', 'events', '--field-selector', 'involvedObject.name=ssd,reason=SuccessfulDelete', '-o', 'jsonpath={.items[*].message}']);
    expect(ev).toMatch(/^Deleted pod: ssd-\w{5}$/);
    await sb.run(['clock', 'advance', '40s']);
    expect(await podNodes('ssd')).toEqual([]);
  });

  it('a NoExecute taint removes the pod, a NoSchedule taint keeps a running one', async () => {
    await sb.run(['taint', 'node', 'kind-worker', 'gpu=yes:NoSchedule']);
    await sb.run(['clock', 'advance', '5s']);
    expect(await podNodes('agent')).toEqual(['kind-worker', 'kind-worker2']);
    await sb.run(['taint', 'node', 'kind-worker', 'evict=now:NoExecute']);
    await sb.run(['clock', 'advance', '40s']);
    expect(await podNodes('agent')).toEqual(['kind-worker2']);
    const st = JSON.parse(await out(['get', 'ds', 'agent', '-o', 'jsonpath={.status}']));
    expect(st.desiredNumberScheduled).toBe(1);
    await sb.run(['taint', 'node', 'kind-worker', 'evict=now:NoExecute-']);
    await sb.run(['taint', 'node', 'kind-worker', 'gpu=yes:NoSchedule-']);
    expect(await podNodes('agent')).toEqual(['kind-worker', 'kind-worker2']);
  });

  it('cordoned nodes keep and get daemon pods (they tolerate unschedulable)', async () => {
    await sb.run(['cordon', 'kind-worker2']);
    await sb.run(['apply', '-f', '-'], ds('cordoned'));
    expect(await podNodes('cordoned')).toEqual(['kind-worker', 'kind-worker2']);
    await sb.run(['uncordon', 'kind-worker2']);
  });
});

describe('rolling update', () => {
  it('replaces one node at a time with a new revision', async () => {
    await sb.run(['clock', 'advance', '60s']);
    await sb.run(['patch', 'ds', 'agent', '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.26"}]']);
    const gen = await out(['get', 'ds', 'agent', '-o', 'jsonpath={.metadata.generation} {.metadata.annotations.deprecated\\.daemonset\\.template\\.generation}']);
    expect(gen).toBe('2 2');
    const listing = await out(['get', 'pods', '-l', 'app=agent', '-o', 'jsonpath={range .items[*]}{.metadata.labels.pod-template-generation} {.metadata.deletionTimestamp}{"\\n"}{end}']);
    // maxUnavailable 1: one node's old pod is being deleted (its new pod follows once it is gone); the other stays
    const live = listing.split('\n').map((l) => l.trim()).filter((l) => l === '1');
    expect(live).toEqual(['1']);
    await sb.run(['clock', 'advance', '3m']);
    const images = await out(['get', 'pods', '-l', 'app=agent', '-o', 'jsonpath={.items[*].spec.containers[0].image}']);
    expect(images).toBe('nginx:1.26 nginx:1.26');
    const gens = await out(['get', 'pods', '-l', 'app=agent', '-o', 'jsonpath={.items[*].metadata.labels.pod-template-generation}']);
    expect(gens).toBe('2 2');
    const revs = await out(['get', 'controllerrevisions', '-l', 'app=agent', '-o', 'jsonpath={range .items[*]}{.revision}{"\\n"}{end}']);
    expect(revs.trim().split('\n').sort()).toEqual(['1', '2']);
    const data = JSON.parse(await out(['get', 'controllerrevisions', '-l', 'app=agent', '-o', 'json'])).items.find((r: { revision: number }) => r.revision === 2).data;
    expect(data.spec.template.$patch).toBe('replace');
    expect(data.spec.template.spec.containers[0].image).toBe('nginx:1.26');
    const st = JSON.parse(await out(['get', 'ds', 'agent', '-o', 'jsonpath={.status}']));
    expect(st).toMatchObject({ desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 2, observedGeneration: 2 });
  });
});

describe('rolling update with maxSurge', () => {
  it('starts the new pod next to the old one and deletes the old one once the new is available', async () => {
    await sb.run(['apply', '-f', '-'], ds('surge', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
    await sb.run(['clock', 'advance', '30s']);
    await sb.run(['patch', 'ds', 'surge', '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.26"}]']);
    const rows = async () =>
      (await out(['get', 'pods', '-l', 'app=surge', '-o', 'jsonpath={range .items[*]}{.spec.nodeName} {.spec.containers[0].image}{"\\n"}{end}'])).trim().split('\n').sort();
    // one node surges: its old pod stays while the new one starts
    expect(await rows()).toEqual(['kind-worker nginx:1.25', 'kind-worker nginx:1.26', 'kind-worker2 nginx:1.25']);
    await sb.run(['clock', 'advance', '2m']);
    expect(await rows()).toEqual(['kind-worker nginx:1.26', 'kind-worker2 nginx:1.26']);
  });
});

describe('OnDelete', () => {
  it('keeps old pods after a template change until they are deleted', async () => {
    await sb.run(['apply', '-f', '-'], ds('manual', { updateStrategy: { type: 'OnDelete' } }));
    await sb.run(['clock', 'advance', '20s']);
    await sb.run(['patch', 'ds', 'manual', '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.26"}]']);
    await sb.run(['clock', 'advance', '30s']);
    const images = async () => (await out(['get', 'pods', '-l', 'app=manual', '-o', 'jsonpath={.items[*].spec.containers[0].image}'])).split(' ').sort();
    expect(await images()).toEqual(['nginx:1.25', 'nginx:1.25']);
    expect((await out(['get', 'ds', 'manual', '--no-headers'])).split(/\s+/).slice(1, 6)).toEqual(['2', '2', '2', '0', '2']);
    const victim = (await out(['get', 'pods', '-l', 'app=manual', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
    await sb.run(['delete', 'pod', victim]);
    await sb.run(['clock', 'advance', '30s']);
    expect(await images()).toEqual(['nginx:1.25', 'nginx:1.26']);
  });
});

describe('a DaemonSet that cannot create its pods', () => {
  it('records FailedCreate and retries with back-off until the quota allows it', async () => {
    await sb.run(['create', 'ns', 'limited']);
    await sb.run(['create', 'quota', 'one-pod', '--hard=pods=1', '-n', 'limited']);
    const doc = JSON.parse(ds('capped'));
    doc.metadata.namespace = 'limited';
    await sb.run(['apply', '-f', '-'], JSON.stringify(doc));
    const pods = async () => (await out(['get', 'pods', '-n', 'limited', '-o', 'name'])).trim().split('\n').filter(Boolean).length;
    expect(await pods()).toBe(1);
    const msg = await out(['get', 'events', '-n', 'limited', '--field-selector', 'reason=FailedCreate', '-o', 'jsonpath={.items[0].message}']);
    expect(msg).toMatch(/^Error creating: pods "capped-(\w{5})?" is forbidden: exceeded quota: one-pod, requested: pods=1, used: pods=1, limited: pods=1$/);
    await sb.run(['delete', 'quota', 'one-pod', '-n', 'limited']);
    await sb.run(['clock', 'advance', '10s']);
    expect(await pods()).toBe(2);
  });
});

describe('API', () => {
  it('defaults the update strategy and history limit', async () => {
    const spec = JSON.parse(await out(['get', 'ds', 'agent', '-o', 'jsonpath={.spec}']));
    expect(spec.updateStrategy).toEqual({ rollingUpdate: { maxSurge: 0, maxUnavailable: 1 }, type: 'RollingUpdate' });
    expect(spec.revisionHistoryLimit).toBe(10);
    expect(spec.template.spec).toMatchObject({ dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {}, terminationGracePeriodSeconds: 30 });
  });

  it('refuses a template whose labels the selector does not match, and restartPolicy Never', async () => {
    const bad = JSON.parse(ds('bad'));
    bad.spec.template.metadata.labels = { app: 'other' };
    bad.spec.template.spec.restartPolicy = 'Never';
    const r = await sb.run(['apply', '-f', '-'], JSON.stringify(bad));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'The DaemonSet "bad" is invalid: \n' +
        '* spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`\n' +
        '* spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"\n',
    );
  });

  it('validates the selector and the update strategy as ValidateDaemonSetSpec does', async () => {
    const tpl = { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const apply = async (spec: Record<string, unknown>) =>
      (await sb.run(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'v' }, spec: { template: tpl, ...spec } }))).stderr;
    expect(await apply({})).toBe('The DaemonSet "v" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"a":"b"}: `selector` does not match template `labels`\n');
    expect(await apply({ selector: {} })).toBe(
      'The DaemonSet "v" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset\n',
    );
    const sel = { selector: { matchLabels: { a: 'b' } } };
    expect(await apply({ ...sel, updateStrategy: { rollingUpdate: { maxSurge: 1 } } })).toBe(
      'The DaemonSet "v" is invalid: spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:""}: may not be set when maxUnavailable is non-zero\n',
    );
    expect(await apply({ ...sel, updateStrategy: { rollingUpdate: { maxUnavailable: 0 } } })).toBe(
      'The DaemonSet "v" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0\n',
    );
    expect(await apply({ ...sel, updateStrategy: { rollingUpdate: { maxUnavailable: '150%' } } })).toBe(
      'The DaemonSet "v" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%\n',
    );
    expect(await apply({ ...sel, updateStrategy: { type: 'Foo' } })).toBe(
      'The DaemonSet "v" is invalid: spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:"Foo", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: "RollingUpdate", "OnDelete"\n',
    );
  });

  it('deleting the DaemonSet deletes its pods', async () => {
    await sb.run(['delete', 'ds', 'cordoned']);
    await sb.run(['clock', 'advance', '40s']);
    expect(await podNodes('cordoned')).toEqual([]);
    expect(await out(['get', 'controllerrevisions', '-l', 'app=cordoned', '-o', 'name'])).toBe('');
  });
});
