// kubectl set env (TYPE NAME | TYPE/NAME | -f FILE) KEY=VALUE… KEY-… [--from=configmap/x|secret/x]
// [--prefix=P] [--keys=k] [-c CONTAINERS] [--list] [--overwrite=false] (kubectl/pkg/cmd/set/set_env.go).
import { manifestArgs } from './files.js';
import { CliError } from '../api/errors.js';
import type { KObj } from '../api/types.js';
import { envListText } from '../printers/env-list.js';
import type { Cluster } from '../sim/engine.js';
import { resolveEnvRef } from './set-env-resolve.js';
import { parseResourceArgs, resolveSelections } from './builder.js';
import { bool, list, parseFlags, str, type FlagSpec } from './flags.js';
import type { IO } from './io.js';
import { withCluster } from './session.js';
import { selectString } from './set-pod.js';
import { ChangeError, checkSetFlags, runSet, SET_FLAGS } from './set.js';
import { podSpecHolder } from './workload-common.js';

const FLAGS: FlagSpec[] = [
  ...SET_FLAGS.filter((f) => f.name !== 'record'),
  { name: 'containers', short: 'c', type: 'string', default: '*' },
  { name: 'env', short: 'e', type: 'stringArray', default: [] },
  { name: 'from', type: 'string', default: '' },
  { name: 'keys', type: 'stringSlice', default: [] },
  { name: 'list', type: 'bool', default: false },
  { name: 'overwrite', type: 'bool', default: true },
  { name: 'prefix', type: 'string', default: '' },
  { name: 'resolve', type: 'bool', default: false },
];

const ENV_ARG = /^(.+)=(.*)$/s;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

function splitEnv(args: string[]): { resources: string[]; envArgs: string[] } {
  const resources: string[] = [];
  const envArgs: string[] = [];
  for (const s of args) {
    const isEnv = ENV_ARG.test(s) || s.endsWith('-');
    if (isEnv) envArgs.push(s);
    else if (envArgs.length) throw new CliError(`all resources must be specified before environment changes: ${args.join(' ')}`);
    else resources.push(s);
  }
  return { resources, envArgs };
}

async function parseEnv(specs: string[], io: IO): Promise<{ env: KObj[]; remove: string[] }> {
  const env: KObj[] = [];
  const remove: string[] = [];
  const set = new Set<string>();
  for (const spec of specs) {
    if (spec === '-') {
      for (let line of (await io.readStdin()).split('\n')) {
        if (line.includes('#')) line = line.slice(0, line.indexOf('#'));
        if (line.includes('=')) env.push({ name: line.slice(0, line.indexOf('=')), value: line.slice(line.indexOf('=') + 1) });
      }
    } else if (spec.includes('=')) {
      const name = spec.slice(0, spec.indexOf('='));
      if (!ENV_NAME.test(name)) {
        throw new CliError(`"${name}" is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')`);
      }
      set.add(name);
      env.push({ name, value: spec.slice(spec.indexOf('=') + 1) });
    } else if (spec.endsWith('-')) remove.push(spec.slice(0, -1));
    else throw new CliError(`unknown environment variable: ${spec}`);
  }
  if (remove.some((r) => set.has(r))) throw new CliError('can not both modify and remove the same environment variable in the same command');
  return { env, remove };
}

/** set/helper.go updateEnv: replaces same-named variables in place, appends new ones, drops removed ones. */
function updateEnv(existing: KObj[], env: KObj[], remove: string[]): KObj[] {
  const out: KObj[] = [];
  const covered = new Set(remove);
  for (const e of existing) {
    if (covered.has(e.name)) continue;
    const newer = env.find((x) => x.name === e.name);
    if (newer) {
      covered.add(e.name);
      out.push(structuredClone(newer));
    } else out.push(e);
  }
  for (const e of env) {
    if (covered.has(e.name)) continue;
    covered.add(e.name);
    out.push(structuredClone(e));
  }
  return out;
}

export default async function setEnv(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'set env');
  const { resources, envArgs } = splitEnv(p.args);
  const dryRun = checkSetFlags(p, io);
  if (!manifestArgs(p).length && !resources.length) throw new CliError('one or more resources must be specified as <resource> <name> or <resource>/<name>');
  if (bool(p, 'list') && str(p, 'output')) throw new CliError('--list and --output may not be specified together');
  if (list(p, 'keys').length && !str(p, 'from')) throw new CliError('when specifying --keys, a configmap or secret must be provided with --from');
  const { env, remove } = await parseEnv([...list(p, 'env'), ...envArgs], io);
  if (str(p, 'from')) env.push(...(await fromSource(io, p)));
  if (str(p, 'prefix')) for (const e of env) e.name = `${str(p, 'prefix')}${e.name}`;
  const selector = str(p, 'containers');
  const listing = bool(p, 'list');
  const code = await runSet(io, p, resources, {
    verb: 'env',
    operation: 'env updated',
    patchFailure: 'failed to patch env update to pod template: ',
    mutate(obj, _errs, _f, cluster) {
      const h = podSpecHolder(obj);
      if (!h) throw new ChangeError(`the object is not a pod or does not have a pod template: *${String(obj.apiVersion).split('/').pop()}.${obj.kind}`);
      const chosen = [...(h.spec.containers ?? []).filter((c: KObj) => selectString(c.name, selector)), ...(h.spec.initContainers ?? []).filter((c: KObj) => selectString(c.name, selector))];
      if (!chosen.length) {
        io.stderr.write(`Warning: ${obj.kind}/${obj.metadata.name} does not have any containers matching "${selector}"\n`);
        return;
      }
      for (const c of chosen as KObj[]) {
        if (!bool(p, 'overwrite')) {
          for (const e of env) {
            const cur = (c.env ?? []).find((x: KObj) => x.name === e.name);
            if (cur && cur.value !== e.value) throw new ChangeError(`'${cur.name}' already has a value (${cur.value ?? ''}), and --overwrite is false`);
          }
        }
        const next = updateEnv(c.env ?? [], env, remove);
        if (next.length) c.env = next;
        else delete c.env;
        if (listing) {
          const resolved = bool(p, 'resolve') && cluster ? resolveAll(cluster, obj, c, next) : { values: new Map<string, string>(), errors: [] };
          io.stdout.write(envListText(obj.kind, obj.metadata.name, c.name, next, resolved.values));
          for (const e of resolved.errors) io.stderr.write(`${e}\n`);
        }
      }
      if (listing) throw new ListOnly();
    },
  }, listing ? 'client' : dryRun).catch((e) => {
    if (e instanceof ListOnly) return 0;
    throw e;
  });
  return code;
}

class ListOnly extends Error {}

/** --resolve: each valueFrom's value, and kubectl's `error retrieving reference for A, B: …` lines. */
function resolveAll(c: Cluster, obj: KObj, container: KObj, env: KObj[]): { values: Map<string, string>; errors: string[] } {
  const values = new Map<string, string>();
  const failed = new Map<string, string[]>();
  for (const e of env) {
    if (!e.valueFrom) continue;
    try {
      values.set(e.name, resolveEnvRef(c, obj.metadata.namespace, e.valueFrom, obj, container));
    } catch (err) {
      const msg = (err as Error).message;
      failed.set(msg, [...(failed.get(msg) ?? []), e.name]);
    }
  }
  const errors = [...failed].map(([msg, names]) => `error retrieving reference for ${names.sort().join(', ')}: ${msg}`).sort();
  return { values, errors };
}

/** --from=configmap/x|secret/x: one variable per key (names upper-cased, other characters `_`). */
async function fromSource(io: IO, p: ReturnType<typeof parseFlags>): Promise<KObj[]> {
  const keys = list(p, 'keys');
  return withCluster(io, p, 'read', (s) => {
    const sels = parseResourceArgs([str(p, 'from')], 'set env');
    const r = resolveSelections(s.cluster, sels, { namespace: s.namespace, allNamespaces: false });
    if (r.errors.length) throw r.errors[0];
    const out: KObj[] = [];
    for (const { obj } of r.items) {
      if (obj.kind !== 'ConfigMap' && obj.kind !== 'Secret') throw new CliError('unsupported resource specified in --from');
      const refKey = obj.kind === 'ConfigMap' ? 'configMapKeyRef' : 'secretKeyRef';
      for (const key of Object.keys(obj.data ?? {}).sort()) {
        if (keys.length && !keys.includes(key)) continue;
        const name = key.replace(/[^a-zA-Z0-9_]/g, '_').toUpperCase();
        if (name !== key) io.stderr.write(`Warning: key ${key} transferred to ${name}\n`);
        out.push({ name, valueFrom: { [refKey]: { name: obj.metadata.name, key } } });
      }
    }
    return out;
  });
}
