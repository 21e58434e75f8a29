import { describe, expect, it } from 'vitest';
import { goYamlPlain } from './goyaml.js';
import { parseManifests } from './manifest.js';

describe("go-yaml v2's plain scalars", () => {
  it('resolves as go-yaml does when decoding into interface{}', () => {
    const cases: [string, unknown][] = [
      ['yes', true], ['Y', true], ['on', true], ['ON', true], ['no', false], ['n', false], ['off', false], ['True', true],
      ['~', null], ['null', null], ['', null],
      ['0644', 420], ['0400', 256], ['0x1F', 31], ['0o17', 15], ['0b101', 5], ['1_000', 1000], ['-12', -12], ['+7', 7], ['08', 8],
      ['1.5', 1.5], ['.5', 0.5], ['1e3', 1000], ['.inf', Infinity], ['-.Inf', -Infinity],
      ['2001-12-14', '2001-12-14'], ['1:20', '1:20'], ['yes please', 'yes please'], ['0x', '0x'], ['v1', 'v1'], ['1.2.3', '1.2.3'],
    ];
    for (const [s, want] of cases) expect(goYamlPlain(s), s).toEqual(want);
  });

  it('reads manifests as YAML 1.1: octal modes, booleans, merge keys; quoted scalars stay strings', () => {
    const [doc] = parseManifests(
      [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata: {name: c}',
        'base: &b {x: "1", w: 0755}',
        'data:',
        '  <<: *b',
        '  quoted: "0644"',
        '  plain: 0644',
        '  flag: yes',
        '  block: |',
        '    yes',
      ].join('\n'),
      'cm.yaml',
      { validate: false },
    );
    expect(doc.obj?.data).toEqual({ x: '1', w: 493, quoted: '0644', plain: 420, flag: true, block: 'yes\n' });
  });
});
