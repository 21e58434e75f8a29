// Pulling images as a real node does: tags that exist run, others fail with containerd's error for
// the cause (not found, pull access denied, 401 from a private registry), with the kubelet's events,
// STATUS column and waiting messages; image pull secrets; the images the task pages use.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { podStatus, Sandbox } from './harness.js';

let sb: Sandbox;

beforeEach(async () => {
  sb = new Sandbox();
  await sb.run(['clock', 'freeze']);
});

afterEach(() => sb.dispose());

const status = (pod: string) => podStatus(sb, pod);

async function events(pod: string): Promise<string[]> {
  const r = await sb.run(['get', 'events', '--field-selector', `involvedObject.name=${pod}`, '-o', 'jsonpath={range .items[*]}{.type} {.reason} {.message}{"\\n"}{end}']);
  return r.stdout.split('\n').filter(Boolean);
}

const jp = async (pod: string, path: string) => (await sb.run(['get', 'pod', pod, '-o', `jsonpath={${path}}`])).stdout;

function pullSecret(name: string, host: string): string {
  const cfg = Buffer.from(JSON.stringify({ auths: { [host]: { username: 'u', password: 'p', auth: 'dTpw' } } })).toString('base64');
  return `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: ${cfg}\n`;
}

function pod(name: string, image: string, secrets: string[] = []): string {
  const ps = secrets.length ? `  imagePullSecrets:\n${secrets.map((s) => `  - name: ${s}\n`).join('')}` : '';
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: app\n    image: ${image}\n${ps}`;
}

describe('tags', () => {
  it('busybox:1.28 (the docs use it everywhere) runs; its busybox answers', async () => {
    await sb.run(['run', 'bb', '--image=busybox:1.28', '--', 'sleep', '3600']);
    await sb.run(['clock', 'advance', '20s']);
    expect(await status('bb')).toBe('1/1 Running 0');
    expect(await jp('bb', '.status.containerStatuses[0].image')).toBe('docker.io/library/busybox:1.28');
    const r = await sb.run(['exec', 'bb', '--', 'cat', '/tmp/healthy']);
    expect(r.stderr).toBe("cat: can't open '/tmp/healthy': No such file or directory\ncommand terminated with exit code 1\n");
  });

  it('an older alpine tag runs with its own release', async () => {
    await sb.run(['run', 'al', '--image=alpine:3.16.2', '--', 'cat', '/etc/alpine-release']);
    await sb.run(['clock', 'advance', '20s']);
    expect((await sb.run(['logs', 'al'])).stdout).toBe('3.16.2\n');
  });

  it('a digest of a known repository pulls; the status shows it as the image ID', async () => {
    const d = `sha256:${'0123456789abcdef'.repeat(4)}`;
    await sb.run(['run', 'dg', `--image=nginx@${d}`]);
    await sb.run(['clock', 'advance', '20s']);
    expect(await status('dg')).toBe('1/1 Running 0');
    expect(await jp('dg', '.status.containerStatuses[0].imageID')).toBe(`docker.io/library/nginx@${d}`);
  });

  it('a tag that does not exist: ErrImagePull, then ImagePullBackOff with the runtime error in the message', async () => {
    await sb.run(['run', 'typo', '--image=nginx:1.161']);
    await sb.run(['clock', 'advance', '2s']);
    const err =
      'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.161": failed to resolve reference "docker.io/library/nginx:1.161": docker.io/library/nginx:1.161: not found';
    expect(await status('typo')).toBe('0/1 ErrImagePull 0');
    expect(await jp('typo', '.status.containerStatuses[0].state.waiting.message')).toBe(err);
    await sb.run(['clock', 'advance', '3s']);
    expect(await status('typo')).toBe('0/1 ImagePullBackOff 0');
    expect(await jp('typo', '.status.containerStatuses[0].state.waiting.message')).toBe(`Back-off pulling image "nginx:1.161": ErrImagePull: ${err}`);
    expect(await events('typo')).toEqual([
      'Normal Scheduled Successfully assigned default/typo to minikube',
      'Normal Pulling Pulling image "nginx:1.161"',
      `Warning Failed Failed to pull image "nginx:1.161": ${err}`,
      'Warning Failed Error: ErrImagePull',
      'Normal BackOff Back-off pulling image "nginx:1.161"',
      'Warning Failed Error: ImagePullBackOff',
    ]);
  });
});

describe('names and several containers', () => {
  it('a name the kubelet cannot parse: InspectFailed, InvalidImageName, retried on each sync', async () => {
    await sb.run(['apply', '-f', '-'], pod('up', 'Nginx'));
    await sb.run(['clock', 'advance', '25s']);
    const msg = 'Failed to apply default image tag "Nginx": couldn\'t parse image name "Nginx": invalid reference format: repository name (library/Nginx) must be lowercase';
    expect(await status('up')).toBe('0/1 InvalidImageName 0');
    expect(await jp('up', '.status.containerStatuses[0].state.waiting.message')).toBe(msg);
    const ev = await events('up');
    expect(ev).toContain(`Warning InspectFailed ${msg}`);
    expect(ev).toContain('Warning Failed Error: InvalidImageName');
    expect((await sb.run(['get', 'events', '--field-selector', 'reason=InspectFailed', '-o', 'jsonpath={.items[0].count}'])).stdout).toBe('3');
  });

  it('imagePullPolicy Never: an image not on the node is ErrImageNeverPull; one already pulled runs', async () => {
    const never = (name: string, image: string) => `${pod(name, image)}    imagePullPolicy: Never\n`;
    await sb.run(['apply', '-f', '-'], never('local', 'my-app:dev'));
    await sb.run(['run', 'first', '--image=nginx:1.25']);
    await sb.run(['clock', 'advance', '15s']);
    await sb.run(['apply', '-f', '-'], never('second', 'nginx:1.25'));
    await sb.run(['clock', 'advance', '10s']);
    expect(await status('local')).toBe('0/1 ErrImageNeverPull 0');
    const msg = 'Container image "my-app:dev" is not present with pull policy of Never';
    expect(await jp('local', '.status.containerStatuses[0].state.waiting.message')).toBe(msg);
    expect(await events('local')).toEqual(['Normal Scheduled Successfully assigned default/local to minikube', `Warning ErrImageNeverPull ${msg}`, 'Warning Failed Error: ErrImageNeverPull']);
    expect(await status('second')).toBe('1/1 Running 0');
    expect(await events('second')).toContain('Normal Pulled Container image "nginx:1.25" already present on machine');
  });

  it("one container's image fails, the next still starts", async () => {
    const manifest = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: two\nspec:\n  containers:\n  - name: bad\n    image: nginx:1.161\n  - name: good\n    image: busybox:1.28\n    command: [sleep, '3600']\n`;
    await sb.run(['apply', '-f', '-'], manifest);
    await sb.run(['clock', 'advance', '20s']);
    expect(await status('two')).toBe('1/2 ImagePullBackOff 0');
    expect(await jp('two', '.status.containerStatuses[1].state.running.startedAt')).not.toBe('');
  });
});

describe('repositories', () => {
  it('an official name Docker Hub does not have: pull access denied', async () => {
    await sb.run(['run', 'ng', '--image=ngnix']);
    await sb.run(['clock', 'advance', '5s']);
    expect(await status('ng')).toBe('0/1 ImagePullBackOff 0');
    expect(await events('ng')).toContain(
      'Warning Failed Failed to pull image "ngnix": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/ngnix:latest": failed to resolve reference "docker.io/library/ngnix:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    );
  });

  it('a name under a user or registry path runs as the generic image', async () => {
    await sb.run(['run', 'u', '--image=myuser/app:1.0']);
    await sb.run(['run', 'r', '--image=registry.example.com/team/app']);
    await sb.run(['clock', 'advance', '20s']);
    expect(await status('u')).toBe('1/1 Running 0');
    expect(await status('r')).toBe('1/1 Running 0');
  });
});

describe('private registries and image pull secrets', () => {
  const image = 'private-registry.io/apps/internal-app:1.0';
  const unauthorized = `Warning Failed Failed to pull image "${image}": rpc error: code = Unknown desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": unexpected status from HEAD request to https://private-registry.io/v2/apps/internal-app/manifests/1.0: 401 Unauthorized`;

  it('without credentials: 401 Unauthorized', async () => {
    await sb.run(['apply', '-f', '-'], pod('priv', image));
    await sb.run(['clock', 'advance', '5s']);
    expect(await status('priv')).toBe('0/1 ImagePullBackOff 0');
    expect(await events('priv')).toContain(unauthorized);
  });

  it('with a docker-registry secret for the host: pulled and running', async () => {
    await sb.run(['apply', '-f', '-'], pullSecret('regcred', 'private-registry.io'));
    await sb.run(['apply', '-f', '-'], pod('priv', image, ['regcred']));
    await sb.run(['clock', 'advance', '20s']);
    expect(await status('priv')).toBe('1/1 Running 0');
    expect((await events('priv')).some((e) => e.includes('FailedToRetrieveImagePullSecret'))).toBe(false);
  });

  it('a secret for another registry does not help', async () => {
    await sb.run(['apply', '-f', '-'], pullSecret('hub', 'https://index.docker.io/v1/'));
    await sb.run(['apply', '-f', '-'], pod('priv', image, ['hub']));
    await sb.run(['clock', 'advance', '5s']);
    expect(await events('priv')).toContain(unauthorized);
  });

  it('a referenced secret that does not exist: FailedToRetrieveImagePullSecret, the pull goes on anonymously', async () => {
    await sb.run(['apply', '-f', '-'], pod('priv', image, ['regcred']));
    await sb.run(['apply', '-f', '-'], pod('pub', 'nginx', ['regcred', 'other']));
    await sb.run(['clock', 'advance', '20s']);
    const ev = await events('priv');
    expect(ev).toContain('Warning FailedToRetrieveImagePullSecret Unable to retrieve some image pull secrets (regcred); attempting to pull the image may not succeed.');
    expect(ev).toContain(unauthorized);
    expect(await status('pub')).toBe('1/1 Running 0');
    expect(await events('pub')).toContain('Warning FailedToRetrieveImagePullSecret Unable to retrieve some image pull secrets (regcred, other); attempting to pull the image may not succeed.');
    const d = await sb.run(['describe', 'pod', 'pub']);
    expect(d.stdout).toMatch(/Warning {2}FailedToRetrieveImagePullSecret {2}\d+s \(x2 over \d+s\) +kubelet +Unable to retrieve some image pull secrets \(regcred, other\); attempting to pull the image may not succeed\./);
  });
});

describe('images the task pages use', () => {
  it('registry.k8s.io/pause: no shell, exec fails with the runtime message; SIGTERM ends it at once', async () => {
    await sb.run(['run', 'p', '--image=registry.k8s.io/pause:3.9']);
    await sb.run(['clock', 'advance', '10s']);
    expect(await status('p')).toBe('1/1 Running 0');
    const r = await sb.run(['exec', 'p', '--', 'sh']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "sh": executable file not found in \$PATH: unknown\n$/);
    await sb.run(['delete', 'pod', 'p', '--wait=false']);
    await sb.run(['clock', 'advance', '2s']);
    expect((await sb.run(['get', 'pod', 'p'])).stderr).toMatch(/NotFound/);
  });

  it('registry.k8s.io/liveness: /healthz answers 200 for 10 s, then 500; the liveness probe restarts it', async () => {
    const manifest = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: liveness-http\nspec:\n  containers:\n  - name: liveness\n    image: registry.k8s.io/liveness\n    args:\n    - /server\n    livenessProbe:\n      httpGet:\n        path: /healthz\n        port: 8080\n      initialDelaySeconds: 3\n      periodSeconds: 3\n`;
    await sb.run(['apply', '-f', '-'], manifest);
    await sb.run(['clock', 'advance', '10s']);
    expect(await status('liveness-http')).toBe('1/1 Running 0');
    await sb.run(['clock', 'advance', '15s']);
    const ev = await events('liveness-http');
    expect(ev).toContain('Warning Unhealthy Liveness probe failed: HTTP probe failed with statuscode: 500');
    expect(ev).toContain('Normal Killing Container liveness failed liveness probe, will be restarted');
  });

  it('agnhost liveness serves /healthz like the liveness image; an unknown subcommand is cobra\'s error', async () => {
    await sb.run(['run', 'al', '--image=registry.k8s.io/e2e-test-images/agnhost:2.40', '--', 'liveness']);
    await sb.run(['run', 'bad', '--image=registry.k8s.io/e2e-test-images/agnhost:2.40', '--', 'nope']);
    await sb.run(['run', 'cl', '--image=busybox', '--', 'sleep', '3600']);
    await sb.run(['clock', 'advance', '8s']);
    const ip = await jp('al', '.status.podIP');
    const ok = await sb.run(['exec', 'cl', '--', 'wget', '-qO-', `http://${ip}:8080/healthz`]);
    expect(ok.stdout).toBe('ok');
    await sb.run(['clock', 'advance', '10s']);
    const late = await sb.run(['exec', 'cl', '--', 'wget', '-qO-', `http://${ip}:8080/healthz`]);
    expect(late.stderr).toMatch(/^wget: server returned error: HTTP\/1.1 500 Internal Server Error/);
    expect((await sb.run(['logs', 'bad'])).stdout).toBe('Error: unknown command "nope" for "app"\nRun \'app --help\' for usage.\n');
    expect(await status('bad')).toMatch(/^0\/1 (Completed|CrashLoopBackOff) /);
  });

  it('registry.k8s.io/busybox in the exec liveness page: busybox cat', async () => {
    const manifest = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: liveness-exec\nspec:\n  containers:\n  - name: liveness\n    image: registry.k8s.io/busybox:1.27.2\n    args:\n    - /bin/sh\n    - -c\n    - touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600\n    livenessProbe:\n      exec:\n        command:\n        - cat\n        - /tmp/healthy\n      initialDelaySeconds: 5\n      periodSeconds: 5\n`;
    await sb.run(['apply', '-f', '-'], manifest);
    await sb.run(['clock', 'advance', '45s']);
    expect(await events('liveness-exec')).toContain("Warning Unhealthy Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory");
  });

  it('registry.k8s.io/etcd serves 2379: the gRPC liveness probe passes; no shell in it', async () => {
    const manifest = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: etcd-with-grpc\nspec:\n  containers:\n  - name: etcd\n    image: registry.k8s.io/etcd:3.5.1-0\n    command: [ "/usr/local/bin/etcd", "--data-dir",  "/var/lib/etcd", "--listen-client-urls", "http://0.0.0.0:2379", "--advertise-client-urls", "http://127.0.0.1:2379", "--log-level", "debug"]\n    ports:\n    - containerPort: 2379\n    livenessProbe:\n      grpc:\n        port: 2379\n      initialDelaySeconds: 10\n`;
    await sb.run(['apply', '-f', '-'], manifest);
    await sb.run(['clock', 'advance', '60s']);
    expect(await status('etcd-with-grpc')).toBe('1/1 Running 0');
    expect((await events('etcd-with-grpc')).filter((e) => e.includes('Unhealthy'))).toEqual([]);
    expect((await sb.run(['exec', 'etcd-with-grpc', '--', 'sh'])).stderr).toMatch(/exec: "sh": executable file not found in \$PATH/);
  });

  it('goproxy listens on 8080; agnhost netexec, serve-hostname and pause; node-hello says Hello Kubernetes!', async () => {
    await sb.run(['run', 'gp', '--image=registry.k8s.io/goproxy:0.1']);
    await sb.run(['run', 'ne', '--image=registry.k8s.io/e2e-test-images/agnhost:2.39', '--', 'netexec', '--http-port=8080']);
    await sb.run(['run', 'sh', '--image=registry.k8s.io/e2e-test-images/agnhost:2.39', '--', 'serve-hostname']);
    await sb.run(['run', 'ap', '--image=registry.k8s.io/e2e-test-images/agnhost:2.53']);
    await sb.run(['run', 'nh', '--image=gcr.io/google-samples/node-hello:1.0']);
    await sb.run(['run', 'cl', '--image=busybox', '--', 'sleep', '3600']);
    await sb.run(['clock', 'advance', '20s']);
    const get = async (p: string, port: number, path: string) => {
      const ip = await jp(p, '.status.podIP');
      const r = await sb.run(['exec', 'cl', '--', 'wget', '-qO-', `http://${ip}:${port}${path}`]);
      return r.stdout + r.stderr;
    };
    expect(await get('gp', 8080, '/')).toMatch(/^wget: server returned error: HTTP\/1.1 500 Internal Server Error/);
    expect(await get('ne', 8080, '/hostname')).toBe('ne');
    expect(await get('ne', 8080, '/echo?msg=hi')).toBe('hi');
    expect(await get('ne', 8080, '/')).toMatch(/^NOW: 2026-11-22 21:00:20 \+0000 UTC m=\+1\d\.\d{9}$/);
    expect(await get('sh', 9376, '/')).toBe('sh');
    expect((await sb.run(['logs', 'ne'])).stdout).toMatch(
      /^2026\/11\/22 21:00:0\d Started HTTP server on port 8080\n2026\/11\/22 21:00:0\d Started UDP server on port 8081\n2026\/11\/22 21:00:20 GET \/hostname\n2026\/11\/22 21:00:20 GET \/echo\?msg=hi&code=\n2026\/11\/22 21:00:20 GET \/\n$/,
    );
    expect(await get('nh', 8080, '/')).toBe('Hello Kubernetes!');
    expect((await sb.run(['logs', 'ap'])).stdout).toBe('Paused\n');
    expect((await sb.run(['logs', 'sh'])).stdout).toMatch(/^2026\/11\/22 21:00:0\d Serving on port 9376\.\n2026\/11\/22 21:00:20 HTTP request from 10\.244\.0\.\d+:\d+\n$/);
    // serve-hostname logs SIGTERM and waits for the pod's deletion: SIGKILL after the grace period
    await sb.run(['delete', 'pod', 'sh', '--wait=false']);
    await sb.run(['clock', 'advance', '5s']);
    expect((await sb.run(['logs', 'sh'])).stdout).toMatch(/Shutting down after receiving signal: terminated\.\n\S+ \S+ Awaiting pod deletion\.\n$/);
    await sb.run(['clock', 'advance', '30s']);
    expect((await sb.run(['get', 'pod', 'sh'])).stderr).toMatch(/NotFound/);
    expect(await status('ap')).toBe('1/1 Running 0');
  });
});
