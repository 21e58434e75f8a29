// The bench's table of targets (issue 14: fast at every size): each row measured on stores the
// bench builds itself, as a ratio where the target is one, with the target and a pass/fail mark.
//  - 10 pods: 7 Running (nginx), 2 crash-looping (busybox exiting 1), 1 Pending (no node fits)
//  - 10,000 and 30,000 pods on the one node: 10 crash-looping, about 100 Running, the rest Pending
//  - 100 pods looping on `sleep 1`, and 1,000 crash-looping pods on ten kind workers
// "After 24 h idle" is a running clock whose next command comes a day later: KUBESIM_WALL_SKEW_MS
// moves that command's wall clock ahead. The start-up row compares with the real kubectl 1.32
// binary (what kind or minikube users run); the PATH `kubectl` here is gcloud's dispatcher, which
// execs a versioned kubectl, so its row is shown for information only.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { env, interleaved, kubesim, ks, median, pod, pods, remove, run, scratch, storeBytes, write } from './lib.mjs';

const KUBECTL_132 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
const DAY = 24 * 3600 * 1000;

function realKubectl() {
  const candidates = [KUBECTL_132];
  for (const dir of (process.env.PATH ?? '').split(':')) candidates.push(join(dir, 'kubectl.1.32'));
  return candidates.find((c) => existsSync(c));
}

function spawnCode(cmd, args, home) {
  return new Promise((resolve) => spawn(cmd, args, { env: { ...env, KUBESIM_HOME: home }, stdio: 'ignore' }).on('exit', resolve));
}

/** width of the first column */
const W = 72;

const fmtMs = (ms) => (ms === undefined ? 'n/a' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

export async function targetTable({ quick = false, out = (s) => process.stdout.write(s), extra = [] } = {}) {
  const rows = [];
  const row = (what, measured, { ratio, target, ok, note } = {}) => {
    const mark = ok === undefined ? '' : ok ? 'ok' : 'FAIL';
    const r = { what, measured, ratio, target, mark, note };
    rows.push(r);
    out(`${what.padEnd(W)} ${String(measured).padStart(10)} ${(ratio === undefined ? '' : `${ratio.toFixed(2)}x`).padStart(7)}  ${(target ?? '').padEnd(22)} ${mark}${note ? `  (${note})` : ''}\n`);
    return r;
  };
  out(`${'what'.padEnd(W)} ${'measured'.padStart(10)} ${'ratio'.padStart(7)}  ${'target'.padEnd(22)} ok\n`);

  // ---- 10 pods: start-up, single-object commands, exec
  const d10 = scratch('10');
  const h10 = join(d10, 'home');
  const at10 = {};
  try {
    ks(['version', '--client'], { home: h10 });
    ks(['clock', 'freeze'], { home: h10 });
    const docs = [...Array.from({ length: 7 }, (_, i) => pod(`p-${i}`, 'nginx')), pod('c-0', 'crash'), pod('c-1', 'crash'), pod('x-0', 'pending')];
    ks(['apply', '-f', write(d10, 'pods.yaml', docs.join('---\n'))], { home: h10 });
    ks(['clock', 'advance', '2m'], { home: h10 });
    const real = realKubectl();
    const cmds = [
      [kubesim, ['get', 'pods'], { home: h10 }],
      [process.execPath, ['-e', '0']],
    ];
    if (real) cmds.push([real, ['version', '--client']]);
    const pathKubectl = run('kubectl', ['version', '--client']).code === 0;
    if (pathKubectl) cmds.push(['kubectl', ['version', '--client']]);
    const [get10, node0, kc, pk] = interleaved(cmds, 21);
    at10.get = get10;
    row('node -e 0 (for reference)', fmtMs(node0));
    if (real) row('real kubectl 1.32: version --client', fmtMs(kc));
    if (pathKubectl) row('PATH kubectl (gcloud dispatcher): version --client', fmtMs(real ? pk : kc), { note: 'information only' });
    if (real) row('get pods, 10 pods, vs real kubectl version --client', fmtMs(get10), { ratio: get10 / kc, target: '<= 0.70x', ok: get10 / kc <= 0.7 });
    else row('get pods, 10 pods', fmtMs(get10), { note: 'no real kubectl 1.32 to compare with' });
    if (real && pathKubectl) row('get pods, 10 pods, vs PATH kubectl version --client', fmtMs(get10), { ratio: get10 / (real ? pk : kc), note: 'information only' });
    const exec = interleaved([[kubesim, ['exec', 'p-2', '--', 'cat', '/etc/hostname'], { home: h10 }]], 11)[0];
    row('exec round trip (cat /etc/hostname), 10 pods', fmtMs(exec), { target: '<= 0.2 s', ok: exec <= 200 });
  } catch (e) {
    remove(d10);
    throw e;
  }
  /** deletes a Running pod of the 10-pod store (and puts it back, untimed): the time of the delete */
  let deletes10 = 0;
  const delete10 = () => {
    const name = `p-${deletes10++ % 7}`;
    const ms = ks(['delete', 'pod', name], { home: h10 }).ms;
    ks(['apply', '-f', write(d10, 'again.yaml', pod(name, 'nginx'))], { home: h10 });
    ks(['clock', 'advance', '30s'], { home: h10 });
    return ms;
  };

  // ---- 10,000 and 30,000 pods
  const sizes = quick ? [10_000] : [10_000, 30_000];
  const big = {};
  try {
    for (const n of sizes) {
      const d = scratch(String(n));
      const h = join(d, 'home');
      try {
        ks(['clock', 'freeze'], { home: h });
        const manifest = write(d, 'pods.yaml', `${pods('c', 10, 'crash')}---\n${pods('b', n - 10, 'nginx')}`);
        const built = ks(['apply', '-f', manifest], { home: h, timeoutMs: 1_800_000 });
        if (built.timedOut) {
          row(`${n} pods: store`, 'timed out', { note: 'apply -f took over 30 min' });
          continue;
        }
        ks(['clock', 'advance', '2m'], { home: h, timeoutMs: 1_800_000 });
        // each command in turn on this store and on the 10-pod one, so both see the same machine load
        // medians of 9 (5 at 30,000): the one-object rows differ by a few ms, and fewer runs let the machine's noise decide
        const runs = n > 10_000 ? 5 : 9;
        const m = {};
        [m.get, at10.get] = interleaved([[kubesim, ['get', 'pods'], { home: h }], [kubesim, ['get', 'pods'], { home: h10 }]], runs);
        [m.getOne, at10.getOne] = interleaved([[kubesim, ['get', 'pod', 'b-5'], { home: h }], [kubesim, ['get', 'pod', 'p-1'], { home: h10 }]], runs);
        [m.describeOne, at10.describeOne] = interleaved([[kubesim, ['describe', 'pod', 'b-5'], { home: h }], [kubesim, ['describe', 'pod', 'p-1'], { home: h10 }]], runs);
        const del = [];
        const del10 = [];
        for (let i = 0; i < runs; i++) {
          del.push(ks(['delete', 'pod', `b-${10 + i}`], { home: h }).ms);
          del10.push(delete10());
        }
        m.deleteOne = median(del);
        at10.deleteOne = median(del10);
        // a Pending pod frees no room: what the store costs without kube-scheduler's retry of every
        // Pending pod that a Running pod's deletion starts (as a real scheduler re-queues them all)
        const delPending = [];
        for (let i = 0; i < runs; i++) delPending.push(ks(['delete', 'pod', `b-${n - 11 - i}`], { home: h }).ms);
        m.deletePending = median(delPending);
        big[n] = m;
        const N = n.toLocaleString('en-US');
        if (n === 10_000) {
          row(`get pods, ${N} pods, vs get pods at 10 pods (${fmtMs(at10.get)})`, fmtMs(m.get), { ratio: m.get / at10.get, target: '<= 4x', ok: m.get / at10.get <= 4 });
          for (const [k, label] of [['getOne', 'get pod one'], ['describeOne', 'describe pod one'], ['deleteOne', 'delete pod one']]) {
            const ratio = m[k] / at10[k];
            row(`${label}, ${N} pods, vs the same at 10 pods (${fmtMs(at10[k])})`, fmtMs(m[k]), { ratio, target: '<= 1.3x', ok: ratio <= 1.3 });
          }
          row(`  delete a Pending pod (no room freed, no scheduler retry), ${N} pods`, fmtMs(m.deletePending), { ratio: m.deletePending / at10.deleteOne });
          const reads = [['get', 'pods'], ['get', 'pod', 'b-6'], ['describe', 'pod', 'b-6']].map((a) => run(kubesim, a, { home: h, memory: true }).rssMB ?? NaN);
          const writes = [['delete', 'pod', 'b-20'], ['label', 'pod', 'b-7', 'bench=yes']].map((a) => run(kubesim, a, { home: h, memory: true }).rssMB ?? NaN);
          const r = Math.max(...reads);
          const w = Math.max(...writes);
          row(`peak memory, ${N} pods, reads (get, get one, describe one)`, Number.isNaN(r) ? 'n/a' : `${r.toFixed(0)} MB`, { target: '<= 120 MB', ok: r <= 120 });
          row(`peak memory, ${N} pods, writes (delete one, label one)`, Number.isNaN(w) ? 'n/a' : `${w.toFixed(0)} MB`, { target: '<= 150 MB', ok: w <= 150 });
          const mb = storeBytes(h) / 1e6;
          row(`store size, ${N} pods`, `${mb.toFixed(1)} MB`, { target: '<= 20 MB', ok: mb <= 20 });
          row(`  on disk, with the segments kept a minute after a write replaced them`, `${(storeBytes(h, { onDisk: true }) / 1e6).toFixed(1)} MB`);
          // the store issue's check, for the rows after the table: 10 writers at once, none may time out
          const t = process.hrtime.bigint();
          const codes = await Promise.all(Array.from({ length: 10 }, (_, i) => spawnCode(kubesim, ['label', 'pod', `b-${30 + i}`, 'bench=yes'], h)));
          extra.push([`10 parallel writers, ${N} pods: ok of 10`, codes.filter((c) => c === 0).length]);
          extra.push([`10 parallel writers, ${N} pods: wall`, Number(process.hrtime.bigint() - t) / 1e6]);
        } else {
          const t10k = big[10_000];
          const getTarget = 3 * 4 * at10.get;
          const delTarget = 1.3 * 1.3 * at10.deleteOne;
          row(`get pods, ${N} pods, vs get pods at 10 pods (${fmtMs(at10.get)})`, fmtMs(m.get), { ratio: m.get / at10.get, target: '<= 3 x 4x = 12x', ok: m.get <= getTarget });
          row(`delete pod one, ${N} pods, vs delete at 10 pods (${fmtMs(at10.deleteOne)})`, fmtMs(m.deleteOne), { ratio: m.deleteOne / at10.deleteOne, target: '<= 1.3 x 1.3x = 1.69x', ok: m.deleteOne <= delTarget });
          if (t10k) row(`  (for reference: get pods / delete one, 30k vs 10k)`, `${(m.get / t10k.get).toFixed(2)}x / ${(m.deleteOne / t10k.deleteOne).toFixed(2)}x`);
        }
      } finally {
        remove(d);
      }
    }
  } finally {
    remove(d10);
  }

  // ---- 100 pods looping on `sleep 1`, then 24 h idle before each command
  const dl = scratch('loop');
  const hl = join(dl, 'home');
  try {
    ks(['clock', 'freeze'], { home: hl });
    ks(['apply', '-f', write(dl, 'loops.yaml', pods('loop', 100, 'loop'))], { home: hl });
    ks(['clock', 'advance', '1m'], { home: hl });
    ks(['clock', 'resume'], { home: hl });
    const idle = (days, args) => run(kubesim, args, { home: hl, extraEnv: { KUBESIM_WALL_SKEW_MS: String(days * DAY) }, timeoutMs: 900_000 });
    for (const [days, label, args, limit] of [
      [1, 'get pods', ['get', 'pods'], 300],
      [2, 'logs', ['logs', 'loop-1', '--tail=3'], 500],
      [3, 'exec', ['exec', 'loop-2', '--', 'wc', '-l', '/tmp/out'], 500],
    ]) {
      const r = idle(days, args);
      const ok = !r.timedOut && r.code === 0 && r.ms <= limit;
      row(`100 sleep-looping pods, after 24 h idle: ${label}`, r.timedOut ? '> 15 min' : fmtMs(r.ms), { target: `<= ${limit / 1000} s`, ok, note: r.code && !r.timedOut ? `exit ${r.code}` : undefined });
    }
  } finally {
    remove(dl);
  }

  // ---- 1,000 crash-looping pods on ten workers
  const dc = scratch('crash');
  const hc = join(dc, 'home');
  try {
    ks(['cluster', 'create', '--nodes', '11'], { home: hc });
    ks(['clock', 'freeze'], { home: hc });
    ks(['apply', '-f', write(dc, 'crash.yaml', pods('crash', 1000, 'crash'))], { home: hc, timeoutMs: 600_000 });
    const warm = run(kubesim, ['clock', 'advance', '5m'], { home: hc, timeoutMs: 600_000 });
    if (warm.timedOut) {
      row('1,000 crash-looping pods: clock advance 1m', 'not run', { target: '<= 1 s', ok: false, note: 'building the store (clock advance 5m) took over 10 min' });
      row('1,000 crash-looping pods, after 24 h idle: get pods', 'not run', { target: '<= 1 s', ok: false });
    } else {
      const adv = run(kubesim, ['clock', 'advance', '1m'], { home: hc, timeoutMs: 600_000 });
      row('1,000 crash-looping pods: clock advance 1m', adv.timedOut ? '> 10 min' : fmtMs(adv.ms), { target: '<= 1 s', ok: !adv.timedOut && adv.ms <= 1000 });
      ks(['clock', 'resume'], { home: hc });
      const r = run(kubesim, ['get', 'pods'], { home: hc, extraEnv: { KUBESIM_WALL_SKEW_MS: String(DAY) }, timeoutMs: 900_000 });
      row('1,000 crash-looping pods, after 24 h idle: get pods', r.timedOut ? '> 15 min' : fmtMs(r.ms), { target: '<= 1 s', ok: !r.timedOut && r.code === 0 && r.ms <= 1000 });
    }
  } finally {
    remove(dc);
  }
  return rows;
}
