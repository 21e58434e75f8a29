// kubectl diff -f FILE|DIR|- [-R]: each object as it is live and as `apply` would make it (apply's
// merge run as a server dry run), written as YAML into two temp directories LIVE-<n> and MERGED-<n>
// (one file per object, `<group>.<version>.<Kind>.<namespace>.<name>`), then `diff -u -N` or
// $KUBECTL_EXTERNAL_DIFF on the two. Exit 0: no differences, 1: differences, >1: an error.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError, formatError, StatusError } from '../api/errors.js';
import type { KObj, ResourceDef } from '../api/types.js';
import { applyMerge, emptyNameError } from './apply-merge.js';
import { prunedObjects, pruneResources } from './diff-prune.js';
import { makeTempDir, runProgram } from './editor.js';
import { FILE_FLAGS, manifestArgs } from './files.js';
import { bool, list, parseFlags, str } from './flags.js';
import type { IO } from './io.js';
import { loadDocs, settleNamespace } from './objects.js';
import { klogPrefix } from './output.js';
import { withCluster } from './session.js';

const FLAGS = [
  ...FILE_FLAGS,
  { name: 'server-side', type: 'bool' as const, default: false },
  { name: 'force-conflicts', type: 'bool' as const, default: false },
  { name: 'field-manager', type: 'string' as const, default: 'kubectl-client-side-apply' },
  { name: 'prune', type: 'bool' as const, default: false },
  { name: 'prune-allowlist', type: 'stringArray' as const, default: [] as string[] },
  { name: 'selector', short: 'l', type: 'string' as const, default: '' },
  { name: 'show-managed-fields', type: 'bool' as const, default: false },
  { name: 'concurrency', type: 'int' as const, default: 1 },
];

const MASK = '***';

/** kubectl's Masker: a Secret's data values hidden, a changed value marked before/after. */
export function maskSecrets(from: KObj | undefined, to: KObj | undefined): void {
  const f = from?.data as Record<string, unknown> | undefined;
  const t = to?.data as Record<string, unknown> | undefined;
  for (const k of Object.keys(f ?? {})) {
    if (t && k in t) {
      if (f![k] !== t[k]) {
        f![k] = `${MASK} (before)`;
        t[k] = `${MASK} (after)`;
        continue;
      }
      t[k] = MASK;
    }
    f![k] = MASK;
  }
  for (const k of Object.keys(t ?? {})) if (!f || !(k in f)) t![k] = MASK;
}

/** The file name kubectl gives an object in the two directories. */
export function diffFileName(def: ResourceDef, namespace: string, name: string): string {
  return `${def.group ? `${def.group}.` : ''}${def.version}.${def.kind}.${namespace}.${name}`;
}

/** kubectl diff's exit: an error is its code + 1 (flag and usage errors too). */
function diffFail(message: string, raw = false): CliError {
  return new CliError(message, 2, raw);
}

/** kubectl diff's CheckDiffErr: every error exits with its code + 1 (2 for kubectl's own errors). */
export default async function diff(argv: string[], io: IO): Promise<number> {
  try {
    return await diffMain(argv, io);
  } catch (e) {
    if (!(e instanceof CliError) && !(e instanceof StatusError)) throw e;
    const text = formatError(e);
    io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
    return e instanceof CliError && e.exitCode > 1 ? e.exitCode : 2;
  }
}

async function diffMain(argv: string[], io: IO): Promise<number> {
  let p;
  try {
    p = parseFlags(argv, FLAGS, 'diff');
  } catch (e) {
    throw e instanceof CliError ? diffFail(e.message.replace(/\nSee 'kubectl diff --help' for usage\.$/, "\nSee 'kubectl diff -h' for help and examples"), e.raw) : e;
  }
  if (p.args.length) throw diffFail(`Unexpected args: [${p.args.join(' ')}]\nSee 'kubectl diff -h' for help and examples`);
  if (!list(p, 'filename').length && !str(p, 'kustomize')) throw diffFail('must specify one of -f and -k');
  let files: string[];
  try {
    files = manifestArgs(p);
  } catch (e) {
    throw e instanceof CliError ? diffFail(e.message, e.raw) : e;
  }
  if (bool(p, 'force-conflicts') && !bool(p, 'server-side')) throw diffFail('--force-conflicts only works with --server-side');
  let docs;
  try {
    docs = await loadDocs(io, files, bool(p, 'recursive'), 'diffing', 'strict');
  } catch (e) {
    throw e instanceof CliError ? diffFail(e.message, e.raw) : e;
  }
  const pr = await import('../printers/index.js');
  let selector: ReturnType<typeof import('../api/selectors.js').parseLabelSelector> | undefined;
  if (str(p, 'selector')) {
    try {
      selector = (await import('../api/selectors.js')).parseLabelSelector(str(p, 'selector'));
    } catch (e) {
      // the builder's client-side check of -l for objects from files
      throw diffFail(`the provided selector ${JSON.stringify(str(p, 'selector'))} is not valid: ${(e as Error).message}`);
    }
  }
  const prune = bool(p, 'prune') ? pruneResources(list(p, 'prune-allowlist')) : undefined;
  const showManaged = bool(p, 'show-managed-fields');
  const live = makeTempDir(io.env, 'LIVE-');
  const merged = makeTempDir(io.env, 'MERGED-');
  try {
    const failure = await withCluster(io, p, 'read', async (s): Promise<unknown> => {
      const visitedNamespaces = new Set<string>();
      const visitedUids = new Set<string>();
      for (const doc of docs) {
        if (doc.error) return doc.error;
        // -l keeps the file's objects whose labels match
        if (selector && !selector.matches(doc.obj!.metadata?.labels)) continue;
        try {
          settleNamespace(doc, s.namespace, s.namespaceExplicit);
        } catch (e) {
          return e;
        }
        const def = doc.def!;
        const obj = doc.obj!;
        if (!obj.metadata.name) return emptyNameError(def, obj, doc.source);
        const ns = def.namespaced ? obj.metadata.namespace : '';
        const current = s.cluster.api.peek(def, ns, obj.metadata.name);
        if (def.namespaced) visitedNamespaces.add(ns!);
        if (current) visitedUids.add(current.metadata.uid);
        let after: KObj;
        // a dry run leaves nothing behind, not even a step of the simulation's randomness (uids)
        const rand = s.cluster.state.rand;
        try {
          const out = await applyMerge(s.cluster.api, def, obj, { dryRun: 'server', serverSide: bool(p, 'server-side'), annotate: false });
          after = structuredClone(out.obj);
        } catch (e) {
          return e instanceof StatusError ? e : (e as Error);
        } finally {
          s.cluster.state.rand = rand;
        }
        const before = current ? structuredClone(current) : undefined;
        if (!showManaged) {
          delete before?.metadata?.managedFields;
          delete after.metadata?.managedFields;
        }
        if (def.kind === 'Secret' && def.version === 'v1' && !def.group) maskSecrets(before, after);
        const fileName = diffFileName(def, ns ?? '', obj.metadata.name);
        writeFileSync(join(live, fileName), before ? pr.toYaml(before) : '', { mode: 0o700 });
        writeFileSync(join(merged, fileName), pr.toYaml(after), { mode: 0o700 });
        if (current?.metadata.deletionTimestamp) io.stderr.write(`Warning: Detected changes to resource ${obj.metadata.name} which is currently being deleted.\n`);
      }
      if (prune) {
        // kubectl passes "namespace given" whenever the context has one, which it always has
        if (prune.defaulted) {
          io.stderr.write(
            `${klogPrefix('W', io)} prune.go:71] Deprecated: kubectl apply will no longer prune non-namespaced resources by default when used with the --namespace flag in a future release. To preserve the current behaviour, list the resources you want to target explicitly in the --prune-allowlist flag.\n`,
          );
        }
        for (const { def, obj } of prunedObjects(s.cluster, prune.defs, visitedNamespaces, visitedUids, selector)) {
          writeFileSync(join(live, diffFileName(def, obj.metadata.namespace ?? '', obj.metadata.name)), pr.toYaml(obj), { mode: 0o700 });
        }
      }
      return undefined;
    });
    if (failure) {
      const text = formatError(failure);
      io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
      return 2;
    }
    return await runDiff(io, live, merged);
  } finally {
    rmSync(live, { recursive: true, force: true });
    rmSync(merged, { recursive: true, force: true });
  }
}

/** kubectl's DiffProgram: `diff -u -N FROM TO`, or $KUBECTL_EXTERNAL_DIFF with its plain arguments after them. */
async function runDiff(io: IO, from: string, to: string): Promise<number> {
  let program = 'diff';
  let args = ['-u', '-N', from, to];
  const external = io.env.KUBECTL_EXTERNAL_DIFF;
  if (external) {
    const parts = external.split(' ');
    program = parts[0];
    args = [from, to, ...parts.slice(1).filter((a) => /^[a-zA-Z0-9-=]+$/.test(a))];
  }
  const r = await runProgram({ ...io, stdinIsTTY: false }, [program, ...args]);
  if (r.notFound) {
    io.stderr.write(`error: failed to run "${program}": exec: "${program}": executable file not found in $PATH\n`);
    return 2;
  }
  if (r.code === undefined) {
    io.stderr.write(`error: failed to run "${program}": ${r.error ?? 'unknown error'}\n`);
    return 2;
  }
  if (r.code <= 1) return r.code;
  io.stderr.write(`error: failed to run "${program}": exit status ${r.code}\n`);
  return 2;
}
