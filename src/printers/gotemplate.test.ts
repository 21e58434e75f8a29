// Expected texts are what the real kubectl 1.32 printed for the same templates on the same objects.
import { describe, expect, it } from 'vitest';
import { goTemplate, parseGoTemplate } from './gotemplate.js';

const pod = {
  metadata: { name: 'web', labels: { app: 'web', tier: 'front' } },
  spec: { priority: 0, terminationGracePeriodSeconds: 30, containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
  status: { phase: 'Running', podIP: '10.244.0.3', conditions: [{ type: 'Ready', status: 'True' }, { type: 'Initialized', status: 'False' }] },
};
const run = (t: string, data: unknown = pod) => goTemplate(t, data);
const fails = (t: string, data: unknown = pod) => {
  try {
    goTemplate(t, data);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('go-template', () => {
  it.each([
    ['{{.metadata.name}}{{"\\n"}}', 'web\n'],
    ['{{.metadata.labels}}', 'map[app:web tier:front]'],
    ['{{.spec.containers}}', '[map[image:nginx:1.27 name:nginx]]'],
    ['{{.spec.terminationGracePeriodSeconds}} {{.nope}} {{.nope.x}}', '30 <no value> <no value>'],
    ['{{range $k, $v := .metadata.labels}}{{$k}}={{$v}};{{end}}', 'app=web;tier=front;'],
    ['{{- range .spec.containers -}}  {{.name}}  {{- end -}}', 'nginx'],
    ['{{if eq .status.phase "Running"}}yes{{else}}no{{end}}', 'yes'],
    ['{{if eq .spec.terminationGracePeriodSeconds 30}}yes{{end}}', 'yes'],
    ['{{if and .metadata .nope}}A{{else if .spec}}B{{end}}', 'B'],
    ['{{index .metadata.labels "app"}} {{index .spec.containers 0 "name"}}', 'web nginx'],
    ['{{printf "%s-%d-%v-%5.2f|%-6s|" .metadata.name 3 .spec.priority 1.5 "ab"}}', 'web-3-0- 1.50|ab    |'],
    ['{{printf "%s" .spec.priority}} {{printf "%s" .nope}} {{printf "%d %d" 1}} {{printf "x" 1 "a"}}', '%!s(int64=0) %!s(<nil>) 1 %!d(MISSING) x%!(EXTRA int=1, string=a)'],
    ['{{printf "%.1f %.2f %.0f" 2.25 1.005 2.5}}', '2.2 1.00 2'],
    ['{{len .spec.containers}} {{.metadata.name | len | printf "%03d"}}', '1 003'],
    ['{{with .status.podIP}}ip={{.}}{{end}}{{with .nope}}x{{else}}none{{end}}', 'ip=10.244.0.3none'],
    ['{{$n := .metadata.name}}{{range .spec.containers}}{{$n}}/{{.name}}{{end}}', 'web/nginx'],
    ['{{$x := 1}}{{$x = 2}}{{$x}}', '2'],
    ['{{range $i, $c := .spec.containers}}{{$i}}:{{$c.image}}{{end}}', '0:nginx:1.27'],
    ['{{range .status.conditions}}{{if eq .status "True"}}{{.type}} {{end}}{{end}}', 'Ready '],
    ['{{range .nope}}x{{else}}empty{{end}}', 'empty'],
    ['{{print 1 2 "a" 3 .spec.priority}}{{println "x" 1}}', '1 2a3 0x 1\n'],
    ['{{.metadata.name | printf "%q"}} {{"a" | printf "%s %s" "b"}}', '"web" b a'],
    ['{{html "<a>&"}} {{js "a\'b"}} {{urlquery "a b&c"}}', "&lt;a&gt;&amp; a\\'b a+b%26c"],
    ['{{not .nope}} {{or .nope "dflt"}} {{and 1 0}} {{lt 1 2}} {{ne "a" "b"}}', 'true dflt 0 true true'],
    ['{{base64decode "aGVsbG8="}} {{exists . "metadata" "name"}} {{exists . "nope"}}', 'hello true false'],
    ['{{range .spec.containers}}{{break}}x{{end}}{{/* comment */}}a{{- /* c2 */ -}} b', 'ab'],
    ['{{(index .spec.containers 0).name}} {{slice .metadata.name 1 2}}', 'nginx e'],
    ['{{.big}} {{.f}}', '1000000 1.5'],
  ])('%s', (t, want) => {
    expect(run(t, { ...pod, big: 1000000, f: 1.5 })).toBe(want);
  });

  it.each([
    ['{{.metadata.name', 'template: output:1: unclosed action'],
    ['{{.metadata.name}', "template: output:1: bad character U+007D '}'"],
    ['{{end}}', 'template: output:1: unexpected {{end}}'],
    ['{{if}}x{{end}}', 'template: output:1: missing value for if'],
    ['{{nope .}}', 'template: output:1: function "nope" not defined'],
    ['{{$x}}', 'template: output:1: undefined variable "$x"'],
    ['{{"unterminated}}', 'template: output:1: unterminated quoted string'],
  ])('parse error %s', (t, msg) => {
    expect(() => parseGoTemplate(t)).toThrow(msg);
  });

  it.each([
    ['{{index .spec.containers 5}}', 'template: output:1:2: executing "output" at <index .spec.containers 5>: error calling index: index out of range: 5'],
    ['{{.metadata.name.x}}', `template: output:1:11: executing "output" at <.metadata.name.x>: can't evaluate field x in type interface {}`],
    ['{{range .metadata.name}}x{{end}}', `template: output:1:17: executing "output" at <.metadata.name>: range can't iterate over web`],
    ['{{gt .spec.priority 1.0}}', 'template: output:1:2: executing "output" at <gt .spec.priority 1.0>: error calling gt: incompatible types for comparison'],
    ['{{len .nope}}', 'template: output:1:2: executing "output" at <len .nope>: error calling len: reflect: call of reflect.Value.Type on zero Value'],
    ['{{base64decode "!!"}}', 'template: output:1:2: executing "output" at <base64decode "!!">: error calling base64decode: base64 decode failed: illegal base64 data at input byte 0'],
  ])('execution error %s', (t, msg) => {
    expect(fails(t)).toBe(msg);
  });

  it('missingkey=error names the key', () => {
    expect(() => goTemplate('{{.nope}}', pod, { missingKeyError: true })).toThrow('map has no entry for key "nope"');
  });
});
