// kubectl kustomize [DIR]: prints what kubectl's embedded kustomize builds from a kustomization
// directory, as YAML documents separated by `---` (or writes them to --output).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError } from '../api/errors.js';
import { parseFlags, str } from './flags.js';
import type { IO } from './io.js';

const FLAGS = [
  { name: 'as-current-user', type: 'bool' as const, default: false },
  { name: 'enable-alpha-plugins', type: 'bool' as const, default: false },
  { name: 'enable-helm', type: 'bool' as const, default: false },
  { name: 'env', short: 'e', type: 'stringArray' as const, default: [] as string[] },
  { name: 'helm-api-versions', type: 'stringArray' as const, default: [] as string[] },
  { name: 'helm-command', type: 'string' as const, default: 'helm' },
  { name: 'helm-debug', type: 'bool' as const, default: false },
  { name: 'helm-kube-version', type: 'string' as const, default: '' },
  { name: 'load-restrictor', type: 'string' as const, default: 'LoadRestrictionsRootOnly' },
  { name: 'mount', type: 'stringArray' as const, default: [] as string[] },
  { name: 'network', type: 'bool' as const, default: false },
  { name: 'network-name', type: 'string' as const, default: 'bridge' },
  { name: 'output', short: 'o', type: 'string' as const, default: '' },
];

export default async function kustomize(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(argv, FLAGS, 'kustomize');
  if (p.args.length > 1) throw new CliError('specify one path to a kustomization directory');
  const { kustomizeBuild } = await import('./kustomize/build.js');
  const { toYaml } = await import('../printers/yaml.js');
  let text: string;
  try {
    const objs = kustomizeBuild(io.cwd, p.args[0] ?? '.', (w) => io.stderr.write(w));
    text = objs.map((o) => toYaml(o)).join('---\n');
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    // upstream kubectl's main prints a command's error with CheckErr's `error: ` prefix
    io.stderr.write(`error: ${e.message}\n`);
    return 1;
  }
  const out = str(p, 'output');
  if (out) writeFileSync(resolve(io.cwd, out), text);
  else io.stdout.write(text);
  return 0;
}
