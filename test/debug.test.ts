// kubectl debug: ephemeral containers (the subresource, the kubelet starting them, --target's shared
// process namespace, describe), copies of a pod, node debugging, profiles and kubectl 1.32's errors —
// with the clock frozen and following wall time.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox } from './harness.js';

let sb: Sandbox;
beforeEach(() => {
  sb = new Sandbox();
});
afterEach(() => sb.dispose());

const LEGACY = '--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example "--profile=general".\n';
const PROMPT = "If you don't see a command prompt, try pressing enter.\n";

async function json(args: string[]): Promise<any> {
  const r = await sb.run([...args, '-o', 'json']);
  return JSON.parse(r.stdout);
}

async function pauseDemo(): Promise<void> {
  await sb.run(['run', 'ephemeral-demo', '--image=registry.k8s.io/pause:3.1', '--restart=Never']);
  await sb.run(['wait', '--for=condition=Ready', 'pod/ephemeral-demo']);
}

/** Runs kubectl on a terminal that types `lines`. */
async function onTerminal(argv: string[], lines: string[]): Promise<{ out: string; err: string; code: number }> {
  const r = await sb.terminal(argv, lines);
  return { out: r.stdout, err: r.stderr, code: r.code };
}

describe('kubectl debug with an ephemeral container', () => {
  it('adds it through the subresource, the kubelet starts it, and --target shares the target process namespace (frozen clock)', async () => {
    await sb.run(['clock', 'freeze']);
    await pauseDemo();
    const r = await sb.run(['debug', '-i', 'ephemeral-demo', '--image=busybox:1.28', '--target=ephemeral-demo'], 'ps\n');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`Targeting container "ephemeral-demo". If you don't see processes from this container it may be because the container runtime doesn't support this feature.`);
    expect(lines[1]).toMatch(/^Defaulting debug container name to debugger-[a-z0-9]{5}\.$/);
    expect(r.stdout).toMatch(/PID +USER +TIME +COMMAND\n +1 65535 +0:00 \/pause\n +\d+ root +0:00 sh\n/);
    expect(r.stderr).toBe(LEGACY + PROMPT);
    const name = lines[1].slice('Defaulting debug container name to '.length, -1);
    const pod = await json(['get', 'pod', 'ephemeral-demo']);
    expect(pod.spec.ephemeralContainers).toEqual([
      { image: 'busybox:1.28', imagePullPolicy: 'IfNotPresent', name, resources: {}, stdin: true, targetContainerName: 'ephemeral-demo', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' },
    ]);
    const st = pod.status.ephemeralContainerStatuses[0];
    expect([st.name, st.ready, st.restartCount, st.started, st.image]).toEqual([name, false, 0, undefined, 'docker.io/library/busybox:1.28']);
    // kubectl debug sets no stdinOnce: the runtime keeps its stdin open after the input, the shell waits for more
    expect(Object.keys(st.state)).toEqual(['running']);
    const ev = await json(['get', 'events', '--field-selector', `involvedObject.fieldPath=spec.ephemeralContainers{${name}}`]);
    expect(ev.items.map((e: any) => e.reason)).toEqual(['Pulling', 'Pulled', 'Created', 'Started']);
    const d = await sb.run(['describe', 'pod', 'ephemeral-demo']);
    expect(d.stdout).toContain(`Ephemeral Containers:\n  ${name}:\n    Container ID:   containerd://`);
    expect(d.stdout).toMatch(/    Image:          busybox:1\.28\n    Image ID:       docker\.io\/library\/busybox@sha256:[0-9a-f]{64}\n    Port:           <none>\n    Host Port:      <none>\n    State:          Running\n/);
    expect(d.stdout).toContain('    Ready:          False\n    Restart Count:  0\n    Environment:    <none>\n    Mounts:         <none>\nConditions:');
    // a second attach feeds it again; `exit` ends it, and it is never restarted
    const again = await sb.run(['attach', 'ephemeral-demo', '-c', name, '-i'], 'echo again\nexit 3\n');
    expect(again.stdout).toBe('again\n');
    await sb.run(['clock', 'advance', '5m']);
    const later = await json(['get', 'pod', 'ephemeral-demo']);
    expect([later.status.phase, later.status.ephemeralContainerStatuses[0].restartCount, later.metadata.labels]).toEqual(['Running', 0, { run: 'ephemeral-demo' }]);
    expect(later.status.ephemeralContainerStatuses[0].state.terminated.exitCode).toBe(3);
  });

  it('-it on a terminal gives the debugger shell, following wall time', async () => {
    await sb.run(['run', 'ephemeral-demo', '--image=registry.k8s.io/pause:3.1']);
    sb.wall += 10_000;
    const r = await onTerminal(['debug', '-it', 'ephemeral-demo', '--image=busybox:1.28', '--target=ephemeral-demo', '-c', 'dbg', '--profile=general'], ['echo hello-debug', 'hostname', 'exit']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('hello-debug\nephemeral-demo\n');
    expect(r.out.trimEnd().split('\n').at(-1)).toBe("Session ended, the ephemeral container will not be restarted but may be reattached using 'kubectl attach ephemeral-demo -c dbg -i -t' if it is still running");
    expect(r.out).not.toContain('Defaulting debug container name');
    expect(r.err).toBe(PROMPT);
    const pod = await json(['get', 'pod', 'ephemeral-demo']);
    expect(pod.spec.ephemeralContainers[0].securityContext).toEqual({ capabilities: { add: ['SYS_PTRACE'] } });
    expect(pod.spec.ephemeralContainers[0].tty).toBe(true);
  });

  it('without -i only adds it; the kubelet starts it later', async () => {
    await sb.run(['clock', 'freeze']);
    await pauseDemo();
    const r = await sb.run(['debug', 'ephemeral-demo', '--image=busybox', '-c', 'sleeper', '-q', '--', 'sleep', '1h']);
    expect([r.stdout, r.stderr, r.code]).toEqual(['', LEGACY, 0]);
    await sb.run(['clock', 'advance', '30s']);
    const pod = await json(['get', 'pod', 'ephemeral-demo']);
    expect(pod.spec.ephemeralContainers[0].command).toEqual(['sleep', '1h']);
    expect(Object.keys(pod.status.ephemeralContainerStatuses[0].state)).toEqual(['running']);
    const ps = await sb.run(['exec', 'ephemeral-demo', '-c', 'sleeper', '--', 'ps']);
    expect(ps.stdout).toContain('sleep 1h');
    // a second one with the same name: the API server's validation
    const dup = await sb.run(['debug', 'ephemeral-demo', '--image=busybox', '-c', 'sleeper', '--profile=general']);
    expect([dup.stderr, dup.code]).toEqual(['The Pod "ephemeral-demo" is invalid: spec.ephemeralContainers[1].name: Duplicate value: "sleeper"\n', 1]);
    const clash = await sb.run(['debug', 'ephemeral-demo', '--image=busybox', '-c', 'ephemeral-demo', '--profile=general']);
    expect(clash.stderr).toBe('The Pod "ephemeral-demo" is invalid: spec.ephemeralContainers[1].name: Duplicate value: "ephemeral-demo"\n');
    const target = await sb.run(['debug', 'ephemeral-demo', '--image=busybox', '--target=nope', '-q', '--profile=general']);
    expect([target.stderr, target.code]).toEqual(['The Pod "ephemeral-demo" is invalid: spec.ephemeralContainers[1].targetContainerName: Not found: "nope"\n', 1]);
  });

  it('a completed pod takes the ephemeral container but never starts it', async () => {
    await sb.run(['clock', 'freeze']);
    await sb.run(['run', 'done', '--image=busybox', '--restart=Never', '--', 'true']);
    await sb.run(['clock', 'advance', '1m']);
    const r = await sb.run(['debug', 'done', '--image=busybox', '-q', '--profile=general']);
    expect(r.code).toBe(0);
    await sb.run(['clock', 'advance', '1m']);
    const pod = await json(['get', 'pod', 'done']);
    expect([pod.status.phase, pod.spec.ephemeralContainers.length, pod.status.ephemeralContainerStatuses]).toEqual(['Succeeded', 1, undefined]);
    const attach = await sb.run(['debug', 'done', '-i', '--image=busybox', '-q', '--profile=general']);
    expect([attach.stderr, attach.code]).toEqual(['error: cannot attach a container in a completed pod; current phase is Succeeded\n', 1]);
  });
});

describe('kubectl debug --copy-to', () => {
  it('copies the pod with a debug container, process namespace shared, labels dropped', async () => {
    await sb.run(['clock', 'freeze']);
    await sb.run(['run', 'myapp', '--image=busybox:1.28', '--restart=Never', '--', 'sleep', '1d']);
    const r = await sb.run(['debug', 'myapp', '-i', '--image=ubuntu', '--share-processes', '--copy-to=myapp-debug'], 'ps\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Defaulting debug container name to debugger-[a-z0-9]{5}\.\n/);
    expect(r.stdout).toMatch(/ +1 \? +00:00:00 pause\n +\d+ \? +00:00:00 sleep\n +\d+ \? +00:00:00 bash\n/);
    const copy = await json(['get', 'pod', 'myapp-debug']);
    expect(copy.metadata.labels).toBeUndefined();
    expect(copy.spec.shareProcessNamespace).toBe(true);
    expect(copy.spec.containers.map((c: any) => [c.name.replace(/-[a-z0-9]{5}$/, ''), c.image])).toEqual([['myapp', 'busybox:1.28'], ['debugger', 'ubuntu']]);
    // the copy reuses the service account volume for the new container
    expect(copy.spec.volumes.length).toBe(1);
    expect(copy.spec.containers[1].volumeMounts[0].name).toBe(copy.spec.volumes[0].name);
    const again = await sb.run(['debug', 'myapp', '--image=ubuntu', '--copy-to=myapp-debug', '-q']);
    expect([again.stderr, again.code]).toEqual([LEGACY + 'Error from server (AlreadyExists): pods "myapp-debug" already exists\n', 1]);
  });

  it('changes images with --set-image, a command with --container, and --replace deletes the original', async () => {
    await sb.run(['clock', 'freeze']);
    await sb.run(['run', 'myapp', '--image=busybox:1.28', '--', 'false']);
    const img = await sb.run(['debug', 'myapp', '--copy-to=myapp-img', '--set-image=*=ubuntu', '--profile=general']);
    expect([img.stdout, img.stderr, img.code]).toEqual(['', '', 0]);
    expect((await json(['get', 'pod', 'myapp-img'])).spec.containers[0].image).toBe('ubuntu');
    const cmd = await sb.run(['debug', 'myapp', '-i', '--copy-to=myapp-debug', '--container=myapp', '--', 'sh'], 'echo still-here\n');
    expect(cmd.stdout).toBe('still-here\n');
    const copy = await json(['get', 'pod', 'myapp-debug']);
    expect([copy.spec.containers[0].command, copy.spec.containers[0].args]).toEqual([['sh'], undefined]);
    const rep = await sb.run(['debug', 'myapp', '--copy-to=myapp-2', '--set-image=myapp=busybox:1.36', '--replace', '--profile=general']);
    expect(rep.code).toBe(0);
    expect((await sb.run(['get', 'pod', 'myapp'])).stderr).toBe('Error from server (NotFound): pods "myapp" not found\n');
  });
});

describe('kubectl debug node/NAME', () => {
  it('runs a pod on the node in its namespaces with the host filesystem at /host', async () => {
    await sb.run(['clock', 'freeze']);
    const writer = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'writer' }, spec: { restartPolicy: 'Never', volumes: [{ name: 'h', hostPath: { path: '/srv/data' } }], containers: [{ name: 'w', image: 'busybox', command: ['sh', '-c', 'echo on-the-node > /d/note; echo wrote'], volumeMounts: [{ name: 'h', mountPath: '/d' }] }] } };
    await sb.run(['create', '-f', '-'], JSON.stringify(writer));
    await sb.run(['clock', 'advance', '1m']);
    const r = await sb.run(['debug', 'node/minikube', '-i', '--image=busybox', '--profile=general'], 'cat /host/srv/data/note; hostname; ls /host/etc/kubernetes/manifests; head -1 /host/etc/os-release; cat /host/var/log/pods/default_writer_*/w/0.log\n');
    expect(r.code).toBe(0);
    const [first, ...rest] = r.stdout.split('\n');
    expect(first).toMatch(/^Creating debugging pod node-debugger-minikube-[a-z0-9]{5} with container debugger on node minikube\.$/);
    expect(rest.join('\n')).toMatch(/^on-the-node\nminikube\netcd\.yaml\nkube-apiserver\.yaml\nkube-controller-manager\.yaml\nkube-scheduler\.yaml\nPRETTY_NAME="Ubuntu 22\.04\.5 LTS"\n2026-11-22T21:00:\d\d\.\d{9}Z stdout F wrote\n$/);
    const name = first.split(' ')[3];
    const pod = await json(['get', 'pod', name]);
    expect(pod.metadata.labels).toBeUndefined();
    expect([pod.spec.hostNetwork, pod.spec.hostPID, pod.spec.hostIPC, pod.spec.nodeName, pod.spec.restartPolicy]).toEqual([true, true, true, 'minikube', 'Never']);
    expect(pod.spec.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.spec.volumes.find((v: any) => v.name === 'host-root')).toEqual({ hostPath: { path: '/', type: '' }, name: 'host-root' });
    expect(pod.spec.containers[0].volumeMounts[0]).toEqual({ mountPath: '/host', name: 'host-root' });
    expect(pod.status.podIP).toBe(pod.status.hostIP);
    // hostPID: the node's processes, the kubelet's among them, and the pods' behind their /pause
    const ps = await sb.run(['exec', name, '--', 'ps']);
    expect(ps.stdout).toMatch(/\n +1 root +0:00 \/sbin\/init\n/);
    expect(ps.stdout).toContain('/var/lib/minikube/binaries/v1.32.0/kubelet --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf');
    expect(ps.stdout).toMatch(/ 65535 +0:00 \/pause\n/);
    const missing = await sb.run(['debug', 'node/nope', '--image=busybox', '--profile=general']);
    expect([missing.stderr, missing.code]).toEqual(['Error from server (NotFound): nodes "nope" not found\n', 1]);
  });
});

describe('kubectl debug errors (as kubectl 1.32 prints them)', () => {
  it.each([
    [['debug', 'mypod'], 'error: you must specify --image when not using --copy-to.\n'],
    [['debug', 'mypod', '--copy-to=x'], 'error: you must specify --image, --set-image or command arguments.\n'],
    [['debug', 'mypod', '--copy-to=x', '--', 'sh'], 'error: you must specify an existing container or a new image when specifying args.\n'],
    [['debug', 'mypod', '--image=busybox', '--copy-to=x', '--target=a'], 'error: --target is incompatible with --copy-to. Use --share-processes instead.\n'],
    [['debug', 'mypod', '--image=busybox', '-t'], 'error: -i/--stdin is required for containers with -t/--tty=true\n'],
    [['debug', '--image=busybox'], 'error: NAME or filename is required for debug\n'],
    [['debug', 'mypod', '--image=Bad:image'], 'error: invalid image name "Bad:image": invalid reference format\n'],
    [['debug', 'mypod', '--image=busybox', '--profile=bogus'], 'error: unknown profile: bogus\n'],
    [['debug', 'mypod', '--set-image=a=b'], 'error: --set-image may only be used with --copy-to.\n'],
    [['debug', 'mypod', '--image=busybox', '--image-pull-policy=foo'], 'error: invalid image pull policy: foo\n'],
    [['debug', 'mypod', '--attach', '--copy-to=x', '--set-image=*=ubuntu'], 'error: you must specify --container or create a new container using --image in order to attach.\n'],
    [['debug', 'mypod', '--image=busybox', '--replace'], 'error: --replace may only be used with --copy-to.\n'],
    [['debug', 'mypod', '--image=busybox', '--same-node'], 'error: --same-node may only be used with --copy-to.\n'],
    [['debug', 'mypod', '--image=busybox', '--env=a'], 'error: invalid argument "a" for "--env" flag: a must be formatted as key=value\nSee \'kubectl debug --help\' for usage.\n'],
  ])('%j', async (argv, err) => {
    const r = await sb.run(argv);
    expect([r.stderr, r.code]).toEqual([err, 1]);
  });

  it('names a missing pod, and refuses kinds it cannot debug', async () => {
    const nf = await sb.run(['debug', 'nope', '--image=busybox', '--profile=general']);
    expect([nf.stderr, nf.code]).toEqual(['Error from server (NotFound): pods "nope" not found\n', 1]);
    await sb.run(['create', 'deployment', 'web', '--image=nginx']);
    const dep = await sb.run(['debug', 'deployment/web', '--image=busybox', '--profile=general']);
    expect(dep.stderr).toBe('error: "apps/v1, Kind=Deployment" not supported by debug\n');
    const gone = await sb.run(['debug', 'deployment/nope', '--image=busybox', '--profile=general']);
    expect(gone.stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
  });

  it('the ephemeral containers may not be changed by a plain update of the pod', async () => {
    await sb.run(['clock', 'freeze']);
    await pauseDemo();
    await sb.run(['debug', 'ephemeral-demo', '--image=busybox', '-c', 'dbg', '-q', '--profile=general']);
    const pod = await json(['get', 'pod', 'ephemeral-demo']);
    pod.spec.ephemeralContainers[0].image = 'ubuntu';
    const r = await sb.run(['replace', '-f', '-'], JSON.stringify(pod));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Forbidden: pod updates may not change fields other than');
  });
});

describe('kubectl debug --custom', () => {
  it('merges a partial container spec over the profile, and refuses the fields it may not set', async () => {
    await sb.run(['clock', 'freeze']);
    await pauseDemo();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${sb.home}/custom.yaml`, 'env:\n- name: MODE\n  value: debug\nsecurityContext:\n  runAsUser: 0\n');
    const r = await sb.run(['debug', 'ephemeral-demo', '--image=busybox', '-c', 'custom', '--custom=custom.yaml', '--profile=general', '--', 'sleep', '1h']);
    expect([r.stderr, r.code]).toEqual(['', 0]);
    const ec = (await json(['get', 'pod', 'ephemeral-demo'])).spec.ephemeralContainers[0];
    expect([ec.env, ec.securityContext]).toEqual([[{ name: 'MODE', value: 'debug' }], { capabilities: { add: ['SYS_PTRACE'] }, runAsUser: 0 }]);
    writeFileSync(`${sb.home}/bad.json`, '{"image": "ubuntu"}');
    const bad = await sb.run(['debug', 'ephemeral-demo', '--image=busybox', '--custom=bad.json', '--profile=general']);
    expect(bad.stderr).toBe('error: name, command, image, lifecycle and volume devices are not modifiable via custom profile\n');
    writeFileSync(`${sb.home}/list.json`, '[1]');
    const list = await sb.run(['debug', 'ephemeral-demo', '--image=busybox', '--custom=list.json', '--profile=general']);
    expect(list.stderr).toBe('error: list.json does not contain a valid container spec: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type v1.Container\n');
    const none = await sb.run(['debug', 'ephemeral-demo', '--image=busybox', '--custom=none.json']);
    expect(none.stderr).toBe('error: must pass a container spec json file for custom profile: open none.json: no such file or directory\n');
  });
});

describe('kubectl debug -f', () => {
  it('debugs the pods a manifest names', async () => {
    await sb.run(['clock', 'freeze']);
    await pauseDemo();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${sb.home}/pod.yaml`, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: ephemeral-demo\nspec:\n  containers:\n  - name: ephemeral-demo\n    image: registry.k8s.io/pause:3.1\n');
    const r = await sb.run(['debug', '-f', 'pod.yaml', '--image=busybox', '-c', 'fromfile', '--profile=general']);
    expect([r.stdout, r.stderr, r.code]).toEqual(['', '', 0]);
    expect((await json(['get', 'pod', 'ephemeral-demo'])).spec.ephemeralContainers.map((e: any) => e.name)).toEqual(['fromfile']);
  });
});

describe('kubectl debug on a pod not yet running', () => {
  it('starts the ephemeral container once the pod sandbox is up', async () => {
    await sb.run(['clock', 'freeze']);
    await sb.run(['cordon', 'minikube']);
    await sb.run(['run', 'waiting', '--image=nginx']);
    const r = await sb.run(['debug', 'waiting', '--image=busybox', '-c', 'early', '-q', '--profile=general', '--', 'sleep', '1h']);
    expect(r.code).toBe(0);
    await sb.run(['clock', 'advance', '10s']);
    expect((await json(['get', 'pod', 'waiting'])).status.ephemeralContainerStatuses).toBeUndefined();
    await sb.run(['uncordon', 'minikube']);
    await sb.run(['clock', 'advance', '30s']);
    const st = (await json(['get', 'pod', 'waiting'])).status.ephemeralContainerStatuses;
    expect(Object.keys(st[0].state)).toEqual(['running']);
  });
});
