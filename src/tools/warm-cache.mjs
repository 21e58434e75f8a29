// Warms the launcher's code caches at build time: one process (bin/kubesim with
// KUBESIM_CODE_CACHE_WARM) runs the common verbs against a scratch cluster, then writes the caches of
// the bundle, the schema validators and just-bash, so they hold the functions those verbs ran (a
// cache written by a first command would hold only what that command ran). It runs without
// NODE_OPTIONS or Node flags: those caches are the ones a plain `kubesim …` takes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MANIFEST = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: warm
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
        readinessProbe:
          httpGet:
            path: /
            port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
`;

/** The commands the cache is warmed over: reads, writes, errors, help, exec and logs. */
function steps(manifest) {
  return [
    ['version', '--client'],
    ['clock', 'freeze'],
    ['get', 'pods'],
    ['run', 'box', '--image=busybox', '--', 'sh', '-c', 'while true; do echo tick; sleep 5; done'],
    ['run', 'web1', '--image=nginx', '--labels=app=one'],
    ['apply', '-f', manifest],
    ['create', 'deployment', 'api', '--image=nginx', '--replicas=2'],
    ['create', 'configmap', 'cm1', '--from-literal=a=b'],
    ['create', 'secret', 'generic', 's1', '--from-literal=p=q'],
    ['create', 'namespace', 'team'],
    ['clock', 'advance', '30s'],
    ['get', 'pods'],
    ['get', 'pods', '-o', 'wide'],
    ['get', 'pods', '-A'],
    ['get', 'pods', '-l', 'app=web', '--show-labels'],
    ['get', 'pod', 'web1'],
    ['get', 'pod', 'web1', '-o', 'yaml'],
    ['get', 'pod', 'web1', '-o', 'json'],
    ['get', 'pods', '-o', 'name'],
    ['get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}'],
    ['get', 'all'],
    ['get', 'deploy,rs,svc,cm,secret'],
    ['get', 'nodes'],
    ['get', 'ns'],
    ['get', 'events'],
    ['describe', 'pod', 'web1'],
    ['describe', 'deployment', 'web'],
    ['describe', 'service', 'web'],
    ['describe', 'node'],
    ['logs', 'box'],
    ['logs', 'web1'],
    ['exec', 'web1', '--', 'cat', '/etc/hostname'],
    ['exec', 'box', '--', 'sh', '-c', 'echo hello | wc -c; ls /'],
    ['label', 'pod', 'web1', 'tier=front'],
    ['annotate', 'pod', 'web1', 'note=warm'],
    ['scale', 'deployment', 'api', '--replicas=3'],
    ['set', 'image', 'deployment/api', 'nginx=nginx:1.27'],
    ['rollout', 'status', 'deployment/api'],
    ['expose', 'deployment', 'api', '--port=80'],
    ['patch', 'deployment', 'api', '-p', '{"spec":{"replicas":2}}'],
    ['clock', 'advance', '1m'],
    ['get', 'pods'],
    ['delete', 'pod', 'web1'],
    ['delete', 'deployment', 'api'],
    ['get', 'pod', 'missing'],
    ['get', 'nosuchkind'],
    ['describe', 'pod', 'missing'],
    ['nosuchverb'],
    ['get', '--help'],
    ['config', 'view'],
    ['config', 'get-contexts'],
    ['config', 'current-context'],
    ['cluster-info'],
    ['api-resources'],
    ['clock'],
  ];
}

export function warmCodeCache(root) {
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-warm-'));
  try {
    const manifest = join(dir, 'app.yaml');
    writeFileSync(manifest, MANIFEST);
    const stepsFile = join(dir, 'steps.json');
    writeFileSync(stepsFile, JSON.stringify(steps(manifest)));
    const env = { ...process.env, KUBESIM_HOME: join(dir, 'home'), KUBESIM_CODE_CACHE_WARM: stepsFile };
    for (const k of ['NODE_OPTIONS', 'KUBECONFIG', 'KUBESIM_STARTUP_TRACE']) delete env[k];
    const r = spawnSync(process.execPath, [join(root, 'bin', 'kubesim')], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0) process.stderr.write(`warning: the code cache was not warmed (the launcher writes one on first use): ${r.stderr || r.error}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
