// Helpers for the store's own tests: throw-away homes, states of N pods, the manifest as written.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storePaths, type StorePaths } from './file-store.js';
import type { Manifest } from './segments.js';
import { emptyState, type StoreState } from './state.js';

export const T = Date.parse('2026-11-22T21:00:00Z');

/** Throw-away homes: `home()` makes one (its store's paths), `clear()` removes them all. */
export function homes(prefix: string): { home: () => StorePaths; clear: () => void } {
  const dirs: string[] = [];
  return {
    home() {
      const d = mkdtempSync(join(tmpdir(), `kubesim-${prefix}-`));
      dirs.push(d);
      return storePaths(join(d, 'home'));
    },
    clear() {
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}

export const pod = (name: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', resourceVersion: '5' }, ...extra });

/** A new state holding pods p-0 … p-(n-1). */
export function withPods(n: number): StoreState {
  const s = emptyState(T, 7);
  s.objects.pods = {};
  for (let i = 0; i < n; i++) s.objects.pods[`default/p-${i}`] = pod(`p-${i}`);
  return s;
}

/** The manifest as written. */
export const manifest = (paths: StorePaths) => JSON.parse(readFileSync(paths.file, 'utf8')) as Manifest;
