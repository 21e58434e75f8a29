// /ui: one live page of the cluster (no framework, nothing fetched from elsewhere): nodes as columns
// with their pods as cards (phase colour, READY, restarts, the waiting/terminated reason), Deployments
// and ReplicaSets, Services with their endpoints, the events timeline and the simulated clock with
// freeze/resume/advance; it follows the API's watches and shows a pod's describe, logs and YAML.
// /ui/cmd runs the few kubesim commands the page needs (clock, describe) in this process.
import type { ClusterAccess } from './access.js';
import { failure, type ApiRequest, type ApiResponse } from './http-types.js';

const PAGE = String.raw`<!doctype html>
<html><head><meta charset="utf-8"><title>kubesim</title>
<style>
body{font:13px system-ui,sans-serif;margin:0;background:#f4f5f7;color:#222}
header{display:flex;gap:12px;align-items:center;padding:8px 14px;background:#326ce5;color:#fff}
header h1{font-size:16px;margin:0 12px 0 0}
header button{border:0;border-radius:3px;padding:3px 8px;cursor:pointer}
main{display:grid;grid-template-columns:1fr 340px;gap:12px;padding:12px}
#nodes{display:flex;gap:12px;align-items:flex-start;flex-wrap:wrap}
.node{background:#fff;border-radius:6px;padding:8px;min-width:230px;box-shadow:0 1px 2px #0002}
.node h2{font-size:14px;margin:0 0 6px}
.pod{border-left:6px solid #999;background:#fafafa;margin:6px 0;padding:5px 7px;border-radius:3px;cursor:pointer}
.pod.Running{border-color:#2e9e44}.pod.Pending{border-color:#e0a800}.pod.Succeeded{border-color:#3b73d6}.pod.Failed,.pod.bad{border-color:#d63b3b}
.pod .n{font-weight:600}.pod .s{color:#555;font-size:12px}
section{background:#fff;border-radius:6px;padding:8px;margin-bottom:12px;box-shadow:0 1px 2px #0002}
section h3{margin:0 0 6px;font-size:13px}
#events div{border-bottom:1px solid #eee;padding:3px 0;font-size:12px}
.Warning{color:#b02a2a}
pre{white-space:pre-wrap;background:#111;color:#ddd;padding:8px;border-radius:4px;max-height:60vh;overflow:auto;font-size:12px}
#detail{display:none}
</style></head>
<body>
<header><h1>kubesim</h1><span id="clock"></span>
<button data-c="freeze">freeze</button><button data-c="resume">resume</button><button data-c="advance 30s">+30s</button><button data-c="advance 5m">+5m</button></header>
<main><div><div id="nodes"></div><section id="detail"><h3 id="dtitle"></h3>
<button data-v="describe">describe</button> <button data-v="logs">logs</button> <button data-v="yaml">yaml</button><pre id="dtext"></pre></section></div>
<div><section><h3>Deployments</h3><div id="deploys"></div></section><section><h3>Services</h3><div id="services"></div></section>
<section><h3>Events</h3><div id="events"></div></section></div></main>
<script>
const S = { pods: [], nodes: [], deployments: [], replicasets: [], services: [], endpoints: [], events: [] };
const PATHS = { pods: '/api/v1/pods', nodes: '/api/v1/nodes', deployments: '/apis/apps/v1/deployments', replicasets: '/apis/apps/v1/replicasets', services: '/api/v1/services', endpoints: '/api/v1/endpoints', events: '/api/v1/events' };
let sel = null;
const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
function podState(p) {
  const cs = (p.status && p.status.containerStatuses) || [];
  const ready = cs.filter((c) => c.ready).length + '/' + ((p.spec.containers || []).length);
  const restarts = cs.reduce((a, c) => a + (c.restartCount || 0), 0);
  let reason = p.metadata.deletionTimestamp ? 'Terminating' : (p.status && (p.status.reason || p.status.phase)) || 'Pending';
  for (const c of cs) { const w = c.state && (c.state.waiting || c.state.terminated); if (w && w.reason && !(c.state.terminated && w.reason === 'Completed' && p.status.phase === 'Running')) reason = w.reason; }
  return { ready, restarts, reason };
}
function lastEvent(p) {
  const ev = S.events.filter((e) => e.involvedObject && e.involvedObject.uid === p.metadata.uid).sort((a, b) => (a.lastTimestamp || '') < (b.lastTimestamp || '') ? -1 : 1).pop();
  return ev ? ev.reason + ': ' + ev.message : '';
}
function render() {
  const byNode = new Map(S.nodes.map((n) => [n.metadata.name, []]));
  byNode.set('(unscheduled)', []);
  for (const p of S.pods) (byNode.get(p.spec.nodeName) || byNode.get('(unscheduled)')).push(p);
  let h = '';
  for (const [node, pods] of byNode) {
    if (node === '(unscheduled)' && !pods.length) continue;
    h += '<div class="node"><h2>' + esc(node) + '</h2>';
    for (const p of pods) {
      const st = podState(p);
      const bad = /BackOff|Err|OOM|Invalid|Fail/.test(st.reason) ? ' bad' : '';
      h += '<div class="pod ' + esc(p.status && p.status.phase) + bad + '" data-ns="' + esc(p.metadata.namespace) + '" data-name="' + esc(p.metadata.name) + '"><div class="n">' + esc(p.metadata.name) + '</div>' +
        '<div class="s">' + esc(p.metadata.namespace) + ' &middot; ' + st.ready + ' &middot; <b>' + esc(st.reason) + '</b> &middot; restarts ' + st.restarts + '</div><div class="s">' + esc(lastEvent(p)) + '</div></div>';
    }
    h += '</div>';
  }
  document.getElementById('nodes').innerHTML = h;
  document.getElementById('deploys').innerHTML = S.deployments.map((d) => '<div><b>' + esc(d.metadata.namespace + '/' + d.metadata.name) + '</b> ' + ((d.status && d.status.readyReplicas) || 0) + '/' + ((d.spec && d.spec.replicas) || 0) + ' ready' +
    S.replicasets.filter((r) => (r.metadata.ownerReferences || []).some((o) => o.uid === d.metadata.uid)).map((r) => '<div class="s">&nbsp;&nbsp;' + esc(r.metadata.name) + ' ' + ((r.status && r.status.replicas) || 0) + ' pods</div>').join('') + '</div>').join('');
  document.getElementById('services').innerHTML = S.services.map((s) => {
    const ep = S.endpoints.find((e) => e.metadata.namespace === s.metadata.namespace && e.metadata.name === s.metadata.name);
    const addrs = ((ep && ep.subsets) || []).flatMap((x) => (x.addresses || []).map((a) => (a.targetRef ? a.targetRef.name : a.ip)));
    return '<div><b>' + esc(s.metadata.namespace + '/' + s.metadata.name) + '</b> ' + esc(s.spec.clusterIP) + ' &rarr; ' + esc(addrs.join(', ') || '(no endpoints)') + '</div>';
  }).join('');
  document.getElementById('events').innerHTML = S.events.slice().sort((a, b) => ((a.lastTimestamp || a.eventTime || '') < (b.lastTimestamp || b.eventTime || '') ? 1 : -1)).slice(0, 40)
    .map((e) => '<div class="' + esc(e.type) + '">' + esc((e.lastTimestamp || '').slice(11, 19)) + ' ' + esc(e.involvedObject.kind + '/' + e.involvedObject.name) + ' <b>' + esc(e.reason) + '</b> ' + esc(e.message) + '</div>').join('');
}
let pending = false;
function soon() { if (!pending) { pending = true; setTimeout(() => { pending = false; render(); }, 100); } }
async function follow(kind) {
  for (;;) {
    try {
      const list = await (await fetch(PATHS[kind])).json();
      S[kind] = list.items || [];
      soon();
      const res = await fetch(PATHS[kind] + '?watch=1&resourceVersion=' + list.metadata.resourceVersion);
      const reader = res.body.getReader();
      const dec = new TextDecoder();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += dec.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          const ev = JSON.parse(buf.slice(0, i));
          buf = buf.slice(i + 1);
          const o = ev.object;
          const k = (x) => x.metadata.namespace + '/' + x.metadata.name;
          S[kind] = S[kind].filter((x) => k(x) !== k(o));
          if (ev.type !== 'DELETED') S[kind].push(o);
          S[kind].sort((a, b) => (k(a) < k(b) ? -1 : 1));
          soon();
        }
      }
    } catch (e) { /* reconnect */ }
    await new Promise((r) => setTimeout(r, 1000));
  }
}
async function cmd(args) {
  const r = await fetch('/ui/cmd', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(args) });
  return r.json();
}
async function clock() { const r = await cmd(['clock']); document.getElementById('clock').textContent = r.stdout.trim(); }
document.querySelectorAll('header button').forEach((b) => b.onclick = async () => { await cmd(['clock', ...b.dataset.c.split(' ')]); clock(); });
document.getElementById('nodes').onclick = (e) => { const c = e.target.closest('.pod'); if (c) { sel = { ns: c.dataset.ns, name: c.dataset.name }; show('describe'); } };
document.querySelectorAll('#detail button').forEach((b) => b.onclick = () => show(b.dataset.v));
async function show(view) {
  if (!sel) return;
  document.getElementById('detail').style.display = 'block';
  document.getElementById('dtitle').textContent = 'pod ' + sel.ns + '/' + sel.name;
  const args = view === 'describe' ? ['describe', 'pod', sel.name, '-n', sel.ns] : view === 'logs' ? ['logs', sel.name, '-n', sel.ns, '--all-containers', '--tail=200'] : ['get', 'pod', sel.name, '-n', sel.ns, '-o', 'yaml'];
  const r = await cmd(args);
  document.getElementById('dtext').textContent = r.stdout + r.stderr;
}
// a browser opens at most 6 connections to a host: pods, nodes and events are watched (3 streams),
// the rest listed every 2 s, so the page's own requests (clock, describe, logs) always get through
const WATCHED = ['pods', 'nodes', 'events'];
for (const k of WATCHED) follow(k);
(async function poll() {
  for (;;) {
    for (const k of Object.keys(PATHS).filter((x) => !WATCHED.includes(x))) {
      try {
        S[k] = (await (await fetch(PATHS[k])).json()).items || [];
        soon();
      } catch (e) { /* next round */ }
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
})();
clock(); setInterval(clock, 1000);
</script></body></html>
`;

/** The kubesim commands the page may run. */
const ALLOWED = new Set(['clock', 'describe', 'logs', 'get']);

export async function uiPage(access: ClusterAccess, path: string, req: ApiRequest): Promise<ApiResponse> {
  if ((path === '/ui' || path === '/ui/') && req.method === 'GET') return { status: 200, body: PAGE, type: 'text/html; charset=utf-8' };
  if (path === '/ui/cmd' && req.method === 'POST') {
    let args: unknown;
    try {
      args = JSON.parse(req.body);
    } catch {
      args = undefined;
    }
    if (!Array.isArray(args) || !args.every((a) => typeof a === 'string') || !ALLOWED.has(args[0])) return failure(400, 'BadRequest', 'not a command the page runs');
    const out = await access.command(args as string[]);
    return { status: 200, body: `${JSON.stringify(out)}\n`, type: 'application/json' };
  }
  return { status: 404, body: '404 page not found\n', type: 'text/plain; charset=utf-8' };
}
