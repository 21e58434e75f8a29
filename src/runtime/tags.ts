// The tags a known repository really has, kept as data (fixtures/images.json `ranges`, `aliases`):
// a range lists version prefixes with their newest patch (`"1.28": 4` is 1.28 and 1.28.0 … 1.28.4;
// `"20.0-18": 1` is 20.0 … 20.18, each with patches up to 1), the suffixes its tags take (`-alpine`,
// `-perl`, `-slim`…) and which catalog variant each runs; aliases name versions (`latest`, `stable`,
// codenames). A tag made of an alias or a version and a suffix, or a bare suffix (`alpine`: the
// latest version's), exists; anything else does not (containerd's `not found`).
import type { OsSpec, Variant } from './catalog.js';

export interface TagRange {
  /** version prefix (or `A.B-C`: A.B … A.C) → newest last component (-1: the prefix alone) */
  versions: Record<string, number>;
  /** tag suffix ('' for the plain tag) → the variant its tags run */
  suffixes: Record<string, string>;
  /** what the versions of this range have in common: merged into the variant's process */
  process?: Record<string, unknown>;
  /** the OS files of these versions when not the variant's: one for all, or per suffix */
  os?: string | Record<string, string>;
  /** the release the OS files name (`3.15.0`): an OS image's tag names its own (alpine:3.16.9) */
  osVersion?: string;
  note?: string;
}

export interface TagRules {
  ranges?: TagRange[];
  aliases?: Record<string, string>;
}

export interface TagMatch {
  variant: string;
  /** the full version the tag names (`1.28` → `1.28.4`) */
  version: string;
  suffix: string;
  range: TagRange;
}

/** Expands `20.0-18` into 20.0 … 20.18; other keys stay as they are. */
function prefixes(key: string): string[] {
  const m = /^(.*\.)(\d+)-(\d+)$/.exec(key);
  if (!m) return [key];
  const out: string[] = [];
  for (let i = Number(m[2]); i <= Number(m[3]); i++) out.push(`${m[1]}${i}`);
  return out;
}

/** The range and full version for a version string, if some range has it. */
function findVersion(rules: TagRules, v: string, suffix: string): TagMatch | undefined {
  for (const range of rules.ranges ?? []) {
    const variant = range.suffixes[suffix];
    if (variant === undefined) continue;
    for (const [key, newest] of Object.entries(range.versions)) {
      for (const p of prefixes(key)) {
        if (v === p) return { variant, version: newest < 0 ? p : `${p}.${newest}`, suffix, range };
        if (newest >= 0 && v.startsWith(`${p}.`)) {
          const last = v.slice(p.length + 1);
          if (/^(0|[1-9]\d*)$/.test(last) && Number(last) <= newest) return { variant, version: v, suffix, range };
        }
      }
    }
  }
  return undefined;
}

/** Which variant and version a tag names under the repository's rules; undefined: no such tag. */
export function matchTag(rules: TagRules, tag: string): TagMatch | undefined {
  const suffixes = [...new Set((rules.ranges ?? []).flatMap((r) => Object.keys(r.suffixes)))].sort((a, b) => b.length - a.length);
  const aliases = rules.aliases ?? {};
  for (const s of suffixes) {
    let head: string;
    if (s && tag === s.slice(1)) head = 'latest';
    else if (tag.endsWith(s) && tag.length > s.length) head = tag.slice(0, tag.length - s.length);
    else continue;
    const found = findVersion(rules, aliases[head] ?? head, s);
    if (found) return found;
  }
  return undefined;
}

/** Replaces a version in every string of a value (the process's log lines, env values). */
function retagValue<T>(value: T, from: string, to: string): T {
  if (typeof value === 'string') return value.replaceAll(from, to) as T;
  if (Array.isArray(value)) return value.map((x) => retagValue(x, from, to)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, retagValue(x, from, to)])) as T;
  return value;
}

/** The version a variant's own data names (process.version, pythonVersion, nodeVersion). */
export function variantVersion(v: Variant): string | undefined {
  const p = v.process;
  const found = p.version ?? p.pythonVersion ?? p.nodeVersion;
  return typeof found === 'string' ? found : undefined;
}

/** The variant as the matched version has it: its version in env and process, the range's traits. */
export function versionedVariant(base: Variant, m: TagMatch, osOf: (name: string) => OsSpec | undefined): Variant {
  const from = variantVersion(base);
  const out: Variant = { ...base };
  if (from && from !== m.version) {
    out.env = retagValue(base.env, from, m.version);
    out.process = retagValue(base.process, from, m.version);
  }
  if (m.range.process) out.process = { ...out.process, ...m.range.process };
  const os = typeof m.range.os === 'string' ? m.range.os : m.range.os?.[m.suffix];
  if (os && osOf(os)) out.os = os;
  const from2 = m.range.osVersion;
  if (from2 && from2 !== m.version) {
    // the release files say the tag's version (3.15.0 → 3.16.9, v3.15 → v3.16)
    const minor = (v: string) => v.split('.').slice(0, 2).join('.');
    const files: Record<string, string> = { ...(out.files ?? {}) };
    for (const [path, text] of Object.entries(osOf(out.os)?.files ?? {})) {
      if (!/release|version/.test(path) || !text.includes(from2)) continue;
      files[path] = text.replaceAll(from2, m.version).replaceAll(`v${minor(from2)}`, `v${minor(m.version)}`);
    }
    out.files = files;
  }
  return out;
}
