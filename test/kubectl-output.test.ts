// What the real kubectl 1.32 prints for the same objects (issue 11, checked with
// ../shared/tools/diffkubectl): name prefixes, names across namespaces, go-template, sort order,
// flag errors, NotFound with -o yaml, the client-side table.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

const sb = new Sandbox();
afterAll(() => sb.dispose());
beforeAll(async () => {
  await sb.run(['clock', 'freeze']);
  await sb.run(['create', 'namespace', 'demo']);
  for (const name of ['crashy', 'crane', 'web']) await sb.run(['run', name, '--image=nginx', '-n', 'demo', `--labels=app=${name}`]);
  await sb.run(['clock', 'advance', '1m']);
});

describe('describe', () => {
  it('a name prefix describes every match, each followed by a newline', async () => {
    const r = await sb.run(['describe', 'pod', 'cra', '-n', 'demo']);
    expect(r.code).toBe(0);
    const one = (await sb.run(['describe', 'pod', 'crashy', '-n', 'demo'])).stdout;
    const two = (await sb.run(['describe', 'pod', 'crane', '-n', 'demo'])).stdout;
    expect(r.stdout).toBe(`${two}\n${one}\n`);
  });

  it('run and create check -o before they change anything', async () => {
    await sb.run(['create', 'ns', 'zz', '-o', 'bogus']);
    expect((await sb.run(['get', 'ns', 'zz', '-o', 'name'])).code).toBe(1);
    expect((await sb.run(['get', 'pod', 'x', '-n', 'demo', '-o', 'name'])).code).toBe(1);
  });

  it('times are in the zone TZ names (kubectl decodes them into time.Local)', async () => {
    const start = (env: Record<string, string>) => sb.run(['describe', 'pod', 'web', '-n', 'demo'], '', env).then((r) => /Start Time: +(.*)/.exec(r.stdout)?.[1]);
    expect(await start({ TZ: 'Asia/Kolkata' })).toBe('Mon, 23 Nov 2026 02:30:00 +0530');
    expect(await start({ TZ: 'America/New_York' })).toBe('Sun, 22 Nov 2026 16:00:00 -0500');
    expect(await start({ TZ: '' })).toBe('Sun, 22 Nov 2026 21:00:00 +0000');
    expect(await start({ TZ: 'Nowhere/Bogus' })).toBe('Sun, 22 Nov 2026 21:00:00 +0000');
  });

  it.each([
    [['describe', 'pod', 'web', '-A'], 'error: a resource cannot be retrieved by name across all namespaces\n'],
    [['get', 'pod', 'web', '-A', '-o', 'name'], 'error: a resource cannot be retrieved by name across all namespaces\n'],
    [['get', 'pods', 'web', '-n', 'demo', '-l', 'app=x'], 'error: name cannot be provided when a selector is specified\n'],
    [['get', 'pod/web', '-n', 'demo', '-l', 'app=x'], 'error: selectors and the all flag cannot be used when passing resource/name arguments\n'],
    [['describe', 'pod', '-n', 'demo', '-o', 'yaml'], "error: unknown shorthand flag: 'o' in -o\nSee 'kubectl describe --help' for usage.\n"],
    [['get', 'pods', '--bogus-flag'], "error: unknown flag: --bogus-flag\nSee 'kubectl get --help' for usage.\n"],
    [['get', 'ns', 'nope', '-o', 'yaml'], 'Error from server (NotFound): namespaces "nope" not found\n'],
    [['get', 'pod', 'nope', '-n', 'demo', '-o', 'yaml'], 'Error from server (NotFound): pods "nope" not found\n'],
    [['get', 'pods', '-n', 'demo', '--sort-by=.nope', '-o', 'name'], `error: couldn't find any field with path "{.nope}" in the list of objects\n`],
    [
      ['get', 'pods', '-o', 'bogus'],
      'error: unable to match a printer suitable for the output format "bogus", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n',
    ],
    [['get', 'pod', 'web', '-n', 'demo', '-o', 'go-template={{.metadata.name'], 'error: error parsing template {{.metadata.name, template: output:1: unclosed action\n'],
    [
      ['get', 'pods', '-o', 'wide=x'],
      'error: unable to match a printer suitable for the output format "wide=x", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n',
    ],
    [
      ['run', 'x', '--image=nginx', '-n', 'demo', '-o', 'wide'],
      'error: unable to match a printer suitable for the output format "wide", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n',
    ],
  ])('%j', async (argv, stderr) => {
    expect(await sb.run(argv)).toEqual({ stdout: '', stderr, code: 1 });
  });
});

describe('get', () => {
  it.each([
    [['get', 'pod', 'web', '-n', 'demo', '-o', 'go-template={{.metadata.name}}{{"\\n"}}'], 'web\n'],
    [['get', 'pods', '-n', 'demo', '-o', 'go-template={{range .items}}{{.metadata.name}} {{.status.phase}}{{"\\n"}}{{end}}'], 'crane Running\ncrashy Running\nweb Running\n'],
    [['get', 'pod', 'web', '-n', 'demo', '-o', 'template', '--template={{.spec.nodeName}}'], 'minikube'],
    [['get', 'pods', '-n', 'demo', '--template={{len .items}}'], '3'],
    [['create', 'cm', 'y', '--from-literal=a=b', '--dry-run=client', '--template={{.data.a}}'], 'b'],
    [['get', 'pods', '-n', 'demo', '--server-print=false'], 'NAME     AGE\ncrane    60s\ncrashy   60s\nweb      60s\n'],
  ])('%j', async (argv, stdout) => {
    expect(await sb.run(argv)).toEqual({ stdout, stderr: '', code: 0 });
  });

  it('a template that fails prints what it wrote and kubectl\'s debugging text', async () => {
    const r = await sb.run(['get', 'pod', 'web', '-n', 'demo', '-o', 'go-template=x{{index .spec.containers 5}}']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^xError executing template: template: output:1:3: executing "output" at <index \.spec\.containers 5>: error calling index: index out of range: 5\. Printing more information for debugging the template:\n\ttemplate was:\n/);
    expect(r.stderr).toBe('error: error executing template "x{{index .spec.containers 5}}": template: output:1:3: executing "output" at <index .spec.containers 5>: error calling index: index out of range: 5\n');
  });

  it('a JSONPath index out of range ends with the engine\'s newlines only', async () => {
    const r = await sb.run(['get', 'pod', 'web', '-n', 'demo', '-o', 'jsonpath={.spec.containers[5].name}']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\}\}\n\n\n$/);
    expect(r.stderr.endsWith('\n\n\n\n')).toBe(false);
  });

  it('api-resources -o wide joins verbs with commas', async () => {
    const r = await sb.run(['api-resources', '-o', 'wide']);
    expect(r.stdout).toMatch(/\n\S*pods +po +v1 +true +Pod +create,delete,deletecollection,get,list,patch,update,watch +all\n/);
  });
});

describe('a closed pipe', () => {
  it('ends the program silently with the status of SIGPIPE, as a Go program', async () => {
    const root = join(__dirname, '..');
    if (!existsSync(join(root, 'bin', 'dist', 'kubesim.cjs'))) execFileSync(process.execPath, [join(root, 'src', 'tools', 'build.mjs')]);
    const child = spawn(join(root, 'bin', 'kubesim'), ['version', '--client'], { env: { ...process.env, KUBESIM_HOME: sb.home }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before the first write (`| head -0`)
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect({ code, stderr }).toEqual({ code: 141, stderr: '' });
  });
});
