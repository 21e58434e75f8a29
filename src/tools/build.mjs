// Builds the single CLI bundle (bin/dist/kubesim.cjs) and, when present, the schema validators
// compiled to standalone code (bin/dist/validators/, one file per kind), which the bundle loads only
// when it validates;
// then warms the code caches the launcher (bin/kubesim) runs them through (src/tools/warm-cache.mjs).
//  - Node built-ins that cost milliseconds to load (crypto, net, readline, tty…) are loaded on first
//    use: kubesim's own imports of them go through a stand-in module of wrappers (lazyBuiltins).
//  - The bundle must be ASCII: one other character anywhere makes V8 keep the whole source as a
//    two-byte string (twice the memory to read and hash at every start), so the build fails on one.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packCatalog } from './catalog-pack.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'bin', 'dist');
mkdirSync(out, { recursive: true });

const genValidators = join(root, 'src', 'tools', 'gen-validators.mjs');
const validatorFiles = [];
if (existsSync(genValidators)) {
  const { generateValidators } = await import(genValidators);
  rmSync(join(out, 'validators.cjs'), { force: true }); // the single file of earlier builds
  validatorFiles.push(...(await generateValidators(join(out, 'validators'))));
}

/** Built-ins whose load costs time at start-up; kubesim's code calls functions of them only. */
const LAZY_BUILTINS = ['crypto', 'net', 'os', 'readline', 'tty', 'http', 'child_process', 'zlib', 'module'];
const nodeRequire = createRequire(import.meta.url);

/**
 * An esbuild plugin: `import { f } from 'node:crypto'` in src/ gets a module whose `f` loads
 * node:crypto when first called (a class is constructed through it with `new`). An import of a name
 * that is not a function fails the build (no matching export), so nothing is silently eager.
 */
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    const src = join(root, 'src') + sep;
    const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|')})$`);
    b.onResolve({ filter }, (args) => {
      if (!args.importer.startsWith(src)) return undefined;
      return { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, ({ path }) => {
      const mod = nodeRequire(`node:${path}`);
      const names = Object.keys(mod).filter((k) => typeof mod[k] === 'function' && /^[A-Za-z_$][\w$]*$/.test(k) && k !== 'default');
      const lines = [`let m;`, `const g = () => (m ??= require('node:${path}'));`];
      for (const n of names) lines.push(`export function ${n}(...a) { return new.target ? new (g().${n})(...a) : g().${n}(...a); }`);
      lines.push(`export default new Proxy({}, { get: (_, k) => g()[k] });`);
      return { contents: lines.join('\n'), loader: 'js' };
    });
  },
};

/**
 * Packages bundled behind a facade of wrappers, evaluated on first use: yaml's 60-odd modules cost
 * about a millisecond and 150 KB of young objects to evaluate, and `get pods` (which reads the
 * kubeconfig from its parsed copy) calls none of them. Each exported function becomes a wrapper that
 * evaluates the package when first called or constructed; its static members (visit.BREAK,
 * Scalar.PLAIN…) read through, and `instanceof` tests against the real class. @noble/hashes' sha256
 * (the lock's name) builds its tables when evaluated, which a command that takes no lock skips.
 */
const LAZY_PACKAGES = ['yaml', '@noble/hashes/sha2', '@noble/hashes/utils'];

const lazyPackages = {
  name: 'lazy-packages',
  setup(b) {
    const src = join(root, 'src') + sep;
    const filter = new RegExp(`^(${LAZY_PACKAGES.join('|')})$`);
    b.onResolve({ filter }, (args) => {
      if (!args.importer.startsWith(src)) return undefined;
      return { path: args.path, namespace: 'lazy-package' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-package' }, ({ path }) => {
      const mod = nodeRequire(path);
      const own = (f) => Object.getOwnPropertyNames(f).filter((k) => !['length', 'name', 'prototype', 'arguments', 'caller'].includes(k));
      const names = Object.keys(mod).filter((k) => typeof mod[k] === 'function' && /^[A-Za-z_$][\w$]*$/.test(k) && k !== 'default');
      // the facade's own require of the package resolves normally (its importer is not in src/)
      const lines = [`let m;`, `const g = () => (m ??= require(${JSON.stringify(path)}));`, `const def = Object.defineProperty;`];
      for (const n of names) {
        lines.push(`export function ${n}(...a) { return new.target ? new (g().${n})(...a) : g().${n}(...a); }`);
        lines.push(`def(${n}, Symbol.hasInstance, { value: (x) => x instanceof g().${n} });`);
        for (const k of own(mod[n])) lines.push(`def(${n}, ${JSON.stringify(k)}, { get: () => g().${n}[${JSON.stringify(k)}] });`);
      }
      return { contents: lines.join('\n'), loader: 'js', resolveDir: root };
    });
  },
};

/**
 * @noble/hashes reads globalThis.crypto when its utils load, for random bytes kubesim never asks it
 * for (lock.ts hashes with its sha256); in Node that read loads WebCrypto, milliseconds at every
 * start. Its `crypto` module is replaced by one that has none.
 */
const nobleWithoutWebCrypto = {
  name: 'noble-without-webcrypto',
  setup(b) {
    b.onResolve({ filter: /^@noble\/hashes\/crypto(\.js)?$/ }, () => ({ path: 'noble-crypto', namespace: 'noble-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'noble-stub' }, () => ({ contents: 'export const crypto = undefined;', loader: 'js' }));
  },
};

const result = await build({
  entryPoints: [join(root, 'src', 'main.ts')],
  outfile: join(out, 'kubesim.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  charset: 'ascii',
  external: ['just-bash'],
  plugins: [lazyBuiltins, lazyPackages, nobleWithoutWebCrypto],
  logLevel: 'warning',
  write: false,
});

/** Fails the build on a non-ASCII character, naming where it is. */
function assertAscii(name, text) {
  const at = text.search(/[^\x00-\x7f]/);
  if (at < 0) return;
  const where = text.slice(Math.max(0, at - 60), at + 20).replace(/\n/g, ' ');
  throw new Error(
    `${name} has a non-ASCII character at offset ${at} (...${where}...): V8 would hold the whole bundle as a two-byte string. ` +
      'Write it as an escape in the source (\\u00b5 in a regular expression or String.raw text; esbuild escapes the ones in strings).',
  );
}

/** Replaces a file whole (a command starting meanwhile reads the old one or the new one, never a part). */
function writeAtomic(file, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/**
 * Node's CommonJS wrapper, around the files only the launcher runs (the bundle, the just-bash copy):
 * it compiles them as read, with no megabyte-long concatenation for V8 to flatten first.
 */
const [WRAP_HEAD, WRAP_TAIL] = ['(function (exports, require, module, __filename, __dirname) { ', '\n});'];

const bundleText = WRAP_HEAD + result.outputFiles[0].text + WRAP_TAIL;
assertAscii('bin/dist/kubesim.cjs', bundleText);
writeAtomic(join(out, 'kubesim.cjs'), bundleText);
// the image catalog as the bundle reads it (src/tools/catalog-pack.mjs)
{
  const images = join(root, 'fixtures', 'images.json');
  writeAtomic(join(out, 'images.pack'), packCatalog(readFileSync(images, 'utf8'), statSync(images)));
}
try {
  for (const f of validatorFiles) assertAscii(f.slice(root.length + 1), readFileSync(f, 'latin1'));
} catch (e) {
  rmSync(join(out, 'validators'), { recursive: true, force: true });
  throw e;
}

// just-bash as ASCII (its licence comments hold a non-ASCII name): each other character becomes a \u
// escape, which reads the same in its strings, regular expressions and comments. The first line says
// which file it copies; the launcher runs it only while that file is unchanged.
{
  const original = nodeRequire.resolve('just-bash');
  const st = statSync(original);
  const text = readFileSync(original, 'utf8');
  const ascii = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  writeAtomic(join(out, 'just-bash.cjs'), `// just-bash ${st.size} ${st.mtimeMs}\n${WRAP_HEAD}${ascii}${WRAP_TAIL}`);
}

// every cache was made from the files just replaced
for (const f of readdirSync(out)) if (f.endsWith('.cache') || f.endsWith('.tmp')) rmSync(join(out, f), { force: true });
if (!process.env.KUBESIM_NO_WARM) {
  const { warmCodeCache } = await import('./warm-cache.mjs');
  await warmCodeCache(root);
}
