// The image catalog (fixtures/images.json): what each known image contains and runs. Data, loaded
// only when the kubelet pulls or starts something.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EntrypointScript } from './entrypoint.js';
import { normalizeImage } from './images.js';

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

interface ImageEntry {
  registry: string;
  tags: Record<string, string>;
  variants: Record<string, Variant>;
  programs?: string[];
  entrypointScript?: EntrypointScript;
}

interface Catalog {
  programSets?: Record<string, string[] | string>;
  os: Record<string, OsSpec>;
  images: Record<string, ImageEntry>;
  generic: Variant;
}

declare const __dirname: string | undefined;
let loaded: Catalog | undefined;

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
  return (loaded ??= link(JSON.parse(readFileSync(catalogFile(), 'utf8')) as Catalog));
}

/** Resolves program-set names and hands image-level data (programs, entrypoint script) to each variant. */
function link(cat: Catalog): Catalog {
  for (const os of Object.values(cat.os)) {
    if (typeof os.programs === 'string') os.programs = (cat.programSets?.[os.programs] as string[] | undefined) ?? [];
  }
  for (const entry of Object.values(cat.images)) {
    for (const v of Object.values(entry.variants)) {
      if (entry.programs) v.programs ??= entry.programs;
      if (entry.entrypointScript) v.entrypointScript ??= entry.entrypointScript;
    }
  }
  return cat;
}

export type Resolved =
  | { found: true; repo: string; tag: string; variant: Variant; os: OsSpec; known: boolean }
  | { found: false; repo: string; tag: string };

/** What an image reference runs: a catalog variant, the generic image, or nothing (no such tag). */
export function resolveImage(image: string): Resolved {
  const cat = catalog();
  const n = normalizeImage(image).replace(/@.*$/, '');
  const i = n.lastIndexOf(':');
  const repo = n.slice(0, i);
  const tag = n.slice(i + 1);
  for (const entry of Object.values(cat.images)) {
    if (entry.registry !== repo) continue;
    const key = entry.tags[tag];
    if (!key) return { found: false, repo, tag };
    const variant = entry.variants[key];
    return { found: true, repo, tag, variant, os: cat.os[variant.os] ?? cat.os[cat.generic.os], known: true };
  }
  return { found: true, repo, tag, variant: cat.generic, os: cat.os[cat.generic.os], known: false };
}
