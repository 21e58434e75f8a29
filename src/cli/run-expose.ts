// The Service `kubectl run --expose --port=N` creates (run.go generateService with the ServiceV2
// generator): named as the pod, selector = --labels or run=NAME, labels only when --labels is given,
// one TCP port N with targetPort N.
import { CliError } from '../api/errors.js';
import type { KObj } from '../api/types.js';
import { parseLabelSpec } from './common.js';
import { str, type Parsed } from './flags.js';

export function buildRunService(name: string, p: Parsed): KObj {
  const labelsText = str(p, 'labels');
  const selector = parseLabelSpec(labelsText || `run=${name}`);
  const portText = str(p, 'port');
  if (!/^[+-]?\d+$/.test(portText)) throw new CliError(`strconv.Atoi: parsing ${JSON.stringify(portText)}: invalid syntax`);
  const port = Number(portText);
  const metadata: KObj = { name, creationTimestamp: null };
  if (labelsText) metadata.labels = parseLabelSpec(labelsText);
  return {
    kind: 'Service',
    apiVersion: 'v1',
    metadata,
    spec: { ports: [{ protocol: 'TCP', port, targetPort: port }], selector },
    status: { loadBalancer: {} },
  };
}
