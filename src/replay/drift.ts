// Known version drift: what a tutorial written for an older kubectl shows (or runs) that today's
// kubectl does differently. A command that matches only after these rewrites is reported as
// "differs: older kubectl" with the rule, not as failed.

export interface DriftRule {
  name: string;
  /** rewrites the command before it runs (undefined: the rule does not apply to commands) */
  command?(command: string): string;
  /** rewrites the expected output (given the command) */
  expected?(expected: string, command: string): string;
}

export const RULES: DriftRule[] = [
  {
    name: 'kubectl 1.18 removed --generator (kubectl run creates a Pod)',
    command: (c) => c.replace(/\s--generator(?:=|\s+)\S+/g, ''),
  },
  {
    name: 'kubectl run creates a Pod since 1.18 (older: a Deployment)',
    expected: (e, c) => (/^(?:kubectl|k)\s+run\s/.test(c) ? e.replace(/^deployment\.(?:apps|extensions)\/(\S+) created$/m, 'pod/$1 created') : e),
  },
  {
    name: 'the extensions API group is gone since 1.16 (deployment.extensions → deployment.apps)',
    expected: (e) => e.replace(/\b(deployment|replicaset|daemonset)\.extensions\b/g, '$1.apps'),
  },
  {
    name: "events name only the component since 1.20 (older: 'kubelet, NODE')",
    expected: (e) => e.replace(/\bkubelet, [\w.-]+/g, 'kubelet'),
  },
  {
    name: 'Pulled events give the pull time and image size since 1.27',
    expected: (e) => e.replace(/(Successfully pulled image "[^"]+")(?: in [\d.]+m?s)?[ \t]*$/gm, '$1 [..]'),
  },
  {
    name: "Failed events of the scheduler say '0/N nodes are available' since 1.18",
    expected: (e) => e.replace(/No nodes are available that match all of the (?:following )?predicates:?:? .*$/gm, '0/[..] nodes are available: [..]'),
  },
];

/** The command with the rules that change it applied, and their names. */
export function driftCommand(command: string): { command: string; rules: string[] } {
  let out = command;
  const rules: string[] = [];
  for (const r of RULES) {
    if (!r.command) continue;
    const next = r.command(out);
    if (next !== out) rules.push(r.name);
    out = next;
  }
  return { command: out, rules };
}

/** The expected output with the rules that change it applied, and their names. */
export function driftExpected(expected: string, command: string): { expected: string; rules: string[] } {
  let out = expected;
  const rules: string[] = [];
  for (const r of RULES) {
    if (!r.expected) continue;
    const next = r.expected(out, command);
    if (next !== out) rules.push(r.name);
    out = next;
  }
  return { expected: out, rules };
}
