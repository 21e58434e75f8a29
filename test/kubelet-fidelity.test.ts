// Kubelet fidelity (issue 11): memory limits enforced on what programs allocate (OOMKilled),
// termination messages, and `kubectl get --raw`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = new Sandbox();
  await sb.run(['clock', 'freeze']);
});
afterAll(() => sb.dispose());

function stressPod(name: string, limit: string, bytes: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      ...extra,
      containers: [{ name: `${name}-ctr`, image: 'polinux/stress', resources: { requests: { memory: '50Mi' }, limits: { memory: limit } }, command: ['stress'], args: ['--vm', '1', '--vm-bytes', bytes, '--vm-hang', '1'] }],
    },
  });
}

const jp = async (pod: string, path: string) => (await sb.run(['get', 'pod', pod, '-o', `jsonpath=${path}`])).stdout;

describe('memory limits', () => {
  it('OOM-kills a container whose program allocates more than its limit, and restarts it', async () => {
    expect((await sb.run(['apply', '-f', '-'], stressPod('memory-demo-2', '100Mi', '250M'))).stderr).toBe('');
    await sb.run(['clock', 'advance', '5s']);
    expect(await jp('memory-demo-2', '{.status.containerStatuses[0].lastState.terminated.reason} {.status.containerStatuses[0].lastState.terminated.exitCode}')).toBe('OOMKilled 137');
    expect(await jp('memory-demo-2', '{.status.containerStatuses[0].lastState.terminated.signal}')).toBe('');
    expect(Number(await jp('memory-demo-2', '{.status.containerStatuses[0].restartCount}'))).toBeGreaterThanOrEqual(1);
    const d = (await sb.run(['describe', 'pod', 'memory-demo-2'])).stdout;
    expect(d).toMatch(/Last State: +Terminated\n +Reason: +OOMKilled\n +Exit Code: +137\n/);
    await sb.run(['clock', 'advance', '60s']);
    expect(Number(await jp('memory-demo-2', '{.status.containerStatuses[0].restartCount}'))).toBeGreaterThanOrEqual(3);
    expect((await sb.run(['logs', 'memory-demo-2'])).stdout).toBe('stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd\n');
  });

  it('keeps a container running within its limit', async () => {
    await sb.run(['apply', '-f', '-'], stressPod('memory-demo', '200Mi', '150M'));
    await sb.run(['clock', 'advance', '30s']);
    expect(await jp('memory-demo', '{.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].ready}')).toBe('0 true');
  });

  it('with restartPolicy Never the pod fails with the OOMKilled container', async () => {
    await sb.run(['apply', '-f', '-'], stressPod('oom-never', '64Mi', '128M', { restartPolicy: 'Never' }));
    await sb.run(['clock', 'advance', '10s']);
    expect(await jp('oom-never', '{.status.phase} {.status.containerStatuses[0].state.terminated.reason}')).toBe('Failed OOMKilled');
    expect((await sb.run(['get', 'pod', 'oom-never', '--no-headers'])).stdout).toMatch(/^oom-never +0\/1 +OOMKilled +0 /);
  });

  it('vish/stress allocates -mem-total in chunks and logs with glog', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'hog' },
      spec: { containers: [{ name: 'hog', image: 'vish/stress', resources: { limits: { memory: '100Mi' } }, args: ['-mem-total', '150Mi', '-mem-alloc-size', '10Mi', '-mem-alloc-sleep', '1s'] }] },
    };
    await sb.run(['apply', '-f', '-'], JSON.stringify(pod));
    await sb.run(['clock', 'advance', '20s']);
    expect(await jp('hog', '{.status.containerStatuses[0].lastState.terminated.reason}')).toBe('OOMKilled');
    const logs = (await sb.run(['logs', 'hog', '--previous'])).stdout;
    expect(logs).toMatch(/^I\d{4} \d\d:\d\d:\d\d\.\d{6} {7}1 main\.go:26\] Allocating "150Mi" memory, in "10Mi" chunks, with a 1s sleep between allocations\n$/);
  });

  it('writes later log lines when they happen; stress --timeout ends by itself', async () => {
    const hog = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hog-ok' }, spec: { containers: [{ name: 'hog', image: 'vish/stress', args: ['-mem-total', '50Mi', '-mem-alloc-size', '10Mi', '-mem-alloc-sleep', '1s'] }] } };
    const st = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'st-timeout' }, spec: { restartPolicy: 'Never', containers: [{ name: 's', image: 'polinux/stress', command: ['stress'], args: ['--cpu', '1', '--timeout', '5s'] }] } };
    await sb.run(['apply', '-f', '-'], JSON.stringify(hog));
    await sb.run(['apply', '-f', '-'], JSON.stringify(st));
    await sb.run(['clock', 'advance', '4s']);
    expect((await sb.run(['logs', 'hog-ok'])).stdout.split('\n').length).toBe(2);
    await sb.run(['clock', 'advance', '10s']);
    expect((await sb.run(['logs', 'hog-ok'])).stdout).toMatch(/main\.go:29\] Allocated "50Mi" memory\n$/);
    expect((await sb.run(['logs', 'st-timeout'])).stdout).toBe('stress: info: [1] dispatching hogs: 1 cpu, 0 io, 0 vm, 0 hdd\nstress: info: [1] successful run completed in 5s\n');
    expect(await jp('st-timeout', '{.status.containerStatuses[0].state.terminated.reason}')).toBe('Completed');
  });

  it('a request larger than the node stays Pending with the scheduler message', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'memory-demo-3' }, spec: { containers: [{ name: 'c', image: 'polinux/stress', resources: { requests: { memory: '1000Gi' }, limits: { memory: '1000Gi' } } }] } };
    await sb.run(['apply', '-f', '-'], JSON.stringify(pod));
    await sb.run(['clock', 'advance', '5s']);
    const d = (await sb.run(['describe', 'pod', 'memory-demo-3'])).stdout;
    expect(d).toContain('0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');
  });
});

describe('termination messages', () => {
  it('reports what the program wrote to /dev/termination-log', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'termination-demo' },
      spec: { containers: [{ name: 'termination-demo-container', image: 'debian', command: ['/bin/sh'], args: ['-c', 'sleep 10 && echo Sleep expired > /dev/termination-log'] }] },
    };
    await sb.run(['apply', '-f', '-'], JSON.stringify(pod));
    await sb.run(['clock', 'advance', '25s']);
    const r = await sb.run(['get', 'pod', 'termination-demo', '-o', 'go-template={{range .status.containerStatuses}}{{.lastState.terminated.message}}{{end}}']);
    expect(r.stdout).toBe('Sleep expired\n');
    expect((await sb.run(['get', 'pod', 'termination-demo', '-o', 'yaml'])).stdout).toContain('        message: |\n          Sleep expired\n');
    expect((await sb.run(['describe', 'pod', 'termination-demo'])).stdout).toMatch(/Reason: +Completed\n +Message: +Sleep expired\n/);
  });

  it('a custom terminationMessagePath; FallbackToLogsOnError uses the log only on failure', async () => {
    const mk = (name: string, script: string, extra: Record<string, unknown>) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', script], ...extra }] },
    });
    await sb.run(['apply', '-f', '-'], JSON.stringify(mk('tm-path', 'echo custom > /tmp/my-log; exit 1', { terminationMessagePath: '/tmp/my-log' })));
    await sb.run(['apply', '-f', '-'], JSON.stringify(mk('tm-fallback', 'echo one; echo two >&2; exit 3', { terminationMessagePolicy: 'FallbackToLogsOnError' })));
    await sb.run(['apply', '-f', '-'], JSON.stringify(mk('tm-ok', 'echo fine', { terminationMessagePolicy: 'FallbackToLogsOnError' })));
    await sb.run(['apply', '-f', '-'], JSON.stringify(mk('tm-long', 'i=0; while [ $i -lt 100 ]; do echo line-$i; i=$((i+1)); done; exit 1', { terminationMessagePolicy: 'FallbackToLogsOnError' })));
    await sb.run(['clock', 'advance', '10s']);
    expect(await jp('tm-path', '{.status.containerStatuses[0].state.terminated.message}')).toBe('custom\n');
    expect(await jp('tm-fallback', '{.status.containerStatuses[0].state.terminated.message}')).toBe('one\ntwo\n');
    expect(await jp('tm-ok', '{.status.containerStatuses[0].state.terminated.message}')).toBe('');
    const long = await jp('tm-long', '{.status.containerStatuses[0].state.terminated.message}');
    // the last 80 lines (20..99)
    expect(long.startsWith('line-20\n')).toBe(true);
    expect(long.endsWith('line-99\n')).toBe(true);
  });
});

describe('get --raw', () => {
  it('serves the health, version and discovery documents', async () => {
    expect((await sb.run(['get', '--raw', '/healthz'])).stdout).toBe('ok');
    expect((await sb.run(['get', '--raw', '/readyz'])).stdout).toBe('ok');
    const v = await sb.run(['get', '--raw', '/version']);
    expect(v.stdout).toMatch(/^\{\n {2}"major": "1",\n {2}"minor": "32",\n {2}"gitVersion": "v1\.32\.\d+",/);
    expect(v.stdout.endsWith('}')).toBe(true);
    expect((await sb.run(['get', '--raw', '/api'])).stdout).toBe('{"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"192.168.49.2:8443"}]}\n');
    const apis = JSON.parse((await sb.run(['get', '--raw', '/apis'])).stdout);
    expect(apis.kind).toBe('APIGroupList');
    expect(apis.groups[0].name).toBe('apps');
  });

  it('prints objects and lists as the API server serializes them', async () => {
    await sb.run(['create', 'configmap', 'raw-cm', '--from-literal=b=<2>', '--from-literal=a=1']);
    const one = (await sb.run(['get', '--raw', '/api/v1/namespaces/default/configmaps/raw-cm'])).stdout;
    expect(one).toMatch(/^\{"kind":"ConfigMap","apiVersion":"v1","metadata":\{"name":"raw-cm","namespace":"default","uid":"[^"]+","resourceVersion":"\d+","creationTimestamp":"[^"]+"\},"data":\{"a":"1","b":"\\u003c2\\u003e"\}\}\n$/);
    const pods = (await sb.run(['get', '--raw', '/api/v1/namespaces/default/pods'])).stdout;
    expect(pods).toMatch(/^\{"kind":"PodList","apiVersion":"v1","metadata":\{"resourceVersion":"\d+"\},"items":\[\{"metadata":\{"name":"hog","namespace":"default",/);
    const list = JSON.parse(pods);
    expect(Object.keys(list.items[0])).toEqual(['metadata', 'spec', 'status']);
    expect(Object.keys(list.items[0].spec.containers[0]).slice(0, 2)).toEqual(['name', 'image']);
    const pod = JSON.parse((await sb.run(['get', '--raw', '/api/v1/namespaces/default/pods/memory-demo'])).stdout);
    expect(Object.keys(pod.status.containerStatuses[0]).slice(0, 3)).toEqual(['name', 'state', 'lastState']);
  });

  it('answers unknown paths and missing objects with the server errors', async () => {
    let r = await sb.run(['get', '--raw', '/foo']);
    expect([r.stdout, r.stderr, r.code]).toEqual(['', 'Error from server (NotFound): the server could not find the requested resource\n', 1]);
    r = await sb.run(['get', '--raw', '/api/v1/namespaces/default/pods/nope']);
    expect([r.stdout, r.stderr, r.code]).toEqual(['', 'Error from server (NotFound): pods "nope" not found\n', 1]);
    r = await sb.run(['get', '--raw', '/apis/apps/v1/namespaces/default/deployments/nope']);
    expect(r.stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
  });

  it('refuses what kubectl refuses before asking', async () => {
    const cases: [string[], string][] = [
      [['get', '--raw', '/x', 'pods'], 'Error: arguments may not be passed when --raw is specified\n'],
      [['get', '--raw', '/x', '-o', 'json'], 'error: --raw and --output are mutually exclusive\n'],
      [['get', '--raw', '/x', '-l', 'a=b'], 'error: --raw may not be specified with other flags that filter the server request or alter the output\n'],
      [['get', '--raw', 'x y'], 'error: --raw must be a valid URL path: parse "x y": invalid URI for request\n'],
      [['get', '--raw', ':bad'], 'error: --raw must be a valid URL path: parse ":bad": missing protocol scheme\n'],
    ];
    for (const [argv, err] of cases) {
      const r = await sb.run(argv);
      expect([r.stderr, r.code], argv.join(' ')).toEqual([err, 1]);
    }
  });
});

describe('security context groups and downward API files', () => {
  it('fsGroup and supplementalGroups are in the process groups (busybox id)', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'security-context-demo' },
      spec: {
        securityContext: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, supplementalGroups: [4000] },
        volumes: [{ name: 'sec-ctx-vol', emptyDir: {} }],
        containers: [{ name: 'sec-ctx-demo', image: 'busybox:1.28', command: ['sh', '-c', 'sleep 1h'], volumeMounts: [{ name: 'sec-ctx-vol', mountPath: '/data/demo' }], securityContext: { allowPrivilegeEscalation: false } }],
      },
    };
    await sb.run(['apply', '-f', '-'], JSON.stringify(pod));
    await sb.run(['clock', 'advance', '10s']);
    expect((await sb.run(['exec', 'security-context-demo', '--', 'id'])).stdout).toBe('uid=1000 gid=3000 groups=2000,3000,4000\n');
    // sh -c with one external command execs it: PID 1 is `sleep 1h`
    expect((await sb.run(['exec', 'security-context-demo', '--', 'ps'])).stdout).toMatch(/^PID {3}USER {5}TIME {2}COMMAND\n {4}1 1000 {6}0:00 sleep 1h\n +\d+ 1000 {6}0:00 ps\n$/);
    // the page's ls -l (busybox's columns): the volume root is root's with the fsGroup and setgid, a
    // file the container's user makes in it is that user's with the fsGroup
    expect((await sb.run(['exec', 'security-context-demo', '--', 'ls', '-l', '/data'])).stdout).toMatch(/^total 4\ndrwxrwsrwx {4}2 root {5}2000 {10}4096 [A-Z][a-z]{2} [ \d]\d \d\d:\d\d demo\n$/);
    const made = await sb.run(['exec', 'security-context-demo', '--', 'sh', '-c', 'cd /data/demo && echo hello > testfile && mkdir d && ls -l']);
    expect(made.stdout).toMatch(/^total 8\ndrwxr-sr-x {4}2 1000 {5}2000 {10}4096 .{12} d\n-rw-r--r-- {4}1 1000 {5}2000 {13}6 .{12} testfile\n$/);
    expect((await sb.run(['exec', 'security-context-demo', '--', 'ls', '-ln', '/etc/hosts'])).stdout).toMatch(/^-rw-r--r-- {4}1 0 {8}0 {8} +\d+ .{12} \/etc\/hosts\n$/);
    const plain = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'uid-only' }, spec: { securityContext: { runAsUser: 1000 }, containers: [{ name: 'c', image: 'busybox:1.28', command: ['sh', '-c', 'sleep 1h'] }] } };
    await sb.run(['apply', '-f', '-'], JSON.stringify(plain));
    await sb.run(['clock', 'advance', '10s']);
    // a uid the image does not know: gid 0 unless runAsGroup says otherwise
    expect((await sb.run(['exec', 'uid-only', '--', 'id'])).stdout).toBe('uid=1000 gid=0(root) groups=0(root)\n');
  });

  it("ls -l in GNU coreutils' columns (nginx): root's image files, a symlink's target", async () => {
    await sb.run(['run', 'gnu', '--image=nginx']);
    await sb.run(['clock', 'advance', '10s']);
    const html = await sb.run(['exec', 'gnu', '--', 'ls', '-l', '/usr/share/nginx/html']);
    expect(html.stdout).toMatch(/^total 8\n-rw-r--r-- 1 root root 497 .{12} 50x\.html\n-rw-r--r-- 1 root root 615 .{12} index\.html\n$/);
    const link = await sb.run(['exec', 'gnu', '--', 'sh', '-c', 'ln -s /etc/hostname /tmp/h && ls -l /tmp/h']);
    expect(link.stdout).toMatch(/^lrwxrwxrwx 1 root root 13 .{12} \/tmp\/h -> \/etc\/hostname\n$/);
    const missing = await sb.run(['exec', 'gnu', '--', 'ls', '-l', '/nope']);
    expect(missing).toEqual({ stdout: '', stderr: "ls: cannot access '/nope': No such file or directory\ncommand terminated with exit code 2\n", code: 2 });
  });

  it('labels and annotations files: sorted, Go-quoted, the kubelet annotations, a ..data directory', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'dapi', labels: { zone: 'us-est-coast', cluster: 'test-cluster1' }, annotations: { build: 'two', note: 'say "hi"\nbye' } },
      spec: {
        containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'sleep 1h'], volumeMounts: [{ name: 'podinfo', mountPath: '/etc/podinfo' }] }],
        volumes: [{ name: 'podinfo', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } }] } }],
      },
    };
    await sb.run(['create', '-f', '-'], JSON.stringify(pod));
    await sb.run(['clock', 'advance', '10s']);
    expect((await sb.run(['exec', 'dapi', '--', 'cat', '/etc/podinfo/labels'])).stdout).toBe('cluster="test-cluster1"\nzone="us-est-coast"');
    const ann = (await sb.run(['exec', 'dapi', '--', 'cat', '/etc/podinfo/annotations'])).stdout;
    expect(ann).toMatch(/^build="two"\nkubernetes\.io\/config\.seen="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"\nkubernetes\.io\/config\.source="api"\nnote="say \\"hi\\"\\nbye"$/);
    const ls = (await sb.run(['exec', 'dapi', '--', 'ls', '-a', '/etc/podinfo'])).stdout;
    expect(ls).toMatch(/\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d+/);
    expect(ls).toContain('..data');
    expect((await sb.run(['exec', 'dapi', '--', 'cat', '/etc/podinfo/..data/labels'])).stdout).toBe('cluster="test-cluster1"\nzone="us-est-coast"');
  });
});

describe('termination message caps', () => {
  it('keeps the last 4096 bytes of the file, and a pod of 4 containers 3072 bytes of each', async () => {
    const ct = (name: string) => ({ name, image: 'busybox', command: ['sh', '-c', 'awk \'BEGIN { for (i = 0; i < 600; i++) printf "%09d\\n", i }\' > /dev/termination-log'] });
    await sb.run(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'caps' }, spec: { restartPolicy: 'Never', containers: [ct('a'), ct('b'), ct('c'), ct('d')] } }));
    await sb.run(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'cap1' }, spec: { restartPolicy: 'Never', containers: [ct('a')] } }));
    await sb.run(['clock', 'advance', '20s']);
    const one = await jp('cap1', '{.status.containerStatuses[0].state.terminated.message}');
    expect(one.length).toBe(4096);
    expect(one.endsWith('000000599\n')).toBe(true);
    const four = await jp('caps', '{.status.containerStatuses[0].state.terminated.message}');
    expect(four.length).toBe(3072);
    expect(four.startsWith(one.slice(0, 20))).toBe(true);
  });
});

describe('get --raw pod logs', () => {
  it('serves the log subresource as text', async () => {
    await sb.run(['run', 'rawlog', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'echo one; echo two']);
    await sb.run(['clock', 'advance', '10s']);
    expect((await sb.run(['get', '--raw', '/api/v1/namespaces/default/pods/rawlog/log'])).stdout).toBe('one\ntwo\n');
    expect((await sb.run(['get', '--raw', '/api/v1/namespaces/default/pods/rawlog/log?tailLines=1'])).stdout).toBe('two\n');
    const r = await sb.run(['get', '--raw', '/api/v1/namespaces/default/pods/caps/log']);
    expect([r.stderr, r.code]).toEqual(['Error from server (BadRequest): a container name must be specified for pod caps, choose one of: [a b c d]\n', 1]);
  });
});
