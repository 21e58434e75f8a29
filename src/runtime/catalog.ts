// The image catalog (fixtures/images.json): what each known image contains and runs. Data, loaded
// only when the kubelet pulls or starts something; the bundle reads the build's pack of it
// (bin/dist/images.pack, see src/tools/catalog-pack.mjs), which gives one image without parsing all.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EntrypointScript } from './entrypoint.js';
import { normalizeImage, splitImage } from './images.js';
import { matchTag, versionedVariant, type TagRules } from './tags.js';

export interface ProcessSpec {
  kind: string;
  port?: number;
  root?: string;
  version?: string;
  startupLog?: string[];
  [k: string]: unknown;
}

export interface Variant {
  os: string;
  entrypoint: string[];
  cmd: string[];
  workingDir: string;
  user: string;
  env: Record<string, string>;
  exposedPorts?: number[];
  stopSignal?: string;
  sizeBytes?: number;
  files?: Record<string, string>;
  process: ProcessSpec;
  /** programs of the image beyond its OS's set (from the image entry) */
  programs?: string[];
  /** what the image's entrypoint script does with its arguments (from the image entry) */
  entrypointScript?: EntrypointScript;
}

export interface OsSpec {
  files: Record<string, string>;
  shell?: string | null;
  shellKind?: string;
  ps?: string | null;
  /** the programs on PATH: a set named in the catalog's programSets (resolved when loaded) */
  programs?: string | string[];
  /** what /bin/sh is: dash on Debian and Ubuntu, ash on busybox and Alpine, bash elsewhere */
  sh?: string;
  [k: string]: unknown;
}

interface ImageEntry extends TagRules {
  registry: string;
  /** tag → variant key, or `image:REF` (the tag is the same image as REF, e.g. a mirror's) */
  tags: Record<string, string>;
  variants: Record<string, Variant>;
  programs?: string[];
  entrypointScript?: EntrypointScript;
}

/** Which references need credentials (fixtures/images.json `registries`): regular expressions. */
export interface RegistryRules {
  /** registry hosts that answer 401 to anonymous pulls */
  privateHosts?: string[];
  /** a repository path matching this is private wherever it is */
  privatePath?: string;
}

/** The catalog but its images (those come one at a time: Loaded.image) */
interface Catalog {
  registries?: RegistryRules;
  programSets?: Record<string, string[] | string>;
  os: Record<string, OsSpec>;
  generic: Variant;
}

interface Loaded {
  core: Catalog;
  /** the image entry of a registry path (docker.io/library/nginx) */
  image(repo: string): ImageEntry | undefined;
}

declare const __dirname: string | undefined;
let loaded: Loaded | undefined;

function catalogFile(): string {
  const candidates: string[] = [];
  if (typeof __dirname === 'string') candidates.push(join(__dirname, '..', '..', 'fixtures', 'images.json'));
  let dir = process.cwd();
  for (let i = 0; i < 6; i++) {
    candidates.push(join(dir, 'fixtures', 'images.json'));
    dir = dirname(dir);
  }
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error('the image catalog fixtures/images.json is missing');
  return found;
}

export function catalog(): Catalog {
  return loadedCatalog().core;
}

function loadedCatalog(): Loaded {
  if (loaded) return loaded;
  const file = catalogFile();
  const pack = typeof __dirname === 'string' ? join(__dirname, 'images.pack') : undefined;
  return (loaded = (pack && catalogFromPack(pack, file)) || catalogFromJson(file));
}

/** The catalog from its JSON file. */
export function catalogFromJson(file: string): Loaded {
  const { images = {}, ...core } = JSON.parse(readFileSync(file, 'utf8')) as Catalog & { images?: Record<string, ImageEntry> };
  const byRepo = new Map<string, ImageEntry>();
  for (const entry of Object.values(images)) if (!byRepo.has(entry.registry)) byRepo.set(entry.registry, linkImage(entry));
  return { core: linkCore(core), image: (repo) => byRepo.get(repo) };
}

/** The catalog from the build's pack of `source` (undefined when the pack is missing or was made from another file). */
export function catalogFromPack(pack: string, source: string): Loaded | undefined {
  let buf: Buffer;
  let base: number;
  let head: { source?: unknown[]; core?: Catalog; images?: Record<string, [number, number]> };
  let st: { size: number; mtimeMs: number };
  try {
    st = statSync(source);
    buf = readFileSync(pack);
    base = buf.indexOf(10) + 1;
    head = JSON.parse(buf.toString('utf8', 0, base)) as typeof head;
  } catch {
    return undefined;
  }
  const { core, images } = head;
  if (!core || !images || head.source?.[0] !== st.size || head.source?.[1] !== st.mtimeMs) return undefined;
  const parsed = new Map<string, ImageEntry>();
  const image = (repo: string) => {
    if (!Object.hasOwn(images, repo)) return undefined;
    let entry = parsed.get(repo);
    if (!entry) {
      const [off, len] = images[repo];
      parsed.set(repo, (entry = linkImage(JSON.parse(buf.toString('utf8', base + off, base + off + len)) as ImageEntry)));
    }
    return entry;
  };
  return { core: linkCore(core), image };
}

/** Resolves program-set names. */
function linkCore(cat: Catalog): Catalog {
  for (const os of Object.values(cat.os)) {
    if (typeof os.programs === 'string') os.programs = (cat.programSets?.[os.programs] as string[] | undefined) ?? [];
  }
  return cat;
}

/** Hands image-level data (programs, entrypoint script) to each variant. */
function linkImage(entry: ImageEntry): ImageEntry {
  for (const v of Object.values(entry.variants)) {
    if (entry.programs) v.programs ??= entry.programs;
    if (entry.entrypointScript) v.entrypointScript ??= entry.entrypointScript;
  }
  return entry;
}

export type Resolved =
  | { found: true; repo: string; tag: string; variant: Variant; os: OsSpec; known: boolean }
  /** `tag`: the repository has no such tag (or digest); `repo`: Docker Hub has no such official image */
  | { found: false; repo: string; tag: string; why: 'tag' | 'repo' };

const resolved = new Map<string, Resolved>();

/**
 * What an image reference runs: a catalog variant (an explicit tag, or one its tag ranges name), the
 * generic image (a repository under a user or registry path the catalog does not know), or nothing.
 * A digest (`nginx@sha256:…`) names the tag it comes with, else `latest`.
 */
export function resolveImage(image: string): Resolved {
  let r = resolved.get(image);
  if (!r) resolved.set(image, (r = resolveUncached(image, 0)));
  return r;
}

function resolveUncached(image: string, depth: number): Resolved {
  const { core: cat, image: imageOf } = loadedCatalog();
  const { repo, tag, digest } = splitImage(normalizeImage(image));
  const lookup = tag ?? 'latest';
  const entry = imageOf(repo);
  if (!entry) {
    if (repo.startsWith('docker.io/library/')) return { found: false, repo, tag: lookup, why: 'repo' };
    return { found: true, repo, tag: lookup, variant: cat.generic, os: cat.os[cat.generic.os], known: false };
  }
  if (digest !== undefined && !/^sha256:[0-9a-f]{64}$/.test(digest)) return { found: false, repo, tag: lookup, why: 'tag' };
  const key = entry.tags[lookup];
  if (key?.startsWith('image:') && depth < 3) {
    const same = resolveUncached(key.slice(6), depth + 1);
    return same.found ? { ...same, repo, tag: lookup } : same;
  }
  const osOf = (name: string) => cat.os[name];
  let variant: Variant | undefined = key ? entry.variants[key] : undefined;
  const m = matchTag(entry, lookup);
  // an explicit tag keeps its own variant; it shares its range's traits (busybox's nslookup)
  if (variant && m?.range.process) variant = { ...variant, process: { ...variant.process, ...m.range.process } };
  const base = m && entry.variants[m.variant];
  if (!variant && m && base) variant = versionedVariant(base, m, osOf);
  if (!variant) return { found: false, repo, tag: lookup, why: 'tag' };
  return { found: true, repo, tag: lookup, variant, os: cat.os[variant.os] ?? cat.os[cat.generic.os], known: true };
}
