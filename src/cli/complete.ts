// `kubectl __complete ARGS… WORD` (and __completeNoDesc), cobra's hidden completion command that
// the shell scripts of `kubectl completion` call on Tab: candidates for WORD, one a line (with a
// tab and a description unless NoDesc), then `:<directive>`. Commands and flags come from the same
// declarations as help (each verb's parseFlags list); object names are read straight from the
// store file, without running the simulation, so a Tab stays fast.
import { resolve } from 'node:path';
import { allResources, findResource, resourceKey } from '../api/registry.js';
import type { KObj } from '../api/types.js';
import { freshState } from '../sim/bootstrap.js';
import { readState } from '../store/file-store.js';
import { briefValues } from '../store/segments.js';
import { registerBriefs } from '../sim/briefs.js';
import { clusterStore } from './session.js';
import type { StoreState } from '../store/state.js';
import { contextNamespace, kubeconfigPath, kubesimHome, loadKubeconfig } from '../store/kubeconfig.js';
import { GLOBAL_FLAGS, HelpRequested, type FlagSpec } from './flags.js';
import type { IO } from './io.js';
import { flagDoc } from './help/flag-docs.js';
import { COMMANDS, KUBESIM_COMMANDS, resolvePath, subcommands, type CommandDoc } from './help/tree.js';

/** cobra's ShellCompDirective bits */
export const NO_SPACE = 2;
export const NO_FILE_COMP = 4;
const DIRECTIVE_NAMES: [number, string][] = [[1, 'ShellCompDirectiveError'], [2, 'ShellCompDirectiveNoSpace'], [4, 'ShellCompDirectiveNoFileComp'], [8, 'ShellCompDirectiveFilterFileExt'], [16, 'ShellCompDirectiveFilterDirs'], [32, 'ShellCompDirectiveKeepOrder']];

interface Candidate {
  value: string;
  desc?: string;
}

export interface Completion {
  candidates: Candidate[];
  directive: number;
}

const OUTPUT_FORMATS = ['json', 'yaml', 'name', 'go-template', 'go-template-file', 'template', 'templatefile', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file', 'custom-columns', 'custom-columns-file', 'wide'];

/** Commands whose arguments are TYPE [NAME…] or TYPE/NAME. */
const TYPE_AND_NAME = new Set(['get', 'describe', 'delete', 'edit', 'label', 'annotate', 'patch', 'scale', 'wait', 'set env', 'set image', 'set resources', 'set selector', 'set serviceaccount', 'rollout history', 'rollout pause', 'rollout restart', 'rollout resume', 'rollout status', 'rollout undo', 'expose']);
const TYPES_OF: Record<string, string[]> = {
  scale: ['deployments.apps', 'replicasets.apps', 'statefulsets.apps', 'replicationcontrollers'],
  expose: ['deployments.apps', 'services', 'replicasets.apps', 'replicationcontrollers', 'pods'],
  'rollout history': ['deployments.apps', 'daemonsets.apps', 'statefulsets.apps'],
  'rollout pause': ['deployments.apps'],
  'rollout resume': ['deployments.apps'],
  'rollout restart': ['deployments.apps', 'daemonsets.apps', 'statefulsets.apps'],
  'rollout status': ['deployments.apps', 'daemonsets.apps', 'statefulsets.apps'],
  'rollout undo': ['deployments.apps', 'daemonsets.apps', 'statefulsets.apps'],
};
const POD_COMMANDS = new Set(['logs', 'exec', 'attach', 'port-forward']);
const NODE_COMMANDS = new Set(['cordon', 'uncordon', 'drain']);
const CONTEXT_COMMANDS = new Set(['config use-context', 'config delete-context', 'config rename-context']);

/** The flags a verb's parser declares: the verb is run with --help and its HelpRequested caught. */
async function commandFlags(doc: CommandDoc | undefined): Promise<FlagSpec[]> {
  if (!doc) return [];
  const words = doc.path.split(' ');
  const { loadVerb } = await import('./dispatch.js');
  const load = loadVerb(words[0]);
  if (!load) return [];
  const quiet: IO = { stdout: { write: () => {} }, stderr: { write: () => {} }, readStdin: async () => '', env: {}, cwd: '/', wallNow: () => 0 };
  try {
    await (await load()).default([...words.slice(1), '--help'], quiet);
  } catch (e) {
    if (e instanceof HelpRequested) return e.specs;
  }
  return [];
}

function state(io: IO): StoreState {
  try {
    return readState(clusterStore(io, undefined)) ?? freshState(io.wallNow());
  } catch {
    return freshState(io.wallNow());
  }
}

function kubeconfig(io: IO, flags: Map<string, string>): KObj {
  try {
    return loadKubeconfig(resolve(io.cwd, kubeconfigPath(io.env, flags.get('kubeconfig') ?? '')), io.env);
  } catch {
    return {};
  }
}

function namesOf(io: IO, flags: Map<string, string>, key: string, namespaced: boolean): string[] {
  const st = state(io);
  const byKey = st.objects[key] ?? {};
  if (!namespaced) return Object.keys(byKey).sort();
  const ns = flags.get('namespace') || contextNamespace(kubeconfig(io, flags), flags.get('context') || undefined);
  // pods' names come from their brief copies (a fifth of what the pods are), as `get pods` reads them
  if (key === 'pods') registerBriefs();
  const brief = key === 'pods' ? (briefValues(st, key) as KObj[] | undefined) : undefined;
  if (brief) return brief.filter((p) => p.metadata.namespace === ns).map((p) => p.metadata.name as string).sort();
  const prefix = `${ns}/`;
  return Object.keys(byKey).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)).sort();
}

function typeNames(only?: string[]): string[] {
  if (only) return only;
  return [...new Set(allResources().map(resourceKey))].sort();
}

function podContainers(io: IO, flags: Map<string, string>, pod: string | undefined): string[] {
  if (!pod) return [];
  const name = pod.includes('/') ? pod.split('/')[1] : pod;
  if (pod.includes('/') && !/^pods?$|^po$/.test(pod.split('/')[0])) return [];
  const ns = flags.get('namespace') || contextNamespace(kubeconfig(io, flags), flags.get('context') || undefined);
  const obj = state(io).objects.pods?.[`${ns}/${name}`];
  return [...(obj?.spec?.initContainers ?? []), ...(obj?.spec?.containers ?? [])].map((c: KObj) => c.name as string);
}

function flagValues(io: IO, spec: FlagSpec, flags: Map<string, string>, args: string[]): Completion {
  const list = (values: string[]) => ({ candidates: values.map((value) => ({ value })), directive: NO_FILE_COMP });
  const cfg = () => kubeconfig(io, flags);
  switch (spec.name) {
    case 'namespace':
      return list(namesOf(io, flags, 'namespaces', false));
    case 'context':
      return list((cfg().contexts ?? []).map((c: KObj) => c.name));
    case 'cluster':
      return list((cfg().clusters ?? []).map((c: KObj) => c.name));
    case 'user':
      return list((cfg().users ?? []).map((c: KObj) => c.name));
    case 'container':
      return list(podContainers(io, flags, args[0]));
    case 'output':
      return list(OUTPUT_FORMATS);
    default:
      return { candidates: [], directive: 0 };
  }
}

function argValues(io: IO, doc: CommandDoc | undefined, args: string[], word: string, flags: Map<string, string>, program: string): Completion {
  const list = (values: string[]) => ({ candidates: values.map((value) => ({ value })), directive: NO_FILE_COMP });
  if (!doc) {
    const cmds = [...COMMANDS.filter((c) => !c.path.includes(' ')), ...(program === 'kubesim' ? KUBESIM_COMMANDS : [])];
    const top = cmds.map((c) => ({ value: c.path, desc: c.short }));
    top.push({ value: 'help', desc: 'Help about any command' });
    return { candidates: top.sort((a, b) => (a.value < b.value ? -1 : 1)), directive: NO_FILE_COMP };
  }
  const subs = subcommands(doc.path);
  if (subs.length && args.length === 0) return { candidates: subs.map((s) => ({ value: s.path.split(' ').pop()!, desc: s.short })), directive: NO_FILE_COMP };
  const path = doc.path;
  // kubesim's own commands take words of their own
  if (path === 'clock') return list(args.length ? [] : ['advance', 'freeze', 'resume']);
  if (path === 'cluster') return list(args.length ? [] : ['create', 'delete', 'list']);
  if (path === 'completion') return list(args.length ? [] : ['bash', 'zsh', 'fish', 'powershell']);
  if (path === 'help') return list([]);
  if (path === 'explain') return list(args.length ? [] : typeNames());
  if (NODE_COMMANDS.has(path)) return list(namesOf(io, flags, 'nodes', false));
  if (path === 'taint') return list(args.length === 0 ? ['nodes'] : args.length === 1 ? namesOf(io, flags, 'nodes', false) : []);
  if (CONTEXT_COMMANDS.has(path)) return list(args.length ? [] : (kubeconfig(io, flags).contexts ?? []).map((c: KObj) => c.name));
  if (POD_COMMANDS.has(path)) return list(args.length ? [] : namesOf(io, flags, 'pods', true));
  if (TYPE_AND_NAME.has(path)) {
    const only = TYPES_OF[path];
    if (word.includes('/')) {
      const type = word.split('/')[0];
      const def = findResource(type);
      return { candidates: def ? namesOf(io, flags, resourceKey(def), def.namespaced).map((n) => ({ value: `${type}/${n}` })) : [], directive: NO_FILE_COMP };
    }
    if (args.length === 0 || args[0].includes('/')) {
      if (args.length && args[0].includes('/')) return list([]);
      return list(typeNames(only));
    }
    const def = findResource(args[0].split(',')[0]);
    if (!def || args[0].includes(',')) return list([]);
    return list(namesOf(io, flags, resourceKey(def), def.namespaced).filter((n) => !args.slice(1).includes(n)));
  }
  return { candidates: [], directive: 0 };
}

/** What to offer for `word` after `before` (the words typed before it, the program name left out). */
export async function complete(io: IO, before: string[], word: string): Promise<Completion> {
  const program = io.program === 'kubesim' ? 'kubesim' : 'kubectl';
  // the command path: the first words that are not flags (a global flag's value skipped)
  const globalsByLong = new Map(GLOBAL_FLAGS.map((f) => [f.name, f]));
  const globalsByShort = new Map(GLOBAL_FLAGS.filter((f) => f.short).map((f) => [f.short!, f]));
  const positional: string[] = [];
  const flagsGiven = new Map<string, string>();
  let dashDash = false;
  // first pass only finds the command, so its own flags are known for the second
  const firstWords: string[] = [];
  for (let i = 0; i < before.length; i++) {
    const a = before[i];
    if (a === '--') break;
    if (a.startsWith('-')) {
      const g = a.startsWith('--') ? globalsByLong.get(a.slice(2)) : globalsByShort.get(a.slice(1));
      if (g && g.type !== 'bool' && !a.includes('=')) i++;
      continue;
    }
    firstWords.push(a);
  }
  let doc: CommandDoc | undefined;
  let used = 0;
  if (firstWords[0] === 'help') {
    // help takes a command path: complete it as the command line itself
    return word.startsWith('-') ? { candidates: [], directive: NO_FILE_COMP } : complete(io, firstWords.slice(1), word);
  }
  if (firstWords.length) {
    const r = resolvePath(firstWords);
    const own = KUBESIM_COMMANDS.find((c) => c.path === firstWords[0]);
    if (r) ({ doc, used } = r);
    else if (own) [doc, used] = [own, 1];
    else return { candidates: [], directive: NO_FILE_COMP };
  }
  const local = await commandFlags(doc);
  const specs = [...local, ...GLOBAL_FLAGS];
  const byLong = new Map(specs.map((f) => [f.name, f]));
  const byShort = new Map(specs.filter((f) => f.short).map((f) => [f.short!, f]));
  let pending: FlagSpec | undefined;
  for (let i = 0; i < before.length; i++) {
    const a = before[i];
    pending = undefined;
    if (a === '--') {
      dashDash = true;
      break;
    }
    if (a.startsWith('-') && a.length > 1) {
      const eq = a.indexOf('=');
      const spec = a.startsWith('--') ? byLong.get(a.slice(2, eq < 0 ? undefined : eq)) : byShort.get(a.slice(-1));
      if (!spec) continue;
      if (eq >= 0) flagsGiven.set(spec.name, a.slice(eq + 1));
      else if (spec.type !== 'bool' && spec.noOptDefault === undefined) {
        if (i + 1 < before.length) flagsGiven.set(spec.name, before[++i]);
        else pending = spec;
      }
      continue;
    }
    positional.push(a);
  }
  if (dashDash) return { candidates: [], directive: 0 };
  if (pending) return flagValues(io, pending, flagsGiven, positional.slice(used));
  const assigned = /^(--[^=]+|-[^-=])=/.exec(word);
  if (assigned) {
    const flag = assigned[1];
    const spec = flag.startsWith('--') ? byLong.get(flag.slice(2)) : byShort.get(flag.slice(1));
    if (!spec) return { candidates: [], directive: NO_FILE_COMP };
    const r = flagValues(io, spec, flagsGiven, positional.slice(used));
    return { candidates: r.candidates.map((c) => ({ value: `${flag}=${c.value}` })), directive: r.directive };
  }
  if (word.startsWith('-')) {
    // as cobra lists them: inherited (global) flags sorted by name, then the command's own with --help
    const byName = (a: FlagSpec, b: FlagSpec) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    const shown = (s: FlagSpec) => !s.hidden && !s.deprecated;
    const localNames = new Set(local.map((s) => s.name));
    const own = [...local.filter(shown), { name: 'help', short: 'h', type: 'bool' } as FlagSpec].sort(byName);
    const inherited = GLOBAL_FLAGS.filter((s) => shown(s) && !localNames.has(s.name)).sort(byName);
    const desc = (s: FlagSpec) => (s.name === 'help' ? `help for ${doc?.path.split(' ').pop() ?? program}` : flagDoc(doc?.path ?? '', s.name));
    const out: Candidate[] = [...inherited, ...own].map((s) => ({ value: `--${s.name}`, desc: desc(s) }));
    if (!word.startsWith('--')) for (const s of [...inherited, ...own]) if (s.short) out.push({ value: `-${s.short}`, desc: desc(s) });
    return { candidates: out, directive: NO_FILE_COMP };
  }
  return argValues(io, doc, positional.slice(used), word, flagsGiven, program);
}

export default async function completeCommand(argv: string[], io: IO, noDesc = false): Promise<number> {
  const word = argv.length ? argv[argv.length - 1] : '';
  const r = await complete(io, argv.slice(0, -1), word);
  let out = '';
  for (const c of r.candidates) {
    if (!c.value.startsWith(word)) continue;
    out += noDesc || !c.desc ? `${c.value}\n` : `${c.value}\t${c.desc.replace(/\n.*/s, '')}\n`;
  }
  io.stdout.write(`${out}:${r.directive}\n`);
  const names = DIRECTIVE_NAMES.filter(([bit]) => r.directive & bit).map(([, n]) => n);
  io.stderr.write(`Completion ended with directive: ${names.length ? names.join(', ') : 'ShellCompDirectiveDefault'}\n`);
  return 0;
}
