// The CPU a request load costs the servers that answer it: a shell loop requesting a URL with wget or
// curl (the HPA walkthrough's `while sleep 0.01; do wget -q -O- http://php-apache; done`) makes
// about 1/(sleep + 65 ms) requests a second, spread over the ready endpoints of the Service its host
// names; an image whose catalog entry says what a request costs (process.cpuPerRequestMs, php-apache's
// million square roots) spends that much CPU on each. What `kubectl top` and the HPA controller see.
import { POD, SERVICE } from '../api/kinds.js';
import { selectorFromLabelSelector } from '../api/selectors.js';
import type { KObj } from '../api/types.js';
import { resolveImage } from '../runtime/catalog.js';
import { runtimeOf } from '../runtime/state.js';
import type { Cluster } from './engine.js';
import { isPodReady } from './controllers/workload-index.js';

/** A request's own time besides the loop's sleep (wget's start, the round trip, the answer). */
const REQUEST_OVERHEAD_S = 0.065;

interface Loop {
  ns: string;
  host: string;
  sleepS: number;
}

/** The loops of a container's processes that request a URL again and again. */
function loopsOf(pod: KObj, procs: { argv: string[] }[]): Loop[] {
  const out: Loop[] = [];
  for (const p of procs) {
    const text = p.argv.join(' ');
    if (!/\b(while|until|for)\b/.test(text)) continue;
    const m = /\b(?:wget|curl)\b([^;&|]*)/.exec(text);
    if (!m) continue;
    const words = m[1].trim().split(/\s+/);
    let host: string | undefined;
    for (let i = 0; i < words.length; i++) {
      const w = words[i].replace(/^["']|["']$/g, '');
      if (w === '-O' || w === '-o' || w === '-T' || w === '-H' || w === '--header' || w === '-U') {
        i++;
        continue;
      }
      if (w.startsWith('-') || !w) continue;
      host = /^(?:https?:\/\/)?([^/:?#\s]+)/.exec(w)?.[1];
      break;
    }
    if (!host) continue;
    const sleep = /\bsleep\s+([\d.]+)/.exec(text);
    out.push({ ns: pod.metadata.namespace, host, sleepS: sleep ? Number(sleep[1]) || 0 : 0 });
  }
  return out;
}

/** The Service a host names from a pod in `ns` (`svc`, `svc.ns`, `svc.ns.svc.cluster.local`, its ClusterIP). */
function serviceOf(c: Cluster, ns: string, host: string): KObj | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return c.api.list(SERVICE).find((s) => s.spec?.clusterIP === host);
  const [name, second] = host.split('.');
  return c.api.peek(SERVICE, second && second !== 'svc' ? second : ns, name);
}

/**
 * Extra CPU (millicores) each pod spends answering request loops, by pod uid; computed once per
 * simulated instant (a catch-up's syncs see the pods as they are then).
 */
export function httpLoad(c: Cluster): Map<string, number> {
  const cached = c.memo.get('http-load') as { at: number; load: Map<string, number> } | undefined;
  if (cached && cached.at === c.now()) return cached.load;
  const load = new Map<string, number>();
  c.memo.set('http-load', { at: c.now(), load });
  const rts = runtimeOf(c.state);
  const pods = c.api.list(POD);
  for (const pod of pods) {
    if (pod.status?.phase !== 'Running') continue;
    const rt = rts[pod.metadata.uid];
    if (!rt) continue;
    for (const ct of Object.values(rt.containers)) {
      if (ct.exited) continue;
      for (const loop of loopsOf(pod, ct.procs)) {
        const svc = serviceOf(c, loop.ns, loop.host);
        if (!svc?.spec?.selector) continue;
        const sel = selectorFromLabelSelector({ matchLabels: svc.spec.selector });
        const ready = pods.filter((p) => p.metadata.namespace === svc.metadata.namespace && p.status?.phase === 'Running' && isPodReady(p) && sel.matches(p.metadata.labels));
        if (!ready.length) continue;
        const rate = 1 / (loop.sleepS + REQUEST_OVERHEAD_S) / ready.length;
        for (const p of ready) {
          const image = resolveImage(String(p.spec?.containers?.[0]?.image ?? ''));
          const cost = image.found ? Number(image.variant.process.cpuPerRequestMs ?? 0) : 0;
          if (cost) load.set(p.metadata.uid, (load.get(p.metadata.uid) ?? 0) + rate * cost);
        }
      }
    }
  }
  return load;
}
