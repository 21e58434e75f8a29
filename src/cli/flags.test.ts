import { describe, expect, it } from 'vitest';
import { formatError } from '../api/errors.js';
import { parseFlags, type FlagSpec } from './flags.js';

const SPECS: FlagSpec[] = [
  { name: 'output', short: 'o', type: 'string', default: '' },
  { name: 'stdin', short: 'i', type: 'bool', default: false },
  { name: 'tty', short: 't', type: 'bool', default: false },
  { name: 'env', type: 'stringArray', default: [] },
  { name: 'tail', type: 'int', default: -1 },
  { name: 'dry-run', type: 'string', default: 'none', noOptDefault: 'unchanged' },
];

describe('parseFlags (pflag semantics)', () => {
  it('accepts flags anywhere and all value forms', () => {
    const p = parseFlags(['pods', '-o', 'yaml', 'nginx', '--env=A=1', '--env', 'B=2', '-n=kube-system'], SPECS, 'get');
    expect(p.args).toEqual(['pods', 'nginx']);
    expect(p.flags.output).toBe('yaml');
    expect(p.flags.env).toEqual(['A=1', 'B=2']);
    expect(p.flags.namespace).toBe('kube-system');
    expect(p.changed.has('output')).toBe(true);
  });

  it('groups short booleans and attaches short values', () => {
    const p = parseFlags(['-it', '-ojson', 'x'], SPECS, 'run');
    expect(p.flags.stdin).toBe(true);
    expect(p.flags.tty).toBe(true);
    expect(p.flags.output).toBe('json');
  });

  it('records the dash position', () => {
    const p = parseFlags(['busybox', '--', 'sh', '-c', 'echo hi'], SPECS, 'run');
    expect(p.args).toEqual(['busybox', 'sh', '-c', 'echo hi']);
    expect(p.dashAt).toBe(1);
  });

  it('bool=false and optional values', () => {
    const p = parseFlags(['--stdin=false', '--dry-run'], SPECS, 'run');
    expect(p.flags.stdin).toBe(false);
    expect(p.flags['dry-run']).toBe('unchanged');
  });

  it('reports pflag errors', () => {
    const err = (argv: string[]) => {
      try {
        parseFlags(argv, SPECS, 'get');
      } catch (e) {
        return formatError(e);
      }
      return '';
    };
    expect(err(['--foo'])).toBe("error: unknown flag: --foo\nSee 'kubectl get --help' for usage.");
    expect(err(['-z'])).toBe("error: unknown shorthand flag: 'z' in -z\nSee 'kubectl get --help' for usage.");
    expect(err(['--output'])).toBe("error: flag needs an argument: --output\nSee 'kubectl get --help' for usage.");
    expect(err(['--tail=x'])).toBe(
      'error: invalid argument "x" for "--tail" flag: strconv.ParseInt: parsing "x": invalid syntax\nSee \'kubectl get --help\' for usage.',
    );
  });
});
