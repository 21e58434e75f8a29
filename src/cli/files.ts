// Reading `-f FILE|DIR|-` arguments: files, directories (.json/.yaml/.yml, -R recursive) and stdin.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError } from '../api/errors.js';
import type { KObj } from '../api/types.js';
import { bool, list, str, type Parsed } from './flags.js';
import type { IO } from './io.js';

export interface SourceDoc {
  source: string;
  obj?: KObj;
  error?: Error;
}

function listDir(dir: string, recursive: boolean): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (recursive) out.push(...listDir(p, true));
    } else if (/\.(json|ya?ml)$/.test(e.name)) out.push(p);
  }
  return out;
}

/** All documents of the given -f arguments, in order; parse failures come back as errors per document. */
export async function readManifests(io: IO, filenames: string[], recursive: boolean, validate = true): Promise<SourceDoc[]> {
  const { parseManifests } = await import('../api/manifest.js');
  const docs: SourceDoc[] = [];
  for (const f of filenames) {
    if (f.startsWith(KUSTOMIZE_ARG)) {
      const dir = f.slice(KUSTOMIZE_ARG.length);
      const { kustomizeBuild } = await import('./kustomize/build.js');
      for (const obj of kustomizeBuild(io.cwd, dir, (w) => io.stderr.write(w))) docs.push({ source: dir, obj });
      continue;
    }
    if (f === '-') {
      const text = await io.readStdin();
      for (const d of parseManifests(text, 'STDIN', { validate })) docs.push({ source: 'STDIN', ...d });
      continue;
    }
    if (/^https?:\/\//.test(f)) throw new CliError(`unable to read URL "${f}", server reported 404 Not Found, status code=404`);
    const path = resolve(io.cwd, f);
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new CliError(`the path "${f}" does not exist`);
    }
    const files = isDir ? listDir(path, recursive) : [path];
    for (const file of files) {
      const shown = isDir ? join(f, file.slice(path.length + 1)) : f;
      const text = readFileSync(file, 'utf8');
      for (const d of parseManifests(text, shown, { validate })) docs.push({ source: shown, ...d });
    }
  }
  return docs;
}

/** How -k's directory travels among the -f arguments (no file name starts with a NUL). */
const KUSTOMIZE_ARG = '\0kustomize:';

/** The -f arguments, or -k's kustomization directory in their place (kubectl takes one or the other). */
export function manifestArgs(p: Parsed): string[] {
  const files = list(p, 'filename');
  const k = str(p, 'kustomize');
  if (k && files.length) throw new CliError('only one of -f or -k can be specified');
  if (k && bool(p, 'recursive')) throw new CliError("the -k flag can't be used with -f or -R");
  return k ? [`${KUSTOMIZE_ARG}${k}`] : files;
}

export const FILE_FLAGS = [
  { name: 'filename', short: 'f', type: 'stringArray' as const, default: [] as string[] },
  { name: 'recursive', short: 'R', type: 'bool' as const, default: false },
  { name: 'kustomize', short: 'k', type: 'string' as const, default: '' },
];
