// Shell completion: the hidden __complete command (candidates and cobra's directive line) and the
// bash script of `kubectl completion bash` driven through a real bash in a pseudo-terminal (tmux),
// with the `alias k=kubectl` set-up tutorials teach.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complete } from '../src/cli/complete.js';
import type { IO } from '../src/cli/io.js';
import { readState, segmentReads, storePaths, writeState } from '../src/store/file-store.js';
import { Sandbox } from './harness.js';

const sb = new Sandbox();
afterAll(() => sb.dispose());

async function tab(...words: string[]): Promise<{ lines: string[]; directive: string; stderr: string }> {
  const r = await sb.run(['__completeNoDesc', ...words]);
  const lines = r.stdout.trimEnd().split('\n');
  return { lines: lines.slice(0, -1), directive: lines[lines.length - 1], stderr: r.stderr };
}

beforeAll(async () => {
  await sb.run(['run', 'web', '--image=nginx']);
  await sb.run(['run', 'two', '--image=busybox', '--overrides={"spec":{"containers":[{"name":"two","image":"busybox"},{"name":"side","image":"nginx"}]}}']);
  await sb.run(['create', 'namespace', 'dev']);
  await sb.run(['create', 'deployment', 'api', '--image=nginx', '-n', 'dev']);
});

describe('__complete', () => {
  it('completes commands with descriptions, and the directive line', async () => {
    const r = await sb.run(['__complete', 'ro']);
    expect(r.stdout).toBe('rollout\tManage the rollout of deployments, daemon sets and stateful sets\n:4\n');
    expect(r.stderr).toBe('Completion ended with directive: ShellCompDirectiveNoFileComp\n');
    const all = await tab('');
    for (const c of ['annotate', 'api-resources', 'get', 'wait', 'help', 'certificate', 'version']) expect(all.lines).toContain(c);
  });

  it('completes subcommands, by name', async () => {
    expect((await tab('rollout', '')).lines).toEqual(['history', 'pause', 'restart', 'resume', 'status', 'undo']);
    expect((await tab('create', 'se')).lines).toEqual(['secret', 'service', 'serviceaccount']);
    expect((await tab('create', 'secret', '')).lines).toEqual(['docker-registry', 'generic', 'tls']);
    expect((await tab('config', 'use')).lines).toEqual(['use-context']);
    expect((await tab('help', 'rollout', 'st')).lines).toEqual(['status']);
    expect((await tab('help', 'cl')).lines).toEqual(['cluster-info']);
  });

  it('completes resource types, then names of existing objects', async () => {
    expect((await tab('get', 'po')).lines).toContain('pods');
    expect((await tab('get', 'dep')).lines).toEqual(['deployments.apps']);
    expect((await tab('get', 'pods', '')).lines).toEqual(['two', 'web']);
    expect((await tab('get', 'pods', 'w')).lines).toEqual(['web']);
    expect((await tab('describe', 'deploy', '-n', 'dev', '')).lines).toEqual(['api']);
    expect((await tab('get', 'pod/')).lines).toEqual(['pod/two', 'pod/web']);
    expect((await tab('-n', 'kube-system', 'get', 'deployments', '')).lines).toEqual(['coredns']);
    expect((await tab('get', 'deployments', '--namespace=kube-system', '')).lines).toEqual(['coredns']);
    expect((await tab('logs', '')).lines).toEqual(['two', 'web']);
    expect((await tab('rollout', 'status', '')).lines).toEqual(['deployments.apps', 'daemonsets.apps', 'statefulsets.apps']);
    expect((await tab('cordon', '')).lines).toEqual(['minikube']);
  });

  it('completes flags from the verb\'s own declaration, and flag values', async () => {
    expect((await tab('get', '--s')).lines).toEqual(['--server', '--selector', '--server-print', '--show-kind', '--show-labels', '--show-managed-fields', '--sort-by', '--subresource']);
    const shorts = (await tab('get', '-')).lines.filter((l) => !l.startsWith('--'));
    expect(shorts).toEqual(['-n', '-s', '-v', '-A', '-f', '-h', '-k', '-L', '-o', '-R', '-l', '-w']);
    expect((await tab('get', '-')).lines).toContain('-o');
    expect((await tab('get', '-')).lines).toContain('--as');
    expect((await tab('logs', '--fo')).lines).toEqual(['--follow']);
    expect((await tab('get', 'pods', '-n', '')).lines).toEqual(['default', 'dev', 'kube-node-lease', 'kube-public', 'kube-system']);
    expect((await tab('get', 'pods', '--namespace', 'd')).lines).toEqual(['default', 'dev']);
    expect((await tab('get', 'pods', '--namespace=d')).lines).toEqual(['--namespace=default', '--namespace=dev']);
    expect((await tab('get', 'pods', '-o=y')).lines).toEqual(['-o=yaml']);
    expect((await tab('logs', 'two', '-c', '')).lines).toEqual(['two', 'side']);
    expect((await tab('exec', 'two', '--container', 's')).lines).toEqual(['side']);
    expect((await tab('get', 'pods', '-o', 'j')).lines).toEqual(['json', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file']);
    expect((await tab('--context', '')).lines).toEqual(['minikube']);
    expect((await tab('completion', '')).lines).toEqual(['bash', 'zsh', 'fish', 'powershell']);
    expect((await tab('clock', '')).lines).toEqual(['advance', 'freeze', 'resume']);
    expect((await tab('cluster', 'create', '--n')).lines).toEqual(['--namespace', '--no-metrics', '--nodes']);
  });

  it('leaves file names to the shell where a file is expected', async () => {
    const r = await tab('apply', '-f', '');
    expect([r.lines, r.directive]).toEqual([[], ':0']);
    expect(r.stderr).toBe('Completion ended with directive: ShellCompDirectiveDefault\n');
    expect((await tab('exec', 'web', '--', '')).directive).toBe(':0');
  });

  it('reads only the pods\' brief copies with 1,000 pods in the store (its time is a bench row, not a test)', async () => {
    const paths = storePaths(sb.home);
    const state = readState(paths)!;
    const template = state.objects.pods['default/web'];
    for (let i = 0; i < 1000; i++) {
      const name = `load-${String(i).padStart(4, '0')}`;
      state.objects.pods[`default/${name}`] = { ...template, metadata: { ...template.metadata, name, uid: `uid-${i}` } };
    }
    writeState(paths, state);
    const io: IO = { stdout: { write: () => {} }, stderr: { write: () => {} }, readStdin: async () => '', env: { KUBESIM_HOME: sb.home, HOME: sb.home }, cwd: sb.home, wallNow: () => sb.wall };
    segmentReads.clear();
    const r = await complete(io, ['get', 'pods'], 'load-09');
    expect(r.candidates.filter((c) => c.value.startsWith('load-09'))).toHaveLength(100);
    // a bounded read: the names come from the brief copies, no pod is read whole
    expect(segmentReads.get('pods')).toBeUndefined();
    expect(segmentReads.get('@brief3.pods')).toBeGreaterThan(0);
  });
});

const root = resolve(__dirname, '..');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;

describe.skipIf(!hasTmux)('bash completion in a terminal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-bash-'));
  const sock = `kubesim-completion-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', sock, ...args], { encoding: 'utf8' });
  const promptLine = (screen: string) => screen.split('\n').filter((l) => l.trim()).pop() ?? '';

  beforeAll(async () => {
    // the terminal runs the bundle: build it when missing or older than the completion code
    const bundle = join(root, 'bin', 'dist', 'kubesim.cjs');
    const sources = ['src/cli/complete.ts', 'src/printers/completion-scripts.ts', 'src/cli/help/entry.ts'].map((f) => statSync(join(root, f)).mtimeMs);
    if (!existsSync(bundle) || statSync(bundle).mtimeMs < Math.max(...sources)) execFileSync(process.execPath, [join(root, 'src', 'tools', 'build.mjs')]);
    writeFileSync(
      join(dir, 'rc'),
      [
        "PS1='$ '",
        `export PATH=${join(root, 'bin')}:$PATH`,
        `export KUBESIM_HOME=${sb.home}`,
        'source <(kubectl completion bash)',
        'alias k=kubectl',
        'complete -o default -F __start_kubectl k',
        '',
      ].join('\n'),
    );
    tmux('new-session', '-d', '-x', '200', '-y', '50', `bash --noprofile --rcfile ${join(dir, 'rc')} -i`);
    // wait for the first prompt before typing
    for (let i = 0; i < 100 && promptLine(tmux('capture-pane', '-p', '-t', '0')) !== '$'; i++) await new Promise((r) => setTimeout(r, 100));
  });

  afterAll(() => {
    spawnSync('tmux', ['-L', sock, 'kill-server']);
    rmSync(dir, { recursive: true, force: true });
  });

  /** Types `keys` (Tab as \t), then waits until the prompt line reads `expected`. */
  async function typeAndRead(keys: string, expected: string): Promise<string> {
    tmux('send-keys', '-t', '0', 'C-u');
    for (const part of keys.split(/(\t)/)) if (part) tmux('send-keys', '-t', '0', ...(part === '\t' ? ['Tab'] : ['-l', part]));
    let line = '';
    for (let i = 0; i < 100; i++) {
      line = promptLine(tmux('capture-pane', '-p', '-t', '0'));
      if (line === expected) return line;
      await new Promise((r) => setTimeout(r, 100));
    }
    return line;
  }

  it('kubectl get po<Tab> completes the type, then the pod names', async () => {
    expect(await typeAndRead('kubectl get po\t', '$ kubectl get pods')).toBe('$ kubectl get pods');
    expect(await typeAndRead('kubectl get pods tw\t', '$ kubectl get pods two')).toBe('$ kubectl get pods two');
  }, 30_000);

  it('works through the alias k, for subcommands, namespaces and flags', async () => {
    expect(await typeAndRead('k rollout sta\t', '$ k rollout status')).toBe('$ k rollout status');
    expect(await typeAndRead('k get deploy -n kube-s\t', '$ k get deploy -n kube-system')).toBe('$ k get deploy -n kube-system');
    expect(await typeAndRead('k logs --follo\t', '$ k logs --follow')).toBe('$ k logs --follow');
    // bash breaks words at '=': only the value is replaced, with or without bash-completion
    expect(await typeAndRead('k get pods --namespace=kube-s\t', '$ k get pods --namespace=kube-system')).toBe('$ k get pods --namespace=kube-system');
    expect(await typeAndRead('k get pod/w\t', '$ k get pod/web')).toBe('$ k get pod/web');
  }, 30_000);
});
