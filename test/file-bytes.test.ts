// Container files are bytes wherever they live: Secret and ConfigMap (binaryData) volumes, emptyDirs,
// the node's hostPath files, the writable layer; modes and links survive being stored.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox, storeText } from './harness.js';

let sb: Sandbox;
let dir: string;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const data = randomBytes(1024);

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: vols
spec:
  containers:
  - name: main
    image: busybox
    command: ["sleep", "3600"]
    volumeMounts:
    - { name: sec, mountPath: /sec }
    - { name: cm, mountPath: /cm }
    - { name: scratch, mountPath: /scratch }
    - { name: host, mountPath: /host }
  volumes:
  - name: sec
    secret: { secretName: blob, defaultMode: 256 }
  - name: cm
    configMap: { name: blob }
  - name: scratch
    emptyDir: {}
  - name: host
    hostPath: { path: /data/vols }
`;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kubesim-bytes-'));
  sb = new Sandbox(dir);
  writeFileSync(join(dir, 'blob.bin'), data);
  writeFileSync(join(dir, 'pod.yaml'), POD);
  await sb.run(['clock', 'freeze']);
  await sb.run(['create', 'secret', 'generic', 'blob', '--from-file=blob.bin']);
  await sb.run(['create', 'configmap', 'blob', '--from-file=blob.bin']);
  await sb.run(['apply', '-f', 'pod.yaml']);
  await sb.run(['clock', 'advance', '10s']);
});

afterEach(() => {
  sb.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('file bytes', () => {
  it('mounts binary Secret data and ConfigMap binaryData unchanged, with defaultMode', async () => {
    const r = await sb.run(['exec', 'vols', '--', 'sh', '-c', 'sha256sum /sec/blob.bin /cm/blob.bin; stat -c %a /sec/blob.bin /cm/blob.bin']);
    expect(r.stdout).toBe(`${sha(data)}  /sec/blob.bin\n${sha(data)}  /cm/blob.bin\n400\n644\n`);
  });

  it('keeps binary files, modes and links in emptyDir, hostPath and the writable layer between commands', async () => {
    const setup = 'for d in /scratch /host /tmp; do cp /sec/blob.bin $d/b; chmod 750 $d/b; ln -s b $d/l; done';
    expect((await sb.run(['exec', 'vols', '--', 'sh', '-c', setup])).code).toBe(0);
    const check = await sb.run(['exec', 'vols', '--', 'sh', '-c', 'for d in /scratch /host /tmp; do sha256sum < $d/l; stat -c %a $d/b; readlink $d/l; done']);
    expect(check.stdout).toBe(`${sha(data)}  -\n750\nb\n`.repeat(3));
    for (const d of ['scratch', 'host', 'tmp']) {
      expect((await sb.run(['cp', `vols:${d}/b`, `${d}.bin`])).code).toBe(0);
      expect(sha(readFileSync(join(dir, `${d}.bin`)))).toBe(sha(data));
    }
    // the store keeps them as base64 with their mode, and the links as links
    const store = storeText(sb.home);
    expect(store).toContain(`"/data/vols/b":"\\u0000file:750:b64:${data.toString('base64')}"`);
    expect(store).toContain('"/data/vols/l":"\\u0000link:b"');
  });
});
