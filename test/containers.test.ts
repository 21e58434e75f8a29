// Containers end to end through the CLI: cp both ways, exec exit codes, logs selection.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

let sb: Sandbox;
let dir: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kubesim-cp-'));
  sb = new Sandbox(dir);
  await sb.run(['clock', 'freeze']);
  await sb.run(['run', 'web', '--image=nginx']);
  await sb.run(['clock', 'advance', '10s']);
});

afterEach(() => {
  sb.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('containers', () => {
  it('copies files into and out of the container filesystem', async () => {
    writeFileSync(join(dir, 'page.html'), '<h1>mine</h1>\n');
    expect((await sb.run(['cp', 'page.html', 'web:/usr/share/nginx/html/index.html'])).code).toBe(0);
    const served = await sb.run(['exec', 'web', '--', 'curl', '-s', 'localhost']);
    expect(served.stdout).toBe('<h1>mine</h1>\n');
    const out = await sb.run(['cp', 'web:/etc/hostname', 'hn']);
    // kubectl's tar pipe sends the remote tar's standard error to kubectl's standard output
    expect(out.stdout).toBe("tar: Removing leading `/' from member names\n");
    expect(readFileSync(join(dir, 'hn'), 'utf8')).toBe('web\n');
  });

  it('returns the command exit status and keeps files between execs', async () => {
    const r = await sb.run(['exec', 'web', '--', 'sh', '-c', 'echo x > /tmp/a; exit 5']);
    expect(r.code).toBe(5);
    expect(r.stderr).toBe('command terminated with exit code 5\n');
    expect((await sb.run(['exec', 'web', '--', 'cat', '/tmp/a'])).stdout).toBe('x\n');
  });

  it('resets the container filesystem on restart but the log keeps the previous run', async () => {
    await sb.run(['exec', 'web', '--', 'sh', '-c', 'echo x > /tmp/a']);
    await sb.run(['exec', 'web', '--', 'sh', '-c', 'kill 1']);
    await sb.run(['clock', 'advance', '5s']);
    const pods = await sb.run(['get', 'pods']);
    expect(pods.stdout).toMatch(/web\s+1\/1\s+Running\s+1 \(/);
    expect((await sb.run(['exec', 'web', '--', 'cat', '/tmp/a'])).code).toBe(1);
    expect((await sb.run(['logs', 'web', '--previous'])).stdout).toContain('signal 15 (SIGTERM) received');
  });
});

describe('the kubelet, as a cluster shows it', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = new Sandbox();
    await sb.run(['clock', 'freeze']);
  });
  afterEach(() => sb.dispose());

  it("expands $(VAR) in command and args from the container's env", async () => {
    await sb.run(['run', 'x', '--image=busybox', '--env=MESSAGE=hi', '--restart=Never', '--', 'echo', '$(MESSAGE)', '$$(MESSAGE)', '$(NOPE)', 'a$b', '$(KUBERNETES_SERVICE_HOST)', '$(unclosed']);
    await sb.run(['clock', 'advance', '20s']);
    expect((await sb.run(['logs', 'x'])).stdout).toBe('hi $(MESSAGE) $(NOPE) a$b 10.96.0.1 $(unclosed\n');
  });

  it('writes hostAliases under one header, a line per entry (hostsEntriesFromHostAliases)', async () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: h\nspec:\n  hostAliases:\n  - ip: "10.1.2.3"\n    hostnames: ["foo.local", "bar.local"]\n  - ip: "10.1.2.4"\n    hostnames: ["baz"]\n  containers:\n  - name: c\n    image: busybox\n    command: ["sleep", "3600"]\n';
    await sb.run(['apply', '-f', '-'], pod);
    await sb.run(['clock', 'advance', '20s']);
    const hosts = (await sb.run(['exec', 'h', '--', 'cat', '/etc/hosts'])).stdout;
    expect(hosts.slice(hosts.indexOf('\n\n'))).toBe('\n\n# Entries added by HostAliases.\n10.1.2.3\tfoo.local\tbar.local\n10.1.2.4\tbaz\n');
  });

  it('keeps logs as the CRI log does: split on newlines only, an unterminated tail printed as it is', async () => {
    await sb.run(['run', 'x', '--image=busybox', '--restart=Never', '--', 'sh', '-c', "printf a; printf 'b\\n'; printf c"]);
    await sb.run(['clock', 'advance', '20s']);
    expect((await sb.run(['logs', 'x'])).stdout).toBe('ab\nc');
    expect((await sb.run(['logs', 'x', '--tail', '1'])).stdout).toBe('c');
  });

  it('reports container statuses sorted by name', async () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: two\nspec:\n  containers:\n  - name: zeta\n    image: busybox\n    command: ["sleep", "3600"]\n  - name: alpha\n    image: busybox\n    command: ["sleep", "3600"]\n';
    await sb.run(['apply', '-f', '-'], pod);
    await sb.run(['clock', 'advance', '20s']);
    expect((await sb.run(['get', 'pod', 'two', '-o', 'jsonpath={.status.containerStatuses[*].name}'])).stdout).toBe('alpha zeta');
  });
});
