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

/** `# Deployment web, container nginx` and one line per variable (`NAME=value` once resolved). */
export function envListText(kind: string, name: string, container: string, env: KObj[], resolved: Map<string, string> = new Map()): string {
  let out = `# ${kind} ${name}, container ${container}\n`;
  for (const e of env) {
    if (!e.valueFrom) out += `${e.name}=${e.value ?? ''}\n`;
    else if (resolved.has(e.name)) out += `${e.name}=${resolved.get(e.name)}\n`;
    else out += `# ${e.name} from ${refString(e.valueFrom)}\n`;
  }
  return out;
}
