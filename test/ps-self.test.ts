// ps lists itself, also when a shell runs it (busybox's ps reads /proc, where it is the newest process).
import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

const sb = new Sandbox();
afterAll(() => sb.dispose());

describe('ps', () => {
  it('shows itself beside the shell that runs it', async () => {
    await sb.run(['clock', 'freeze']);
    await sb.run(['run', 'bb', '--image=busybox', '--', 'sleep', '3600']);
    await sb.run(['clock', 'advance', '20s']);
    const r = await sb.run(['exec', 'bb', '--', 'sh', '-c', 'ps; true']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('PID   USER     TIME  COMMAND');
    expect(lines[1]).toMatch(/^ +1 root +0:00 sleep 3600$/);
    const [, shPid] = /^ +(\d+) root +0:00 sh -c ps; true$/.exec(lines[2])!;
    expect(lines[3]).toBe(`${String(Number(shPid) + 1).padStart(5)} root      0:00 ps`);
    const direct = (await sb.run(['exec', 'bb', '--', 'ps'])).stdout.trimEnd().split('\n');
    expect(direct).toHaveLength(3);
    expect(direct[2]).toMatch(/^ +\d+ root +0:00 ps$/);
  });
});
