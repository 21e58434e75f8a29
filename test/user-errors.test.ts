// Inputs that once surfaced JavaScript errors (issue 8): each now gets kubectl's or the API server's
// own text and exit code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

const sb = new Sandbox();
afterAll(() => sb.dispose());
beforeAll(async () => {
  await sb.run(['clock', 'freeze']);
  await sb.run(['run', 'p', '--image=nginx']);
});

const VALIDATING = (what: string) => `error: error validating "STDIN": error validating data: ${what}; if you choose to ignore these errors, turn validation off with --validate=false\n`;

describe('manifests kubectl rejects', () => {
  it.each([
    ['apiVersion: 1\nkind: Pod\nmetadata: {name: a}\n', VALIDATING(`apiVersion isn't string type`)],
    ["apiVersion: v1\nkind: {'': ''}\nmetadata: {name: a}\n", VALIDATING(`kind isn't string type`)],
    ['apiVersion: v1\nkind: Pod\nmetadata: &m {x: *m}\n', `error: error parsing STDIN: error converting YAML to JSON: yaml: anchor 'm' value contains itself\n`],
    ['apiVersion: v1\nkind: List\nitems:\n- null\n', VALIDATING('invalid object to validate')],
  ])('%j', async (manifest, stderr) => {
    expect(await sb.run(['apply', '-f', '-'], manifest)).toEqual({ stdout: '', stderr, code: 1 });
  });

  it('a service port without a number is port 0', async () => {
    const r = await sb.run(['apply', '-f', '-'], 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n  - targetPort: 80\n');
    expect(r).toEqual({ stdout: '', stderr: 'The Service "s" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive\n', code: 1 });
  });

  it('a secret applied without a type over an Opaque one stays Opaque', async () => {
    await sb.run(['create', 'secret', 'generic', 'sec', '--from-literal=a=b']);
    const r = await sb.run(['apply', '-f', '-'], 'apiVersion: v1\nkind: Secret\nmetadata: {name: sec}\ndata: {a: Yw==}\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('secret/sec configured\n');
  });
});

describe('patches the API server rejects', () => {
  it('a value of the wrong type', async () => {
    const r = await sb.run(['patch', 'pod', 'p', '--type=json', '-p', '[{"op":"replace","path":"/spec/containers/0/image","value":5}]']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^The request is invalid: patch: Invalid value: "\{.*\}": json: cannot unmarshal number into Go struct field Container\.spec\.containers\.image of type string\n$/);
  });

  it('a merge patch that is null', async () => {
    expect(await sb.run(['patch', 'pod', 'p', '--type=merge', '-p', 'null'])).toEqual({ stdout: '', stderr: 'Error from server (BadRequest): Invalid JSON Patch\n', code: 1 });
  });

  it('a patch that is a YAML scalar reaches the server (kubectl only converts YAML to JSON)', async () => {
    expect(await sb.run(['patch', 'pod', 'p', '-p', 'not json'])).toEqual({ stdout: '', stderr: 'Error from server (BadRequest): json: cannot unmarshal string into Go value of type map[string]interface {}\n', code: 1 });
    const bad = await sb.run(['patch', 'pod', 'p', '-p', '{bad']);
    expect(bad.stderr).toMatch(/^error: unable to parse "\{bad": yaml: line 1: /);
  });
});
