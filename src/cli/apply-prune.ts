// kubectl apply --prune (kubectl's pkg/cmd/apply/prune.go): after every object applied, the objects
// of the allowlisted kinds in the namespaces visited that carry the last-applied annotation, match
// -l and were not among the file's objects are deleted, each printed as `<kind>/<name> pruned`.
import type { LabelSelector } from '../api/selectors.js';
import type { ResourceDef } from '../api/types.js';
import type { Cluster } from '../sim/engine.js';
import { cascadePolicy } from './delete.js';
import { prunedObjects } from './diff-prune.js';
import { int, type Parsed } from './flags.js';
import type { IO } from './io.js';
import { klogPrefix, printResult } from './output.js';

export interface Visited {
  namespaces: Set<string>;
  uids: Set<string>;
  selector: LabelSelector | undefined;
  dryRun: 'none' | 'client' | 'server';
}

export async function pruneAfterApply(io: IO, p: Parsed, c: Cluster, prune: { defs: ResourceDef[]; defaulted: boolean }, v: Visited): Promise<void> {
  if (prune.defaulted) {
    // kubectl always has a namespace (the context's or `default`), so the warning always shows
    io.stderr.write(
      `${klogPrefix('W', io)} prune.go:71] Deprecated: kubectl apply will no longer prune non-namespaced resources by default when used with the --namespace flag in a future release. To preserve the current behaviour, list the resources you want to target explicitly in the --prune-allowlist flag.\n`,
    );
  }
  const policy = cascadePolicy(p, io);
  const grace = int(p, 'grace-period');
  for (const { def, obj } of prunedObjects(c, prune.defs, v.namespaces, v.uids, v.selector)) {
    if (v.dryRun !== 'client') {
      c.api.delete(def, obj.metadata.namespace, obj.metadata.name, {
        propagationPolicy: policy,
        ...(grace >= 0 ? { gracePeriodSeconds: grace } : {}),
        dryRun: v.dryRun === 'server',
      });
    }
    await printResult(io, p, { def, obj }, 'pruned', v.dryRun);
  }
}
