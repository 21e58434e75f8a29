import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listWrap, toJson } from './json.js';
import { resolvesToString, toYaml, yamlKeyLess } from './yaml.js';

// Captured from kubectl 1.32 `get -o json` / `-o yaml` against a fake API server.
const cases = JSON.parse(readFileSync(new URL('./testdata/yaml-cases.json', import.meta.url), 'utf8')) as Array<{ target: string; json: string; yaml: string }>;

describe('YAML/JSON against captured kubectl output', () => {
  it.each(cases.map((c) => [c.target, c] as const))('%s', (_t, c) => {
    const obj = JSON.parse(c.json);
    expect(toJson(obj)).toBe(c.json);
    expect(toYaml(obj)).toBe(c.yaml);
  });
});

describe('toYaml', () => {
  it('matches kubectl run --dry-run=client -o yaml (reference §7)', () => {
    const pod = {
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { name: 'nginx', creationTimestamp: null, labels: { run: 'nginx' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx', resources: {} }], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' },
      status: {},
    };
    expect(toYaml(pod)).toBe(
      'apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  labels:\n    run: nginx\n  name: nginx\nspec:\n  containers:\n  - image: nginx\n    name: nginx\n    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Always\nstatus: {}\n',
    );
  });
  it('quotes strings that would read back as other types', () => {
    expect(toYaml({ a: '1', b: 'x y', c: 'True', d: '', e: 'yes', f: 'null', g: '501', h: '1:20', i: '2026-11-22T21:07:43Z', j: '0x1F', k: 'on', l: '~' })).toBe(
      'a: "1"\nb: x y\nc: "True"\nd: ""\ne: "yes"\nf: "null"\ng: "501"\nh: "1:20"\ni: "2026-11-22T21:07:43Z"\nj: "0x1F"\nk: "on"\nl: "~"\n',
    );
    expect(toYaml({ args: ['sleep', '3600'] })).toBe('args:\n- sleep\n- "3600"\n');
  });
  it('uses literal blocks for multi-line strings and single quotes for indicators', () => {
    expect(toYaml({ c: 'l1\nl2', k: 'l1\nl2\n', l: '  ind\nx', g: 'a: b', m: '#x', e: ' lead', w: 'tab\there' })).toBe(
      "c: |-\n  l1\n  l2\ne: ' lead'\ng: 'a: b'\nk: |\n  l1\n  l2\nl: |2-\n    ind\n  x\nm: '#x'\nw: \"tab\\there\"\n",
    );
  });
  it('folds long plain strings at 80 columns like go-yaml', () => {
    const s = Array(30).fill('word').join(' ');
    expect(toYaml({ d: `${s}x` })).toBe(`d: ${Array(16).fill('word').join(' ')}\n  ${Array(14).fill('word').join(' ')}x\n`);
  });
  it('prints empty collections in flow style and lists the empty List', () => {
    expect(toYaml(listWrap([]))).toBe('apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n');
    expect(toYaml({})).toBe('{}\n');
  });
  it('orders keys like go-yaml (numbers inside keys compare numerically)', () => {
    expect(toYaml({ key10: 1, key2: 2, key1: 3 })).toBe('key1: 3\nkey2: 2\nkey10: 1\n');
    expect(yamlKeyLess('_', 'Z')).toBe(true);
    expect(resolvesToString('hello')).toBe(true);
    expect(resolvesToString('1e3')).toBe(false);
  });
});

describe('toJson', () => {
  it('sorts keys, indents by 4, escapes HTML like Go', () => {
    expect(toJson({ b: 1, a: { d: '<x>', c: [] } })).toBe('{\n    "a": {\n        "c": [],\n        "d": "\\u003cx\\u003e"\n    },\n    "b": 1\n}\n');
    expect(toJson({ b: 1, a: 2 }, { sort: false })).toBe('{\n    "b": 1,\n    "a": 2\n}\n');
    expect(toJson(listWrap([]))).toBe('{\n    "apiVersion": "v1",\n    "items": [],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n');
  });
});
