// The bench's "delete pod one" rows on their own, for the scheduler's retry of Pending pods:
//   node test/bench/delete-running.mjs [pods=10000] [runs=5] [kubesim=bin/kubesim]
// builds the bench's store (clock frozen, 10 crash-looping + n-10 nginx pods, of which about 100 fit
// the node, then 2 minutes on), and times `delete pod b-10`, `b-11`… (Running pods: each frees a place
// and kube-scheduler retries every Pending pod), each after a delete of a Running pod on the bench's
// 10-pod store (put back, untimed), then deletes of Pending pods (no retry). Medians, as the bench.
import { join } from 'node:path';
import { kubesim, median, must, pod, pods, remove, scratch, write } from './lib.mjs';

const n = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 5);
const bin = process.argv[4] ?? kubesim;
const ks = (args, opts) => must(bin, args, { timeoutMs: 1_800_000, ...opts });

const d10 = scratch('del10');
const d = scratch(`del${n}`);
try {
  const h10 = join(d10, 'home');
  ks(['clock', 'freeze'], { home: h10 });
  const docs = [...Array.from({ length: 7 }, (_, i) => pod(`p-${i}`, 'nginx')), pod('c-0', 'crash'), pod('c-1', 'crash'), pod('x-0', 'pending')];
  ks(['apply', '-f', write(d10, 'pods.yaml', docs.join('---\n'))], { home: h10 });
  ks(['clock', 'advance', '2m'], { home: h10 });
  const h = join(d, 'home');
  ks(['clock', 'freeze'], { home: h });
  const built = ks(['apply', '-f', write(d, 'pods.yaml', `${pods('c', 10, 'crash')}---\n${pods('b', n - 10, 'nginx')}`)], { home: h });
  ks(['clock', 'advance', '2m'], { home: h });
  process.stdout.write(`store of ${n} pods built (apply ${(built.ms / 1000).toFixed(1)} s)\n`);
  const del = [];
  const del10 = [];
  const pending = [];
  for (let i = 0; i < runs; i++) {
    del.push(ks(['delete', 'pod', `b-${10 + i}`], { home: h }).ms);
    const name = `p-${i % 7}`;
    del10.push(ks(['delete', 'pod', name], { home: h10 }).ms);
    ks(['apply', '-f', write(d10, 'again.yaml', pod(name, 'nginx'))], { home: h10 });
    ks(['clock', 'advance', '30s'], { home: h10 });
  }
  for (let i = 0; i < runs; i++) pending.push(ks(['delete', 'pod', `b-${n - 11 - i}`], { home: h }).ms);
  const show = (xs) => `${xs.map((x) => x.toFixed(0)).join(' ')} ms, median ${median(xs).toFixed(0)} ms`;
  const at10 = median(del10);
  process.stdout.write(`delete a Running pod, 10 pods: ${show(del10)}\n`);
  process.stdout.write(`delete a Running pod, ${n} pods: ${show(del)} (${(median(del) / at10).toFixed(2)}x)\n`);
  process.stdout.write(`delete a Pending pod, ${n} pods: ${show(pending)} (${(median(pending) / at10).toFixed(2)}x)\n`);
} finally {
  remove(d10);
  remove(d);
}
