// kubectl cp as a tar stream: bytes round-trip unchanged, links stay links (never followed), modes
// reach the container, and kubectl's and the image tar's messages.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox, storeText } from './harness.js';

let sb: Sandbox;
let dir: string;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kubesim-cp-'));
  sb = new Sandbox(dir);
  await sb.run(['clock', 'freeze']);
  await sb.run(['run', 'web', '--image=nginx']);
  await sb.run(['run', 'bb', '--image=busybox', '--', 'sleep', '3600']);
  await sb.run(['clock', 'advance', '10s']);
});

afterEach(() => {
  sb.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('kubectl cp', () => {
  it('carries binary bytes both ways unchanged', async () => {
    const data = randomBytes(4096);
    writeFileSync(join(dir, 'blob.bin'), data);
    const put = await sb.run(['cp', 'blob.bin', 'web:/tmp/blob.bin']);
    expect(put).toEqual({ stdout: '', stderr: '', code: 0 });
    // the container sees the same bytes (in a later invocation, from the store)
    const sum = await sb.run(['exec', 'web', '--', 'sh', '-c', 'wc -c < /tmp/blob.bin; sha256sum /tmp/blob.bin']);
    expect(sum.stdout).toBe(`4096\n${sha(data)}  /tmp/blob.bin\n`);
    const back = await sb.run(['cp', 'web:tmp/blob.bin', 'back.bin']);
    expect(back).toEqual({ stdout: '', stderr: '', code: 0 });
    const got = readFileSync(join(dir, 'back.bin'));
    expect(got.length).toBe(4096);
    expect(sha(got)).toBe(sha(data));
  });

  it('keeps text files as text and copies a binary made inside the container', async () => {
    await sb.run(['exec', 'web', '--', 'sh', '-c', 'echo Y2Fmw6kA/wo= | base64 -d > /tmp/mixed; cp /tmp/mixed /tmp/copy; cat /tmp/copy | wc -c']);
    const out = await sb.run(['cp', 'web:/tmp/copy', 'copy']);
    expect(out.code).toBe(0);
    expect([...readFileSync(join(dir, 'copy'))]).toEqual([0x63, 0x61, 0x66, 0xc3, 0xa9, 0x00, 0xff, 0x0a]);
    const store = storeText(sb.home);
    expect(store).toContain('"/tmp/copy":"\\u0000b64:Y2Fmw6kA/wo="');
  });

  it('prints the image tar notice on stdout for an absolute path (GNU and BusyBox)', async () => {
    const gnu = await sb.run(['cp', 'web:/etc/hostname', 'hn']);
    expect(gnu).toEqual({ stdout: "tar: Removing leading `/' from member names\n", stderr: '', code: 0 });
    expect(readFileSync(join(dir, 'hn'), 'utf8')).toBe('web\n');
    const bb = await sb.run(['cp', 'bb:/etc/hostname', 'hn2']);
    expect(bb).toEqual({ stdout: "tar: removing leading '/' from member names\n", stderr: '', code: 0 });
  });

  it('fails as the image tar does for a missing file', async () => {
    expect(await sb.run(['cp', 'web:/nope', 'x'])).toEqual({
      stdout: "tar: Removing leading `/' from member names\ntar: /nope: Cannot stat: No such file or directory\ntar: Exiting with failure status due to previous errors\n",
      stderr: 'command terminated with exit code 2\n',
      code: 2,
    });
    expect(await sb.run(['cp', 'bb:/nope', 'x'])).toEqual({
      stdout: 'tar: /nope: No such file or directory\ntar: error exit delayed from previous errors\n',
      stderr: 'command terminated with exit code 1\n',
      code: 1,
    });
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  it("refuses a local directory as a file's destination, as kubectl does", async () => {
    mkdirSync(join(dir, 'out'));
    const r = await sb.run(['cp', 'web:/etc/hostname', 'out']);
    expect(r).toEqual({ stdout: "tar: Removing leading `/' from member names\n", stderr: 'error: open out: is a directory\n', code: 1 });
  });

  it('does not follow links in the container: they are skipped locally with kubectl warnings', async () => {
    await sb.run(['exec', 'web', '--', 'sh', '-c', 'mkdir -p /d/sub && echo a > /d/a && echo b > /d/sub/b && ln -s .. /d/up && ln -s /etc/ssl /d/ssl']);
    const r = await sb.run(['cp', 'web:/d', 'out']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("tar: Removing leading `/' from member names\n");
    expect(r.stderr).toBe(
      'warning: skipping symlink: "out/ssl" -> "/etc/ssl" (consider using "kubectl exec -n "" "web" -- tar cf - "/d" | tar xf -")\n' +
        'warning: skipping symlink: "out/up" -> ".."\n',
    );
    expect(readFileSync(join(dir, 'out/a'), 'utf8')).toBe('a\n');
    expect(readFileSync(join(dir, 'out/sub/b'), 'utf8')).toBe('b\n');
    expect(existsSync(join(dir, 'out/up'))).toBe(false);
    expect(existsSync(join(dir, 'out/ssl'))).toBe(false);
  });

  it('copies a local tree into the container with links as links and modes kept', async () => {
    mkdirSync(join(dir, 'tree/sub'), { recursive: true });
    mkdirSync(join(dir, 'tree/empty'));
    writeFileSync(join(dir, 'tree/run.sh'), '#!/bin/sh\necho hi\n', { mode: 0o755 });
    writeFileSync(join(dir, 'tree/sub/f'), 'f\n');
    symlinkSync('..', join(dir, 'tree/sub/up'));
    symlinkSync('/etc/ssl', join(dir, 'tree/ssl'));
    const r = await sb.run(['cp', 'tree', 'web:/tmp/tree']);
    expect(r).toEqual({ stdout: '', stderr: '', code: 0 });
    const ls = await sb.run(['exec', 'web', '--', 'sh', '-c', 'readlink /tmp/tree/sub/up; readlink /tmp/tree/ssl; cat /tmp/tree/sub/f; stat -c %a /tmp/tree/run.sh; test -d /tmp/tree/empty && echo empty-dir']);
    expect(ls.stdout).toBe('..\n/etc/ssl\nf\n755\nempty-dir\n');
    // into an existing directory: the source's name is kept
    const again = await sb.run(['cp', 'tree', 'web:/tmp']);
    expect(again.code).toBe(0);
    expect((await sb.run(['exec', 'web', '--', 'cat', '/tmp/tree/sub/f'])).stdout).toBe('f\n');
    // and back out: files and directories, links skipped, nothing outside the destination
    const out = await sb.run(['cp', 'web:tmp/tree', 'back']);
    expect(out.code).toBe(0);
    expect(readFileSync(join(dir, 'back/sub/f'), 'utf8')).toBe('f\n');
    expect(statSync(join(dir, 'back/empty')).isDirectory()).toBe(true);
    expect(existsSync(join(dir, 'back/ssl'))).toBe(false);
  });

  it('applies the umask with --no-preserve and reports a missing container directory', async () => {
    writeFileSync(join(dir, 'x.sh'), 'x\n', { mode: 0o777 });
    expect((await sb.run(['cp', '--no-preserve', 'x.sh', 'web:/tmp/x.sh'])).code).toBe(0);
    expect((await sb.run(['exec', 'web', '--', 'stat', '-c', '%a', '/tmp/x.sh'])).stdout).toBe('755\n');
    expect(await sb.run(['cp', 'x.sh', 'web:/no/such/x.sh'])).toEqual({
      stdout: '',
      stderr: 'tar: /no/such: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\ncommand terminated with exit code 2\n',
      code: 2,
    });
    expect(await sb.run(['cp', 'x.sh', 'bb:/no/such/x.sh'])).toEqual({
      stdout: '',
      stderr: "tar: can't change directory to '/no/such': No such file or directory\ncommand terminated with exit code 1\n",
      code: 1,
    });
  });

  it("reports kubectl's errors for file specs and missing local files", async () => {
    expect(await sb.run(['cp', 'nope.txt', 'web:/tmp/'])).toEqual({ stdout: '', stderr: "error: nope.txt doesn't exist in local filesystem\n", code: 1 });
    expect((await sb.run(['cp', ':x', 'y'])).stderr).toBe('error: filespec must match the canonical format: [[namespace/]pod:]file/path\n');
    expect((await sb.run(['cp', 'web:', 'y'])).stderr).toBe('error: filepath can not be empty\n');
    expect((await sb.run(['cp', 'a', 'b'])).stderr).toBe('error: one of src or dest must be a remote file specification\n');
    expect((await sb.run(['cp', 'web:/a', 'web:/b'])).stderr).toBe('error: one of src or dest must be a local file specification\n');
  });

  it('copies a top-level local link as a link', async () => {
    writeFileSync(join(dir, 'target'), 't\n');
    symlinkSync('target', join(dir, 'link'));
    expect((await sb.run(['cp', 'link', 'web:/tmp/link'])).code).toBe(0);
    expect((await sb.run(['exec', 'web', '--', 'readlink', '/tmp/link'])).stdout).toBe('target\n');
    expect(lstatSync(join(dir, 'link')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link'))).toBe('target');
  });

  it('fails as exec does for a completed pod, and without tar in the image', async () => {
    await sb.run(['run', 'done', '--image=busybox', '--restart=Never', '--', 'true']);
    await sb.run(['run', 'hello', '--image=us-docker.pkg.dev/google-samples/containers/gke/hello-app:1.0']);
    await sb.run(['clock', 'advance', '20s']);
    expect(await sb.run(['cp', 'done:/etc/hostname', 'x'])).toEqual({ stdout: '', stderr: 'error: cannot exec into a container in a completed pod; current phase is Succeeded\n', code: 1 });
    const r = await sb.run(['cp', 'hello:/etc/hostname', 'x']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "tar": executable file not found in \$PATH: unknown\n$/);
  });
});
