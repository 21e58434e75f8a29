// scale and set image/env/resources/selector/serviceaccount against Deployments (frozen clock).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

const sb = new Sandbox();
afterAll(() => sb.dispose());
beforeAll(async () => {
  await sb.run(['clock', 'freeze']);
  await sb.run(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2']);
  await sb.run(['create', 'configmap', 'cfg', '--from-literal=log.level=debug', '--from-literal=MODE=fast']);
  await sb.run(['rollout', 'status', 'deploy/web']);
});

const jp = async (path: string) => (await sb.run(['get', 'deploy', 'web', '-o', `jsonpath=${path}`])).stdout;

describe('scale', () => {
  it('scales with preconditions and kubectl errors', async () => {
    expect((await sb.run(['scale', 'deploy/web', '--replicas=3'])).stdout).toBe('deployment.apps/web scaled\n');
    expect(await jp('{.spec.replicas}')).toBe('3');
    const pre = await sb.run(['scale', 'deploy/web', '--replicas=5', '--current-replicas=2']);
    expect([pre.stderr, pre.code]).toEqual(['error: Expected replicas to be 2, was 3\n', 1]);
    expect((await sb.run(['scale', 'deployment', 'web', '--replicas=1', '--current-replicas=3'])).stdout).toBe('deployment.apps/web scaled\n');
    expect((await sb.run(['scale', 'deploy/nope', '--replicas=1'])).stderr).toBe('error: no objects passed to scale deployments.apps "nope" not found\n');
    expect((await sb.run(['scale', 'deploy', '-l', 'app=none', '--replicas=1'])).stderr).toBe('error: no objects passed to scale\n');
    expect((await sb.run(['scale', 'deploy/web', '--replicas=-1'])).stderr).toBe('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n');
    expect((await sb.run(['scale', 'deploy/web'])).stderr).toBe('error: required flag(s) "replicas" not set\n');
    expect((await sb.run(['scale', 'deploy/web', '--replicas=4', '--dry-run=client'])).stdout).toBe('deployment.apps/web scaled (dry run)\n');
    expect(await jp('{.spec.replicas}')).toBe('1');
    const waited = await sb.run(['scale', 'deploy/web', '--replicas=2', '--timeout=1m']);
    expect(waited.code).toBe(0);
    expect(await jp('{.status.replicas}')).toBe('2');
  });
});

describe('set', () => {
  it('set image: wildcard, unknown containers, unchanged objects print nothing', async () => {
    expect((await sb.run(['set', 'image', 'deployment/web', '*=nginx:1.26'])).stdout).toBe('deployment.apps/web image updated\n');
    expect(await jp('{.spec.template.spec.containers[0].image}')).toBe('nginx:1.26');
    const same = await sb.run(['set', 'image', 'deployment/web', 'nginx=nginx:1.26']);
    expect([same.stdout, same.stderr, same.code]).toEqual(['', '', 0]);
    const unknown = await sb.run(['set', 'image', 'deploy/web', 'app=nginx:1.27']);
    expect([unknown.stdout, unknown.stderr, unknown.code]).toEqual(['', 'error: unable to find container named "app"\n', 1]);
    expect((await sb.run(['set', 'image', 'deploy/web', '*=a', 'nginx=b'])).stderr).toBe(
      'error: all containers are already specified by *, but saw more than one container_name=container_image pairs\n',
    );
    expect((await sb.run(['set', 'image', 'deploy/web'])).stderr).toBe('error: at least one image update is required\n');
    expect((await sb.run(['set', 'image', 'cm/cfg', 'a=b'])).stderr).toBe('error: configmaps/cfg the object is not a pod or does not have a pod template: *v1.ConfigMap\n');
    const dry = await sb.run(['set', 'image', 'deploy/web', 'nginx=nginx:1.27', '--dry-run=client', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);
    expect(dry.stdout).toBe('nginx:1.27');
    expect(await jp('{.spec.template.spec.containers[0].image}')).toBe('nginx:1.26');
  });

  it('set env: values, removal, --from with --prefix, --list', async () => {
    expect((await sb.run(['set', 'env', 'deploy/web', 'A=1', 'B=2'])).stdout).toBe('deployment.apps/web env updated\n');
    expect((await sb.run(['set', 'env', 'deploy/web', 'A-'])).stdout).toBe('deployment.apps/web env updated\n');
    const from = await sb.run(['set', 'env', 'deploy/web', '--from=configmap/cfg', '--prefix=APP_']);
    expect(from.stderr).toBe('Warning: key log.level transferred to LOG_LEVEL\n');
    const listed = await sb.run(['set', 'env', 'deploy/web', '--list']);
    expect(listed.stdout).toBe('# Deployment web, container nginx\nB=2\n# APP_MODE from configmap cfg, key MODE\n# APP_LOG_LEVEL from configmap cfg, key log.level\n');
    const over = await sb.run(['set', 'env', 'deploy/web', 'B=3', '--overwrite=false']);
    expect(over.stderr).toBe("error: deployments/web 'B' already has a value (2), and --overwrite is false\n");
    expect((await sb.run(['set', 'env', 'deploy/web', 'A=1', 'A-'])).stderr).toBe('error: can not both modify and remove the same environment variable in the same command\n');
    expect((await sb.run(['set', 'env'])).stderr).toBe('error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n');
  });

  it('set resources, serviceaccount and selector', async () => {
    expect((await sb.run(['set', 'resources', 'deploy/web', '--limits=cpu=200m,memory=512Mi', '--requests=cpu=100m'])).stdout).toBe(
      'deployment.apps/web resource requirements updated\n',
    );
    expect(await jp('{.spec.template.spec.containers[0].resources}')).toBe('{"limits":{"cpu":"200m","memory":"512Mi"},"requests":{"cpu":"100m"}}');
    expect((await sb.run(['set', 'resources', 'deploy/web', '-c', 'nope', '--limits=cpu=1'])).stderr).toBe('error: unable to find container named nope\n');
    expect((await sb.run(['set', 'serviceaccount', 'deploy/web', 'default'])).stdout).toBe('deployment.apps/web serviceaccount updated\n');
    await sb.run(['create', 'service', 'clusterip', 'websvc', '--tcp=80:80']);
    expect((await sb.run(['set', 'selector', 'svc/websvc', 'app=web'])).stdout).toBe('service/websvc selector updated\n');
  });

  it('--record writes the command as the change-cause', async () => {
    const r = await sb.run(['set', 'image', 'deployment.v1.apps/web', 'nginx=nginx:1.27', '--record']);
    expect(r.stderr).toBe('Flag --record has been deprecated, --record will be removed in the future\n');
    expect(await jp('{.metadata.annotations.kubernetes\\.io/change-cause}')).toBe('kubectl set image deployment.v1.apps/web nginx=nginx:1.27 --record=true');
    expect((await sb.run(['set', 'env', 'deploy/web', 'A=1', '--record'])).stderr).toBe("error: unknown flag: --record\nSee 'kubectl set env --help' for usage.\n");
  });

  it('set env --list --resolve reads the referenced values', async () => {
    await sb.run(['create', 'secret', 'generic', 'creds', '--from-literal=PASS=hunter2']);
    await sb.run(['set', 'env', 'deploy/web', '--from=secret/creds']);
    const r = await sb.run(['set', 'env', 'deploy/web', '--list', '--resolve']);
    expect(r.stdout).toContain('APP_MODE=fast\n');
    expect(r.stdout).toContain('PASS=hunter2\n');
    expect([r.stderr, r.code]).toEqual(['', 0]);
  });

  it('scale --timeout gives up on a StatefulSet that cannot grow', async () => {
    const sts = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 1
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: db
        image: nginx:1.999
`;
    await sb.run(['apply', '-f', '-'], sts);
    const r = await sb.run(['scale', 'sts/db', '--replicas=3', '--timeout=20s']);
    expect([r.stdout, r.stderr, r.code]).toEqual(['', 'error: timed out waiting for "db" to be synced\n', 1]);
  });
});
