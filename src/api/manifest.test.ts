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

  const V = (what: string) => `error validating "x.yaml": error validating data: ${what}; if you choose to ignore these errors, turn validation off with --validate=false`;

  it.each([
    ['apiVersion: 1\nkind: Pod\nmetadata: {name: a}\n', V(`apiVersion isn't string type`), 'unable to decode "x.yaml": json: cannot unmarshal number into Go struct field metadataOnlyObject.apiVersion of type string'],
    ["apiVersion: v1\nkind: {'': ''}\nmetadata: {name: a}\n", V(`kind isn't string type`), `unable to decode "x.yaml": Object 'Kind' is missing in '{"apiVersion":"v1","kind":{"":""},"metadata":{"name":"a"}}'`],
    ['apiVersion: true\nkind: 5\n', V(`[apiVersion isn't string type, kind isn't string type]`), `unable to decode "x.yaml": Object 'Kind' is missing in '{"apiVersion":true,"kind":5}'`],
    ['apiVersion: v1\nkind: List\nitems:\n- null\n', V('invalid object to validate'), `unable to get type info from the object "*unstructured.Unstructured": Object 'Kind' is missing in 'object has no kind field '`],
    ['apiVersion: v1\nkind: List\nitems: 5\n', V('invalid object to validate'), 'unable to decode "x.yaml": json: cannot unmarshal number into Go struct field decodeList.items of type []json.RawMessage'],
    ['apiVersion: v1\nkind: List\nitems:\n- {}\n', V('[apiVersion not set, kind not set]'), `unable to get type info from the object "*unstructured.Unstructured": Object 'Kind' is missing in 'object has no kind field '`],
  ])('checks the types of apiVersion and kind as kubectl does (%#)', (text, validating, decoding) => {
    expect(err(text)).toEqual([validating]);
    expect(err(text, false)).toEqual([decoding]);
  });

  it.each([
    ['apiVersion: v1\nkind: Pod\nmetadata: 5\n', 'json: cannot unmarshal number into Go struct field metadataOnlyObject.metadata of type v1.ObjectMeta'],
    ['apiVersion: v1\nkind: Pod\nmetadata: {name: 5}\n', 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string'],
    ['apiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: {a: 1}}\n', 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string'],
  ])('decodes metadata as kubectl does before sending (%#)', (text, msg) => {
    expect(err(text)).toEqual([`unable to decode "x.yaml": ${msg}`]);
  });

  it("reports go-yaml's alias errors", () => {
    const yamlErr = (m: string) => [`error parsing x.yaml: error converting YAML to JSON: yaml: ${m}`];
    expect(err('apiVersion: v1\nkind: Pod\nmetadata: &m {x: *m}\n')).toEqual(yamlErr(`anchor 'm' value contains itself`));
    expect(err('apiVersion: v1\nkind: Pod\nmetadata: *m\n')).toEqual(yamlErr(`unknown anchor 'm' referenced`));
    expect(err('a: &a [1,2]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n')).toEqual(['ok']);
  });

  it('keeps the good items of a List with a bad one when not validating', () => {
    expect(err('apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n- null\n', false)).toEqual([
      'a',
      `unable to get type info from the object "*unstructured.Unstructured": Object 'Kind' is missing in 'object has no kind field '`,
    ]);
  });

  it('nests as deep as encoding/json and go-yaml allow, with their errors past it', () => {
    const json = (d: number) => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"extra":${'['.repeat(d)}${']'.repeat(d)}}`;
    expect(err(json(9999))).toEqual(['deep']);
    expect(err(json(20000))).toEqual([`error parsing x.yaml: json: offset 10073: invalid character '[' exceeded max depth`]);
    const yaml = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\nextra: ${'['.repeat(20000)}${']'.repeat(20000)}\n`;
    expect(err(yaml)).toEqual(['error parsing x.yaml: error converting YAML to JSON: yaml: line 4: exceeded max depth of 10000']);
  });
});
