// Help comes from the same declarations the parser uses: every command's --help exits 0 and lists
// exactly the flags its parser accepts, each with a description; the top-level help has kubectl
// 1.32's groups; kubectl commands kubesim lacks say so; global flags work before and after the verb.
import { afterAll, describe, expect, it } from 'vitest';
import { loadVerb } from '../src/cli/dispatch.js';
import { GLOBAL_FLAGS, HelpRequested, parseFlags, type FlagSpec } from '../src/cli/flags.js';
import { documentFlags, isSimulated } from '../src/cli/help/entry.js';
import { COMMANDS, GROUPS, KUBESIM_COMMANDS, type CommandDoc } from '../src/cli/help/tree.js';
import type { IO } from '../src/cli/io.js';
import { main } from '../src/main.js';
import { Sandbox } from './harness.js';

const sb = new Sandbox();
afterAll(() => sb.dispose());

const quiet: IO = { stdout: { write: () => {} }, stderr: { write: () => {} }, readStdin: async () => '', env: { KUBESIM_HOME: sb.home }, cwd: sb.home, wallNow: () => 0 };

/** The flags a command's parser declares, asked of the verb itself. */
async function declared(doc: CommandDoc): Promise<FlagSpec[] | undefined> {
  const words = doc.path.split(' ');
  const load = loadVerb(words[0]);
  if (!load) return undefined;
  try {
    await (await load()).default([...words.slice(1), '--help'], quiet);
  } catch (e) {
    if (e instanceof HelpRequested) return e.specs;
    throw e;
  }
  return undefined;
}

/** `--name` of each `Options:` entry of a help text. */
function listedFlags(help: string): string[] {
  const opts = help.split('\nOptions:\n')[1]?.split('\nUsage:\n')[0] ?? '';
  return [...opts.matchAll(/^ {4}(?:-\S, )?--([a-z0-9-]+)=/gm)].map((m) => m[1]);
}

const handled = (verb: string) => loadVerb(verb) !== undefined;
const simulated = [...COMMANDS.filter((c) => isSimulated(c, handled)), ...KUBESIM_COMMANDS];

describe('every command --help', () => {
  it.each(simulated.map((c) => [c.path, c] as const))('%s --help lists exactly the flags its parser accepts', async (path, doc) => {
    const r = await sb.run([...path.split(' '), '--help']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    if (path !== 'replay') expect(r.stdout).toContain(`Usage:\n  ${doc.usage}\n`);
    if (doc.group || path === 'replay') return;
    const specs = await declared(doc);
    expect(specs, `${path} parses its flags with parseFlags`).toBeDefined();
    const { missing } = documentFlags(doc.path, specs!);
    expect(missing, `${path}: flags without a description (describe them in src/cli/help/flag-docs.ts)`).toEqual([]);
    const visible = [...new Set(specs!.filter((s) => !s.hidden && !s.deprecated).map((s) => s.name))].sort();
    expect(listedFlags(r.stdout)).toEqual(visible);
    // and each listed flag is one the parser takes
    for (const name of listedFlags(r.stdout)) {
      const spec = specs!.find((s) => s.name === name)!;
      const value = spec.type === 'bool' ? 'true' : spec.type === 'int' ? '1' : spec.type === 'duration' ? '1s' : 'x';
      expect(parseFlags([`--${name}=${value}`], specs!, path).changed.has(name)).toBe(true);
    }
  });

  it('a group command without its subcommand prints its help where kubectl 1.32 does', async () => {
    for (const [argv, where, code] of [[['auth'], 'stderr', 1], [['set'], 'stderr', 1], [['config'], 'stderr', 1], [['create', 'secret'], 'stderr', 1], [['top'], 'stderr', 1], [['rollout'], 'stdout', 1], [['certificate'], 'stdout', 0]] as const) {
      const r = await sb.run([...argv]);
      const help = (await sb.run([...argv, '--help'])).stdout;
      expect(r[where], argv.join(' ')).toBe(help);
      expect(r.code, argv.join(' ')).toBe(code);
    }
  });

  it('a flag value that reads like a subcommand is not one (cobra strips flags first)', async () => {
    const r = await sb.run(['create', '-f', 'secret']);
    expect(r.stderr).not.toContain('Available Commands');
    expect(r.code).toBe(1);
  });

  it('-h, help VERB and --help print the same text', async () => {
    const a = await sb.run(['get', '--help']);
    expect((await sb.run(['get', '-h'])).stdout).toBe(a.stdout);
    expect((await sb.run(['help', 'get'])).stdout).toBe(a.stdout);
    expect((await sb.run(['-n', 'x', 'get', 'pods', '--help'])).stdout).toBe(a.stdout);
    const b = await sb.run(['rollout', 'status', '--help']);
    expect((await sb.run(['help', 'rollout', 'status'])).stdout).toBe(b.stdout);
    expect((await sb.run(['create', 'deploy', '-h'])).stdout).toBe((await sb.run(['create', 'deployment', '--help'])).stdout);
  });

  it('renders options as kubectl does (shorthand, quoted strings, bools, lists, durations, tab-indented text)', async () => {
    const r = await sb.run(['get', '--help']);
    expect(r.stdout).toMatch(/^ {4}-A, --all-namespaces=false:\n\t\S.*\n\n/m);
    expect(r.stdout).toContain("    -o, --output='':\n\t");
    expect(r.stdout).toContain('    -f, --filename=[]:\n\t');
    expect(r.stdout).toContain('    --chunk-size=500:\n\t');
    expect(r.stdout.endsWith('\nUsage:\n  kubectl get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]\n\nUse "kubectl options" for a list of global command-line options (applies to all commands).\n')).toBe(true);
    const w = await sb.run(['wait', '--help']);
    expect(w.stdout).toContain('    --timeout=30s:\n');
    const d = await sb.run(['create', 'deployment', '--help']);
    expect(d.stdout).toContain('\n\nAliases:\ndeployment, deploy\n\nExamples:\n');
    const ro = await sb.run(['rollout', '--help']);
    expect(ro.stdout).toContain('Available Commands:\n  history       ');
    expect(ro.stdout).toContain('Use "kubectl rollout <command> --help" for more information about a given command.\n');
  });
});

describe('top-level help', () => {
  // kubectl 1.32's `kubectl --help`: groups and their commands, in order
  const KUBECTL_132 =
    'Basic Commands (Beginner): create expose run set|Basic Commands (Intermediate): explain get edit delete|Deploy Commands: rollout scale autoscale|' +
    'Cluster Management Commands: certificate cluster-info top cordon uncordon drain taint|' +
    'Troubleshooting and Debugging Commands: describe logs attach exec port-forward proxy cp auth debug events|' +
    'Advanced Commands: diff apply patch replace wait kustomize|Settings Commands: label annotate completion|' +
    'Subcommands provided by plugins: |Other Commands: api-resources api-versions config plugin version';

  it.each([[[]], [['--help']], [['help']], [['-h']]])('kubectl %j lists every command in its group', async (argv) => {
    const r = await sb.run(argv);
    expect(r.code).toBe(0);
    const groups = r.stdout.split('\n\n').filter((b) => /^[A-Z][^\n]*:\n?/.test(b) && !b.startsWith('Usage:'));
    const shape = groups.map((b) => {
      const [title, ...lines] = b.split('\n');
      return `${title} ${lines.map((l) => l.trim().split(/\s+/)[0]).join(' ')}`;
    });
    expect(shape.join('|')).toBe(KUBECTL_132);
    expect(r.stdout).toContain('\nUsage:\n  kubectl [flags] [options]\n\nUse "kubectl <command> --help" for more information about a given command.\nUse "kubectl options" for a list of global command-line options (applies to all commands).\n');
    expect(GROUPS.flatMap(([, c]) => c).every((c) => r.stdout.includes(`\n  ${c} `))).toBe(true);
  });

  it('kubesim --help adds its own commands', async () => {
    let out = '';
    const io: IO = { ...quiet, stdout: { write: (s) => void (out += s) }, program: 'kubesim' };
    expect(await main(['--help'], io)).toBe(0);
    expect(out).toContain('Simulation Commands (kubesim):\n  clock ');
    for (const c of KUBESIM_COMMANDS) expect(out).toContain(`\n  ${c.path} `);
    expect(out).toContain('Usage:\n  kubesim [flags] [options]\n');
  });

  it('help with an unknown topic prints the command list on stderr, as cobra does', async () => {
    const r = await sb.run(['help', 'foo']);
    expect([r.stdout, r.code]).toEqual(['', 0]);
    expect(r.stderr.startsWith('Unknown help topic [`foo`]\n\n\nBasic Commands (Beginner):\n  create ')).toBe(true);
    // kubectl's options command prints nothing for --help
    expect(await sb.run(['options', '--help'])).toEqual({ stdout: '', stderr: '', code: 0 });
  });

  it('kubectl options lists every global flag', async () => {
    const r = await sb.run(['options']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('The following options can be passed to any command:\n\n')).toBe(true);
    const listed = [...r.stdout.matchAll(/^ {4}(?:-\S, )?--([a-z0-9-]+)=/gm)].map((m) => m[1]);
    expect(listed).toEqual(GLOBAL_FLAGS.map((f) => f.name).sort());
    expect(r.stdout).toContain("    -n, --namespace='':\n\t");
    expect(r.stdout).toContain('    -v, --v=0:\n\t');
    expect(r.stdout).toContain('    --log-flush-frequency=5s:\n\t');
    expect(r.stdout).toContain(`    --cache-dir='${sb.home}/.kube/cache':\n\t`);
  });
});

describe('commands kubesim does not simulate', () => {
  const leaves = COMMANDS.filter((c) => !isSimulated(c, handled) && !c.group && c.path !== 'options');
  it.each(leaves.map((c) => [c.path]))('kubectl %s answers that it is not supported', async (path) => {
    const r = await sb.run([...path.split(' '), 'x']);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`error: "kubectl ${path}" is not supported by kubesim (simulated cluster)\n`);
    expect(r.code).toBe(1);
    const h = await sb.run([...path.split(' '), '--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('does not simulate');
  });

  it('an alias names the command it stands for; an unknown command stays unknown', async () => {
    expect((await sb.run(['create', 'pdb', 'x'])).stderr).toBe('error: "kubectl create poddisruptionbudget" is not supported by kubesim (simulated cluster)\n');
    const r = await sb.run(['wiat']);
    expect(r.stderr).toContain('Error: unknown command "wiat" for "kubectl"');
    expect(r.stderr).toContain('\twait\n');
  });
});

describe('global flags anywhere', () => {
  // Parsed from the one declaration wherever they stand; these only check that each is accepted
  // (the effects of -v, --as and --request-timeout are tested in client-effects.test.ts).
  it.each([
    [['--as', 'minikube-user', '--as-group', 'system:masters', 'get', 'pods']],
    [['get', 'pods', '--as', 'minikube-user', '--as-group=system:masters']],
    [['--as=admin', '--as-group=system:masters', '--as-uid', 'u-1', 'get', 'pods']],
    [['-v', '6', 'get', 'pods']],
    [['-v=6', 'get', 'pods']],
    [['--request-timeout', '5s', 'get', 'pods', '--insecure-skip-tls-verify']],
    [['--cache-dir', '/tmp/c', '--match-server-version', 'get', 'pods', '--warnings-as-errors']],
    [['--token', 't', '--username', 'u', '--password', 'p', 'get', 'pods']],
    [['--tls-server-name', 'x', '--disable-compression', '--log-flush-frequency', '1s', 'get', 'pods']],
    [['--user', 'minikube', '--cluster', 'minikube', '--context', 'minikube', 'get', 'pods']],
    [['--certificate-authority', 'ca', '--client-certificate', 'c', '--client-key', 'k', 'get', 'pods']],
    [['--profile', 'none', '--profile-output', 'p.out', '--vmodule', 'x=2', 'get', 'pods']],
  ])('kubectl %j is accepted', async (argv) => {
    const r = await sb.run(argv);
    // -v 6 logs its request lines first
    expect(r.stderr.replace(/^I\d{4} .*\n/gm, '')).toBe('No resources found in default namespace.\n');
    expect(r.code).toBe(0);
  });

  it('flags before the command word follow cobra (kubectl 1.32\'s texts)', async () => {
    expect(await sb.run(['--version'])).toEqual({ stdout: '', stderr: "error: unknown flag: --version\nSee 'kubectl --help' for usage.\n", code: 1 });
    expect(await sb.run(['-n'])).toEqual({ stdout: '', stderr: "error: flag needs an argument: 'n' in -n\nSee 'kubectl --help' for usage.\n", code: 1 });
    // an unknown flag takes the next word as its value, so kubectl looks for a plugin
    expect(await sb.run(['--foo', 'get', 'pods'])).toEqual({ stdout: '', stderr: 'Error: flags cannot be placed before plugin name: --foo\n', code: 1 });
    expect(await sb.run(['--foo=1', 'get', 'pods'])).toEqual({ stdout: '', stderr: "error: unknown flag: --foo\nSee 'kubectl get --help' for usage.\n", code: 1 });
    const root = await sb.run(['-n', 'default']);
    expect([root.code, root.stdout.startsWith('kubectl controls the Kubernetes cluster manager.\n')]).toEqual([0, true]);
  });

  it('a global flag with its value before a subcommand', async () => {
    const r = await sb.run(['config', '--kubeconfig', `${sb.home}/kubeconfig`, 'current-context']);
    expect([r.stdout, r.code]).toEqual(['minikube\n', 0]);
  });

  it('-n before the verb picks the namespace', async () => {
    const r = await sb.run(['-n', 'kube-system', 'get', 'deployments']);
    expect(r.stdout).toContain('coredns');
  });
});

describe('cluster-info and auth', () => {
  it('cluster-info lists the control plane and CoreDNS', async () => {
    const r = await sb.run(['cluster-info']);
    expect(r.stdout).toBe(
      'Kubernetes control plane is running at https://192.168.49.2:8443\n' +
        'CoreDNS is running at https://192.168.49.2:8443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n' +
        "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n",
    );
    expect((await sb.run(['cluster-info', 'dump'])).stderr).toBe('error: "kubectl cluster-info dump" is not supported by kubesim (simulated cluster)\n');
  });

  it('auth can-i says yes, with kubectl\'s argument errors', async () => {
    expect((await sb.run(['auth', 'can-i', 'create', 'pods'])).stdout).toBe('yes\n');
    expect((await sb.run(['auth', 'can-i', 'delete', 'deployments/web', '-A'])).stdout).toBe('yes\n');
    expect((await sb.run(['auth', 'can-i', 'get', '/healthz'])).stdout).toBe('yes\n');
    const q = await sb.run(['auth', 'can-i', 'get', 'pods', '-q']);
    expect([q.stdout, q.code]).toEqual(['', 0]);
    const e = await sb.run(['auth', 'can-i', 'get']);
    expect(e.stderr).toBe("error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.\n");
    expect(e.code).toBe(1);
  });

  it('auth can-i --list prints the admin\'s rules in kubectl\'s order', async () => {
    const r = await sb.run(['auth', 'can-i', '--list']);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'Resources                                       Non-Resource URLs   Resource Names   Verbs',
      '*.*                                             []                  []               [*]',
      '                                                [*]                 []               [*]',
      'selfsubjectreviews.authentication.k8s.io        []                  []               [create]',
    ]);
    expect(lines).toHaveLength(23);
    expect((await sb.run(['auth', 'can-i', '--list', 'pods'])).stderr).toBe('error: list option must be specified with no arguments\n');
  });

  it('auth whoami names the admin user', async () => {
    const r = await sb.run(['auth', 'whoami']);
    expect(r.stdout).toBe('ATTRIBUTE   VALUE\nUsername    minikube-user\nGroups      [system:masters system:authenticated]\n');
  });
});
