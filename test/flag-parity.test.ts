// Flag parity with kubectl 1.32: every command kubesim simulates lists in its --help exactly the
// flags the real kubectl 1.32 has — name, shorthand and default as pflag prints them. The reference
// is test/fixtures/kubectl-1.32-flags.json, written by test/fixtures/gen-kubectl-flags.sh from the
// real binary (run by hand; the tests never need kubectl).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadVerb } from '../src/cli/dispatch.js';
import { isSimulated } from '../src/cli/help/entry.js';
import { COMMANDS } from '../src/cli/help/tree.js';
import { parseFlags } from '../src/cli/flags.js';
import { Sandbox } from './harness.js';

const KUBECTL: Record<string, string[]> = JSON.parse(readFileSync(new URL('./fixtures/kubectl-1.32-flags.json', import.meta.url), 'utf8'));

const sb = new Sandbox();
afterAll(() => sb.dispose());

/** The `-x, --name=default` lines of a help text's `Options:` section, descriptions left out. */
function flagLines(help: string): string[] {
  const opts = help.split('\nOptions:\n')[1]?.split('\nUsage:\n')[0] ?? '';
  return opts
    .split('\n')
    .filter((l) => /^ {4}-/.test(l))
    .map((l) => l.slice(4).replace(/:$/, ''));
}

const handled = (verb: string) => loadVerb(verb) !== undefined;
const simulated = COMMANDS.filter((c) => !c.group && isSimulated(c, handled));

describe('flags match kubectl 1.32', () => {
  it('the reference covers every simulated command', () => {
    expect(simulated.length).toBeGreaterThan(40);
    for (const c of simulated) expect(KUBECTL[c.path], `${c.path} is missing from kubectl-1.32-flags.json (rerun the script)`).toBeDefined();
  });

  it.each(simulated.map((c) => [c.path] as const))('%s --help lists kubectl 1.32\'s flags with their defaults', async (path) => {
    const r = await sb.run([...path.split(' '), '--help']);
    expect(r.code).toBe(0);
    expect(flagLines(r.stdout)).toEqual(KUBECTL[path]);
  });

  it('kubectl options lists the global flags kubectl 1.32 has', async () => {
    const r = await sb.run(['options'], '', { HOME: '/nonexistent' });
    const lines = r.stdout.split('\n').filter((l) => /^ {4}-/.test(l)).map((l) => l.slice(4).replace(/:$/, ''));
    expect(lines).toEqual(KUBECTL.options);
  });

  it('help lines are kept in the reference format', () => {
    for (const [path, lines] of Object.entries(KUBECTL)) {
      for (const l of lines) expect(l, path).toMatch(/^(-\S, )?--[a-z0-9-]+=/);
    }
  });
});

describe('what the flags kubectl 1.32 has do', () => {
  const b = new Sandbox();
  afterAll(() => b.dispose());

  it('flags kubectl 1.32 no longer has are unknown', async () => {
    for (const [argv, flag] of [
      [['run', 'x', '--image=nginx', '--generator=run-pod/v1'], '--generator'],
      [['run', 'x', '--image=nginx', '--serviceaccount=sa'], '--serviceaccount'],
      [['version', '--short'], '--short'],
      [['drain', 'minikube', '--delete-local-data'], '--delete-local-data'],
      [['expose', 'pod', 'x', '--port=80', '--bogus'], '--bogus'],
    ] as const) {
      const r = await b.run([...argv]);
      expect(r.stderr, argv.join(' ')).toBe(`error: unknown flag: ${flag}\nSee 'kubectl ${argv[0]} --help' for usage.\n`);
      expect(r.code).toBe(1);
    }
    const sa = await b.run(['set', 'serviceaccount', 'deployment', 'web', 'sa', '-l', 'app=web']);
    expect(sa.stderr).toBe("error: unknown shorthand flag: 'l' in -l\nSee 'kubectl set serviceaccount --help' for usage.\n");
  });

  it('taint prints as -o asks and leaves the node alone with --dry-run=client', async () => {
    const node = (await b.run(['get', 'nodes', '-o', 'name'])).stdout.trim().split('\n')[0].replace('node/', '');
    const dry = await b.run(['taint', 'nodes', node, 'dedicated=gpu:NoSchedule', '--dry-run=client']);
    expect(dry.stdout).toBe(`node/${node} tainted (dry run)\n`);
    expect((await b.run(['get', 'node', node, '-o', 'jsonpath={.spec.taints}'])).stdout).toBe('');
    const named = await b.run(['taint', 'nodes', node, 'dedicated=gpu:NoSchedule', '-o', 'name']);
    expect(named.stdout).toBe(`node/${node}\n`);
    const json = await b.run(['taint', 'nodes', node, 'dedicated-', '-o', 'jsonpath={.kind}']);
    expect(json.stdout).toBe('Node');
    expect((await b.run(['taint', 'nodes', node, 'a=b:NoSchedule', '--validate=maybe'])).stderr).toBe('error: invalid - validate option "maybe"; must be one of: strict (or true), warn, ignore (or false)\n');
  });

  it('taint takes several nodes, --all or -l, with kubectl\'s checks', async () => {
    const nodes = (await b.run(['get', 'nodes', '-o', 'name'])).stdout.trim().split('\n');
    const all = await b.run(['taint', 'nodes', '--all', 'zone=a:PreferNoSchedule']);
    expect(all.stdout).toBe(nodes.map((n) => `${n} tainted\n`).join(''));
    const sel = await b.run(['taint', 'nodes', '-l', 'kubernetes.io/os=linux', 'zone-']);
    expect(sel.stdout).toBe(nodes.map((n) => `${n} untainted\n`).join(''));
    const cases: [string[], string][] = [
      [['taint', 'nodes', 'a=b:NoSchedule'], "error: at least one resource name must be specified since 'all' parameter is not set\n"],
      [['taint', 'nodes', '--all', '-l', 'x=y', 'a=b:NoSchedule'], "error: setting 'all' parameter with a non empty selector is prohibited\n"],
      [['taint', 'nodes', 'n1', 'a=b:NoSchedule', 'n2'], 'error: all resources must be specified before taint changes: n2\n'],
      [['taint', 'nodes', 'n1', 'a=b:NoSchedule', 'a:NoSchedule-'], 'error: can not both modify and remove the following taint(s) in the same command: a=NoSchedule\n'],
      [['taint', 'nodes', 'n1'], 'error: at least one taint update is required\n'],
    ];
    for (const [argv, text] of cases) expect((await b.run(argv)).stderr, argv.join(' ')).toBe(text);
  });

  it('create configmap|secret --append-hash suffix the name as kubectl does', async () => {
    // the names kubectl 1.32 prints for the same commands
    for (const [argv, name] of [
      [['create', 'configmap', 'x', '--from-literal=a=b', '--from-literal=c=<&>'], 'configmap/x-f4dh469hg5'],
      [['create', 'secret', 'generic', 's', '--from-literal=a=b'], 'secret/s-7fd2tm89d8'],
      [['create', 'configmap', 'e'], 'configmap/e-gmbcf66h4d'],
      [['create', 'secret', 'docker-registry', 'd', '--docker-username=u', '--docker-password=p'], 'secret/d-k85gk65kdh'],
    ] as const) {
      const r = await b.run([...argv, '--append-hash', '--dry-run=client', '-o', 'name']);
      expect(r.stdout, argv.join(' ')).toBe(`${name}\n`);
    }
  });

  it("logs checks its flags as kubectl's Validate does, and --max-log-requests", async () => {
    // (kubectl resolves the pod first, so these name one that exists)
    await b.run(['run', 'x', '--image=nginx']);
    const cases: [string[], string][] = [
      [['logs', 'x', 'c', '-c', 'd'], 'error: only one of -c or an inline [CONTAINER] arg is allowed\n'],
      [['logs', 'x', '-c', 'd', '--all-containers'], 'error: --all-containers=true should not be specified with container name d\n'],
      [['logs', 'x', '--since=-5s'], 'error: --since must be greater than 0\n'],
      [['logs', 'x', '--since=5s', '--since-time=2026-11-22T21:00:00Z'], 'error: at most one of `sinceTime` or `sinceSeconds` may be specified\n'],
    ];
    for (const [argv, text] of cases) expect((await b.run(argv)).stderr, argv.join(' ')).toBe(text);
    await b.run(['create', 'deployment', 'many', '--image=nginx', '--replicas=3']);
    await b.run(['clock', 'advance', '30s']);
    const r = await b.run(['logs', '-l', 'app=many', '-f', '--max-log-requests=2']);
    expect(r.stderr).toBe('error: you are attempting to follow 3 log streams, but maximum allowed concurrency is 2, use --max-log-requests to increase the limit\n');
    expect(r.code).toBe(1);
  });

  it('logs --since takes a duration, 0s (the default) meaning all', async () => {
    const r = await b.run(['logs', 'x', '--since=abc']);
    expect(r.stderr).toBe('error: invalid argument "abc" for "--since" flag: time: invalid duration "abc"\nSee \'kubectl logs --help\' for usage.\n');
    expect(r.code).toBe(1);
  });

  it('--record is deprecated but still writes the change-cause', async () => {
    await b.run(['run', 'rec', '--image=nginx', '--record', '-l', 'app=rec']);
    expect((await b.run(['get', 'pod', 'rec', '-o', "jsonpath={.metadata.annotations['kubernetes\\.io/change-cause']}"])).stdout).toBe('kubectl run rec --image=nginx --record=true --labels=app=rec');
    const e = await b.run(['expose', 'pod', 'rec', '--port=80', '--record']);
    expect(e.stderr).toBe('Flag --record has been deprecated, --record will be removed in the future\n');
    expect(e.stdout).toBe('service/rec exposed\n');
    expect((await b.run(['get', 'svc', 'rec', '-o', "jsonpath={.metadata.annotations['kubernetes\\.io/change-cause']}"])).stdout).toBe('kubectl expose pod rec --port=80 --record=true');
    const l = await b.run(['label', 'pod', 'rec', 'tier=web', '--record']);
    expect(l.stdout).toBe('pod/rec labeled\n');
    expect((await b.run(['get', 'pod', 'rec', '-o', "jsonpath={.metadata.annotations['kubernetes\\.io/change-cause']}"])).stdout).toBe('kubectl label pod rec tier=web --record=true');
  });

  it('run --override-type picks how --overrides applies', async () => {
    const base = ['run', 'o', '--image=nginx', '--dry-run=client', '-o', 'jsonpath={.spec.containers[*].name}'];
    const strategic = await b.run([...base, '--override-type=strategic', '--overrides={"spec":{"containers":[{"name":"side","image":"busybox"}]}}']);
    expect(strategic.stdout).toBe('o side');
    const merge = await b.run([...base, '--overrides={"spec":{"containers":[{"name":"side","image":"busybox"}]}}']);
    expect(merge.stdout).toBe('side');
    const json = await b.run([...base, '--override-type=json', '--overrides=[{"op":"replace","path":"/spec/containers/0/name","value":"renamed"}]']);
    expect(json.stdout).toBe('renamed');
    const bad = await b.run([...base, '--override-type=yaml', '--overrides={}']);
    expect(bad.stderr).toBe('error: invalid override type: yaml\n');
    expect((await b.run(['run', 'o', '--image=nginx', '--cascade=sideways'])).stderr).toBe('error: invalid cascade value (sideways). Must be "background", "foreground", or "orphan"\n');
  });

  it('expose --overrides changes the generated service', async () => {
    await b.run(['run', 'ov', '--image=nginx', '--port=80']);
    const r = await b.run(['expose', 'pod', 'ov', '--port=80', '--overrides={"spec":{"type":"NodePort"}}', '--dry-run=client', '-o', 'jsonpath={.spec.type}']);
    expect(r.stdout).toBe('NodePort');
    const s = await b.run(['expose', 'pod', 'ov', '--port=80', '--override-type=strategic', '--overrides={"metadata":{"labels":{"extra":"yes"}}}', '--dry-run=client', '-o', 'jsonpath={.metadata.labels}']);
    expect(JSON.parse(s.stdout)).toEqual({ extra: 'yes', run: 'ov' });
  });

  it('drain --dry-run lists what it would evict and changes nothing; --pod-selector narrows the pods', async () => {
    const d = new Sandbox();
    await d.run(['create', 'deployment', 'web', '--image=nginx', '--replicas=2']);
    await d.run(['create', 'deployment', 'db', '--image=nginx']);
    await d.run(['clock', 'advance', '30s']);
    const pods = (await d.run(['get', 'pods', '-l', 'app=web', '-o', 'name'])).stdout.trim().split('\n').map((n) => n.replace('pod/', 'default/'));
    const r = await d.run(['drain', 'minikube', '--dry-run=client', '--ignore-daemonsets', '--pod-selector=app=web']);
    expect(r.stdout).toBe(`node/minikube cordoned (dry run)\n${pods.map((x) => `evicting pod ${x} (dry run)\n`).join('')}node/minikube drained (dry run)\n`);
    expect((await d.run(['get', 'node', 'minikube', '-o', 'jsonpath={.spec.unschedulable}'])).stdout).toBe('');
    expect((await d.run(['drain', 'minikube', '--pod-selector=a in ('])).stderr).toBe('error: --pod-selector=<pod_selector> must be a valid label selector\n');
    d.dispose();
  });

  it('delete --interactive asks first and goes on only on y', async () => {
    await b.run(['run', 'del-me', '--image=nginx']);
    const no = await b.run(['delete', 'pod', 'del-me', '-i'], 'n\n');
    expect(no.stdout).toBe('You are about to delete the following 1 resource(s):\npod/del-me\nDo you want to continue? (y/n): deletion is cancelled\n');
    expect((await b.run(['get', 'pod', 'del-me', '-o', 'name'])).stdout).toBe('pod/del-me\n');
    const yes = await b.run(['delete', 'pod', 'del-me', '--interactive', '--wait=false'], 'y\n');
    expect(yes.stdout).toBe('You are about to delete the following 1 resource(s):\npod/del-me\nDo you want to continue? (y/n): pod "del-me" deleted\n');
    expect((await b.run(['delete', 'pods', '-l', 'none=here', '-i'])).stdout).toBe('No resources found\n');
  });

  it('run --rm -q deletes the pod without saying so (kubectl passes --quiet to its delete options)', async () => {
    const loud = await b.run(['run', 'rm1', '-i', '--rm', '--image=busybox', '--restart=Never', '--', 'echo', 'hi']);
    expect(loud.stdout).toBe('hi\npod "rm1" deleted\n');
    const quiet = await b.run(['run', 'rm2', '-i', '--rm', '-q', '--image=busybox', '--restart=Never', '--', 'echo', 'hi']);
    expect(quiet.stdout).toBe('hi\n');
    expect((await b.run(['get', 'pod', 'rm2'])).stderr).toBe('Error from server (NotFound): pods "rm2" not found\n');
  });

  it('create -f --edit creates what the editor saved, and cancels an unchanged object', async () => {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', TMPDIR: b.home };
    const cm = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ed' }, data: { k: 'bee' } });
    const r = await b.run(['create', '-f', '-', '--edit'], cm, { ...env, EDITOR: 'sed -i s/bee/cee/' });
    expect(r.stdout).toBe('configmap/ed created\n');
    expect((await b.run(['get', 'cm', 'ed', '-o', 'jsonpath={.data.k}'])).stdout).toBe('cee');
    const same = await b.run(['create', '-f', '-', '--edit'], cm.replace('"ed"', '"ed2"'), { ...env, EDITOR: 'true' });
    expect(same.stderr).toBe('Edit cancelled, no changes made.\n');
    expect(same.stdout).toBe('');
    expect((await b.run(['get', 'cm', 'ed2'])).code).toBe(1);
  });

  it('drain takes several nodes or -l: all cordoned first, then drained one by one, errors as kubectl aggregates them', async () => {
    const d = new Sandbox();
    await d.run(['clock', 'freeze']);
    await d.run(['cluster', 'create', '--nodes', '3']);
    await d.run(['run', 'a', '--image=nginx']);
    await d.run(['run', 'b', '--image=nginx']);
    await d.run(['clock', 'advance', '10s']);
    const both = await d.run(['drain', 'kind-worker', 'kind-worker2', '--ignore-daemonsets']);
    expect(both.stdout).toBe('node/kind-worker cordoned\nnode/kind-worker2 cordoned\n');
    const lines = both.stderr.trim().split('\n');
    // (kubectl prints no warnings for a node it refuses to drain)
    expect(lines.filter((l) => l.startsWith('error: unable to drain node'))).toEqual([
      'error: unable to drain node "kind-worker" due to error: cannot delete cannot delete Pods that declare no controller (use --force to override): default/a, continuing command...',
      'error: unable to drain node "kind-worker2" due to error: cannot delete cannot delete Pods that declare no controller (use --force to override): default/b, continuing command...',
    ]);
    expect(lines.slice(-5)).toEqual([
      'There are pending nodes to be drained:',
      ' kind-worker',
      ' kind-worker2',
      'cannot delete cannot delete Pods that declare no controller (use --force to override): default/a',
      'cannot delete cannot delete Pods that declare no controller (use --force to override): default/b',
    ]);
    expect(both.code).toBe(1);
    expect((await d.run(['drain', 'kind-worker', '-l', 'x=y'])).stderr).toBe("error: error: cannot specify both a node name and a --selector option\nSee 'kubectl drain -h' for help and examples\n");
    const sel = await d.run(['drain', '-l', 'kubernetes.io/hostname=kind-worker2', '--ignore-daemonsets', '--force']);
    expect(sel.stdout).toBe('node/kind-worker2 already cordoned\nevicting pod default/b\npod/b evicted\nnode/kind-worker2 drained\n');
    d.dispose();
  });

  it('apply --prune needs -l or --all and deletes what the files no longer hold', async () => {
    const cm = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { app: 'p' } }, data: { a: '1' } });
    const none = await b.run(['apply', '--prune', '-f', '-'], cm('one'));
    expect(none.stderr).toBe(
      'error: all resources selected for prune without explicitly passing --all. To prune all resources, pass the --all flag. If you did not mean to prune all resources, specify a label selector\n',
    );
    expect((await b.run(['apply', '-f', '-', '--subresource=status'], cm('one'))).stderr).toBe('error: --subresource can only be specified for --server-side\n');
    expect((await b.run(['apply', '-f', '-'], cm('one'))).stdout).toBe('configmap/one created\n');
    expect((await b.run(['apply', '-f', '-'], cm('two'))).stdout).toBe('configmap/two created\n');
    const pruned = await b.run(['apply', '--prune', '-l', 'app=p', '--prune-allowlist=core/v1/ConfigMap', '-f', '-'], cm('two'));
    expect(pruned.stdout).toBe('configmap/two unchanged\nconfigmap/one pruned\n');
    expect((await b.run(['get', 'cm', 'one'])).stderr).toBe('Error from server (NotFound): configmaps "one" not found\n');
  });

  it('config view has the print flags with yaml by default, and --merge is a bool', async () => {
    expect((await b.run(['config', 'view', '-o', 'jsonpath={.kind}'])).stdout).toBe('Config');
    expect((await b.run(['config', 'view', '--template={{.kind}}'])).stdout).toBe('Config');
    expect((await b.run(['config', 'view', '-o', 'name'])).stdout).toBe('config/<unknown>\n');
    // clientcmd's struct order and four spaces, as kubectl 1.32 printed this kubeconfig
    const json = (await b.run(['config', 'view', '-o', 'json', '--minify'])).stdout;
    expect(json.split('\n').slice(0, 9)).toEqual(['{', '    "kind": "Config",', '    "apiVersion": "v1",', '    "preferences": {},', '    "clusters": [', '        {', '            "name": "minikube",', '            "cluster": {', '                "server": "https://192.168.49.2:8443",']);
    expect(json.endsWith('    "current-context": "minikube"\n}\n')).toBe(true);
    expect((await b.run(['config', 'view', '--merge=x'])).stderr).toBe('error: invalid argument "x" for "--merge" flag: strconv.ParseBool: parsing "x": invalid syntax\nSee \'kubectl config view --help\' for usage.\n');
    expect((await b.run(['config', 'view', '-o', 'wide'])).stderr).toBe(
      'error: unable to match a printer suitable for the output format "wide", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n',
    );
  });

  it('config set-credentials sets an exec plugin and an auth provider; set-cluster a proxy', async () => {
    const set = await b.run(['config', 'set-credentials', 'plug', '--exec-command=aws', '--exec-api-version=client.authentication.k8s.io/v1', '--exec-arg=eks,get-token', '--exec-env=A=1', '--exec-env=B=2', '--auth-provider=oidc', '--auth-provider-arg=client-id=x']);
    expect(set.stdout).toBe('User "plug" set.\n');
    const user = JSON.parse((await b.run(['config', 'view', '-o', 'jsonpath={.users[?(@.name=="plug")].user}'])).stdout);
    expect(user.exec).toEqual({ command: 'aws', apiVersion: 'client.authentication.k8s.io/v1', args: ['eks', 'get-token'], env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] });
    expect(user['auth-provider']).toEqual({ name: 'oidc', config: { 'client-id': 'x' } });
    await b.run(['config', 'set-credentials', 'plug', '--exec-env=A-']);
    const after = JSON.parse((await b.run(['config', 'view', '-o', 'jsonpath={.users[?(@.name=="plug")].user.exec.env}'])).stdout);
    expect(after).toEqual([{ name: 'B', value: '2' }]);
    expect((await b.run(['config', 'set-credentials', 'plug', '--exec-interactive-mode=Sometimes'])).stderr).toBe('error: invalid interactive mode type, can be only IfAvailable, Never, Always\n');
    expect((await b.run(['config', 'set-credentials', 'plug', '--exec-env==x'])).stderr).toBe('error: invalid exec-env format: =x\n');
    expect((await b.run(['config', 'set-cluster', 'c1', '--proxy-url=http://proxy:3128'])).stdout).toBe('Cluster "c1" set.\n');
    expect((await b.run(['config', 'view', '-o', 'jsonpath={.clusters[?(@.name=="c1")].cluster.proxy-url}'])).stdout).toBe('http://proxy:3128');
  });

  it('duration flags are checked as pflag parses them, with Go\'s errors', async () => {
    for (const [argv, text] of [
      [['wait', 'pod/x', '--timeout=5'], 'error: invalid argument "5" for "--timeout" flag: time: missing unit in duration "5"\nSee \'kubectl wait --help\' for usage.\n'],
      [['delete', 'pod', 'x', '--timeout=1x'], 'error: invalid argument "1x" for "--timeout" flag: time: unknown unit "x" in duration "1x"\nSee \'kubectl delete --help\' for usage.\n'],
      [['scale', 'deploy/x', '--replicas=1', '--timeout=.s'], 'error: invalid argument ".s" for "--timeout" flag: time: invalid duration ".s"\nSee \'kubectl scale --help\' for usage.\n'],
      [['exec', 'x', '--pod-running-timeout=soon', '--', 'true'], 'error: invalid argument "soon" for "--pod-running-timeout" flag: time: invalid duration "soon"\nSee \'kubectl exec --help\' for usage.\n'],
    ] as const) {
      const r = await b.run([...argv]);
      expect(r.stderr, argv.join(' ')).toBe(text);
      expect(r.code).toBe(1);
    }
    expect((await b.run(['rollout', 'status', 'deploy/none', '--timeout=-1.5m'])).stderr).not.toContain('invalid argument');
  });

  it('config set-cluster and set-credentials keep paths and embed files as kubectl 1.32 writes them', async () => {
    const dir = b.cwd;
    writeFileSync(join(dir, 'ca.crt'), 'CA');
    const view = async (q: string) => (await b.run(['config', 'view', '--raw', '-o', `jsonpath=${q}`])).stdout;
    await b.run(['config', 'set-cluster', 'e1', '--server=https://a:6443', '--insecure-skip-tls-verify']);
    await b.run(['config', 'set-cluster', 'e1', '--certificate-authority=ca.crt']);
    expect(JSON.parse(await view('{.clusters[?(@.name=="e1")].cluster}'))).toEqual({ server: 'https://a:6443', 'certificate-authority': 'ca.crt' }); // written relative to the kubeconfig's directory, here the same
    await b.run(['config', 'set-cluster', 'e2', '--certificate-authority=ca.crt', '--embed-certs']);
    expect(JSON.parse(await view('{.clusters[?(@.name=="e2")].cluster}'))).toEqual({ server: '', 'certificate-authority-data': Buffer.from('CA').toString('base64') });
    const errs: [string[], string][] = [
      [['config', 'set-cluster', 'e3', '--embed-certs'], 'error: you must specify a --certificate-authority to embed\n'],
      [['config', 'set-cluster', 'e3', '--certificate-authority=no.crt', '--embed-certs'], 'error: could not stat certificate-authority file no.crt: stat no.crt: no such file or directory\n'],
      [['config', 'set-cluster', 'e3', '--insecure-skip-tls-verify', '--certificate-authority=ca.crt'], 'error: you cannot specify a certificate authority and insecure mode at the same time\n'],
      [['config', 'set-credentials', 'v1', '--token=t', '--username=a'], 'error: you cannot specify more than one authentication method at the same time: --token, --username/--password\n'],
      [['config', 'set-credentials', 'v1', '--embed-certs'], 'error: you must specify a --client-certificate or --client-key to embed\n'],
    ];
    for (const [argv, text] of errs) expect((await b.run(argv)).stderr, argv.join(' ')).toBe(text);
    await b.run(['config', 'set-credentials', 'v1', '--username=a', '--password=b']);
    await b.run(['config', 'set-credentials', 'v1', '--token=t']);
    expect(JSON.parse(await view('{.users[?(@.name=="v1")].user}'))).toEqual({ token: 't' });
  });

  it('config set of a -data field takes base64 (Go\'s errors), or the raw text with --set-raw-bytes', async () => {
    for (const [v, at] of [['abc', 0], ['ab!c', 2], ['YWJjZA', 4]] as const) {
      expect((await b.run(['config', 'set', 'users.w.client-key-data', v])).stderr).toBe(`error: error decoding input value: illegal base64 data at input byte ${at}\n`);
    }
    await b.run(['config', 'set', 'users.w.client-key-data', 'YW==']);
    await b.run(['config', 'set', 'users.w.client-certificate-data', 'hello world', '--set-raw-bytes']);
    const user = JSON.parse((await b.run(['config', 'view', '--raw', '-o', 'jsonpath={.users[?(@.name=="w")].user}'])).stdout);
    expect(user).toEqual({ 'client-key-data': 'YQ==', 'client-certificate-data': 'aGVsbG8gd29ybGQ=' });
  });

  it("a slice or array flag's first value replaces its default (pflag)", () => {
    const specs = [{ name: 'address', type: 'stringSlice' as const, default: ['localhost'] }];
    expect(parseFlags([], specs, 'x').flags.address).toEqual(['localhost']);
    expect(parseFlags(['--address=0.0.0.0', '--address', '::1'], specs, 'x').flags.address).toEqual(['0.0.0.0', '::1']);
  });
});
