// `get services` and `get endpoints` (printers.go printService, printEndpoints).

import type { KObj } from '../../api/types.js';
import { age, ageCol, formatLabels, nameCol, type Cell, type KindTable } from './common.js';

const LOAD_BALANCER_WIDTH = 16;

/** Ingress IPs/hostnames of a load balancer status, sorted and de-duplicated (cut unless wide). */
export function loadBalancerStatusString(lb: KObj | undefined, wide: boolean): string {
  const set = new Set<string>();
  for (const ing of (lb?.ingress ?? []) as KObj[]) {
    if (ing.ip) set.add(String(ing.ip));
    else if (ing.hostname) set.add(String(ing.hostname));
  }
  let r = [...set].sort().join(',');
  if (!wide && r.length > LOAD_BALANCER_WIDTH) r = `${r.slice(0, LOAD_BALANCER_WIDTH - 3)}...`;
  return r;
}

function externalIP(svc: KObj, wide: boolean): string {
  const spec = svc.spec ?? {};
  const ext = (spec.externalIPs ?? []) as string[];
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return ext.length ? ext.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerStatusString(svc.status?.loadBalancer, wide);
      if (ext.length) return [...(lb ? lb.split(',') : []), ...ext].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return String(spec.externalName ?? '');
  }
  return '<unknown>';
}

/** PORT(S): `80/TCP`, `80:30080/TCP`, joined by `,`. */
export function servicePorts(ports: KObj[] | undefined): string {
  return (ports ?? []).map((p) => (Number(p.nodePort ?? 0) > 0 ? `${p.port}:${p.nodePort}/${p.protocol ?? ''}` : `${p.port}/${p.protocol ?? ''}`)).join(',');
}

/**
 * The table for services. The API server always builds tables with Wide=true, so load balancer
 * addresses are never cut in `get` output; `wide=false` gives the client-side (cut) variant.
 */
export function servicesTable(wide = true): KindTable {
  return {
    columns: [nameCol, { name: 'Type' }, { name: 'Cluster-IP' }, { name: 'External-IP' }, { name: 'Port(s)' }, ageCol, { name: 'Selector', priority: 1 }],
    row(svc: KObj, now: number): Cell[] {
      const spec = svc.spec ?? {};
      const clusterIP = (spec.clusterIPs ?? [])[0] ?? '<none>';
      return [svc.metadata?.name, spec.type ?? '', clusterIP, externalIP(svc, wide), servicePorts(spec.ports) || '<none>', age(svc, now), formatLabels(spec.selector)];
    },
  };
}

/** ENDPOINTS cell: up to 3 `ip:port` (or ip) entries, then ` + N more...`; `<none>` with no subsets. */
export function formatEndpoints(ep: KObj, portNames?: Set<string>): string {
  const subsets = (ep.subsets ?? []) as KObj[];
  if (!subsets.length) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  const hostPort = (ip: string, port: unknown) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);
  for (const ss of subsets) {
    const addrs = (ss.addresses ?? []) as KObj[];
    const ports = (ss.ports ?? []) as KObj[];
    if (!ports.length) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(String(a.ip ?? ''));
      }
      continue;
    }
    for (const port of ports) {
      if (!portNames || portNames.has(String(port.name ?? ''))) {
        count += addrs.length;
        for (const a of addrs) {
          if (list.length === max) {
            more = true;
            break;
          }
          list.push(hostPort(String(a.ip ?? ''), port.port ?? 0));
        }
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

export const endpointsTable: KindTable = {
  columns: [nameCol, { name: 'Endpoints' }, ageCol],
  row: (ep: KObj, now: number): Cell[] => [ep.metadata?.name, formatEndpoints(ep), age(ep, now)],
};

/** listWithMoreString: up to 3 entries, then ` + N more...`; `<unset>` when empty. */
function listWithMore(list: string[], more: boolean, count: number, max: number): string {
  const ret = list.join(',');
  if (more) return `${ret} + ${count - max} more...`;
  return ret || '<unset>';
}

/** PORTS of an EndpointSlice (formatDiscoveryPorts): numbers, else the name, else `*`. */
export function formatDiscoveryPorts(ports: KObj[] | undefined): string {
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const p of ports ?? []) {
    if (list.length < 3) list.push(p.port !== undefined && p.port !== null ? String(p.port) : p.name !== undefined && p.name !== null ? String(p.name) : '*');
    else more = true;
    count++;
  }
  return listWithMore(list, more, count, 3);
}

/** ENDPOINTS of an EndpointSlice (formatDiscoveryEndpoints): every address, ready or not. */
export function formatDiscoveryEndpoints(endpoints: KObj[] | undefined): string {
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const e of endpoints ?? []) {
    for (const a of (e.addresses ?? []) as string[]) {
      if (list.length < 3) list.push(String(a));
      else more = true;
      count++;
    }
  }
  return listWithMore(list, more, count, 3);
}

export const endpointSlicesTable: KindTable = {
  columns: [nameCol, { name: 'AddressType' }, { name: 'Ports' }, { name: 'Endpoints' }, ageCol],
  row: (s: KObj, now: number): Cell[] => [s.metadata?.name, String(s.addressType ?? ''), formatDiscoveryPorts(s.ports), formatDiscoveryEndpoints(s.endpoints), age(s, now)],
};
