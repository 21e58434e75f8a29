import { describe, expect, it } from 'vitest';
import { unifiedDiff } from './diff.js';
import { matchLine, matchOutput } from './match.js';

const ok = (expected: string, actual: string) => matchOutput(expected, actual) !== undefined;

describe('matchOutput', () => {
  it('accepts ages, durations and <invalid>', () => {
    expect(ok('nginx   1/1     Running   0          5m2s', 'nginx   1/1     Running   0          5s')).toBe(true);
    expect(ok('web   1/1   Running   1 (3m ago)   2d', 'web   1/1   Running   1 (10s ago)   61s')).toBe(true);
    expect(ok('nginx   1/1     Running   0          <invalid>', 'nginx   1/1     Running   0          0s')).toBe(true);
    expect(ok('Successfully pulled image "nginx" in 5.12s (5.12s including waiting)', 'Successfully pulled image "nginx" in 1.383s (1.383s including waiting)')).toBe(true);
    expect(ok('nginx   1/1     Running   0          5m', 'nginx   0/1     Running   0          5m')).toBe(false);
    expect(ok('nginx   1/1     Running   0          5m', 'nginx   1/1     Running   1          5m')).toBe(false);
  });

  it('ignores column padding, trailing spaces and ANSI colour in the expected text', () => {
    expect(ok('NAME  READY STATUS\nweb   1/1   Running   ', 'NAME   READY   STATUS\nweb    1/1     Running')).toBe(true);
    expect(ok('\x1b[1mNAME\x1b[0m   \x1b[32mSTATUS\x1b[0m\nweb    Running', 'NAME   STATUS\nweb    Running')).toBe(true);
    expect(ok('\n\npod/web created\n\n', 'pod/web created\n')).toBe(true);
  });

  it('accepts IPs, UIDs, resourceVersions, container IDs, digests, image sizes and node ports', () => {
    const e = [
      'IP:           172.17.0.4',
      'uid: 9f8e7d6c-1111-2222-3333-444455556666',
      '  resourceVersion: "8812"',
      'Container ID:   docker://4a5b6c7d8e9f00112233445566778899aabbccddeeff00112233445566778899',
      'Image ID:       docker.io/library/nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      'Successfully pulled image "nginx". Image size: 67269798 bytes.',
      'web   NodePort   10.104.23.11   <none>   80:31234/TCP   5s',
    ].join('\n');
    const a = [
      'IP:           10.244.0.3',
      'uid: 0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d',
      '  resourceVersion: "512"',
      'Container ID:   containerd://ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100',
      'Image ID:       docker.io/library/nginx@sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210',
      'Successfully pulled image "nginx". Image size: 72099410 bytes.',
      'web   NodePort   10.96.120.7   <none>   80:30007/TCP   0s',
    ].join('\n');
    expect(ok(e, a)).toBe(true);
  });

  it('accepts node ports in -o yaml/json (nodePort: 31704), bound like the PORT(S) column', () => {
    expect(ok('  - name: http\n    nodePort: 31704\n    port: 8080', '  - name: http\n    nodePort: 31566\n    port: 8080')).toBe(true);
    expect(ok('"nodePort": 31704,', '"nodePort": 30001,')).toBe(true);
    expect(ok('    nodePort: 31704\n    nodePort: 31704', '    nodePort: 31566\n    nodePort: 32176')).toBe(false);
    expect(ok('    port: 31704', '    port: 31566')).toBe(false);
  });

  it('accepts timestamps in kubectl formats', () => {
    expect(ok('Start Time:       Mon, 04 Mar 2024 10:12:33 +0100', 'Start Time:       Sun, 22 Nov 2026 21:00:00 +0000')).toBe(true);
    expect(ok('creationTimestamp: "2024-03-04T10:12:33Z"', 'creationTimestamp: "2026-11-22T21:00:00Z"')).toBe(true);
    expect(ok('LAST SEEN: 2024-03-04 10:12:33 +0000 UTC', 'LAST SEEN: 2026-11-22 21:00:00 +0000 UTC')).toBe(true);
  });

  it('binds pod-template hashes, random suffixes and node names consistently', () => {
    const first = matchOutput('web-5d4b8c7f9d-x2k8q   1/1   Running   0   10s   minikube', 'web-6bb9f6c7d4-q9tzm   1/1   Running   0   5s   minikube');
    expect(first).toBeDefined();
    // the same expected name must be the same real one later; the ReplicaSet shares the hash
    expect(matchOutput('pod "web-5d4b8c7f9d-x2k8q" deleted', 'pod "web-6bb9f6c7d4-q9tzm" deleted', first)).toBeDefined();
    expect(matchOutput('replicaset.apps/web-5d4b8c7f9d', 'replicaset.apps/web-6bb9f6c7d4', first)).toBeDefined();
    expect(matchOutput('pod "web-5d4b8c7f9d-x2k8q" deleted', 'pod "web-6bb9f6c7d4-zzzzz" deleted', first)).toBeUndefined();
    // two different expected names in one output map to two names
    expect(ok('job-a-4x7kz Completed\njob-a-4x7kz again', 'job-a-7m2pq Completed\njob-a-8h2ld again')).toBe(false);
    expect(ok('Node:  kind-worker2/172.18.0.3', 'Node:  minikube/192.168.49.2')).toBe(true);
    expect(ok('Successfully assigned default/web to docker-desktop', 'Successfully assigned default/web to minikube')).toBe(true);
    // ordinary words are not suffixes
    expect(ok('pod/my-nginx created', 'pod/my-xxxxx created')).toBe(false);
  });

  it('supports ... lines and [..] within a line', () => {
    expect(ok('Name:  web\n...\nEvents:  <none>', 'Name:  web\nNamespace:  default\nPriority:  0\nEvents:  <none>')).toBe(true);
    expect(ok('Name:  web\n...', 'Name:  web')).toBe(true);
    expect(ok('error: [..] not found', 'error: pods "x" not found')).toBe(true);
    expect(ok('Name:  web\n...\nEvents:  <none>', 'Name:  api\nEvents:  <none>')).toBe(false);
    // kubernetes.io elides columns with a `...` word
    expect(ok('Warning  BackOff  ...  Back-off restarting failed container', '  Warning  BackOff  2s (x3 over 20s)  kubelet  Back-off restarting failed container')).toBe(true);
    expect(ok('Waiting... done', 'Waiting...  done')).toBe(true);
    expect(ok('Waiting... done', 'Waiting, done')).toBe(false);
  });

  it('accepts a long line the page wrapped', () => {
    const actual = '  Warning  Unhealthy  3s (x4 over 18s)  kubelet  Readiness probe failed: dial tcp 10.244.0.4:8081: connect: connection refused\nnext';
    expect(ok('  Warning  Unhealthy  3s (x4 over 18s)  kubelet  Readiness probe failed: dial tcp\n10.244.0.4:8081: connect: connection refused\nnext', actual)).toBe(true);
    expect(ok('  Warning  Unhealthy  3s (x4 over 18s)  kubelet  Readiness probe failed: dial tcp 10.244.0.4:80\n81: connect: connection refused\nnext', actual)).toBe(true);
    expect(ok('  Warning  Unhealthy  3s (x4 over 18s)  kubelet  Readiness probe failed: dial tcp\n10.244.0.4:8081: connect: timeout\nnext', actual)).toBe(false);
  });

  it('compares line counts', () => {
    expect(ok('a\nb', 'a\nb\nc')).toBe(false);
    expect(ok('a\nb\nc', 'a\nb')).toBe(false);
  });

  it('does not bind values of other classes', () => {
    expect(matchLine('at 5s and 5s', 'at 1s and 2m', new Map())).toBeDefined();
  });
});

describe('unifiedDiff', () => {
  it('shows only what differs, tolerated lines as context', () => {
    const d = unifiedDiff('NAME   READY   STATUS    AGE\nweb    0/1     Pending   3s\nweb2   1/1     Running   3s', 'NAME   READY   STATUS    AGE\nweb    1/1     Running   5s');
    expect(d).toBe(
      ['--- expected', '+++ actual', '@@ -1,3 +1,2 @@', ' NAME   READY   STATUS    AGE', '-web    0/1     Pending   3s', '-web2   1/1     Running   3s', '+web    1/1     Running   5s', ''].join('\n'),
    );
    expect(unifiedDiff('pod/web created', 'pod/web created\n')).toBe('');
  });
});
