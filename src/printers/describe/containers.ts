// Container sections of describe (pods and pod templates).

import type { KObj } from '../../api/types.js';
import { goQuote } from '../gofmt.js';
import { canonicalQuantity, milliValue, parseQuantity, unitValue } from '../quantity.js';
import { byteSort, d, stableSortBy, timeText, v } from './common.js';
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, type Writer } from './writer.js';

const stringOrNone = (s: string) => (s === '' ? '<none>' : s);

/** Limits:/Requests: blocks with sorted resource names and canonical quantities. */
export function describeResources(resources: KObj | undefined, w: Writer, level: number): void {
  if (!resources) return;
  for (const [title, list] of [
    ['Limits', resources.limits],
    ['Requests', resources.requests],
  ] as const) {
    const names = Object.keys(list ?? {}).sort(byteSort);
    if (names.length) w.write(level, `${title}:\n`);
    for (const n of names) w.write(level + 1, `${n}:\t${canonicalQuantity(list[n])}\n`);
  }
}

function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** DescribeProbe: `http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3`. */
export function describeProbe(p: KObj): string {
  const attrs = `delay=${d(p.initialDelaySeconds)}s timeout=${d(p.timeoutSeconds)}s period=${d(p.periodSeconds)}s #success=${d(p.successThreshold)} #failure=${d(p.failureThreshold)}`;
  if (p.exec) return `exec [${((p.exec.command ?? []) as unknown[]).map(v).join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const h = p.httpGet;
    const scheme = v(h.scheme).toLowerCase();
    const port = v(h.port);
    const host = port !== '' ? joinHostPort(v(h.host), port) : v(h.host);
    let path = v(h.path);
    if (path !== '' && !path.startsWith('/') && host !== '') path = `/${path}`;
    path = path.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/g, (c) => encodeURIComponent(c));
    let url = scheme ? `${scheme}:` : '';
    if (scheme || host) url += `//${host}`;
    url += path;
    return `http-get ${url} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${v(p.tcpSocket.host)}:${v(p.tcpSocket.port)} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${d(p.grpc.port)} ${v(p.grpc.service)} ${attrs}`;
  return `unknown ${attrs}`;
}

function describeState(name: string, state: KObj | undefined, w: Writer): void {
  const s = state ?? {};
  if (s.running) {
    w.write(LEVEL_2, `${name}:\tRunning\n`);
    w.write(LEVEL_3, `Started:\t${timeText(s.running.startedAt)}\n`);
  } else if (s.waiting) {
    w.write(LEVEL_2, `${name}:\tWaiting\n`);
    if (s.waiting.reason) w.write(LEVEL_3, `Reason:\t${s.waiting.reason}\n`);
  } else if (s.terminated) {
    const t = s.terminated;
    w.write(LEVEL_2, `${name}:\tTerminated\n`);
    if (t.reason) w.write(LEVEL_3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(LEVEL_3, `Message:\t${t.message}\n`);
    w.write(LEVEL_3, `Exit Code:\t${d(t.exitCode)}\n`);
    if (Number(t.signal ?? 0) > 0) w.write(LEVEL_3, `Signal:\t${d(t.signal)}\n`);
    w.write(LEVEL_3, `Started:\t${timeText(t.startedAt)}\n`);
    w.write(LEVEL_3, `Finished:\t${timeText(t.finishedAt)}\n`);
  } else {
    w.write(LEVEL_2, `${name}:\tWaiting\n`);
  }
}

/** Env var value for a fieldRef: kubectl resolves only metadata.name and metadata.namespace. */
function resolveFieldRef(pod: KObj | undefined, fieldPath: string): string {
  if (!pod) return '';
  if (fieldPath === 'metadata.name') return v(pod.metadata?.name);
  if (fieldPath === 'metadata.namespace') return v(pod.metadata?.namespace);
  return '';
}

function resourceFieldValue(ref: KObj, container: KObj): string {
  let divisor = parseQuantity(ref.divisor);
  if (!divisor || divisor.nano === 0n) divisor = parseQuantity('1')!;
  const res = v(ref.resource);
  const get = (kind: 'limits' | 'requests', name: string) => parseQuantity(container.resources?.[kind]?.[name]) ?? parseQuantity('0')!;
  const ceil = (a: bigint, b: bigint) => (b === 0n ? '0' : String(Math.ceil(Number(a) / Number(b))));
  const m = /^(limits|requests)\.(.+)$/.exec(res);
  if (!m) return '';
  const [, kind, name] = m as unknown as [string, 'limits' | 'requests', string];
  if (name === 'cpu') return ceil(milliValue(get(kind, 'cpu')), milliValue(divisor));
  if (name === 'memory' || name === 'ephemeral-storage' || name.startsWith('hugepages-')) return ceil(unitValue(get(kind, name)), unitValue(divisor));
  return '';
}

function describeEnv(container: KObj, pod: KObj | undefined, w: Writer): void {
  const env = (container.env ?? []) as KObj[];
  w.write(LEVEL_2, `Environment:${env.length ? '' : '\t<none>'}\n`);
  for (const e of env) {
    const vf = e.valueFrom;
    if (!vf) {
      v(e.value)
        .split('\n')
        .forEach((s, i) => w.write(LEVEL_3, i === 0 ? `${v(e.name)}:\t${s}\n` : `\t${s}\n`));
      continue;
    }
    if (vf.fieldRef) {
      w.write(LEVEL_3, `${v(e.name)}:\t${resolveFieldRef(pod, v(vf.fieldRef.fieldPath))} (${v(vf.fieldRef.apiVersion)}:${v(vf.fieldRef.fieldPath)})\n`);
    } else if (vf.resourceFieldRef) {
      let value = resourceFieldValue(vf.resourceFieldRef, container);
      const res = v(vf.resourceFieldRef.resource);
      if (value === '0' && (res === 'limits.cpu' || res === 'limits.memory')) value = 'node allocatable';
      w.write(LEVEL_3, `${v(e.name)}:\t${value} (${res})\n`);
    } else if (vf.secretKeyRef) {
      w.write(LEVEL_3, `${v(e.name)}:\t<set to the key '${v(vf.secretKeyRef.key)}' in secret '${v(vf.secretKeyRef.name)}'>\tOptional: ${vf.secretKeyRef.optional === true}\n`);
    } else if (vf.configMapKeyRef) {
      w.write(LEVEL_3, `${v(e.name)}:\t<set to the key '${v(vf.configMapKeyRef.key)}' of config map '${v(vf.configMapKeyRef.name)}'>\tOptional: ${vf.configMapKeyRef.optional === true}\n`);
    }
  }
}

function describeEnvFrom(container: KObj, w: Writer): void {
  const from = (container.envFrom ?? []) as KObj[];
  w.write(LEVEL_2, `Environment Variables from:${from.length ? '' : '\t<none>'}\n`);
  for (const e of from) {
    let kind = '';
    let name = '';
    let optional = false;
    if (e.configMapRef) [kind, name, optional] = ['ConfigMap', v(e.configMapRef.name), e.configMapRef.optional === true];
    else if (e.secretRef) [kind, name, optional] = ['Secret', v(e.secretRef.name), e.secretRef.optional === true];
    if (!e.prefix) w.write(LEVEL_3, `${name}\t${kind}\tOptional: ${optional}\n`);
    else w.write(LEVEL_3, `${name}\t${kind} with prefix '${v(e.prefix)}'\tOptional: ${optional}\n`);
  }
}

function describeMounts(container: KObj, w: Writer): void {
  const mounts = [...((container.volumeMounts ?? []) as KObj[])];
  const none = mounts.length ? '' : '\t<none>';
  w.write(LEVEL_2, `Mounts:${none}\n`);
  stableSortBy(mounts, (m) => v(m.mountPath));
  for (const m of mounts) {
    const flags = [m.readOnly ? 'ro' : 'rw'];
    if (m.subPath) flags.push(`path=${goQuote(v(m.subPath))}`);
    w.write(LEVEL_3, `${v(m.mountPath)} from ${v(m.name)} (${flags.join(',')})\n`);
  }
  const devices = [...((container.volumeDevices ?? []) as KObj[])];
  if (devices.length) {
    w.write(LEVEL_2, `Devices:${none}\n`);
    stableSortBy(devices, (x) => v(x.devicePath));
    for (const dev of devices) w.write(LEVEL_3, `${v(dev.devicePath)} from ${v(dev.name)}\n`);
  }
}

/**
 * describeContainers: `<label>:` then per container its image, ports, command, state (when a
 * status exists), resources, probes, env and mounts. `space` is the pod-template indentation.
 */
export function describeContainers(label: string, containers: KObj[], statuses: KObj[] | undefined, pod: KObj | undefined, w: Writer, space: string): void {
  const byName = new Map<string, KObj>();
  for (const s of statuses ?? []) byName.set(s.name, s);
  w.write(LEVEL_0, `${space}${label}:${containers.length ? '' : ' <none>'}\n`);
  for (const c of containers) {
    const status = byName.get(c.name);
    w.write(LEVEL_1, `${space ? ' ' : ''}${v(c.name)}:\n`);
    if (status) w.write(LEVEL_2, `Container ID:\t${v(status.containerID)}\n`);
    w.write(LEVEL_2, `Image:\t${v(c.image)}\n`);
    if (status) w.write(LEVEL_2, `Image ID:\t${v(status.imageID)}\n`);
    const ports = (c.ports ?? []) as KObj[];
    const portString = ports.map((p) => `${d(p.containerPort)}/${v(p.protocol)}`).join(', ');
    if (portString.includes(',')) w.write(LEVEL_2, `Ports:\t${portString}\n`);
    else w.write(LEVEL_2, `Port:\t${stringOrNone(portString)}\n`);
    const hostPorts = ports.map((p) => `${d(p.hostPort)}/${v(p.protocol)}`).join(', ');
    if (hostPorts.includes(',')) w.write(LEVEL_2, `Host Ports:\t${hostPorts}\n`);
    else w.write(LEVEL_2, `Host Port:\t${stringOrNone(hostPorts)}\n`);
    const sp = c.securityContext?.seccompProfile;
    if (sp) {
      w.write(LEVEL_2, `SeccompProfile:\t${v(sp.type)}\n`);
      if (sp.type === 'Localhost') w.write(LEVEL_3, `LocalhostProfile:\t${v(sp.localhostProfile)}\n`);
    }
    for (const [title, list] of [
      ['Command', c.command],
      ['Args', c.args],
    ] as const) {
      if (Array.isArray(list) && list.length) {
        w.write(LEVEL_2, `${title}:\n`);
        for (const item of list) for (const s of v(item).split('\n')) w.write(LEVEL_3, `${s}\n`);
      }
    }
    if (status) {
      describeState('State', status.state, w);
      if (status.lastState?.terminated) describeState('Last State', status.lastState, w);
      w.write(LEVEL_2, `Ready:\t${status.ready ? 'True' : 'False'}\n`);
      w.write(LEVEL_2, `Restart Count:\t${d(status.restartCount)}\n`);
    }
    describeResources(c.resources ?? {}, w, LEVEL_2);
    if (c.livenessProbe) w.write(LEVEL_2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
    if (c.readinessProbe) w.write(LEVEL_2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
    if (c.startupProbe) w.write(LEVEL_2, `Startup:\t${describeProbe(c.startupProbe)}\n`);
    if ((c.envFrom ?? []).length) describeEnvFrom(c, w);
    describeEnv(c, pod, w);
    describeMounts(c, w);
  }
}
