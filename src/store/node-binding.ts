// Node's own native handles, for the two store operations whose public modules cost more to load
// than the work they do: gzip.ts (zlib, behind the stream modules) and lock.ts (a Unix socket's name,
// behind net). process.binding is documented as deprecated (DEP0111): it warns only under
// --pending-deprecation (or NODE_PENDING_DEPRECATION=1), and then, or where a binding is missing,
// this answers undefined and the caller uses the public module.

let quiet: boolean | undefined;

/** process.binding(name), or undefined when it would warn or is not there. */
export function nodeBinding(name: string): Record<string, unknown> | undefined {
  if (quiet === undefined) {
    const warns = (s: string | undefined) => !!s && /deprecation/.test(s);
    quiet = !process.execArgv.some(warns) && !warns(process.env.NODE_OPTIONS) && process.env.NODE_PENDING_DEPRECATION !== '1';
  }
  if (!quiet) return undefined;
  try {
    const binding = (process as unknown as { binding?: (name: string) => unknown }).binding;
    const b = typeof binding === 'function' ? binding(name) : undefined;
    return b && typeof b === 'object' ? (b as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
