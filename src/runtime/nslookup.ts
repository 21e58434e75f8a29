// busybox's nslookup in its two dialects, against the cluster DNS.
// - old (busybox ≤ 1.28, networking/nslookup.c before the 1.29 rewrite): libc's getaddrinfo (the
//   search path with ndots applied), `%-10s %s` headers and `Address N: IP[ PTR]` lines; a name that
//   does not resolve is `nslookup: can't resolve 'x'` on stderr, exit 1.
// - new (1.29+): its own queries, A then AAAA, each name of the search list only when the name has
//   no dot; one block per reply in order (`Name:\tFQDN` / `Address: IP`, `** server can't find
//   NAME: NXDOMAIN`, an empty line for an authoritative empty answer), exit 1 when any reply was an
//   error. CoreDNS answers the cluster zone authoritatively (no "Non-authoritative answer:"); names
//   outside it are NXDOMAIN here (the simulated cluster has no upstream resolver).
import type { KObj } from '../api/types.js';
import type { Cluster } from '../sim/engine.js';
import { isIPv4, lookupSrv, queryA, resolveHost, resolverConf, reverseName } from './dns.js';

type Result = { stdout: string; stderr: string; exitCode: number };

const USAGE_OLD =
  'BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: nslookup [HOST] [SERVER]\n\nQuery the nameserver for the IP address of the given HOST\noptionally using a specified DNS server\n';
const USAGE_NEW =
  'BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n';

function oldHost(c: Cluster, pod: KObj, name: string, header: string): { text: string; ok: boolean } {
  const r = resolveHost(c, pod, name);
  if (!r?.ips.length) return { text: '', ok: false };
  let text = `${header.padEnd(10)} ${name}\n`;
  r.ips.forEach((ip, i) => {
    const rev = reverseName(c, ip);
    text += `Address ${i + 1}: ${ip}${rev ? ` ${rev}` : ''}\n`;
  });
  return { text, ok: true };
}

function oldNslookup(c: Cluster, pod: KObj, args: string[]): Result {
  if (!args.length || args[0].startsWith('-') || args.length > 2) return { stdout: '', stderr: USAGE_OLD, exitCode: 1 };
  const conf = resolverConf(c, pod);
  const server = args[1] ?? conf.nameservers[0] ?? '127.0.0.1';
  const s = oldHost(c, pod, server, 'Server:');
  let out = s.ok ? s.text : '';
  out += '\n';
  const h = oldHost(c, pod, args[0], 'Name:');
  if (!h.ok) return { stdout: out, stderr: `nslookup: can't resolve '${args[0]}'\n`, exitCode: 1 };
  return { stdout: out + h.text, stderr: '', exitCode: 0 };
}

function newNslookup(c: Cluster, pod: KObj, args: string[]): Result {
  const rest = args.filter((a) => !a.startsWith('-'));
  if (!rest.length || rest.length > 2) return { stdout: '', stderr: USAGE_NEW, exitCode: 1 };
  const conf = resolverConf(c, pod);
  const server = rest[1] ?? conf.nameservers[0] ?? '127.0.0.1';
  const name = rest[0];
  let out = `Server:\t\t${server}\nAddress:\t${server}:53\n\n`;
  let failed = false;
  if (isIPv4(name)) {
    const ptr = name.split('.').reverse().join('.') + '.in-addr.arpa';
    const rev = reverseName(c, name);
    if (rev) out += `${ptr}\tname = ${rev}\n\n`;
    else {
      out += `** server can't find ${ptr}: NXDOMAIN\n\n`;
      failed = true;
    }
    return { stdout: out, stderr: '', exitCode: failed ? 1 : 0 };
  }
  const names = name.includes('.') || !conf.search.length ? [name] : conf.search.map((s) => `${name}.${s}`);
  const typeArg = args.find((a) => /^-(type|querytype|query|q)=/i.test(a));
  if (typeArg && /=srv$/i.test(typeArg)) {
    for (const n of names) {
      const srv = lookupSrv(c, n);
      if (!srv) {
        out += `** server can't find ${n}: NXDOMAIN\n\n`;
        failed = true;
        continue;
      }
      for (const r of srv) out += `${n}\tservice = ${r.priority} ${r.weight} ${r.port} ${r.target}\n`;
      out += '\n';
    }
    return { stdout: out, stderr: '', exitCode: failed ? 1 : 0 };
  }
  for (const type of ['A', 'AAAA']) {
    for (const n of names) {
      const a = queryA(c, n);
      if (a === 'nxdomain') {
        out += `** server can't find ${n}: NXDOMAIN\n\n`;
        failed = true;
        continue;
      }
      if (a === 'nodata' || type === 'AAAA') {
        // a CNAME answers every type; the target has no AAAA records
        if (a !== 'nodata' && a.cname) out += `${n}\tcanonical name = ${a.cname}\n`;
        out += '\n';
        continue;
      }
      if (a.cname) out += `${n}\tcanonical name = ${a.cname}\n`;
      for (const ip of a.ips) out += `Name:\t${a.cname ?? n}\nAddress: ${ip}\n`;
      out += '\n';
    }
  }
  return { stdout: out, stderr: '', exitCode: failed ? 1 : 0 };
}

/** `nslookup ARGS` in a container of `pod` whose busybox speaks `dialect`. */
export function nslookup(c: Cluster, pod: KObj, dialect: string, args: string[]): Result {
  return dialect === 'old' ? oldNslookup(c, pod, args) : newNslookup(c, pod, args);
}
