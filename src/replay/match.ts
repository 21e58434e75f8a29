// Compares a transcript's shown output with what kubesim printed, tolerant of what legitimately
// differs between clusters and runs: ages and durations, IPs, UIDs, resourceVersions, container IDs,
// image digests, timestamps, pod-template hashes and random name suffixes, node names, node ports,
// image sizes, column padding, trailing spaces, ANSI colour and long lines wrapped by the page.
// Values that name things (IPs, UIDs, name segments, nodes) are bound one to one: once matched,
// later mentions of the same expected value must be the same actual value. `...` alone on a line
// matches any lines; `[..]` (or a `...` word) within a line any text.
import { stripAnsi } from './prompts.js';

/** expected value (keyed by its class) → the actual value it was matched to */
export type Bindings = Map<string, string>;

interface VolatileClass {
  cls: string;
  /** what the expected text looks like (sticky) */
  expect: RegExp;
  /** what the actual text may be instead */
  actual: string;
  bind: boolean;
  /** the expected value follows `x-` (a name segment) */
  afterDash?: boolean;
}

const TIME_ACTUAL = [
  String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})`,
  String.raw`[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}`,
  String.raw`\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? [+-]\d{4}(?: [A-Z]{3,5})?`,
  String.raw`\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}`,
  String.raw`\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}`,
  String.raw`[A-Z][a-z]{2} [A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2} [A-Z]{3,5} \d{4}`,
].join('|');

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';
const AGE = String.raw`(?:\d+(?:\.\d+)?(?:ms|\u00b5s|[smhdy]))+|<invalid>|<unknown>`;
const NODES = [
  String.raw`minikube(?:-m\d+)?`, 'kind-control-plane', String.raw`kind-worker\d*`, 'docker-desktop', 'desktop-control-plane',
  String.raw`gke-[a-z0-9-]+`, String.raw`aks-[a-z0-9]+-\d+-vmss[a-z0-9]+`, String.raw`ip-\d+-\d+-\d+-\d+(?:\.[a-z0-9-]+)*\.internal`,
  String.raw`k3d-[a-z0-9-]+`, 'controlplane', String.raw`node0\d`, String.raw`kubernetes-minion-[a-z0-9]+`, 'kubernetes-master',
].join('|');

const CLASSES: VolatileClass[] = [
  { cls: 'time', expect: new RegExp(TIME_ACTUAL, 'y'), actual: TIME_ACTUAL, bind: false },
  { cls: 'cid', expect: /(?:containerd|docker|cri-o):\/\/[0-9a-f]{12,64}/y, actual: String.raw`(?:containerd|docker|cri-o)://[0-9a-f]{12,64}`, bind: false },
  { cls: 'digest', expect: /sha256:[0-9a-f]{64}/y, actual: 'sha256:[0-9a-f]{64}', bind: false },
  { cls: 'uid', expect: /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/y, actual: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', bind: true },
  { cls: 'ip', expect: /\d{1,3}(?:\.\d{1,3}){3}/y, actual: String.raw`\d{1,3}(?:\.\d{1,3}){3}`, bind: true },
  { cls: 'rv', expect: /(?<=resourceVersion"?:\s*"?)\d+/y, actual: String.raw`\d+`, bind: false },
  { cls: 'size', expect: /(?<=Image size: )\d+(?= bytes)/y, actual: String.raw`\d+`, bind: false },
  { cls: 'nodeport', expect: /(?<=\d:)3\d{4}(?=\/(?:TCP|UDP))/y, actual: String.raw`\d{5}`, bind: true },
  { cls: 'nodeport', expect: /(?<=nodePort"?:\s*)3\d{4}\b/y, actual: String.raw`\d{5}`, bind: true },
  { cls: 'seg', expect: /(?<=pod-template-hash[=:]\s?"?)[a-z0-9]{6,10}/y, actual: '[a-z0-9]{5,10}', bind: true },
  { cls: 'node', expect: new RegExp(`(?:${NODES})`, 'y'), actual: '[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?', bind: true },
  { cls: 'seg', expect: new RegExp(`[${SAFE}]{5,10}`, 'y'), actual: '[a-z0-9]{5,10}', bind: true, afterDash: true },
  { cls: 'age', expect: new RegExp(AGE, 'y'), actual: AGE, bind: false },
];

interface Compiled {
  re: RegExp;
  groups: { cls: string; text: string; bind: boolean }[];
}

const cache = new Map<string, Compiled>();
const alnum = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);
const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** One expected line as a regular expression over the actual line. */
export function compileLine(line: string): Compiled {
  const hit = cache.get(line);
  if (hit) return hit;
  const groups: Compiled['groups'] = [];
  let re = '^\\s*';
  let i = 0;
  const s = line.trim();
  while (i < s.length) {
    const ws = /\s+/y;
    ws.lastIndex = i;
    if (ws.exec(s)) {
      re += '\\s+';
      i = ws.lastIndex;
      continue;
    }
    if (s.startsWith('[..]', i)) {
      re += '.*?';
      i += 4;
      continue;
    }
    // kubernetes.io elides columns with a `...` word
    if (s.startsWith('...', i) && (i === 0 || /\s/.test(s[i - 1])) && (i + 3 === s.length || /\s/.test(s[i + 3]))) {
      re += '.*?';
      i += 3;
      continue;
    }
    let matched = false;
    for (const c of CLASSES) {
      const before = c.afterDash ? s[i - 1] === '-' && alnum(s[i - 2]) : !alnum(s[i - 1]) && s[i - 1] !== '.';
      if (!before) continue;
      c.expect.lastIndex = i;
      const m = c.expect.exec(s);
      if (!m) continue;
      const end = i + m[0].length;
      if (alnum(s[end]) || (c.cls === 'ip' && s[end] === '.')) continue;
      re += `(${c.actual})`;
      groups.push({ cls: c.cls, text: m[0], bind: c.bind });
      i = end;
      matched = true;
      break;
    }
    if (!matched) re += escape(s[i++]);
  }
  const compiled = { re: new RegExp(`${re}\\s*$`), groups };
  if (cache.size > 5000) cache.clear();
  cache.set(line, compiled);
  return compiled;
}

/** Matches one line; returns the bindings extended with what it bound, or undefined. */
export function matchLine(expected: string, actual: string, bindings: Bindings): Bindings | undefined {
  if (expected.trim() === actual.trim()) return bindings;
  const c = compileLine(expected);
  const m = c.re.exec(actual);
  if (!m) return undefined;
  let out: Bindings | undefined = bindings;
  c.groups.forEach((g, k) => {
    if (!g.bind || !out) return;
    // one to one: an expected value is always the same actual one, and no two share one
    const key = `${g.cls}:${g.text}`;
    const back = `~${g.cls}:${m[k + 1]}`;
    const was = out.get(key);
    if (was === undefined) {
      if ((out.get(back) ?? g.text) !== g.text) return void (out = undefined);
      if (out === bindings) out = new Map(bindings);
      out.set(key, m[k + 1]);
      out.set(back, g.text);
    } else if (was !== m[k + 1]) out = undefined;
  });
  return out;
}

/** Output as lines to compare: no ANSI, no CR, no trailing spaces, no blank lines around. */
export function outputLines(text: string): string[] {
  const lines = stripAnsi(text)
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''));
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a] === '') a++;
  while (b > a && lines[b - 1] === '') b--;
  return lines.slice(a, b);
}

export const isWildcardLine = (line: string) => line.trim() === '...';

/** Matches a whole output; returns the bindings it leaves (to carry to later commands) or undefined. */
export function matchOutput(expected: string, actual: string, bindings: Bindings = new Map()): Bindings | undefined {
  const exp = outputLines(expected);
  const act = outputLines(actual);
  const go = (ei: number, ai: number, b: Bindings): Bindings | undefined => {
    while (ei < exp.length && !isWildcardLine(exp[ei])) {
      if (ai >= act.length) return undefined;
      let nb = matchLine(exp[ei], act[ai], b);
      let used = 1;
      // a long line the page wrapped (PDFs, narrow columns): up to 3 expected lines for one actual
      for (let n = 2; !nb && n <= 3 && ei + n <= exp.length && act[ai].length > 40; n++) {
        const parts = exp.slice(ei, ei + n);
        if (parts.some(isWildcardLine)) break;
        nb = matchLine(parts.join(' '), act[ai], b) ?? matchLine(parts.join(''), act[ai], b);
        used = n;
      }
      if (!nb) return undefined;
      b = nb;
      ei += used;
      ai++;
    }
    if (ei === exp.length) return ai === act.length ? b : undefined;
    for (let k = ai; k <= act.length; k++) {
      const r = go(ei + 1, k, b);
      if (r) return r;
    }
    return undefined;
  };
  return go(0, 0, bindings);
}
