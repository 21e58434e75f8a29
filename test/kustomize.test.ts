// kubectl kustomize and -k: outputs as kubectl 1.32's embedded kustomize prints them (the generator
// hashes of the kubernetes.io kustomization page, and cases checked against the real kubectl).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

const sb = new Sandbox();
afterAll(() => sb.dispose());

function dir(name: string, files: Record<string, string>): string {
  const d = join(sb.home, name);
  mkdirSync(d, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(d, f), text);
  return d;
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-nginx
spec:
  selector:
    matchLabels:
      run: my-nginx
  replicas: 2
  template:
    metadata:
      labels:
        run: my-nginx
    spec:
      containers:
      - name: my-nginx
        image: nginx
        ports:
        - containerPort: 80
`;

describe('kubectl kustomize', () => {
  it('names generated ConfigMaps and Secrets with kustomize v5 content hashes', async () => {
    const d = dir('gen', {
      'application.properties': 'FOO=Bar\n',
      'kustomization.yaml': 'configMapGenerator:\n- name: example-configmap-1\n  files:\n  - application.properties\n- name: example-configmap-2\n  literals:\n  - FOO=Bar\nsecretGenerator:\n- name: example-secret-2\n  literals:\n  - username=admin\n  - password=secret\n',
    });
    const r = await sb.run(['kustomize', d]);
    expect(r.stdout).toBe(`apiVersion: v1
data:
  application.properties: |
    FOO=Bar
kind: ConfigMap
metadata:
  name: example-configmap-1-g4hk9g2ff8
---
apiVersion: v1
data:
  FOO: Bar
kind: ConfigMap
metadata:
  name: example-configmap-2-42cfbf598f
---
apiVersion: v1
data:
  password: c2VjcmV0
  username: YWRtaW4=
kind: Secret
metadata:
  name: example-secret-2-8c5228dkb9
type: Opaque
`);
    expect([r.stderr, r.code]).toEqual(['', 0]);
  });

  it('applies namespace, prefix, suffix, labels, annotations, images and replicas, fixes references, and sorts as kustomize does', async () => {
    const d = dir('cross', {
      'd.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      serviceAccountName: sa
      containers:
      - name: web
        image: nginx:1.25
        envFrom:
        - configMapRef: {name: cfg}
`,
      's.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n',
      'kustomization.yaml': 'namePrefix: dev-\nnameSuffix: -v1\nnamespace: lab\ncommonLabels:\n  team: a\nresources:\n- d.yaml\n- s.yaml\nimages:\n- name: nginx\n  newTag: "1.27"\nreplicas:\n- name: web\n  count: 3\nconfigMapGenerator:\n- name: cfg\n  literals: [A=1]\n',
    });
    const r = await sb.run(['kustomize', d]);
    expect(r.stdout).toBe(`apiVersion: v1
kind: ServiceAccount
metadata:
  labels:
    team: a
  name: dev-sa-v1
  namespace: lab
---
apiVersion: v1
data:
  A: "1"
kind: ConfigMap
metadata:
  labels:
    team: a
  name: dev-cfg-v1-89g4tffbfk
  namespace: lab
---
apiVersion: v1
kind: Service
metadata:
  labels:
    team: a
  name: dev-web-v1
  namespace: lab
spec:
  ports:
  - port: 80
  selector:
    app: web
    team: a
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    team: a
  name: dev-web-v1
  namespace: lab
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
      team: a
  template:
    metadata:
      labels:
        app: web
        team: a
    spec:
      containers:
      - envFrom:
        - configMapRef:
            name: dev-cfg-v1-89g4tffbfk
        image: nginx:1.27
        name: web
      serviceAccountName: dev-sa-v1
`);
    expect(r.stderr).toBe("# Warning: 'commonLabels' is deprecated. Please use 'labels' instead. Run 'kustomize edit fix' to update your Kustomization automatically.\n");
  });

  it('patches with patchesStrategicMerge, patchesJson6902 and patches, and builds overlays over a base', async () => {
    dir('base', { 'deployment.yaml': DEPLOYMENT, 'kustomization.yaml': 'resources:\n- deployment.yaml\n' });
    const smp = dir('smp', {
      'deployment.yaml': DEPLOYMENT,
      'increase_replicas.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-nginx\nspec:\n  replicas: 3\n',
      'kustomization.yaml': 'resources:\n- deployment.yaml\npatchesStrategicMerge:\n- increase_replicas.yaml\n',
    });
    const r = await sb.run(['kustomize', smp]);
    expect(r.stdout).toContain('spec:\n  replicas: 3\n');
    const prod = dir('prod', {
      'kustomization.yaml': 'resources:\n- ../base\nnamePrefix: prod-\npatches:\n- target:\n    kind: Deployment\n  patch: |-\n    - op: replace\n      path: /spec/replicas\n      value: 5\n',
    });
    const o = await sb.run(['kustomize', prod]);
    expect(o.stdout).toContain('  name: prod-my-nginx\nspec:\n  replicas: 5\n');
    expect(o.stderr).toBe('');
  });

  it("fails as kubectl's kustomize does", async () => {
    const empty = dir('empty', {});
    expect((await sb.run(['kustomize', empty])).stderr).toBe(
      `error: unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${empty}'\n`,
    );
    const missing = dir('missing', { 'kustomization.yaml': 'resources:\n- missing.yaml\n' });
    const m = await sb.run(['kustomize', missing]);
    expect(m.code).toBe(1);
    expect(m.stderr).toContain(`error: accumulating resources: accumulation err='accumulating resources from 'missing.yaml': evalsymlink failure on '${missing}/missing.yaml'`);
    const unknown = dir('unknown', { 'kustomization.yaml': 'resources: []\nfoo: 1\n' });
    expect((await sb.run(['kustomize', unknown])).stderr).toBe('error: invalid Kustomization: json: unknown field "foo"\n');
    const typed = dir('typed', { 'kustomization.yaml': 'namePrefix: [1]\n' });
    expect((await sb.run(['kustomize', typed])).stderr).toBe(
      'error: invalid Kustomization: json: cannot unmarshal array into Go struct field Kustomization.namePrefix of type string\n',
    );
  });
});

describe('-k', () => {
  it('applies, gets and deletes what a kustomization makes', async () => {
    const d = dir('apply', { 'deployment.yaml': DEPLOYMENT, 'kustomization.yaml': 'namePrefix: dev-\nlabels:\n- pairs:\n    app: my-nginx\nresources:\n- deployment.yaml\n' });
    await sb.run(['clock', 'freeze']);
    expect((await sb.run(['apply', '-k', d])).stdout).toBe('deployment.apps/dev-my-nginx created\n');
    expect((await sb.run(['get', '-k', d, '-o', 'name'])).stdout).toBe('deployment.apps/dev-my-nginx\n');
    expect((await sb.run(['get', 'deploy', 'dev-my-nginx', '-o', 'jsonpath={.metadata.labels.app}'])).stdout).toBe('my-nginx');
    expect((await sb.run(['delete', '-k', d])).stdout).toBe('deployment.apps "dev-my-nginx" deleted\n');
    const both = await sb.run(['apply', '-k', d, '-f', 'x.yaml']);
    expect([both.stderr, both.code]).toEqual(['error: only one of -f or -k can be specified\n', 1]);
  });
});

describe('-k with diff, replace and edit', () => {
  it('diffs, replaces and edits what a kustomization makes', async () => {
    const d = dir('more', { 'deployment.yaml': DEPLOYMENT, 'kustomization.yaml': 'namePrefix: qa-\nresources:\n- deployment.yaml\n' });
    await sb.run(['apply', '-k', d]);
    expect((await sb.run(['diff', '-k', d])).code).toBe(0);
    writeFileSync(join(d, 'deployment.yaml'), DEPLOYMENT.replace('replicas: 2', 'replicas: 4'));
    const diff = await sb.run(['diff', '-k', d]);
    expect(diff.code).toBe(1);
    expect(diff.stdout).toContain('+  replicas: 4\n');
    expect((await sb.run(['replace', '-k', d])).stdout).toBe('deployment.apps/qa-my-nginx replaced\n');
    const edit = await sb.run(['edit', '-k', d], '', { EDITOR: 'sed -i s/replicas:.4/replicas:\\ 5/' });
    expect(edit.stdout).toBe('deployment.apps/qa-my-nginx edited\n');
    expect((await sb.run(['get', 'deploy', 'qa-my-nginx', '-o', 'jsonpath={.spec.replicas}'])).stdout).toBe('5');
  });
});
