// The kubectl.kubernetes.io/last-applied-configuration annotation client-side apply keeps.
import { sortKeys } from '../api/manifest-checks.js';
import type { KObj } from '../api/types.js';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The annotation value: the applied object (without the annotation itself) as compact sorted JSON + newline. */
export function lastAppliedValue(obj: KObj): string {
  const copy = structuredClone(obj);
  copy.metadata ??= {};
  copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}) };
  delete copy.metadata.annotations[LAST_APPLIED];
  return `${JSON.stringify(sortKeys(copy))}\n`;
}

/** A copy of `obj` carrying its own last-applied annotation. */
export function withLastApplied(obj: KObj): KObj {
  const copy = structuredClone(obj);
  copy.metadata ??= {};
  copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), [LAST_APPLIED]: lastAppliedValue(obj) };
  return copy;
}
