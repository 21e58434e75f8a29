// `kubectl set env --list`: each selected container's variables (set_env.go RunEnv, envutil's
// GetEnvVarRefString for the ones taken from elsewhere).
import type { KObj } from '../api/types.js';

function refString(from: KObj): string {
  if (from.configMapKeyRef) return `configmap ${from.configMapKeyRef.name}, key ${from.configMapKeyRef.key}`;
  if (from.secretKeyRef) return `secret ${from.secretKeyRef.name}, key ${from.secretKeyRef.key}`;
  if (from.fieldRef) return `field path ${from.fieldRef.fieldPath}`;
  if (from.resourceFieldRef) return `resource field ${from.resourceFieldRef.containerName ? `${from.resourceFieldRef.containerName}/` : ''}${from.resourceFieldRef.resource}`;
  return 'invalid valueFrom';
}

/** `# Deployment web, container nginx` and one line per variable. */
export function envListText(kind: string, name: string, container: string, env: KObj[]): string {
  let out = `# ${kind} ${name}, container ${container}\n`;
  for (const e of env) out += e.valueFrom ? `# ${e.name} from ${refString(e.valueFrom)}\n` : `${e.name}=${e.value ?? ''}\n`;
  return out;
}
