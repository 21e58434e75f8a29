// Global flags with effects: -v=6 request lines, --request-timeout, --as/--as-group impersonation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

const sb = new Sandbox();
beforeAll(async () => {
  await sb.run(['clock', 'freeze']);
  await sb.run(['run', 'web', '--image=nginx']);
});
afterAll(() => sb.dispose());

const KLOG = /^I\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ /;

describe('-v=6', () => {
  it("prints the loader's line, client-go's feature gates and one line per request", async () => {
    const r = await sb.run(['get', 'pods', '-v=6']);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.every((l) => KLOG.test(l))).toBe(true);
    expect(lines[0]).toMatch(/ loader\.go:402\] Config loaded from file:  \/.*kubeconfig$/);
    expect(lines.slice(1, 5).map((l) => l.replace(KLOG, ''))).toEqual(
      ['ClientsAllowCBOR', 'ClientsPreferCBOR', 'InformerResourceVersion', 'WatchListClient'].map((g) => `envvar.go:172] "Feature gate default state" feature="${g}" enabled=false`),
    );
    expect(lines[5].replace(KLOG, '')).toMatch(/^round_trippers\.go:560\] GET https:\/\/192\.168\.49\.2:8443\/api\/v1\/namespaces\/default\/pods\?limit=500 200 OK in \d milliseconds$/);
    expect(lines).toHaveLength(6);
    expect(r.stdout).toMatch(/^NAME +READY/);
  });

  it('names writes, missing objects and --request-timeout as the client sends them', async () => {
    const c = await sb.run(['create', 'deployment', 'd', '--image=nginx', '-v=6', '--request-timeout=5']);
    expect(c.stderr).toMatch(/round_trippers\.go:560\] POST https:\/\/192\.168\.49\.2:8443\/apis\/apps\/v1\/namespaces\/default\/deployments\?fieldManager=kubectl-create&fieldValidation=Strict&timeout=5s 201 Created in \d milliseconds\n/);
    const g = await sb.run(['get', 'pod', 'nope', '-v', '6']);
    expect(g.stderr).toMatch(/GET https:\/\/192\.168\.49\.2:8443\/api\/v1\/namespaces\/default\/pods\/nope 404 Not Found in \d milliseconds\n/);
    expect(g.stderr.endsWith('Error from server (NotFound): pods "nope" not found\n')).toBe(true);
    expect((await sb.run(['get', 'pods', '--request-timeout=abc'])).stderr).toBe(
      'error: Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)\n',
    );
  });
});

describe('--as / --as-group', () => {
  it('acts as a user without grants: every request is forbidden with the authorizer\'s text', async () => {
    expect(await sb.run(['get', 'pods', '--as=bob'])).toMatchObject({
      stderr: 'Error from server (Forbidden): pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"\n',
      code: 1,
    });
    expect((await sb.run(['get', 'nodes', '--as', 'system:serviceaccount:default:default'])).stderr).toBe(
      'Error from server (Forbidden): nodes is forbidden: User "system:serviceaccount:default:default" cannot list resource "nodes" in API group "" at the cluster scope\n',
    );
    expect((await sb.run(['delete', 'pod', 'web', '--as=bob'])).stderr).toMatch(/pods "web" is forbidden: User "bob" cannot (get|delete) resource "pods" in API group "" in the namespace "default"\n$/);
    expect((await sb.run(['get', 'pods', '--as=bob', '--as-group=system:masters'])).stdout).toMatch(/^NAME/);
    expect((await sb.run(['get', 'pods', '--as-group=dev'])).stderr).toBe('error: requesting uid, groups or user-extra for minikube without impersonating a user\n');
  });

  it('auth whoami and can-i answer for the impersonated user', async () => {
    expect((await sb.run(['auth', 'whoami', '--as=bob', '--as-group=dev'])).stdout).toBe('ATTRIBUTE   VALUE\nUsername    bob\nGroups      [dev system:authenticated]\n');
    expect(await sb.run(['auth', 'can-i', 'list', 'pods', '--as=bob'])).toMatchObject({ stdout: 'no\n', code: 1 });
    expect(await sb.run(['auth', 'can-i', 'list', 'pods', '--as=bob', '--as-group=system:masters'])).toMatchObject({ stdout: 'yes\n', code: 0 });
  });

  it('logs the feature gates from -v=1 and a failed request\'s Status from -v=4, as CheckErr does', async () => {
    const v2 = await sb.run(['get', 'pods', '-v=2']);
    expect(v2.stderr.split('\n').filter((l) => l.includes('envvar.go:172]'))).toHaveLength(4);
    expect(v2.stderr).not.toContain('round_trippers');
    // scale's own error is no server Status: nothing logged
    expect((await sb.run(['scale', 'deploy', 'nope', '--replicas=2', '-v=4'])).stderr).not.toContain('helpers.go');
    const r = await sb.run(['label', 'deploy', 'nope', 'a=b', '-v=4']);
    expect(r.stderr.replace(/^I\d{4} [\d:.]+ +\d+ envvar.*\n/gm, '').replace(/^I\d{4} [\d:.]+ +\d+ /, '')).toBe(`helpers.go:246] server response object: %s[{
  "kind": "Status",
  "apiVersion": "v1",
  "metadata": {},
  "status": "Failure",
  "message": "deployments.apps \\"nope\\" not found",
  "reason": "NotFound",
  "details": {
    "name": "nope",
    "group": "apps",
    "kind": "deployments"
  },
  "code": 404
}]
Error from server (NotFound): deployments.apps "nope" not found
`);
  });

  it('-v=7 shows the request line, its headers and the response status', async () => {
    const r = await sb.run(['get', 'pods', '-v=7']);
    const lines = r.stderr.trimEnd().split('\n').filter((l) => l.includes('round_trippers')).map((l) => l.replace(/^I\d{4} [\d:.]+ +\d+ /, ''));
    expect(lines.map((l) => l.replace(/in \d milliseconds/, 'in N milliseconds'))).toEqual([
      'round_trippers.go:470] GET https://192.168.49.2:8443/api/v1/namespaces/default/pods?limit=500',
      'round_trippers.go:476] Request Headers:',
      'round_trippers.go:480]     Accept: application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
      'round_trippers.go:480]     User-Agent: kubectl/v1.32.4 (linux/amd64) kubernetes/c9c4b6e',
      'round_trippers.go:581] Response Status: 200 OK in N milliseconds',
    ]);
  });
});
