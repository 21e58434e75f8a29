import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireLock } from './lock.js';
import { readState, storePaths, writeState } from './file-store.js';
import { emptyState } from './state.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'kubesim-store-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('file store', () => {
  it('round-trips state and replaces the file atomically', () => {
    const paths = storePaths(tmp());
    expect(readState(paths)).toBeUndefined();
    const s = emptyState(1000, 7);
    writeState(paths, s);
    expect(readState(paths)).toEqual(s);
    expect(JSON.parse(readFileSync(paths.file, 'utf8')).schemaVersion).toBe(1);
  });

  it('refuses a store of another schema version', () => {
    const paths = storePaths(tmp());
    writeFileSync(paths.file, JSON.stringify({ schemaVersion: 99 }));
    expect(() => readState(paths)).toThrow(/schema version 99/);
  });
});

describe('lock', () => {
  it('is exclusive and breaks a lock whose owner is dead', () => {
    const lockPath = join(tmp(), 'store.lock');
    const l = acquireLock(lockPath);
    expect(() => acquireLock(lockPath, 50)).toThrow(/timed out/);
    l.release();
    expect(existsSync(lockPath)).toBe(false);
    writeFileSync(lockPath, '999999999');
    const l2 = acquireLock(lockPath, 1000);
    expect(readFileSync(lockPath, 'utf8')).toBe(String(process.pid));
    l2.release();
  });
});
