// Warms the launcher's code caches at build time: one process (bin/kubesim with
// KUBESIM_CODE_CACHE_WARM) runs the common verbs against a scratch cluster, then writes the caches of
// the bundle, the schema validators and just-bash, so they hold the functions those verbs ran (a
// cache written by a first command would hold only what that command ran). Then, for each verb with
// a cache of its own (KUBESIM_CODE_CACHE_GROUP, see bin/kubesim), one process runs only that verb's
// commands on a copy of that cluster made for it, so what each cache holds does not depend on which
// runs came first. A reading verb's run starts with a catch-up of the simulation (a clock advance):
// with the clock following wall time, as it does by default, most reads run the controllers first.
// They run without NODE_OPTIONS or Node flags: those caches are the ones a plain `kubesim ...` takes.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MANIFEST = `apiVersion: v1
kind: Pod
metadata:
  name: solo
spec:
  containers:
  - name: app
    image: nginx:1.27
---
apiVersion: v1
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
    ['run', 'web1', '--image=nginx'],
    ['run', 'gone1', '--image=nginx'],
    ['create', 'deployment', 'gone2', '--image=nginx'],
    ['clock', 'advance', '30s'],
  ];
}

/** the catch-up a reading verb's run starts with */
const CATCH_UP = ['clock', 'advance', '20s'];

/** Each verb's own commands, run after the shared steps, side by side, each on its own copy of the cluster. */
function verbSteps(manifest, extra) {
  return {
    get: [
      CATCH_UP,
      ['get', 'pods'],
      ['get', 'pods', '-o', 'wide'],
      ['get', 'pod', 'web1'],
      ['get', 'pod', 'web1', '-o', 'yaml'],
      ['get', 'pods', '-o', 'json'],
      ['get', 'pods', '-l', 'app=web'],
      ['get', 'all'],
      ['get', 'deploy,rs,svc'],
      ['get', 'nodes'],
      ['get', 'events'],
      ['get', 'pod', 'missing'],
    ],
    describe: [
      CATCH_UP,
      ['describe', 'pod', 'web1'],
      ['describe', 'pods'],
      ['describe', 'deployment', 'web'],
      ['describe', 'service', 'web'],
      ['describe', 'node'],
      ['describe', 'pod', 'missing'],
    ],
    logs: [
      CATCH_UP,
      ['logs', 'box'],
      ['logs', 'web1'],
      ['logs', 'box', '--tail=1'],
      ['logs', 'missing'],
    ],
    exec: [
      CATCH_UP,
      ['exec', 'web1', '--', 'cat', '/etc/hostname'],
      ['exec', 'box', '--', 'sh', '-c', 'echo hello | wc -c; ls /'],
      ['exec', 'missing', '--', 'true'],
    ],
    clock: [['clock'], ['clock', 'advance', '10s']],
    version: [['version', '--client'], ['version'], ['version', '-o', 'json']],
    apply: [
      ['apply', '-f', manifest],
      ['apply', '-f', extra],
    ],
    run: [
      ['run', 'r1', '--image=nginx'],
      ['run', 'r2', '--image=busybox', '--', 'sleep', '3600'],
    ],
    create: [
      ['create', 'deployment', 'c1', '--image=nginx'],
      ['create', 'configmap', 'c2', '--from-literal=k=v'],
    ],
    delete: [
      ['delete', 'pod', 'gone1'],
      ['delete', 'deployment', 'gone2'],
      ['delete', 'pod', 'missing'],
    ],
  };
}

export async function warmCodeCache(root) {
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-warm-'));
  try {
    const manifest = join(dir, 'app.yaml');
    writeFileSync(manifest, MANIFEST);
    const extra = join(dir, 'extra.yaml');
    writeFileSync(extra, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  k: v\n');
    const env = { ...process.env, KUBESIM_HOME: join(dir, 'home') };
    for (const k of ['NODE_OPTIONS', 'KUBECONFIG', 'KUBESIM_STARTUP_TRACE', 'KUBESIM_CODE_CACHE_GROUP', 'KUBESIM_WALL_SKEW_MS']) delete env[k];
    const setup = (group, list) => {
      const file = join(dir, `steps-${group || 'all'}.json`);
      writeFileSync(file, JSON.stringify(list));
      // each verb's run has a copy of the cluster the shared run left, and reads the shared run's
      // kubeconfig (through its parsed copy: a copied file would be too new to have one, and every
      // command would parse its YAML, which a user's command does not)
      let home = env.KUBESIM_HOME;
      const more = {};
      if (group) {
        home = join(dir, `home-${group}`);
        cpSync(env.KUBESIM_HOME, home, { recursive: true });
        more.KUBECONFIG = kubeconfig;
        more.KUBESIM_CODE_CACHE_GROUP = group;
      }
      return { cwd: dir, env: { ...env, KUBESIM_HOME: home, KUBESIM_CODE_CACHE_WARM: file, ...more } };
    };
    const warned = (group, why) => process.stderr.write(`warning: the ${group || 'shared'} code cache was not warmed (the launcher writes one on first use): ${why}\n`);
    const launcher = join(root, 'bin', 'kubesim');
    // a warm run that hangs must not hang the build: it is given two minutes
    const r = spawnSync(process.execPath, [launcher], { ...setup('', steps(manifest)), stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL' });
    if (r.status !== 0) return warned('', r.stderr || r.error);
    // the kubeconfig's parsed copy is made by a command that reads the file once it is 2 s old
    const kubeconfig = join(env.KUBESIM_HOME, 'kubeconfig');
    const young = statSync(kubeconfig).mtimeMs + 2500 - Date.now();
    if (young > 0) await new Promise((resolve) => setTimeout(resolve, young));
    spawnSync(process.execPath, [launcher, 'config', 'current-context'], { cwd: dir, env, stdio: 'ignore', timeout: 60_000 });
    const queue = Object.entries(verbSteps(manifest, extra));
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [group, list] = next;
        let stderr = '';
        const child = spawn(process.execPath, [launcher], { ...setup(group, list), stdio: ['ignore', 'ignore', 'pipe'] });
        child.stderr.on('data', (d) => (stderr += d));
        const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
        const code = await new Promise((resolve) => child.on('close', resolve));
        clearTimeout(timer);
        if (code !== 0) warned(group, stderr);
      }
    };
    await Promise.all([worker(), worker(), worker()]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
