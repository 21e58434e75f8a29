// The replay's clock step between commands: no write of its own, applied by the next command that
// opens the cluster (which then saves it as a writer does).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { advanceOnNextOpen, pendingAdvanceMs } from '../../src/cli/session.js';
import { Sandbox } from '../harness.js';

const sandbox = new Sandbox();
afterAll(() => sandbox.dispose());
const stamp = () => statSync(join(sandbox.home, 'store.json')).mtimeMs + statSync(join(sandbox.home, 'store.json')).ino;

describe('advanceOnNextOpen', () => {
  it('moves the clock with the next command that opens the cluster, in that command’s write', async () => {
    expect((await sandbox.run(['clock', 'freeze'])).stdout).toBe('2026-11-22T21:00:00Z (frozen)\n');
    const before = stamp();
    advanceOnNextOpen(sandbox.home, 5000);
    advanceOnNextOpen(sandbox.home, 1000);
    expect(stamp()).toBe(before);
    // a command that does not open the cluster leaves it waiting
    await sandbox.run(['config', 'current-context']);
    expect(pendingAdvanceMs(sandbox.home)).toBe(6000);
    // a reader applies it and saves it
    expect((await sandbox.run(['get', 'pods'])).stderr).toBe('No resources found in default namespace.\n');
    expect(pendingAdvanceMs(sandbox.home)).toBe(0);
    expect(stamp()).not.toBe(before);
    expect((await sandbox.run(['clock'])).stdout).toBe('2026-11-22T21:00:06Z (frozen)\n');
  });

  it('keeps it waiting when a command fails before it opens the cluster', async () => {
    advanceOnNextOpen(sandbox.home, 2000);
    const r = await sandbox.run(['get', 'pods', '--kubeconfig', 'missing']);
    expect(r.code).toBe(1);
    expect(pendingAdvanceMs(sandbox.home)).toBe(2000);
    await sandbox.run(['run', 'web', '--image=nginx']);
    expect((await sandbox.run(['clock'])).stdout).toBe('2026-11-22T21:00:08Z (frozen)\n');
  });
});
