// kubectl version [--client] [-o json|yaml]
import { CliError } from '../api/errors.js';
import type { KObj } from '../api/types.js';
import { KUBE_VERSION } from '../sim/bootstrap.js';
import { bool, parseFlags, str } from './flags.js';
import type { IO } from './io.js';

export const CLIENT_VERSION = 'v1.32.4';

function info(gitVersion: string, minor: string, buildDate: string, commit: string, goVersion: string): KObj {
  return {
    major: '1',
    minor,
    gitVersion,
    gitCommit: commit,
    gitTreeState: 'clean',
    buildDate,
    goVersion,
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

/** The API server's version.Info (its /version document). */
export function serverVersionInfo(): KObj {
  return info(KUBE_VERSION, '32', '2024-12-11T17:59:15Z', '70d3cc986aa8221cd1dfb1121852688902d3bf53', 'go1.23.3');
}

export default async function version(argv: string[], io: IO): Promise<number> {
  const p = parseFlags(
    argv,
    [
      { name: 'client', type: 'bool', default: false },
      { name: 'output', short: 'o', type: 'string', default: '' },
    ],
    'version',
  );
  const out = str(p, 'output');
  if (out && out !== 'json' && out !== 'yaml') throw new CliError('--output must be \'yaml\' or \'json\'');
  const data: KObj = { clientVersion: info(CLIENT_VERSION, '32', '2025-04-22T15:58:04Z', 'c9c4b6e4b1e8b3c5c8e7f4d0d79dd8eb71cd0d61', 'go1.23.6'), kustomizeVersion: 'v5.5.0' };
  if (!bool(p, 'client')) data.serverVersion = serverVersionInfo();
  if (out === 'json') {
    io.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    return 0;
  }
  if (out === 'yaml') {
    const { toYaml } = await import('../printers/index.js');
    io.stdout.write(toYaml(data));
    return 0;
  }
  io.stdout.write(`Client Version: ${CLIENT_VERSION}\nKustomize Version: v5.5.0\n`);
  if (data.serverVersion) io.stdout.write(`Server Version: ${KUBE_VERSION}\n`);
  return 0;
}
