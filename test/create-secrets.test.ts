// create secret docker-registry|tls: expected outputs and errors are the real kubectl 1.32's
// (`kubectl create secret … --dry-run=client -o yaml`; test/fixtures/tls-secret.yaml was written by it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

const fixtures = join(import.meta.dirname, 'fixtures');
let sb: Sandbox;
beforeEach(() => {
  sb = new Sandbox(fixtures);
});
afterEach(() => sb.dispose());

const dry = ['--dry-run=client', '-o', 'yaml'];

describe('create secret docker-registry', () => {
  it('builds .dockerconfigjson as kubectl does', async () => {
    const r = await sb.run(['create', 'secret', 'docker-registry', 'regcred', '--docker-server=registry.example.com', '--docker-username=me', '--docker-password=pw', '--docker-email=me@example.com', ...dry]);
    expect(r.stdout).toBe(
      'apiVersion: v1\ndata:\n  .dockerconfigjson: eyJhdXRocyI6eyJyZWdpc3RyeS5leGFtcGxlLmNvbSI6eyJ1c2VybmFtZSI6Im1lIiwicGFzc3dvcmQiOiJwdyIsImVtYWlsIjoibWVAZXhhbXBsZS5jb20iLCJhdXRoIjoiYldVNmNIYz0ifX19\nkind: Secret\nmetadata:\n  creationTimestamp: null\n  name: regcred\ntype: kubernetes.io/dockerconfigjson\n',
    );
    const hub = await sb.run(['create', 'secret', 'docker-registry', 'r2', '--docker-username=me', '--docker-password=pw', '--dry-run=client', '-o', 'jsonpath={.data.\\.dockerconfigjson}']);
    expect(Buffer.from(hub.stdout, 'base64').toString()).toBe('{"auths":{"https://index.docker.io/v1/":{"username":"me","password":"pw","auth":"bWU6cHc="}}}');
  });

  it("refuses what kubectl refuses", async () => {
    const r = await sb.run(['create', 'secret', 'docker-registry', 'r3', '--docker-username=x', ...dry]);
    expect(r).toMatchObject({ code: 1, stderr: 'error: either --from-file or the combination of --docker-username, --docker-password and --docker-server is required\n' });
  });

  it('creates it in the cluster', async () => {
    expect((await sb.run(['create', 'secret', 'docker-registry', 'regcred', '--docker-username=me', '--docker-password=pw'])).stdout).toBe('secret/regcred created\n');
    expect((await sb.run(['get', 'secret', 'regcred', '-o', 'jsonpath={.type}'])).stdout).toBe('kubernetes.io/dockerconfigjson');
  });
});

describe('create secret tls', () => {
  it('keeps the pair as kubectl does', async () => {
    const r = await sb.run(['create', 'secret', 'tls', 't', '--cert=tls.crt', '--key=tls.key', ...dry]);
    expect(r.stdout).toBe(readFileSync(join(fixtures, 'tls-secret.yaml'), 'utf8'));
  });

  it("gives kubectl's errors", async () => {
    const cases: [string[], string][] = [
      [['--cert=tls.crt'], 'error: key and cert must be specified\n'],
      [['--cert=nope.crt', '--key=tls.key'], 'error: Cannot read file nope.crt, open nope.crt: no such file or directory\n'],
      [['--cert=tls.key', '--key=tls.key'], 'error: tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched\n'],
      [['--cert=tls.crt', '--key=tls.crt'], 'error: tls: found a certificate rather than a key in the PEM for the private key\n'],
      [['--cert=tls-secret.yaml', '--key=tls.key'], 'error: tls: failed to find any PEM data in certificate input\n'],
      [['--cert=tls.crt', '--key=other.key'], 'error: tls: private key does not match public key\n'],
    ];
    for (const [flags, stderr] of cases) expect(await sb.run(['create', 'secret', 'tls', 't', ...flags, ...dry]), flags.join(' ')).toMatchObject({ code: 1, stderr, stdout: '' });
  });
});
