// go-yaml v2 details used by the YAML printer: map key order (sorter.go) and implicit typing of
// plain scalars (resolve.go), i.e. which strings must be quoted.

// ---------------------------------------------------------------------------------------------
// Key order (go-yaml v2 sorter.go keyList.Less for string keys)

// ASCII answers without the Unicode property tests (most keys are ASCII)
const isLetter = (ch: string) => {
  const c = ch.charCodeAt(0);
  if (c < 0x80) return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  return /\p{L}/u.test(ch);
};
const isDigit = (ch: string | undefined) => {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  if (c < 0x80) return c >= 0x30 && c <= 0x39;
  return /\p{Nd}/u.test(ch);
};

export function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i].codePointAt(0)! < br[i].codePointAt(0)!;
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10n + BigInt(ar[ai].codePointAt(0)! - 48);
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10n + BigInt(br[bi].codePointAt(0)! - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i].codePointAt(0)! < br[i].codePointAt(0)!;
  }
  return ar.length < br.length;
}

const yamlKeyCompare = (a: string, b: string) => (yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : 0);

/** Key lists already sorted, by the list in its own order (objects of one shape repeat in a listing). */
const sortedKeyLists = new Map<string, string[]>();

/** `keys` in go-yaml's order (a new array, or one shared with earlier calls: not to be changed). */
export function yamlSortedKeys(keys: string[]): string[] {
  if (keys.length < 2) return keys;
  const id = JSON.stringify(keys);
  let sorted = sortedKeyLists.get(id);
  if (!sorted) {
    if (sortedKeyLists.size >= 2048) sortedKeyLists.clear();
    sortedKeyLists.set(id, (sorted = [...keys].sort(yamlKeyCompare)));
  }
  return sorted;
}

// ---------------------------------------------------------------------------------------------
// Implicit typing (go-yaml v2 resolve.go): would the string read back as something else?

const BOOL_NULL_ETC = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON',
  'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF',
  '', '~', 'null', 'Null', 'NULL', '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF',
  '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF',
]);

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** Go strconv.ParseFloat success (decimal and hex forms, finite results only). */
function goParseFloatOk(s: string): boolean {
  const body = s.replace(/^[-+]/, '');
  if (/^(inf|infinity|nan)$/i.test(body)) return true;
  let v: number;
  if (/^([0-9](_?[0-9])*(\.([0-9](_?[0-9])*)?)?|\.[0-9](_?[0-9])*)([eE][-+]?[0-9]+)?$/.test(body)) {
    if (body.includes('_')) return false; // underscores only with a base prefix
    v = Number(body);
  } else if (/^0[xX]([0-9a-fA-F_]*\.?[0-9a-fA-F_]*)[pP][-+]?[0-9]+$/.test(body)) {
    return true;
  } else {
    return false;
  }
  return Number.isFinite(v);
}

/** Go strconv.ParseInt/ParseUint(s, 0, 64) success (value range ignored beyond uint64). */
function goParseIntOk(s: string, allowSign: boolean): boolean {
  let body = s;
  if (/^[-+]/.test(body)) {
    if (!allowSign && body[0] === '-') return false;
    body = body.slice(1);
  }
  let digits: string;
  let base: number;
  if (/^0[xX]/.test(body)) [digits, base] = [body.slice(2), 16];
  else if (/^0[bB]/.test(body)) [digits, base] = [body.slice(2), 2];
  else if (/^0[oO]/.test(body)) [digits, base] = [body.slice(2), 8];
  else if (/^0./.test(body)) [digits, base] = [body.slice(1), 8];
  else [digits, base] = [body, 10];
  if (!digits) return false;
  const re = base === 16 ? /^[0-9a-fA-F]+$/ : base === 10 ? /^[0-9]+$/ : base === 8 ? /^[0-7]+$/ : /^[01]+$/;
  if (!re.test(digits)) return false;
  let v = 0n;
  for (const d of digits) v = v * BigInt(base) + BigInt(parseInt(d, 16));
  const neg = s.startsWith('-');
  const limit = allowSign ? (neg ? 1n << 63n : (1n << 63n) - 1n) : (1n << 64n) - 1n;
  return v <= limit;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** go-yaml parseTimestamp with the formats it accepts. */
function isYamlTimestamp(s: string): boolean {
  const m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?))?$/.exec(
      s,
    );
  if (!m) return false;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (day > (month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1])) return false;
  const hh = m[4] ?? m[7];
  const mm = m[5] ?? m[8];
  const ss = m[6] ?? m[9];
  if (hh !== undefined && (+hh > 23 || +mm > 59 || +ss > 59)) return false;
  return true;
}

/** True when go-yaml would print the string without quotes (it resolves to !!str). */
export function resolvesToString(s: string): boolean {
  if (BOOL_NULL_ETC.has(s)) return false;
  const c = s[0];
  if (c === '.') return !goParseFloatOk(s);
  if (c === '+' || c === '-' || (c >= '0' && c <= '9')) {
    if (isYamlTimestamp(s)) return false;
    const plain = s.replace(/_/g, '');
    if (goParseIntOk(plain, true) || goParseIntOk(plain, false)) return false;
    if (YAML_STYLE_FLOAT.test(plain) && goParseFloatOk(plain)) return false;
    if (plain.startsWith('0b') && goParseIntOk(`0b${plain.slice(2)}`, true)) return false;
    if (plain.startsWith('-0b') && /^[01]+$/.test(plain.slice(3))) return false;
    if (BASE60_FLOAT.test(s)) return false;
  }
  return true;
}

