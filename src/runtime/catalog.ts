// The image catalog (fixtures/images.json): what each known image contains and runs. Data, loaded
// only when the kubelet pulls or starts something.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
}

export interface OsSpec {
  files: Record<string, string>;
  shell?: string | null;
  shellKind?: string;
  ps?: string | null;
  [k: string]: unknown;
}

interface Catalog {
  os: Record<string, OsSpec>;
  images: Record<string, { registry: string; tags: Record<string, string>; variants: Record<string, Variant> }>;
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
  return (loaded ??= JSON.parse(readFileSync(catalogFile(), 'utf8')) as Catalog);
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
