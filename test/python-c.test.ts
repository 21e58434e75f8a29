// python -c with the simple programs tutorials run: translated to the container's shell, in simulated time.
import { afterAll, describe, expect, it } from 'vitest';
import { pythonToShell } from '../src/runtime/python-c.js';
import { Sandbox } from './harness.js';

const sb = new Sandbox();
afterAll(() => sb.dispose());

describe('python -c', () => {
  it('translates prints, f-strings, range and while loops, sleeps, the host name and the environment', () => {
    expect(pythonToShell("print('hi')")).toBe(`printf '%s\\n' "hi"`);
    expect(pythonToShell('import time\nfor i in range(3):\n    print(i, flush=True)\n    time.sleep(1)')).toBe(`:\ni=0; while [ "$i" -lt 3 ]; do printf '%s\\n' "$i"; sleep 1; i=$((i + 1)); done`);
    expect(pythonToShell("import os; print(f\"Hello {os.environ['NAME']}!\")")).toBe(`:\nprintf '%s\\n' "Hello $NAME!"`);
    expect(pythonToShell("x = 2\nprint('x', x * 3, sep='=', end='')")).toBe(`x="2"\nprintf '%s%s' "x=$((x * 3))" ""`);
    // outside the subset: not translated
    expect(pythonToShell('print(sum([1, 2]))')).toBeUndefined();
    expect(pythonToShell('def f():\n    return 1\nprint(f())')).toBeUndefined();
  });

  it('runs as a container program and under exec; other programs stay unrunnable', async () => {
    await sb.run(['clock', 'freeze']);
    await sb.run(['run', 'count', '--image=python:3.12', '--restart=Never', '--', 'python3', '-c', 'import time\nfor i in range(3):\n    print(i, flush=True)\n    time.sleep(1)']);
    await sb.run(['run', 'ticker', '--image=python:3.12', '--', 'python', '-u', '-c', "import time, socket\nwhile True:\n    print(f'hello from {socket.gethostname()}')\n    time.sleep(10)"]);
    await sb.run(['clock', 'advance', '40s']);
    expect((await sb.run(['get', 'pod', 'count', '-o', 'jsonpath={.status.phase}'])).stdout).toBe('Succeeded');
    expect((await sb.run(['logs', 'count'])).stdout).toBe('0\n1\n2\n');
    expect((await sb.run(['logs', 'ticker'])).stdout).toMatch(/^(hello from ticker\n){3,4}$/);
    expect((await sb.run(['exec', 'ticker', '--', 'python', '-c', 'print(2 + 3)'])).stdout).toBe('5\n');
    const other = await sb.run(['exec', 'ticker', '--', 'python', '-c', 'print(sum([1, 2]))']);
    expect([other.stderr, other.code]).toEqual(['kubesim: python is in the image, but the simulation cannot run it\ncommand terminated with exit code 126\n', 126]);
  });
});
