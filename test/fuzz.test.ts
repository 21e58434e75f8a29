// Fuzzing: seeded mutations of valid manifests and of verbs' flags and arguments. Whatever the input,
// kubesim answers with kubectl's (or the API server's) own texts: no JavaScript error, no stack, no
// `undefined`/`[object Object]`/`NaN` where a value belongs, and every run ends quickly with an exit code.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import type { IO } from '../src/cli/io.js';
import { T0 } from './harness.js';

const SEED = Number(process.env.KUBESIM_FUZZ_SEED ?? 20261201);
const CASES = Number(process.env.KUBESIM_FUZZ_CASES ?? 1000);
/** wall-clock bound of one command (generous: the suite runs files in parallel) */
const CASE_MS = 4000;
/** problems reported before the run stops (KUBESIM_FUZZ_ALL=1: all of them) */
const MAX_PROBLEMS = process.env.KUBESIM_FUZZ_ALL ? Infinity : 5;

/** What must never reach the user: JavaScript's own error texts and values printed as JS renders them. */
const FORBIDDEN = [
  /\b(TypeError|RangeError|ReferenceError|SyntaxError|EvalError|InternalError)\b/,
  /Cannot read propert/,
  /Cannot set propert/,
  /Cannot convert undefined or null/,
  /is not a function/,
  /is not iterable/,
  /is not defined/,
  /Maximum call stack/,
  /Invalid array length/,
  /Invalid time value/,
  /in JSON at position/,
  /is not valid JSON/,
  /Unexpected (token|end of JSON)/,
  /\bundefined\b/,
  /\[object Object\]/,
  /\bNaN\b/,
  /\n\s+at .+:\d+:\d+\)?\n/,
];

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const BASE: Record<string, Json> = {
  pod: {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'fz-pod', labels: { app: 'fz' }, annotations: { note: 'x' } },
    spec: {
      containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80, name: 'http' }], env: [{ name: 'A', value: '1' }], command: ['nginx'], args: ['-g', 'daemon off;'] }],
      restartPolicy: 'Always',
      volumes: [{ name: 'v', configMap: { name: 'fz-cm' } }],
    },
  },
  service: {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'fz-svc' },
    spec: { selector: { app: 'fz' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP', name: 'web' }], type: 'NodePort' },
  },
  configmap: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fz-cm', namespace: 'default' }, data: { key: 'value', 'a.txt': 'hello' } },
  secret: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'fz-secret' }, type: 'Opaque', data: { pw: 'cGFzcw==' }, stringData: { user: 'me' } },
  namespace: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fz-ns' } },
};
BASE.list = { apiVersion: 'v1', kind: 'List', items: [BASE.configmap, BASE.service] };

/** Values a mutation puts somewhere (none of them spells a forbidden word). */
const ODD: Json[] = [null, 0, -1, 1.5, 65536, 1e21, true, false, '', ' ', 'x', 'Bad_Name!', 'ünïcödé', '-', '*', '{}', '[]', '{{', 'a'.repeat(300), [], [null], [1, 'two'], {}, { '': '' }, { a: { b: { c: [] } } }, 'v1', 'Pod', 'List'];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

/** One structural mutation of a JSON value: replace, delete or add somewhere in the tree. */
function mutate(r: () => number, v: Json, depth = 0): Json {
  const isObj = v !== null && typeof v === 'object';
  if (!isObj || depth > 6 || r() < 0.15) return structuredClone(pick(r, ODD));
  if (Array.isArray(v)) {
    const out = [...v];
    const roll = r();
    if (roll < 0.15 || !out.length) out.push(structuredClone(pick(r, ODD)));
    else if (roll < 0.3) out.splice(Math.floor(r() * out.length), 1);
    else {
      const i = Math.floor(r() * out.length);
      out[i] = mutate(r, out[i], depth + 1);
    }
    return out;
  }
  const out = { ...v };
  const keys = Object.keys(out);
  const roll = r();
  if (roll < 0.12 || !keys.length) out[pick(r, ['extra', 'apiVersion', 'kind', 'metadata', 'spec', 'items', 'name', '$patch', 'data', 'type'])] = structuredClone(pick(r, ODD));
  else if (roll < 0.25) delete out[pick(r, keys)];
  else {
    const k = pick(r, keys);
    out[k] = mutate(r, out[k], depth + 1);
  }
  return out;
}

/** Text-level damage: characters YAML cares about, cut lines, truncation, aliases. */
function damage(r: () => number, text: string): string {
  const roll = r();
  const at = Math.floor(r() * (text.length + 1));
  if (roll < 0.3) return text.slice(0, at) + pick(r, [':', '{', '}', '[', ']', '&a', '*a', '!', '|', '>', '-', "'", '"', '#', '\t', '\n', ' ', '---\n', '%YAML', '@', '`', ',', '?', '\\']) + text.slice(at);
  if (roll < 0.45) return text.slice(0, at);
  if (roll < 0.6) return text.slice(0, at) + text.slice(at + 1 + Math.floor(r() * 10));
  if (roll < 0.7) return `metadata: &m {x: *m}\n${text}`;
  if (roll < 0.8) return `${text}\n---\n${text}`;
  const lines = text.split('\n');
  const i = Math.floor(r() * lines.length);
  lines.splice(i, 0, lines[Math.floor(r() * lines.length)] ?? '');
  return lines.join('\n');
}

function manifestText(r: () => number): string {
  const base = structuredClone(pick(r, Object.keys(BASE).map((k) => BASE[k]))) as { [k: string]: Json };
  let obj: Json = base;
  const n = Math.floor(r() * 4);
  for (let i = 0; i < n; i++) obj = mutate(r, obj);
  // most documents keep their kind, so that the API server's own checks get their turn
  if (r() < 0.7 && obj && typeof obj === 'object' && !Array.isArray(obj)) Object.assign(obj, { apiVersion: base.apiVersion, kind: base.kind });
  let text = r() < 0.3 ? JSON.stringify(obj) : stringify(obj);
  if (r() < 0.35) text = damage(r, text);
  return text;
}

const TYPES = ['pods', 'po', 'pod', 'svc', 'services', 'cm', 'configmaps', 'secrets', 'secret', 'ns', 'nodes', 'no', 'events', 'all', 'sa', 'deployments', 'bogus', 'pods,svc', 'pods.v1.', 'po/fz-pod', 'pods/'];
const NAMES = ['fz-pod', 'fz-svc', 'fz-cm', 'fz-secret', 'web', 'minikube', 'default', 'kube-system', 'missing', 'Bad_Name', '', 'a'.repeat(80), 'x/y'];
const OUTPUTS = ['json', 'yaml', 'wide', 'name', 'jsonpath={.metadata.name}', 'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}', 'jsonpath={range .a}{range .b}', 'jsonpath={.spec.containers[99]}', 'jsonpath={', 'jsonpath={.a[?(@.x==1)]}', 'custom-columns=NAME:.metadata.name,IMG:.spec.containers[*].image', 'custom-columns=BAD', 'go-template={{.metadata.name}}', 'jsonpath-as-json={.metadata}', 'bogus', ''];
const SELECTORS = ['app=fz', 'app!=fz', 'app in (fz,x)', 'notin', 'a=b,c', '!app', 'app==', '=', '(', 'x=' + 'y'.repeat(70), 'a b'];
const PATCHES = [
  '{"metadata":{"labels":{"x":"y"}}}',
  '{"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}}',
  '[{"op":"replace","path":"/spec/containers/0/image","value":5}]',
  '[{"op":"add","path":"/metadata/labels/a","value":"b"}]',
  '[{"op":"remove","path":"/nope"}]',
  '[{"op":"test","path":"/kind","value":"Pod"}]',
  '[{"op":"move","from":"/metadata/labels","path":"/metadata/annotations"}]',
  '{"spec":{"ports":[{"port":"x"}]}}',
  '{"metadata":null}',
  '{"spec":5}',
  '{"data":{"k":null}}',
  '{"$patch":"delete"}',
  'null',
  '5',
  '"str"',
  '[]',
  '{',
  'a: b',
  '',
];
/** Arguments nobody means (replacing one argument at random). */
const JUNK = ['', ' ', '\t', '=', '==', '--=', '-o=', '-n=', '-l=', 'ü', 'a'.repeat(1000), '../../etc/passwd', '%s%d', '$HOME', '*', '?', '{}', '[]', '-1', '0', '9999999999999999999', '--output', '-oyaml', '-ojson', '-A=false', '--all-namespaces=maybe', '--namespace', '-c', '--v=9'];
const DURATIONS = ['1s', '30s', '5m', '1h', '24h', '999999h', '1.5h', '0', '-1s', '1x', '', '9999999999999h', '1e3h'];

/** Flags any verb may get, with values drawn from the pools above. */
const ANY_FLAG = ['-o', '-n', '-l', '--field-selector', '-A', '--all-namespaces', '--show-labels', '--sort-by', '--no-headers', '--dry-run', '--all', '--overwrite', '--force', '--grace-period', '--timeout', '-f', '--selector', '--namespace', '--kubeconfig', '--context', '--validate', '-v', '--', '-', '--nope', '-z', '--output'];
/** Flags each verb takes (a few draws come from every verb's flags). */
const VERB_FLAGS: Record<string, string[]> = {
  get: ['-o', '-o', '-l', '--field-selector', '-A', '--show-labels', '--sort-by', '--no-headers', '-n'],
  describe: ['-l', '-A', '-n'],
  apply: ['-o', '--dry-run', '--validate', '-n', '--force'],
  create: ['-o', '--dry-run', '--validate', '-n'],
  patch: ['-o', '--dry-run', '-n'],
  label: ['--overwrite', '-o', '--dry-run', '-l', '--all', '-n'],
  annotate: ['--overwrite', '-o', '--dry-run', '-l', '--all', '-n'],
  delete: ['-l', '--all', '--grace-period', '--force', '--dry-run', '-n', '--timeout', '-o'],
  run: ['-o', '--dry-run', '-n'],
  logs: ['-n'],
};

function commonFlag(r: () => number, verb: string): string[] {
  const own = VERB_FLAGS[verb];
  const f = own && r() < 0.85 ? pick(r, own) : pick(r, ANY_FLAG);
  switch (f) {
    case '-o':
    case '--output':
      return [`${f}=${pick(r, OUTPUTS)}`];
    case '-n':
    case '--namespace':
      return [f, pick(r, ['default', 'kube-system', 'fz-ns', 'missing', 'Bad_NS', ''])];
    case '-l':
    case '--selector':
      return [f, pick(r, SELECTORS)];
    case '--field-selector':
      return [f, pick(r, ['metadata.name=fz-pod', 'status.phase=Running', 'spec.nodeName!=x', 'bogus=1', 'a', '=', 'metadata.name'])];
    case '--sort-by':
      return [f, pick(r, ['.metadata.name', '{.metadata.creationTimestamp}', '.spec.containers[0].image', '.nope', '{', '[', ''])];
    case '--dry-run':
      return [`${f}=${pick(r, ['client', 'server', 'none', 'bogus', ''])}`];
    case '--grace-period':
    case '--timeout':
      return [`${f}=${pick(r, ['0', '-1', '5', 'x', '1s', '1e99'])}`];
    case '-f':
      return [f, pick(r, ['-', 'good.yaml', 'bad.yaml', 'dir', 'missing.yaml', 'https://example.com/x.yaml'])];
    case '--kubeconfig':
      return [f, pick(r, ['/nonexistent/config', ''])];
    case '--context':
      return [f, pick(r, ['minikube', 'nope'])];
    case '--validate':
      return [`${f}=${pick(r, ['true', 'false', 'warn', 'strict', 'ignore', 'maybe'])}`];
    case '-v':
      return [f, pick(r, ['0', '6', 'x'])];
    default:
      return [f];
  }
}

/** Objects the cluster holds, as `TYPE NAME` (most commands aim at one of them). */
const EXISTING: [string, string][] = [
  ['pod', 'fz-pod'],
  ['pod', 'web'],
  ['svc', 'fz-svc'],
  ['cm', 'fz-cm'],
  ['secret', 'fz-secret'],
  ['ns', 'fz-ns'],
  ['node', 'minikube'],
];

function target(r: () => number): string[] {
  if (r() < 0.7) {
    const [t, n] = pick(r, EXISTING);
    return r() < 0.3 ? [`${t}/${n}`] : [t, n];
  }
  return [pick(r, TYPES), pick(r, NAMES)];
}

/** A patch body: one of the fixed ones, or a mutated piece of a valid object. */
function patchText(r: () => number): string {
  if (r() < 0.5) return pick(r, PATCHES);
  const base = structuredClone(pick(r, [BASE.pod, BASE.service, BASE.configmap, BASE.secret])) as { [k: string]: Json };
  delete base.apiVersion;
  delete base.kind;
  let patch: Json = base;
  for (let i = 0; i < 1 + Math.floor(r() * 3); i++) patch = mutate(r, patch);
  if (r() < 0.3) return JSON.stringify([{ op: pick(r, ['add', 'replace', 'remove', 'test', 'copy', 'move']), path: pick(r, ['/metadata/labels/x', '/spec/containers/0', '/spec/ports/0/port', '/data/key', '/spec', '/metadata', '']), value: pick(r, ODD), from: '/metadata' }]);
  return JSON.stringify(patch);
}

function verbArgs(r: () => number): { argv: string[]; stdin: string } {
  const verb = pick(r, ['get', 'get', 'describe', 'apply', 'apply', 'create', 'patch', 'patch', 'label', 'annotate', 'delete', 'run', 'logs', 'clock', 'explain', 'api-resources', 'api-versions', 'version', 'config', 'cordon', 'uncordon', 'drain', 'taint', 'exec']);
  const args: string[] = [verb];
  let stdin = '';
  switch (verb) {
    case 'get':
    case 'describe':
    case 'delete':
      if (r() < 0.15) {
        args.push('-f', '-');
        stdin = manifestText(r);
      } else if (r() < 0.5) args.push(...target(r));
      else {
        if (r() < 0.8) args.push(pick(r, TYPES));
        if (r() < 0.4) args.push(pick(r, NAMES));
      }
      break;
    case 'apply':
    case 'create':
      if (verb === 'create' && r() < 0.2) args.push(pick(r, ['configmap', 'secret generic', 'namespace', 'deployment', 'service']), pick(r, NAMES), `--from-literal=${pick(r, ['a=b', 'a', '=b', 'a=b=c'])}`);
      else args.push('-f', '-');
      stdin = manifestText(r);
      break;
    case 'patch':
      if (r() < 0.1) {
        args.push('-f', '-', '-p', patchText(r));
        stdin = manifestText(r);
      } else args.push(...target(r), '-p', patchText(r));
      if (r() < 0.7) args.push(`--type=${pick(r, ['json', 'json', 'merge', 'merge', 'strategic', 'bogus'])}`);
      break;
    case 'label':
    case 'annotate':
      args.push(...target(r), pick(r, ['a=b', 'a-', 'Bad Key=v', 'a=' + 'v'.repeat(70), '=x', 'a=b=c', 'x/y/z=1', '--list']));
      break;
    case 'run':
      args.push(pick(r, ['web', 'fz-pod', 'Bad_Name', '', 'r1']), `--image=${pick(r, ['nginx', 'busybox', 'nginx:nope', '', 'UPPER', 'alpine:3'])}`);
      if (r() < 0.4) args.push(pick(r, ['--restart=Never', '--restart=Sometimes', '--port=80', '--port=x', '--env=A=1', '--env=A', '--labels=a=b', '--labels=,', '--dry-run=client', '--command', '--overrides={"spec":5}', '--overrides={', '--image-pull-policy=Bogus']));
      if (r() < 0.3) args.push('--', pick(r, ['sh', 'false', 'true', 'sleep']), pick(r, ['-c', '10', 'exit 3']));
      break;
    case 'logs':
      args.push(pick(r, ['fz-pod', 'web', 'missing', 'pod/web', 'svc/fz-svc', 'deployment/x']));
      if (r() < 0.5) args.push(pick(r, ['--tail=5', '--tail=x', '--since=1m', '--since=x', '--previous', '-c', '--timestamps', '--limit-bytes=3', '--all-containers', '--since-time=bogus']));
      break;
    case 'clock':
      args.push(pick(r, ['advance', 'advance', 'freeze', 'resume', 'bogus']));
      if (args[1] === 'advance' && r() < 0.95) args.push(pick(r, DURATIONS));
      break;
    case 'explain':
      args.push(pick(r, ['pods', 'pods.spec.containers', 'svc.spec.ports.port', 'pods.nope', 'bogus', 'pods.spec..x', '']));
      if (r() < 0.3) args.push('--recursive');
      break;
    case 'config':
      args.push(pick(r, ['view', 'current-context', 'get-contexts', 'use-context', 'set-context', 'bogus']));
      if (r() < 0.5) args.push(pick(r, ['minikube', 'nope', '--current', '--namespace=x', '-o=json']));
      break;
    case 'cordon':
    case 'uncordon':
    case 'drain':
    case 'taint':
      args.push(pick(r, ['nodes', 'minikube', 'node/minikube', 'x']));
      if (verb === 'taint') args.push(pick(r, ['minikube', 'k=v:NoSchedule', 'k:NoExecute', 'k-', 'bad', '=:']));
      break;
    case 'exec':
      args.push(pick(r, ['fz-pod', 'web', 'missing']), '--', pick(r, ['ls', 'echo hi', 'false', 'cat /nope']));
      break;
    default:
  }
  const extra = Math.floor(r() * 3);
  for (let i = 0; i < extra; i++) args.push(...commonFlag(r, verb));
  if (r() < 0.1) args.splice(Math.floor(r() * args.length), 0, pick(r, ['--', '-', '=', '---', '-o', '-n']));
  if (r() < 0.1) args[Math.floor(r() * args.length)] = pick(r, JUNK);
  return { argv: args, stdin };
}

describe('fuzzing', () => {
  const home = mkdtempSync(join(tmpdir(), 'kubesim-fuzz-'));
  let wall = T0;
  afterAll(() => rmSync(home, { recursive: true, force: true }));
  writeFileSync(join(home, 'good.yaml'), stringify(BASE.configmap));
  writeFileSync(join(home, 'bad.yaml'), 'apiVersion: 1\nkind: {a: b}\n');

  async function run(argv: string[], stdin = ''): Promise<{ out: string; code: unknown; ms: number }> {
    let out = '';
    const io: IO = {
      stdout: { write: (s) => void (out += s) },
      stderr: { write: (s) => void (out += s) },
      readStdin: async () => stdin,
      // a bug caught by the dispatcher prints its stack, which FORBIDDEN then matches
      env: { KUBESIM_HOME: home, HOME: home, KUBESIM_DEBUG: '1' },
      cwd: home,
      wallNow: () => wall,
      pid: 4242,
      sleep: async (ms) => void (wall += ms),
    };
    const started = Date.now();
    const code = await main(argv, io);
    return { out, code, ms: Date.now() - started };
  }

  it(`survives ${CASES} seeded mutations (seed ${SEED})`, async () => {
    /** (re)creates what the cases aim at: earlier cases delete and break things */
    const restock = async () => {
      for (const m of ['namespace', 'configmap', 'service', 'secret', 'pod']) await run(['apply', '--force', '-f', '-'], JSON.stringify(BASE[m]));
      await run(['run', 'web', '--image=nginx']);
      await run(['uncordon', 'minikube']);
    };
    await run(['clock', 'freeze']);
    await restock();
    await run(['clock', 'advance', '1m']);
    const r = prng(SEED);
    const problems: string[] = [];
    const seen: string[] = [];
    for (let i = 0; i < CASES && problems.length < MAX_PROBLEMS; i++) {
      if (i % 40 === 39) await restock();
      const { argv, stdin } = verbArgs(r);
      // KUBESIM_FUZZ_DUMP=<case>: keeps the store as that case found it, to replay the case by hand
      if (Number(process.env.KUBESIM_FUZZ_DUMP) === i) cpSync(home, join(tmpdir(), 'kubesim-fuzz-dump'), { recursive: true });
      const res = await run(argv, stdin);
      if (process.env.KUBESIM_FUZZ_REPORT) seen.push(`${res.code} ${argv[0]} ${res.out.split('\n')[0].slice(0, 70)}`);
      const what = `case ${i}: kubectl ${JSON.stringify(argv)}${stdin ? ` <<< ${JSON.stringify(stdin)}` : ''}`;
      const bad = FORBIDDEN.find((re) => re.test(res.out));
      if (bad) problems.push(`${what}\n  printed ${bad}: ${JSON.stringify(res.out.slice(0, 600))}`);
      else if (typeof res.code !== 'number' || !Number.isInteger(res.code)) problems.push(`${what}\n  exit code ${String(res.code)}`);
      else if (res.ms > CASE_MS) problems.push(`${what}\n  took ${res.ms} ms`);
    }
    if (process.env.KUBESIM_FUZZ_REPORT) writeFileSync(process.env.KUBESIM_FUZZ_REPORT, problems.join('\n'));
    if (process.env.KUBESIM_FUZZ_REPORT) writeFileSync(`${process.env.KUBESIM_FUZZ_REPORT}.seen`, seen.join('\n'));
    expect(problems).toEqual([]);
  }, 120_000);
});
