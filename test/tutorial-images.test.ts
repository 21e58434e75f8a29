// The images the workload tutorials use (issue 10): each pulls, starts and does what the pages show —
// nginx-slim serves its root and exits at once on SIGTERM, serve_hostname answers its pod name on
// 9376, busyboxplus and curlimages/curl have curl, jessie-dnsutils has BIND's lookup tools, the
// guestbook frontend serves its page, coredns logs its start-up lines, fluentd runs quietly.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { podStatus, Sandbox } from './harness.js';

let sb: Sandbox;

beforeEach(async () => {
  sb = new Sandbox();
  await sb.run(['clock', 'freeze']);
});

afterEach(() => sb.dispose());

const status = (pod: string) => podStatus(sb, pod);
const jp = async (pod: string, path: string) => (await sb.run(['get', 'pod', pod, '-o', `jsonpath={${path}}`])).stdout;

async function runPod(name: string, image: string, args: string[] = []): Promise<void> {
  const r = await sb.run(['run', name, `--image=${image}`, ...(args.length ? ['--', ...args] : [])]);
  expect(r.stderr).toBe('');
  await sb.run(['clock', 'advance', '20s']);
}

describe('registry.k8s.io/nginx-slim', () => {
  it('0.24 serves its root on 80; the StatefulSet tutorial writes index.html with hostname and curls it', async () => {
    await runPod('web-0', 'registry.k8s.io/nginx-slim:0.24');
    expect(await status('web-0')).toBe('1/1 Running 0');
    expect(await jp('web-0', '.status.containerStatuses[0].image')).toBe('registry.k8s.io/nginx-slim:0.24');
    const w = await sb.run(['exec', 'web-0', '--', 'sh', '-c', 'echo "$(hostname)" > /usr/share/nginx/html/index.html']);
    expect(w.code).toBe(0);
    const c = await sb.run(['exec', 'web-0', '--', 'curl', '-s', 'http://localhost/']);
    expect(c.stdout).toBe('web-0\n');
    // no docker-entrypoint lines, no [notice] start-up lines: only the access log line
    const logs = await sb.run(['logs', 'web-0']);
    expect(logs.stdout).toMatch(/^127\.0\.0\.1 - - \[.*\] "GET \/ HTTP\/1\.1" 200 6 "-" "curl\/7\.47\.0"\n$/);
    expect(logs.stdout.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('0.21 and the k8s.gcr.io name pull too', async () => {
    await runPod('a', 'registry.k8s.io/nginx-slim:0.21');
    await runPod('b', 'k8s.gcr.io/nginx-slim:0.27');
    expect(await status('a')).toBe('1/1 Running 0');
    expect(await status('b')).toBe('1/1 Running 0');
  });

  it('exits at once on SIGTERM: a deleted pod is gone without waiting out its grace period', async () => {
    await runPod('web-0', 'registry.k8s.io/nginx-slim:0.24');
    const d = await sb.run(['delete', 'pod', 'web-0', '--wait=false']);
    expect(d.stdout).toBe('pod "web-0" deleted\n');
    await sb.run(['clock', 'advance', '3s']);
    const g = await sb.run(['get', 'pod', 'web-0']);
    expect(g.stderr).toBe('Error from server (NotFound): pods "web-0" not found\n');
  });
});

describe('serve_hostname', () => {
  it('answers its pod name on 9376 (Debug Services), logging each request', async () => {
    await runPod('hostnames', 'registry.k8s.io/serve_hostname');
    expect(await status('hostnames')).toBe('1/1 Running 0');
    await runPod('client', 'busybox:1.28', ['sleep', '3600']);
    const ip = await jp('hostnames', '.status.podIP');
    const r = await sb.run(['exec', 'client', '--', 'wget', '-qO-', `${ip}:9376`]);
    expect(r.stdout).toBe('hostnames');
    const logs = (await sb.run(['logs', 'hostnames'])).stdout;
    expect(logs).toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d Serving on port 9376\.\n/);
    expect(logs).toMatch(/HTTP request from /);
  });

  it('the gcr.io/google_containers name is the same image', async () => {
    await runPod('old', 'gcr.io/google_containers/serve_hostname:1.4');
    expect(await status('old')).toBe('1/1 Running 0');
  });
});

describe('curl images', () => {
  it('radial/busyboxplus:curl has curl and busybox', async () => {
    await runPod('web', 'registry.k8s.io/nginx-slim:0.24');
    await runPod('curl', 'radial/busyboxplus:curl', ['sleep', '3600']);
    const ip = await jp('web', '.status.podIP');
    const r = await sb.run(['exec', 'curl', '--', 'curl', '-s', `http://${ip}/`]);
    expect(r.stdout).toContain('<title>Welcome to nginx!</title>');
    // nginx-slim 0.24 is nginx 1.13.5
    const miss = await sb.run(['exec', 'curl', '--', 'curl', '-s', `http://${ip}/nope`]);
    expect(miss.stdout).toContain('<hr><center>nginx/1.13.5</center>');
    expect((await sb.run(['exec', 'curl', '--', 'which', 'curl'])).code).toBe(0);
  });

  it('curlimages/curl runs curl with the arguments it is given (its entrypoint prepends curl)', async () => {
    await runPod('web', 'registry.k8s.io/nginx-slim:0.24');
    const ip = await jp('web', '.status.podIP');
    await sb.run(['exec', 'web', '--', 'sh', '-c', 'echo hi > /usr/share/nginx/html/index.html']);
    await sb.run(['run', 'c', '--image=curlimages/curl', '--restart=Never', '--', '-s', `http://${ip}/`]);
    await sb.run(['clock', 'advance', '20s']);
    expect(await status('c')).toBe('0/1 Completed 0');
    expect((await sb.run(['logs', 'c'])).stdout).toBe('hi\n');
    expect((await sb.run(['logs', 'web'])).stdout).toContain('"-" "curl/8.11.0"\n');
    expect(await jp('c', '.status.containerStatuses[0].state.terminated.exitCode')).toBe('0');
  });

  it('curlimages/curl runs as curl_user in /home/curl_user', async () => {
    await runPod('c', 'curlimages/curl', ['sleep', '3600']);
    expect(await status('c')).toBe('1/1 Running 0');
    expect((await sb.run(['exec', 'c', '--', 'id'])).stdout).toBe('uid=100(curl_user) gid=101(curl_group) groups=101(curl_group)\n');
    expect((await sb.run(['exec', 'c', '--', 'pwd'])).stdout).toBe('/home/curl_user\n');
  });
});

describe('jessie-dnsutils', () => {
  it("has BIND's nslookup and dig against the cluster DNS", async () => {
    await runPod('dnsutils', 'registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3', ['sleep', 'infinity']);
    expect(await status('dnsutils')).toBe('1/1 Running 0');
    const ns = await sb.run(['exec', 'dnsutils', '--', 'nslookup', 'kubernetes.default']);
    expect(ns.stdout).toMatch(/^Server:\t\t10\.96\.0\.10\nAddress:\t10\.96\.0\.10#53\n\nName:\tkubernetes\.default\.svc\.cluster\.local\nAddress: 10\.96\.0\.1\n\n$/);
    const dig = await sb.run(['exec', 'dnsutils', '--', 'dig', '+short', 'kubernetes.default.svc.cluster.local']);
    expect(dig.stdout).toBe('10.96.0.1\n');
    // jessie's BIND 9.9 dig: its version, a 4096-byte EDNS buffer, no transport after the server
    const full = (await sb.run(['exec', 'dnsutils', '--', 'dig', 'kubernetes.default.svc.cluster.local'])).stdout;
    expect(full).toContain('; <<>> DiG 9.9.5-9+deb8u19-Debian <<>> kubernetes.default.svc.cluster.local\n');
    expect(full).toContain('; EDNS: version: 0, flags:; udp: 4096\n');
    expect(full).toContain(';; SERVER: 10.96.0.10#53(10.96.0.10)\n');
  });
});

describe('guestbook', () => {
  it('gb-frontend:v5 serves the Guestbook page on 80', async () => {
    await runPod('frontend', 'us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5');
    expect(await status('frontend')).toBe('1/1 Running 0');
    const r = await sb.run(['exec', 'frontend', '--', 'curl', '-s', 'localhost']);
    expect(r.stdout).toContain('<title>Guestbook</title>');
    const logs = (await sb.run(['logs', 'frontend'])).stdout + (await sb.run(['logs', 'frontend'])).stderr;
    expect(logs).toContain("AH00163: Apache/2.4.38 (Debian) PHP/7.4.33 configured -- resuming normal operations");
  });

  it('redis:6.0.5 (the leader) and the follower image run', async () => {
    await runPod('leader', 'docker.io/redis:6.0.5');
    await runPod('follower', 'us-docker.pkg.dev/google-samples/containers/gke/gb-redis-follower:v2');
    expect(await status('leader')).toBe('1/1 Running 0');
    expect(await status('follower')).toBe('1/1 Running 0');
    // redis 6.0 logs its start-up as the guestbook page shows it
    const logs = (await sb.run(['logs', 'leader'])).stdout.split('\n').map((l) => l.replace(/^1:([CM]) \d\d \w{3} \d{4} [\d:.]+ /, '$1 '));
    expect(logs.slice(0, 5)).toEqual(['C # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo', 'C # Redis version=6.0.5, bits=64, commit=00000000, modified=0, pid=1, just started', 'C # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf', 'M * Running mode=standalone, port=6379.', 'M # Server initialized']);
    expect(logs).toContain('M * Ready to accept connections');
  });
});

describe('cluster add-ons', () => {
  it("kube-system's coredns pods log CoreDNS 1.11.3's start-up lines", async () => {
    const r = await sb.run(['logs', '-n', 'kube-system', '-l', 'k8s-app=kube-dns']);
    const block = '.:53\n[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908\nCoreDNS-1.11.3\nlinux/amd64, go1.21.11, a6338e9\n';
    expect(r.stdout.startsWith(block)).toBe(true);
    expect(r.code).toBe(0);
  });

  it('fluentd-elasticsearch runs quietly until stopped', async () => {
    await runPod('fluentd', 'quay.io/fluentd_elasticsearch/fluentd:v2.5.2');
    expect(await status('fluentd')).toBe('1/1 Running 0');
    expect((await sb.run(['logs', 'fluentd'])).stdout).toBe('');
  });
});
