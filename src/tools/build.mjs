// Builds the single CLI bundle (bin/dist/kubesim.cjs) and, when present, the schema validators
// compiled to standalone code (bin/dist/validators.cjs), which the bundle loads only when it validates.
import { build } from 'esbuild';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'bin', 'dist');
mkdirSync(out, { recursive: true });

const genValidators = join(root, 'src', 'tools', 'gen-validators.mjs');
if (existsSync(genValidators)) {
  const { generateValidators } = await import(genValidators);
  await generateValidators(join(out, 'validators.cjs'));
}

await build({
  entryPoints: [join(root, 'src', 'main.ts')],
  outfile: join(out, 'kubesim.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  external: ['./validators.cjs', 'just-bash'],
  logLevel: 'warning',
});
rmSync(join(out, 'kubesim.cjs.cache'), { force: true });
