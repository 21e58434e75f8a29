// Kubernetes resource.Quantity: parsing, canonical String(), comparison and sums (exact, BigInt).

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** value × 10^9 (nano units), rounded up like the apiserver does. */
  nano: bigint;
  format: QuantityFormat;
}

const NANO = 1_000_000_000n;
const DEC: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BIN: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DEC_SUFFIX: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BIN_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

const pow = (b: bigint, e: number) => b ** BigInt(e);
const ceilDiv = (a: bigint, b: bigint) => (a >= 0n ? (a + b - 1n) / b : a / b);

export const zeroQuantity = (): Quantity => ({ nano: 0n, format: 'DecimalSI' });

/** Parses `500m`, `1.5Gi`, `1e3`, `128974848`; numbers are taken as their decimal text. Undefined if invalid. */
export function parseQuantity(input: unknown): Quantity | undefined {
  if (typeof input === 'number') input = String(input);
  if (typeof input !== 'string') return undefined;
  const m = /^([+-]?)(\d*)(?:\.(\d*))?([a-zA-Z]*|[eE][+-]?\d+)$/.exec(input.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const [, sign, intPart, fracPart = '', suffix] = m;
  const digits = BigInt(`${intPart || '0'}${fracPart}`);
  const fracLen = fracPart.length;
  let num: bigint; // value × 10^9 before rounding: digits × mult / 10^fracLen
  let den = pow(10n, fracLen);
  let format: QuantityFormat;
  if (suffix in BIN) {
    num = digits * pow(1024n, BIN[suffix]) * NANO;
    format = 'BinarySI';
  } else if (suffix in DEC) {
    const e = DEC[suffix] + 9;
    num = digits * (e >= 0 ? pow(10n, e) : 1n);
    if (e < 0) den *= pow(10n, -e);
    format = 'DecimalSI';
  } else if (/^[eE]/.test(suffix)) {
    const e = Number(suffix.slice(1)) + 9;
    num = digits * (e >= 0 ? pow(10n, e) : 1n);
    if (e < 0) den *= pow(10n, -e);
    format = 'DecimalExponent';
  } else return undefined;
  let nano = ceilDiv(num, den);
  if (sign === '-') nano = -nano;
  return { nano, format };
}

/** Canonical text (resource.Quantity.String()). */
export function formatQuantity(q: Quantity): string {
  if (q.nano === 0n) return '0';
  const neg = q.nano < 0n;
  const abs = neg ? -q.nano : q.nano;
  let format = q.format;
  if (format === 'BinarySI') {
    if (abs < 1024n * NANO || abs % NANO !== 0n) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let v = abs / NANO;
    let k = 0;
    while (k < 6 && v % 1024n === 0n) {
      v /= 1024n;
      k++;
    }
    return `${neg ? '-' : ''}${v}${BIN_SUFFIX[k]}`;
  }
  let mant = abs;
  let exp = -9;
  while (mant % 1000n === 0n && (format === 'DecimalExponent' || exp < 18)) {
    mant /= 1000n;
    exp += 3;
  }
  const suffix = format === 'DecimalExponent' ? (exp === 0 ? '' : `e${exp}`) : DEC_SUFFIX[exp];
  return `${neg ? '-' : ''}${mant}${suffix}`;
}

/** Canonical text of a stored quantity; the input itself when it cannot be parsed. */
export function canonicalQuantity(v: unknown): string {
  const q = parseQuantity(v);
  return q ? formatQuantity(q) : String(v ?? '');
}

export const addQuantity = (a: Quantity, b: Quantity): Quantity => ({ nano: a.nano + b.nano, format: a.format });
export const cmpQuantity = (a: Quantity, b: Quantity): number => (a.nano < b.nano ? -1 : a.nano > b.nano ? 1 : 0);
/** MilliValue (rounded up). */
export const milliValue = (q: Quantity): bigint => ceilDiv(q.nano, 1_000_000n);
/** Value (rounded up). */
export const unitValue = (q: Quantity): bigint => ceilDiv(q.nano, NANO);

/** A resource list (`{cpu: '500m'}`) parsed; unparsable entries are skipped. */
export function parseResourceList(list: unknown): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  if (!list || typeof list !== 'object') return out;
  for (const [k, v] of Object.entries(list as Record<string, unknown>)) {
    const q = parseQuantity(v);
    if (q) out.set(k, q);
  }
  return out;
}
