import { describe, expect, it } from 'vitest';
import { parseManifests } from './manifest.js';

const err = (text: string, validate = true) => parseManifests(text, 'x.yaml', { validate }).map((d) => d.error?.message ?? d.obj?.metadata?.name);

describe('parseManifests', () => {
  it('splits documents and expands Lists', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: b\n';
    expect(err(text)).toEqual(['a', 'b']);
  });

  it.each([
    ['apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\n spec:\n  containers:\n  - name: x\n', 'yaml: line 4: did not find expected key'],
    ['apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\n  labels: a: b\n', 'yaml: line 5: mapping values are not allowed in this context'],
    ['apiVersion: v1\nkind: Pod\nmetadata:\n  name: @bad\n', 'yaml: line 4: found character that cannot start any token'],
    ['apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: a\n   image: b\n', 'yaml: line 7: did not find expected key'],
    ['apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n', 'yaml: line 4: found character that cannot start any token'],
    ['apiVersion: v1\nkind: Pod\nmetadata\n  name: x\n', "yaml: line 4: could not find expected ':'"],
    ['apiVersion: v1\nkind: Pod\nmetadata:\n  name: "x\n', 'yaml: line 5: found unexpected end of stream'],
    ['apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: a\n    image: [b\n', "yaml: line 8: did not find expected ',' or ']'"],
  ])('reports go-yaml syntax errors (%#)', (text, msg) => {
    expect(err(text)).toEqual([`error parsing x.yaml: error converting YAML to JSON: ${msg}`]);
  });

  it('reports missing kind and apiVersion as kubectl does', () => {
    expect(err('kind: Pod\nmetadata:\n  name: x\n')).toEqual([
      'error validating "x.yaml": error validating data: apiVersion not set; if you choose to ignore these errors, turn validation off with --validate=false',
    ]);
    expect(err('apiVersion: v1\nmetadata:\n  name: x\n', false)).toEqual([
      `unable to decode "x.yaml": Object 'Kind' is missing in '{"apiVersion":"v1","metadata":{"name":"x"}}'`,
    ]);
  });

  it('reads JSON', () => {
    expect(err('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"j"}}')).toEqual(['j']);
    expect(err('{"apiVersion": "v1", "kind": "Pod"')).toEqual(['error parsing x.yaml: unexpected EOF']);
  });
});
