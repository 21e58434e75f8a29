// sort in a container compares bytes (no locale is set in containers), as busybox and GNU sort do.
import { afterAll, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

const sb = new Sandbox();
afterAll(() => sb.dispose());

it('sorts environment-style lines in byte order, with -r and -u', async () => {
  await sb.run(['clock', 'freeze']);
  await sb.run(['run', 'b', '--image=busybox', '--', 'sleep', '3600']);
  await sb.run(['clock', 'advance', '10s']);
  const r = await sb.run(['exec', 'b', '--', 'sh', '-c', 'printf "A_PORT_443=1\\nA_PORT=x\\nb\\nB\\na\\n_z\\nb\\n" | sort; printf "b\\na\\nb\\n" | sort -ru; printf "10\\n9\\n" | sort -n']);
  expect(r.stdout).toBe('A_PORT=x\nA_PORT_443=1\nB\n_z\na\nb\nb\nb\na\n9\n10\n');
});
