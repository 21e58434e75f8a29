// YAML read the way kubectl reads it: sigs.k8s.io/yaml decodes with go-yaml v2, a YAML 1.1 reader.
// Its plain scalars resolve by go-yaml's rules (resolve.go): y/yes/on and n/no/off are booleans,
// integers are whatever Go's strconv.ParseInt(s, 0, 64) takes once underscores are dropped (so
// `0644` is octal 420, `0x1F` hex), timestamps stay strings, and `<<` merge keys apply. The `yaml`
// package parses; its failsafe schema leaves every scalar a string, and this module types the plain
// ones (quoted and block scalars stay strings).
import { visit, type Document, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';

export const GO_YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = { schema: 'failsafe', merge: true, uniqueKeys: false };

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUES = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSES = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** Go's strconv.ParseInt(s, 0, 64) (or ParseUint), as a number; undefined when it fails. */
function goInt(s: string): number | undefined {
  const neg = s.startsWith('-');
  const body = /^[-+]/.test(s) ? s.slice(1) : s;
  let base = 10;
  let digits = body;
  if (/^0[xX]/.test(body)) [base, digits] = [16, body.slice(2)];
  else if (/^0[bB]/.test(body)) [base, digits] = [2, body.slice(2)];
  else if (/^0[oO]/.test(body)) [base, digits] = [8, body.slice(2)];
  else if (/^0./.test(body)) [base, digits] = [8, body.slice(1)];
  const re = { 16: /^[0-9a-fA-F]+$/, 10: /^[0-9]+$/, 8: /^[0-7]+$/, 2: /^[01]+$/ }[base as 16 | 10 | 8 | 2];
  if (!re.test(digits)) return undefined;
  let v = 0n;
  for (const d of digits) v = v * BigInt(base) + BigInt(parseInt(d, 16));
  if (v > (neg ? 1n << 63n : (1n << 64n) - 1n)) return undefined;
  return Number(neg ? -v : v);
}

/** The value go-yaml v2 gives a plain (unquoted) scalar when decoding into interface{}. */
export function goYamlPlain(s: string): unknown {
  if (NULLS.has(s)) return null;
  if (TRUES.has(s)) return true;
  if (FALSES.has(s)) return false;
  if (/^[-+]?\.(inf|Inf|INF)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(nan|NaN|NAN)$/.test(s)) return NaN;
  if (!/^[-+.0-9]/.test(s)) return s;
  const plain = s.replace(/_/g, '');
  const n = goInt(plain);
  if (n !== undefined) return n;
  if (YAML_STYLE_FLOAT.test(plain)) return Number(plain);
  return s;
}

/** Types the plain scalars of a document parsed with GO_YAML_OPTIONS, as go-yaml would. */
export function resolvePlainScalars(doc: Document.Parsed): void {
  visit(doc, {
    Scalar(_, node) {
      if (node.type === 'PLAIN' && typeof node.value === 'string') node.value = goYamlPlain(node.value);
      else if (node.value === null || node.value === undefined) node.value = null;
    },
  });
}
