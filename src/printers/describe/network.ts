// describe endpoints and endpointslices (describe.go describeEndpoints, describeEndpointSliceV1).

import type { KObj } from '../../api/types.js';
import { maybeEvents, printAnnotationsMultiline, printLabelsMultiline, v, type DescribeContext } from './common.js';
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, tabbedString, type Writer } from './writer.js';

function header(w: Writer, obj: KObj): void {
  w.write(LEVEL_0, `Name:\t${v(obj.metadata?.name)}\n`);
  w.write(LEVEL_0, `Namespace:\t${v(obj.metadata?.namespace)}\n`);
  printLabelsMultiline(w, 'Labels', obj.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', obj.metadata?.annotations);
}

const ips = (list: unknown): string => ((list ?? []) as KObj[]).map((a) => v(a.ip)).join(',') || '<none>';

export function describeEndpoints(ep: KObj, ctx: DescribeContext): string {
  return tabbedString((w) => {
    header(w, ep);
    w.write(LEVEL_0, 'Subsets:\n');
    for (const ss of (ep.subsets ?? []) as KObj[]) {
      w.write(LEVEL_1, `Addresses:\t${ips(ss.addresses)}\n`);
      w.write(LEVEL_1, `NotReadyAddresses:\t${ips(ss.notReadyAddresses)}\n`);
      const ports = (ss.ports ?? []) as KObj[];
      if (ports.length) {
        w.write(LEVEL_1, 'Ports:\n');
        w.write(LEVEL_2, 'Name\tPort\tProtocol\n');
        w.write(LEVEL_2, '----\t----\t--------\n');
        for (const p of ports) w.write(LEVEL_2, `${p.name ? v(p.name) : '<unset>'}\t${Number(p.port ?? 0)}\t${v(p.protocol)}\n`);
      }
      w.write(LEVEL_0, '\n');
    }
    maybeEvents(ctx, w);
  });
}

export function describeEndpointSlice(eps: KObj, ctx: DescribeContext): string {
  return tabbedString((w) => {
    header(w, eps);
    w.write(LEVEL_0, `AddressType:\t${v(eps.addressType)}\n`);
    const ports = (eps.ports ?? []) as KObj[];
    if (!ports.length) w.write(LEVEL_0, 'Ports: <unset>\n');
    else {
      w.write(LEVEL_0, 'Ports:\n');
      w.write(LEVEL_1, 'Name\tPort\tProtocol\n');
      w.write(LEVEL_1, '----\t----\t--------\n');
      for (const p of ports) {
        const name = p.name ? v(p.name) : '<unset>';
        const num = p.port === undefined || p.port === null ? '<unset>' : String(p.port);
        w.write(LEVEL_1, `${name}\t${num}\t${v(p.protocol)}\n`);
      }
    }
    const endpoints = (eps.endpoints ?? []) as KObj[];
    if (!endpoints.length) w.write(LEVEL_0, 'Endpoints: <none>\n');
    else {
      w.write(LEVEL_0, 'Endpoints:\n');
      for (const e of endpoints) {
        w.write(LEVEL_1, `- Addresses:\t${((e.addresses ?? []) as string[]).join(', ') || '<none>'}\n`);
        w.write(LEVEL_2, 'Conditions:\n');
        const ready = e.conditions?.ready;
        w.write(LEVEL_3, `Ready:\t${ready === undefined || ready === null ? '<unset>' : String(Boolean(ready))}\n`);
        w.write(LEVEL_2, `Hostname:\t${e.hostname === undefined || e.hostname === null ? '<unset>' : v(e.hostname)}\n`);
        if (e.targetRef) w.write(LEVEL_2, `TargetRef:\t${v(e.targetRef.kind)}/${v(e.targetRef.name)}\n`);
        w.write(LEVEL_2, `NodeName:\t${e.nodeName === undefined || e.nodeName === null ? '<unset>' : v(e.nodeName)}\n`);
        w.write(LEVEL_2, `Zone:\t${e.zone === undefined || e.zone === null ? '<unset>' : v(e.zone)}\n`);
      }
    }
    maybeEvents(ctx, w);
  });
}
