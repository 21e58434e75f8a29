// BIND 9's lookup tools against the cluster DNS, for images that ship them (agnhost's dig):
// - dig NAME [TYPE] [+short] [+search]: no search list unless +search; CoreDNS answers the cluster
//   zone authoritatively (flags qr aa rd, "recursion requested but not available"), TTL 30 (the
//   Corefile's `ttl 30`); +short prints the addresses alone.
// - host NAME: the search list with ndots, `NAME has address IP`, `Host NAME not found: 3(NXDOMAIN)`.
// - nslookup NAME: the search list with ndots, `Server:\t\tIP` / `Address:\tIP#53`, `Name:\tFQDN` /
//   `Address: IP`, `** server can't find NAME: NXDOMAIN`.
import type { KObj } from '../api/types.js';
import type { Cluster } from '../sim/engine.js';
import type { Variant } from './catalog.js';
import type { Kernel } from './commands.js';
import { candidates, isIPv4, lookupSrv, queryA, resolverConf, reverseName } from './dns.js';
import { nslookup } from './nslookup.js';
import { imageOwn } from './programs.js';

type Result = { stdout: string; stderr: string; exitCode: number };

const TTL = 30;

function answerFor(c: Cluster, pod: KObj, name: string, search: boolean): { fqdn: string; ips: string[]; cname?: string } | undefined {
  const conf = resolverConf(c, pod);
  const names = search ? candidates(conf, name) : [name.replace(/\.$/, '')];
  for (const n of names) {
    const a = queryA(c, n);
    if (typeof a === 'object' && (a.ips.length || a.cname)) return { fqdn: n, ips: a.ips, cname: a.cname };
  }
  return undefined;
}

/** `version`: the image's BIND (before 9.16 dig names no transport after the server and asks for a 4096-byte EDNS buffer). */
export function dig(c: Cluster, pod: KObj, args: string[], now: number, version = '9.18.27'): Result {
  const old = /^9\.(\d|1[0-5])\./.test(version);
  let short = false;
  let search = false;
  let type = 'A';
  let name: string | undefined;
  let reverse = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '+short') short = true;
    else if (a === '+search') search = true;
    else if (a.startsWith('+')) continue;
    else if (a === '-x') {
      reverse = true;
      name = args[++i];
    } else if (a.startsWith('@')) continue;
    else if (/^(A|AAAA|SRV|PTR|CNAME|TXT|MX|NS|SOA|ANY)$/i.test(a) && name) type = a.toUpperCase();
    else name ??= a;
  }
  name ??= '.';
  const conf = resolverConf(c, pod);
  const server = conf.nameservers[0] ?? '127.0.0.1';
  let qname = name;
  let records: string[] = [];
  let status = 'NXDOMAIN';
  if (reverse && isIPv4(name)) {
    qname = `${name.split('.').reverse().join('.')}.in-addr.arpa`;
    const rev = reverseName(c, name);
    if (rev) {
      status = 'NOERROR';
      records = [`${qname}.\t${TTL}\tIN\tPTR\t${rev}.`];
    }
  } else if (type === 'SRV') {
    const srv = lookupSrv(c, name);
    qname = name.replace(/\.$/, '');
    if (srv) {
      status = 'NOERROR';
      records = srv.map((r) => `${qname}.\t${TTL}\tIN\tSRV\t${r.priority} ${r.weight} ${r.port} ${r.target}.`);
    }
  } else {
    const found = answerFor(c, pod, name, search);
    if (found) {
      qname = found.fqdn;
      status = 'NOERROR';
      if (type === 'A') {
        if (found.cname) records.push(`${qname}.\t${TTL}\tIN\tCNAME\t${found.cname}.`);
        for (const ip of found.ips) records.push(`${found.cname ?? qname}.\t${TTL}\tIN\tA\t${ip}`);
      }
    } else qname = name.replace(/\.$/, '');
  }
  if (short) return { stdout: records.map((r) => `${r.split('\t').pop()}\n`).join(''), stderr: '', exitCode: 0 };
  const qtype = reverse ? 'PTR' : type;
  const when = new Date(now).toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, (_, d, day, mon, y, t) => `${d} ${mon} ${day} ${t} UTC ${y}`);
  let out = `\n; <<>> DiG ${version} <<>> ${args.join(' ')}\n;; global options: +cmd\n;; Got answer:\n`;
  out += `;; ->>HEADER<<- opcode: QUERY, status: ${status}, id: ${(now % 65536).toString()}\n`;
  out += `;; flags: qr aa rd; QUERY: 1, ANSWER: ${records.length}, AUTHORITY: ${records.length ? 0 : 1}, ADDITIONAL: 1\n`;
  out += ';; WARNING: recursion requested but not available\n\n';
  out += `;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: ${old ? 4096 : 1232}\n`;
  out += `;; QUESTION SECTION:\n;${qname}.\t\t\tIN\t${qtype}\n\n`;
  if (records.length) out += `;; ANSWER SECTION:\n${records.join('\n')}\n\n`;
  else out += `;; AUTHORITY SECTION:\ncluster.local.\t\t${TTL}\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local. ${Math.floor(now / 1000)} 7200 1800 86400 ${TTL}\n\n`;
  out += `;; Query time: 0 msec\n;; SERVER: ${server}#53(${server})${old ? '' : ' (UDP)'}\n;; WHEN: ${when}\n;; MSG SIZE  rcvd: ${60 + qname.length * 2}\n\n`;
  return { stdout: out, stderr: '', exitCode: 0 };
}

export function host(c: Cluster, pod: KObj, args: string[]): Result {
  const name = args.find((a) => !a.startsWith('-'));
  if (!name) return { stdout: '', stderr: 'Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n            [-R number] [-m flag] [-p port] hostname [server]\n', exitCode: 1 };
  if (isIPv4(name)) {
    const rev = reverseName(c, name);
    const ptr = `${name.split('.').reverse().join('.')}.in-addr.arpa`;
    if (rev) return { stdout: `${ptr} domain name pointer ${rev}.\n`, stderr: '', exitCode: 0 };
    return { stdout: `Host ${ptr} not found: 3(NXDOMAIN)\n`, stderr: '', exitCode: 1 };
  }
  const found = answerFor(c, pod, name, true);
  if (!found) return { stdout: `Host ${name} not found: 3(NXDOMAIN)\n`, stderr: '', exitCode: 1 };
  let out = found.cname ? `${found.fqdn} is an alias for ${found.cname}.\n` : '';
  for (const ip of found.ips) out += `${found.cname ?? found.fqdn} has address ${ip}\n`;
  return { stdout: out, stderr: '', exitCode: 0 };
}

export function bindNslookup(c: Cluster, pod: KObj, args: string[]): Result {
  const rest = args.filter((a) => !a.startsWith('-'));
  const conf = resolverConf(c, pod);
  const server = rest[1] ?? conf.nameservers[0] ?? '127.0.0.1';
  const name = rest[0] ?? '';
  let out = `Server:\t\t${server}\nAddress:\t${server}#53\n\n`;
  if (isIPv4(name)) {
    const rev = reverseName(c, name);
    const ptr = `${name.split('.').reverse().join('.')}.in-addr.arpa`;
    if (!rev) return { stdout: `${out}** server can't find ${ptr}: NXDOMAIN\n\n`, stderr: '', exitCode: 1 };
    return { stdout: `${out}${ptr}\tname = ${rev}.\n\n`, stderr: '', exitCode: 0 };
  }
  const found = answerFor(c, pod, name, true);
  if (!found) return { stdout: `${out}** server can't find ${name}: NXDOMAIN\n\n`, stderr: '', exitCode: 1 };
  if (found.cname) out += `${found.fqdn}\tcanonical name = ${found.cname}.\n`;
  for (const ip of found.ips) out += `Name:\t${found.cname ?? found.fqdn}\nAddress: ${ip}\n`;
  return { stdout: `${out}\n`, stderr: '', exitCode: 0 };
}

/** The lookup tools a container's kernel offers: the image's nslookup dialect (BIND's when the image
 *  ships its own, else busybox's), dig and host. */
export function dnsTools(c: Cluster, pod: KObj, variant: Variant, now: () => number): Pick<Kernel, 'nslookup' | 'dig' | 'host'> {
  return {
    nslookup: (args) => (imageOwn(variant).includes('nslookup') ? bindNslookup(c, pod, args) : nslookup(c, pod, String(variant.process.nslookup ?? 'new'), args)),
    dig: (args) => dig(c, pod, args, now(), variant.process.bindVersion ? String(variant.process.bindVersion) : undefined),
    host: (args) => host(c, pod, args),
  };
}
