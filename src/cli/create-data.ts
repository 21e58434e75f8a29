// Data sources of `create configmap|secret generic`: --from-literal, --from-file, --from-env-file.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { CliError } from '../api/errors.js';

export interface DataResult {
  data: Record<string, string>;
  binary: Record<string, string>;
}

function add(out: DataResult, key: string, value: Buffer, kind: string, name: string, isSecret: boolean): void {
  if (key in out.data || key in out.binary) {
    throw new CliError(`cannot add key "${key}", another key by that name already exists in ${isSecret ? 'Data' : 'Data'} for ${kind} "${name}"`);
  }
  const text = value.toString('utf8');
  if (isSecret) out.data[key] = value.toString('base64');
  else if (Buffer.from(text, 'utf8').equals(value)) out.data[key] = text;
  else out.binary[key] = value.toString('base64');
}

export function collectData(
  cwd: string,
  literals: string[],
  files: string[],
  envFiles: string[],
  kind: string,
  name: string,
  isSecret: boolean,
): DataResult {
  const out: DataResult = { data: {}, binary: {} };
  for (const f of files) {
    const eq = f.indexOf('=');
    const key = eq > 0 ? f.slice(0, eq) : undefined;
    const path = resolve(cwd, eq > 0 ? f.slice(eq + 1) : f);
    let st;
    try {
      st = statSync(path);
    } catch {
      throw new CliError(`error reading ${eq > 0 ? f.slice(eq + 1) : f}: no such file or directory`);
    }
    if (st.isDirectory()) {
      if (key) throw new CliError('cannot give a key name for a directory path');
      for (const e of readdirSync(path).sort()) {
        const p = resolve(path, e);
        if (statSync(p).isFile()) add(out, e, readFileSync(p), kind, name, isSecret);
      }
    } else add(out, key ?? basename(path), readFileSync(path), kind, name, isSecret);
  }
  for (const l of literals) {
    const eq = l.indexOf('=');
    if (eq <= 0) throw new CliError(`invalid literal source ${l}, expected key=value`);
    add(out, l.slice(0, eq), Buffer.from(l.slice(eq + 1)), kind, name, isSecret);
  }
  for (const f of envFiles) {
    let text: string;
    try {
      text = readFileSync(resolve(cwd, f), 'utf8');
    } catch {
      throw new CliError(`error reading ${f}: no such file or directory`);
    }
    text.split('\n').forEach((line, i) => {
      const t = line.replace(/^\uFEFF/, '').trimStart();
      if (!t || t.startsWith('#')) return;
      const eq = t.indexOf('=');
      if (eq < 0) {
        const v = process.env[t];
        if (v !== undefined) add(out, t, Buffer.from(v), kind, name, isSecret);
        return;
      }
      const key = t.slice(0, eq);
      if (/\s/.test(key)) throw new CliError(`"${key}" is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (line ${i + 1})`);
      add(out, key, Buffer.from(t.slice(eq + 1)), kind, name, isSecret);
    });
  }
  return out;
}
