// kubectl edit / diff / replace: scripted editors (sed, a node script), kubectl's texts and exit codes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

const tmp = mkdtempSync(join(tmpdir(), 'edit-diff-tmp-'));
const ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', TMPDIR: tmp };
const env = (e: Record<string, string> = {}) => ({ ...ENV, ...e });

/** A node editor: runs `body` with `file` (the path), `text` (its content) and `n` (the call count). */
function nodeEditor(name: string, body: string): string {
  const script = join(tmp, `${name}.cjs`);
  const counter = join(tmp, `${name}.count`);
  writeFileSync(
    script,
    `const fs = require('fs');
const file = process.argv[2];
const c = ${JSON.stringify(counter)};
const n = fs.existsSync(c) ? Number(fs.readFileSync(c, 'utf8')) + 1 : 1;
fs.writeFileSync(c, String(n));
let text = fs.readFileSync(file, 'utf8');
${body}
`,
  );
  return `${process.execPath} ${script}`;
}

const keptFiles = () => readdirSync(tmp).filter((f) => f.startsWith('kubectl-edit-'));
const mask = (s: string) => s.replace(/\/\S*\/(LIVE|MERGED)-\d+/g, '/tmp/$1-X').replace(/\t.*$/gm, '');

let sb: Sandbox;
beforeAll(async () => {
  sb = new Sandbox();
  await sb.run(['clock', 'freeze']);
  await sb.run(['create', 'configmap', 'cm1', '--from-literal=a=bee']);
  await sb.run(['create', 'configmap', 'cm2', '--from-literal=k=v']);
  await sb.run(['run', 'web', '--image=nginx']);
  await sb.run(['clock', 'advance', '10s']);
});
afterEach(() => {
  for (const f of keptFiles()) rmSync(join(tmp, f));
});
afterAll(() => {
  sb.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

describe('kubectl edit', () => {
  it('says the edit was cancelled when nothing changed, and removes the file', async () => {
    const r = await sb.run(['edit', 'cm', 'cm1'], '', env({ EDITOR: 'true' }));
    expect(r).toEqual({ stdout: '', stderr: 'Edit cancelled, no changes made.\n', code: 0 });
    expect(keptFiles()).toEqual([]);
  });

  it('writes the commented header and the object as YAML, KUBE_EDITOR before EDITOR', async () => {
    const copy = join(tmp, 'seen.yaml');
    // a command with quotes runs through the shell: `bash -c 'sh -c … "FILE"'`
    const r = await sb.run(['edit', 'configmap/cm1'], '', env({ KUBE_EDITOR: `sh -c 'cp "$1" ${copy}' x`, EDITOR: 'false' }));
    expect(r.stderr).toBe('Edit cancelled, no changes made.\n');
    const seen = readFileSync(copy, 'utf8');
    expect(seen.split('\n').slice(0, 7).join('\n')).toBe(
      [
        "# Please edit the object below. Lines beginning with a '#' will be ignored,",
        '# and an empty file will abort the edit. If an error occurs while saving this file will be',
        '# reopened with the relevant failures.',
        '#',
        'apiVersion: v1',
        'data:',
        '  a: bee',
      ].join('\n'),
    );
  });

  it('patches what a sed editor changed', async () => {
    const r = await sb.run(['edit', 'cm', 'cm1'], '', env({ EDITOR: 'sed -i s/bee/cee/' }));
    expect(r).toEqual({ stdout: 'configmap/cm1 edited\n', stderr: '', code: 0 });
    expect((await sb.run(['get', 'cm', 'cm1', '-o', 'jsonpath={.data.a}'])).stdout).toBe('cee');
    expect(keptFiles()).toEqual([]);
  });

  it('prints the patch with --output-patch and the object with -o', async () => {
    const r = await sb.run(['edit', 'cm', 'cm1', '--output-patch', '-o', 'yaml'], '', env({ EDITOR: 'sed -i s/cee/dee/' }));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Patch: \{"data":\{"a":"dee"\}\}\napiVersion: v1\ndata:\n  a: dee\nkind: ConfigMap\n/);
    // the editor's printer takes only json and yaml
    expect((await sb.run(['edit', 'cm', 'cm1', '-o', 'name'], '', env({ EDITOR: 'true' }))).stderr).toBe(
      'error: unable to match a printer suitable for the output format "name", allowed formats are: json,yaml\n',
    );
  });

  it('edits JSON without a header with -o json', async () => {
    const ed = nodeEditor('json', `if (text.startsWith('#')) throw new Error('header'); const o = JSON.parse(text); o.data.a = 'json'; fs.writeFileSync(file, JSON.stringify(o));`);
    const r = await sb.run(['edit', 'cm', 'cm1', '-o', 'json'], '', env({ EDITOR: ed }));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"a": "json"');
  });

  it('edits several objects as a List', async () => {
    const ed = nodeEditor('list', `if (!/^kind: List$/m.test(text)) process.exit(3); fs.writeFileSync(file, text.replace('a: json', 'a: one').replace('k: v', 'k: two'));`);
    const r = await sb.run(['edit', 'cm', 'cm1', 'cm2'], '', env({ EDITOR: ed }));
    expect(r).toEqual({ stdout: 'configmap/cm1 edited\nconfigmap/cm2 edited\n', stderr: '', code: 0 });
  });

  it('re-opens an invalid edit with the causes and keeps the file when it is not fixed', async () => {
    const r = await sb.run(['edit', 'pod', 'web'], '', env({ EDITOR: 'sed -i s/Always/Never/' }));
    expect(r.code).toBe(1);
    const kept = keptFiles();
    expect(kept.length).toBeGreaterThanOrEqual(1);
    const file = join(tmp, kept.sort((a, b) => (readFileSync(join(tmp, a)).length < readFileSync(join(tmp, b)).length ? 1 : -1))[0]);
    const lines = r.stderr.split('\n');
    expect(lines[0]).toBe('error: pods "web" is invalid');
    expect(lines).toContain('error: Edit cancelled, no valid changes were saved.');
    expect(r.stderr).toMatch(/A copy of your changes has been stored to "[^"]+kubectl-edit-\d+\.yaml"\n/);
    expect(r.stderr).toContain(file.split('/').pop());
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('#\n# pods "web" was not valid:\n# * spec: Forbidden: pod updates may not change fields other than');
    expect(text).toContain('restartPolicy: Never');
    for (const f of kept) rmSync(join(tmp, f));
  });

  it('saves the fixed re-edit of an invalid change', async () => {
    const ed = nodeEditor(
      'fix',
      `if (n === 1) text = text.replace('image: nginx', 'image: nginx:1.25').replace('restartPolicy: Always', 'restartPolicy: Never');
else { if (!text.includes('# pods "web" was not valid:')) process.exit(4); text = text.replace('restartPolicy: Never', 'restartPolicy: Always'); }
fs.writeFileSync(file, text);`,
    );
    const r = await sb.run(['edit', 'pod', 'web'], '', env({ EDITOR: ed }));
    expect(r).toEqual({ stdout: 'pod/web edited\n', stderr: 'error: pods "web" is invalid\n', code: 0 });
    expect((await sb.run(['get', 'pod', 'web', '-o', 'jsonpath={.spec.containers[0].image}'])).stdout).toBe('nginx:1.25');
    expect(keptFiles()).toEqual([]);
  });

  it('re-opens a syntax error with go-yaml\'s message', async () => {
    const ed = nodeEditor('syntax', `if (n === 1) text = text.replace('data:', 'data'); else if (!text.includes('# The edited file had a syntax error: error parsing edited-file: error converting YAML to JSON: yaml: line')) process.exit(5);
fs.writeFileSync(file, text);`);
    const r = await sb.run(['edit', 'cm', 'cm2'], '', env({ EDITOR: ed }));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^A copy of your changes has been stored to ".*"\nerror: Edit cancelled, no valid changes were saved\.\n$/);
    for (const f of keptFiles()) rmSync(join(tmp, f));
  });

  it('refuses a changed name', async () => {
    const r = await sb.run(['edit', 'cm', 'cm2'], '', env({ EDITOR: 'sed -i s/cm2$/cm3/' }));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^A copy of your changes has been stored to ".*"\nerror: At least one of apiVersion, kind and name was changed\n$/);
    for (const f of keptFiles()) rmSync(join(tmp, f));
  });

  it('reports a conflict on a stale resourceVersion and proposes replace', async () => {
    const r = await sb.run(['edit', 'cm', 'cm2'], '', env({ EDITOR: nodeEditor('stale', `fs.writeFileSync(file, text.replace(/resourceVersion: .*/, 'resourceVersion: "1"').replace('k: two', 'k: three'));`) }));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: configmaps "cm2" could not be patched: Operation cannot be fulfilled on configmaps "cm2": the object has been modified; please apply your changes to the latest version and try again\nYou can run `kubectl replace -f \S+kubectl-edit-\d+\.yaml` to try this update again\.\n$/,
    );
    for (const f of keptFiles()) rmSync(join(tmp, f));
  });

  it('holds no lock while the editor runs: another command writes meanwhile and the patch merges with it', async () => {
    const root = join(import.meta.dirname, '..');
    if (!existsSync(join(root, 'bin', 'dist', 'kubesim.cjs'))) execFileSync(process.execPath, [join(root, 'src', 'tools', 'build.mjs')]);
    const ed = nodeEditor(
      'concurrent',
      `require('child_process').execFileSync(${JSON.stringify(join(root, 'bin', 'kubesim'))}, ['label', 'cm', 'cm2', 'touched=yes'], { stdio: 'ignore', timeout: 20000 });
fs.writeFileSync(file, text.replace('k: two', 'k: two\\n  z: zed'));`,
    );
    const r = await sb.run(['edit', 'cm', 'cm2'], '', env({ EDITOR: ed }));
    expect(r).toEqual({ stdout: 'configmap/cm2 edited\n', stderr: '', code: 0 });
    expect((await sb.run(['get', 'cm', 'cm2', '-o', 'jsonpath={.metadata.labels.touched} {.data.z}'])).stdout).toBe('yes zed');
  }, 60_000);

  it('keeps the edits of an object deleted while the editor ran', async () => {
    const root = join(import.meta.dirname, '..');
    await sb.run(['create', 'configmap', 'doomed', '--from-literal=k=v']);
    const ed = nodeEditor(
      'deleted',
      `require('child_process').execFileSync(${JSON.stringify(join(root, 'bin', 'kubesim'))}, ['delete', 'cm', 'doomed'], { stdio: 'ignore', timeout: 20000 });
fs.writeFileSync(file, text.replace('k: v', 'k: w'));`,
    );
    const r = await sb.run(['edit', 'cm', 'doomed'], '', env({ EDITOR: ed }));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: configmaps "doomed" could not be found on the server\nThe edits you made on deleted resources have been saved to "\S+kubectl-edit-\d+\.yaml"\n$/);
    expect(keptFiles()).toHaveLength(1);
  }, 60_000);

  it('says an empty file aborts the edit', async () => {
    const r = await sb.run(['edit', 'cm', 'cm2'], '', env({ EDITOR: 'cp /dev/null' }));
    expect(r).toEqual({ stdout: '', stderr: 'Edit cancelled, saved file was empty.\n', code: 0 });
  });

  it('writes the last-applied annotation with --save-config', async () => {
    const r = await sb.run(['edit', 'cm', 'cm2', '--save-config'], '', env({ EDITOR: 'sed -i s/two/four/' }));
    expect(r.stdout).toBe('configmap/cm2 edited\n');
    const a = (await sb.run(['get', 'cm', 'cm2', '-o', 'jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}'])).stdout;
    expect(JSON.parse(a).data).toEqual({ k: 'four', z: 'zed' });
  });

  it('writes and applies CreateTwoWayMergePatch\'s directives: a deleted list item, a new order', async () => {
    const svc = join(sb.cwd, 'svc.yaml');
    writeFileSync(svc, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\nspec:\n  selector: {app: x}\n  ports:\n  - {name: a, port: 80}\n  - {name: b, port: 81}\n  - {name: c, port: 82}\n');
    await sb.run(['apply', '-f', svc]);
    const drop = nodeEditor('drop', `fs.writeFileSync(file, text.replace(/  - name: b\\n(    .*\\n)+?(?=  - name)/, ''));`);
    expect(await sb.run(['edit', 'svc', 'svc', '--output-patch'], '', env({ EDITOR: drop }))).toEqual({
      stdout: 'Patch: {"spec":{"$setElementOrder/ports":[{"port":80},{"port":82}],"ports":[{"$patch":"delete","port":81}]}}\nservice/svc edited\n',
      stderr: '',
      code: 0,
    });
    const swap = nodeEditor('swap', `const m = text.match(/  - name: a\\n(    .*\\n)+?(?=  - name)/); text = text.replace(m[0], '').replace('  selector:', m[0] + '  selector:'); fs.writeFileSync(file, text);`);
    expect((await sb.run(['edit', 'svc', 'svc', '--output-patch'], '', env({ EDITOR: swap }))).stdout).toBe('Patch: {"spec":{"$setElementOrder/ports":[{"port":82},{"port":80}]}}\nservice/svc edited\n');
    expect((await sb.run(['get', 'svc', 'svc', '-o', 'jsonpath={.spec.ports[*].name}'])).stdout).toBe('c a');
  });

  it('edits the status and scale subresources', async () => {
    const ed = nodeEditor('status', `fs.writeFileSync(file, text.replace(/^status:\\n/m, 'status:\\n  message: edited\\n'));`);
    const r = await sb.run(['edit', 'pod', 'web', '--subresource=status', '--output-patch'], '', env({ EDITOR: ed }));
    expect(r).toEqual({ stdout: 'Patch: {"status":{"message":"edited"}}\npod/web edited\n', stderr: '', code: 0 });
    expect(await sb.run(['edit', 'pod', 'web', '--subresource=scale'], '', env({ EDITOR: 'true' }))).toEqual({
      stdout: '',
      stderr: 'Error from server (NotFound): the server could not find the requested resource\n',
      code: 1,
    });
    expect((await sb.run(['edit', 'cm', 'cm1', '--subresource=status'], '', env({ EDITOR: 'true' }))).stderr).toBe(
      'Error from server (NotFound): the server could not find the requested resource\n',
    );
  });

  it('gives kubectl\'s errors for editors and arguments', async () => {
    expect(await sb.run(['edit', 'cm', 'cm1'], '', env({ EDITOR: 'no-such-editor-xyz' }))).toEqual({ stdout: '', stderr: 'error: unable to launch the editor "no-such-editor-xyz"\n', code: 1 });
    expect(await sb.run(['edit', 'cm', 'cm1'], '', env({ EDITOR: 'false' }))).toEqual({ stdout: '', stderr: 'error: there was a problem with the editor "false"\n', code: 1 });
    const gone = await sb.run(['edit', 'cm', 'cm1'], '', env({ EDITOR: 'rm -f' }));
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^error: open \S+\/kubectl-edit-\d+\.yaml: no such file or directory\n$/);
    expect(await sb.run(['edit', 'cm', 'nope'], '', env({ EDITOR: 'true' }))).toEqual({ stdout: '', stderr: 'Error from server (NotFound): configmaps "nope" not found\n', code: 1 });
    expect((await sb.run(['edit'], '', env())).stderr).toMatch(/^error: You must provide one or more resources by argument or filename\./);
    expect((await sb.run(['edit', 'cm/cm1', '-o', 'wide'], '', env())).stderr).toBe('error: unable to match a printer suitable for the output format "wide", allowed formats are: json,yaml\n');
    for (const f of keptFiles()) rmSync(join(tmp, f));
  });
});

describe('kubectl diff', () => {
  it('exits 0 without output when nothing would change, 1 with a unified diff otherwise', async () => {
    const file = join(sb.cwd, 'cm3.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm3\ndata:\n  a: "1"\n');
    const created = await sb.run(['diff', '-f', file], '', env());
    expect(created.code).toBe(1);
    const shown = mask(created.stdout).replace(/creationTimestamp: ".*"/, 'creationTimestamp: T').replace(/uid: .*/, 'uid: U');
    expect(shown).toBe(
      [
        'diff -u -N /tmp/LIVE-X/v1.ConfigMap.default.cm3 /tmp/MERGED-X/v1.ConfigMap.default.cm3',
        '--- /tmp/LIVE-X/v1.ConfigMap.default.cm3',
        '+++ /tmp/MERGED-X/v1.ConfigMap.default.cm3',
        '@@ -0,0 +1,9 @@',
        '+apiVersion: v1',
        '+data:',
        '+  a: "1"',
        '+kind: ConfigMap',
        '+metadata:',
        '+  creationTimestamp: T',
        '+  name: cm3',
        '+  namespace: default',
        '+  uid: U',
        '',
      ].join('\n'),
    );
    expect((await sb.run(['get', 'cm', 'cm3'])).code).toBe(1);
    await sb.run(['apply', '-f', file]);
    expect(await sb.run(['diff', '-f', file], '', env())).toEqual({ stdout: '', stderr: '', code: 0 });
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm3\ndata:\n  a: "2"\n');
    const changed = await sb.run(['diff', '-f', file], '', env());
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain('\n-  a: "1"\n+  a: "2"\n');
    // diff merges without writing the last-applied annotation, so it shows no change of it
    expect(changed.stdout).not.toContain('last-applied-configuration');
  });

  it('masks Secret values', async () => {
    await sb.run(['create', 'secret', 'generic', 's1', '--from-literal=p=one', '--from-literal=q=same']);
    const file = join(sb.cwd, 's1.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s1\ndata:\n  p: dHdv\n  q: c2FtZQ==\n');
    const r = await sb.run(['diff', '-f', file], '', env());
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('\n-  p: \'*** (before)\'\n+  p: \'*** (after)\'\n   q: \'***\'\n');
    expect(r.stdout).not.toMatch(/^[-+ ] {2}[pq]: (?!'\*\*\*)/m);
    expect(r.stdout).not.toContain('dHdv');
  });

  it('runs KUBECTL_EXTERNAL_DIFF with its plain arguments after the two directories', async () => {
    const r = await sb.run(['diff', '-f', join(sb.cwd, 'cm3.yaml')], '', env({ KUBECTL_EXTERNAL_DIFF: 'ls -1 $HOME' }));
    expect(r.code).toBe(0);
    expect(mask(r.stdout)).toBe('/tmp/LIVE-X:\nv1.ConfigMap.default.cm3\n\n/tmp/MERGED-X:\nv1.ConfigMap.default.cm3\n');
  });

  it('shows what --prune would delete on the LIVE side only', async () => {
    const two = join(sb.cwd, 'two.yaml');
    const one = join(sb.cwd, 'one.yaml');
    writeFileSync(two, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keep\n  labels: {app: x}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gone\n  labels: {app: x}\n');
    writeFileSync(one, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keep\n  labels: {app: x}\n');
    await sb.run(['apply', '-f', two]);
    const r = await sb.run(['diff', '-f', one, '--prune', '-l', 'app=x'], '', env());
    expect(r.code).toBe(1);
    expect(mask(r.stdout).split('\n').slice(0, 4)).toEqual([
      'diff -u -N /tmp/LIVE-X/v1.ConfigMap.default.gone /tmp/MERGED-X/v1.ConfigMap.default.gone',
      '--- /tmp/LIVE-X/v1.ConfigMap.default.gone',
      '+++ /tmp/MERGED-X/v1.ConfigMap.default.gone',
      '@@ -1,13 +0,0 @@',
    ]);
    expect(r.stderr).toMatch(/^W\d{4} [\d:.]+ +\d+ prune\.go:71\] Deprecated: kubectl apply will no longer prune non-namespaced resources by default/);
    expect(await sb.run(['diff', '-f', one, '--prune', '--prune-allowlist=core/v1/Secret'], '', env())).toEqual({ stdout: '', stderr: '', code: 0 });
    expect((await sb.run(['diff', '-f', one, '--prune', '--prune-allowlist=v1/Secret'], '', env())).stderr).toBe(
      'error: invalid GroupVersionKind format: v1/Secret, please follow <group/version/kind>\n',
    );
  });

  it('exits 2 on errors', async () => {
    expect(await sb.run(['diff'], '', env())).toEqual({ stdout: '', stderr: 'error: must specify one of -f and -k\n', code: 2 });
    expect(await sb.run(['diff', 'x', '-f', 'y'], '', env())).toEqual({ stdout: '', stderr: "error: Unexpected args: [x]\nSee 'kubectl diff -h' for help and examples\n", code: 2 });
    expect(await sb.run(['diff', '-f', 'nope.yaml'], '', env())).toEqual({ stdout: '', stderr: 'error: the path "nope.yaml" does not exist\n', code: 2 });
    // kubectl 1.32 has no --show-secrets (it came in 1.33)
    expect(await sb.run(['diff', '--show-secrets', '-f', 'x'], '', env())).toEqual({ stdout: '', stderr: "error: unknown flag: --show-secrets\nSee 'kubectl diff -h' for help and examples\n", code: 2 });
    expect(await sb.run(['diff', '--force-conflicts', '-f', 'x'], '', env())).toEqual({ stdout: '', stderr: 'error: --force-conflicts only works with --server-side\n', code: 2 });
    expect((await sb.run(['diff', '-f', join(sb.cwd, 'cm3.yaml'), '-l', 'a b'], '', env())).stderr).toBe(
      'error: the provided selector "a b" is not valid: unable to parse requirement: found \'b\', expected: in, notin, =, ==, !=, gt, lt\n',
    );
    // -l keeps only the file's objects with matching labels
    expect(await sb.run(['diff', '-f', join(sb.cwd, 'cm3.yaml'), '-l', 'app=none'], '', env())).toEqual({ stdout: '', stderr: '', code: 0 });
    // the server's errors too (here the dry-run create in a namespace that does not exist)
    expect(await sb.run(['diff', '-f', join(sb.cwd, 'cm3.yaml'), '-n', 'nowhere'], '', env())).toEqual({ stdout: '', stderr: 'Error from server (NotFound): namespaces "nowhere" not found\n', code: 2 });
  });
});

describe('kubectl replace', () => {
  it('replaces, reports a missing object with its file, and --force deletes and creates', async () => {
    const file = join(sb.cwd, 'cm4.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm4\ndata:\n  a: "1"\n');
    expect(await sb.run(['replace', '-f', file])).toEqual({ stdout: '', stderr: `Error from server (NotFound): error when replacing "${file}": configmaps "cm4" not found\n`, code: 1 });
    await sb.run(['create', '-f', file]);
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm4\ndata:\n  a: "2"\n');
    expect(await sb.run(['replace', '-f', file])).toEqual({ stdout: 'configmap/cm4 replaced\n', stderr: '', code: 0 });
    const uid = (await sb.run(['get', 'cm', 'cm4', '-o', 'jsonpath={.metadata.uid}'])).stdout;
    expect(await sb.run(['replace', '--force', '-f', file])).toEqual({ stdout: 'configmap "cm4" deleted\nconfigmap/cm4 replaced\n', stderr: '', code: 0 });
    expect((await sb.run(['get', 'cm', 'cm4', '-o', 'jsonpath={.metadata.uid}'])).stdout).not.toBe(uid);
  });

  it('waits for a pod to go with --force', async () => {
    const yaml = (await sb.run(['get', 'pod', 'web', '-o', 'yaml'])).stdout;
    const file = join(sb.cwd, 'web.yaml');
    writeFileSync(file, yaml.replace('image: nginx:1.25', 'image: nginx:1.26'));
    const r = await sb.run(['replace', '--force', '-f', file]);
    expect(r).toEqual({ stdout: 'pod "web" deleted\npod/web replaced\n', stderr: '', code: 0 });
    expect((await sb.run(['get', 'pod', 'web', '-o', 'jsonpath={.spec.containers[0].image}'])).stdout).toBe('nginx:1.26');
  });

  it('gives kubectl\'s flag errors', async () => {
    expect((await sb.run(['replace'])).stderr).toBe('error: must specify one of -f and -k\n');
    expect((await sb.run(['replace', '--grace-period=3', '-f', 'x.yaml'])).stderr).toBe('error: --grace-period must have --force specified\n');
    expect((await sb.run(['replace', '--timeout=3s', '-f', 'x.yaml'])).stderr).toBe('error: --timeout must have --force specified\n');
    expect((await sb.run(['replace', '--force', '--dry-run=client', '-f', 'x.yaml'])).stderr).toBe('error: --dry-run can not be used when --force is set\n');
    // 1.32's replace has no --record; edit still takes it, deprecated
    expect((await sb.run(['replace', '--record', '-f', 'x.yaml'])).stderr).toBe("error: unknown flag: --record\nSee 'kubectl replace --help' for usage.\n");
    expect((await sb.run(['edit', '--record', '-f', 'nope.yaml'])).stderr).toBe('Flag --record has been deprecated, --record will be removed in the future\nerror: the path "nope.yaml" does not exist\n');
  });
});

it('leaves no temp directories behind', () => {
  expect(readdirSync(tmp).filter((f) => /^(LIVE|MERGED)-/.test(f))).toEqual([]);
  expect(existsSync(tmp)).toBe(true);
});

describe('editor and header helpers', () => {
  it('picks the editor as kubectl does: KUBE_EDITOR, EDITOR, vi; split on spaces, a shell for quotes', async () => {
    const { editorFromEnv } = await import('../src/cli/editor.js');
    expect(editorFromEnv({})).toEqual({ args: ['vi'], shell: false });
    expect(editorFromEnv({ EDITOR: 'nano', KUBE_EDITOR: '' })).toEqual({ args: ['nano'], shell: false });
    expect(editorFromEnv({ EDITOR: 'nano', KUBE_EDITOR: 'code --wait' })).toEqual({ args: ['code', '--wait'], shell: false });
    expect(editorFromEnv({ EDITOR: "sed -i 's/a/b/'" })).toEqual({ args: ['/bin/bash', '-c', "sed -i 's/a/b/'"], shell: true });
    expect(editorFromEnv({ EDITOR: 'a\\ b', SHELL: '/bin/zsh' })).toEqual({ args: ['/bin/zsh', '-c', 'a\\ b'], shell: true });
  });

  it('comments every line of a multi-line cause', async () => {
    const { editHeader, hashOnLineBreak } = await import('../src/printers/edit-header.js');
    expect(hashOnLineBreak('a\nb\n#c')).toBe('a\n# b\n#c');
    expect(editHeader([{ head: 'x "y" was not valid', other: ['spec: bad\n  detail'] }, { head: 'The edited file had a syntax error: e', other: [] }])).toBe(
      [
        "# Please edit the object below. Lines beginning with a '#' will be ignored,",
        '# and an empty file will abort the edit. If an error occurs while saving this file will be',
        '# reopened with the relevant failures.',
        '#',
        '# x "y" was not valid:',
        '# * spec: bad',
        '#   detail',
        '#',
        '# The edited file had a syntax error: e',
        '#',
        '',
      ].join('\n'),
    );
  });
});
