// The Service `kubectl run --expose --port=N` creates (run.go generateService with the ServiceV2
// generator): named as the pod, selector = --labels or run=NAME, labels only when --labels is given,
// one TCP port N with targetPort N.
import { CliError } from '../api/errors.js';
import type { KObj } from '../api/types.js';
import { str, type Parsed } from './flags.js';

function parseLabels(spec: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of spec.split(',')) {
    const kv = part.split('=');
    if (kv.length !== 2) throw new CliError(`unexpected label spec: ${part}`);
    if (!kv[0]) throw new CliError('unexpected empty label key');
    out[kv[0]] = kv[1];
  }
  return out;
}

export function buildRunService(name: string, p: Parsed): KObj {
  const labelsText = str(p, 'labels');
  const selector = parseLabels(labelsText || `run=${name}`);
  const portText = str(p, 'port');
  if (!/^[+-]?\d+$/.test(portText)) throw new CliError(`strconv.Atoi: parsing ${JSON.stringify(portText)}: invalid syntax`);
  const port = Number(portText);
  const metadata: KObj = { name, creationTimestamp: null };
  if (labelsText) metadata.labels = parseLabels(labelsText);
  return {
    kind: 'Service',
    apiVersion: 'v1',
    metadata,
    spec: { ports: [{ protocol: 'TCP', port, targetPort: port }], selector },
    status: { loadBalancer: {} },
  };
}
