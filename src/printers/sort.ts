// kubectl's --sort-by: Go's sort.Sort (pattern-defeating quicksort since Go 1.19, not stable) with
// kubectl's RuntimeSort.Less, so objects with equal keys come out in the order kubectl gives them.
import { CliError } from '../api/errors.js';
import { GoFloat } from './gofmt.js';
import { findJsonPathResults, parseJsonPathRaw, relaxedJsonPath } from './jsonpath.js';

const bitsLen = (n: number) => (n <= 0 ? 0 : Math.floor(Math.log2(n)) + 1);

/** Go's sort.Sort over indexes 0..n-1 with the caller's Less and Swap. */
export function goSort(n: number, less: (i: number, j: number) => boolean, swap: (i: number, j: number) => void): void {
  if (n > 1) pdqsort(0, n, bitsLen(n));

  function insertionSort(a: number, b: number) {
    for (let i = a + 1; i < b; i++) for (let j = i; j > a && less(j, j - 1); j--) swap(j, j - 1);
  }
  function siftDown(lo: number, hi: number, first: number) {
    let root = lo;
    for (;;) {
      let child = 2 * root + 1;
      if (child >= hi) return;
      if (child + 1 < hi && less(first + child, first + child + 1)) child++;
      if (!less(first + root, first + child)) return;
      swap(first + root, first + child);
      root = child;
    }
  }
  function heapSort(a: number, b: number) {
    const hi = b - a;
    for (let i = Math.floor((hi - 1) / 2); i >= 0; i--) siftDown(i, hi, a);
    for (let i = hi - 1; i >= 0; i--) {
      swap(a, a + i);
      siftDown(0, i, a);
    }
  }
  function pdqsort(a: number, b: number, limit: number) {
    let wasBalanced = true;
    let wasPartitioned = true;
    for (;;) {
      const length = b - a;
      if (length <= 12) return insertionSort(a, b);
      if (limit === 0) return heapSort(a, b);
      if (!wasBalanced) {
        breakPatterns(a, b);
        limit--;
      }
      let [pivot, hint] = choosePivot(a, b);
      if (hint === DECREASING) {
        reverseRange(a, b);
        pivot = b - 1 - (pivot - a);
        hint = INCREASING;
      }
      if (wasBalanced && wasPartitioned && hint === INCREASING && partialInsertionSort(a, b)) return;
      if (a > 0 && !less(a - 1, pivot)) {
        a = partitionEqual(a, b, pivot);
        continue;
      }
      const [mid, already] = partition(a, b, pivot);
      wasPartitioned = already;
      const leftLen = mid - a;
      const rightLen = b - mid;
      const threshold = Math.floor(length / 8);
      if (leftLen < rightLen) {
        wasBalanced = leftLen >= threshold;
        pdqsort(a, mid, limit);
        a = mid + 1;
      } else {
        wasBalanced = rightLen >= threshold;
        pdqsort(mid + 1, b, limit);
        b = mid;
      }
    }
  }
  function partition(a: number, b: number, pivot: number): [number, boolean] {
    swap(a, pivot);
    let i = a + 1;
    let j = b - 1;
    while (i <= j && less(i, a)) i++;
    while (i <= j && !less(j, a)) j--;
    if (i > j) {
      swap(j, a);
      return [j, true];
    }
    swap(i, j);
    i++;
    j--;
    for (;;) {
      while (i <= j && less(i, a)) i++;
      while (i <= j && !less(j, a)) j--;
      if (i > j) break;
      swap(i, j);
      i++;
      j--;
    }
    swap(j, a);
    return [j, false];
  }
  function partitionEqual(a: number, b: number, pivot: number): number {
    swap(a, pivot);
    let i = a + 1;
    let j = b - 1;
    for (;;) {
      while (i <= j && !less(a, i)) i++;
      while (i <= j && less(a, j)) j--;
      if (i > j) break;
      swap(i, j);
      i++;
      j--;
    }
    return i;
  }
  function partialInsertionSort(a: number, b: number): boolean {
    let i = a + 1;
    for (let step = 0; step < 5; step++) {
      while (i < b && !less(i, i - 1)) i++;
      if (i === b) return true;
      if (b - a < 50) return false;
      swap(i, i - 1);
      if (i - a >= 2) {
        for (let j = i - 1; j >= 1; j--) {
          if (!less(j, j - 1)) break;
          swap(j, j - 1);
        }
      }
      if (b - i >= 2) {
        for (let j = i + 1; j < b; j++) {
          if (!less(j, j - 1)) break;
          swap(j, j - 1);
        }
      }
    }
    return false;
  }
  function breakPatterns(a: number, b: number) {
    const length = b - a;
    if (length < 8) return;
    let r = BigInt(length);
    const mask = (1n << 64n) - 1n;
    const next = () => {
      r ^= (r << 13n) & mask;
      r ^= r >> 17n;
      r ^= (r << 5n) & mask;
      return r;
    };
    const modulus = BigInt(1 << bitsLen(length));
    const idx = a + Math.floor(length / 4) * 2 - 1;
    for (let i = 0; i < 3; i++) {
      let other = Number(next() & (modulus - 1n));
      if (other >= length) other -= length;
      swap(idx + i, a + other);
    }
  }
  function choosePivot(a: number, b: number): [number, number] {
    const l = b - a;
    const swaps = { n: 0 };
    let i = a + Math.floor(l / 4) * 1;
    let j = a + Math.floor(l / 4) * 2;
    let k = a + Math.floor(l / 4) * 3;
    if (l >= 8) {
      if (l >= 50) {
        i = median(i - 1, i, i + 1, swaps);
        j = median(j - 1, j, j + 1, swaps);
        k = median(k - 1, k, k + 1, swaps);
      }
      j = median(i, j, k, swaps);
    }
    return [j, swaps.n === 0 ? INCREASING : swaps.n === 12 ? DECREASING : UNKNOWN];
  }
  function median(a: number, b: number, c: number, swaps: { n: number }): number {
    const order2 = (x: number, y: number): [number, number] => {
      if (less(y, x)) {
        swaps.n++;
        return [y, x];
      }
      return [x, y];
    };
    [a, b] = order2(a, b);
    [b, c] = order2(b, c);
    [a, b] = order2(a, b);
    void c;
    return b;
  }
  function reverseRange(a: number, b: number) {
    for (let i = a, j = b - 1; i < j; i++, j--) swap(i, j);
  }
}
const UNKNOWN = 0;
const INCREASING = 1;
const DECREASING = 2;

const goKind = (v: unknown) =>
  typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : v instanceof GoFloat || (typeof v === 'number' && !Number.isInteger(v)) ? 'float64' : typeof v === 'number' ? 'int64' : Array.isArray(v) ? '[]interface {}' : 'map[string]interface {}';

/** kubectl's isLess on two values from unstructured objects. */
function isLess(i: unknown, j: unknown, field: string): boolean {
  if (i === null && j === null) return false;
  if (i === null) return true;
  if (j === null) return false;
  const ki = goKind(i);
  if (ki === goKind(j)) {
    // JSONPath hands over concrete values, so strings take reflect.String's byte order (isLess's
    // quantity and natural order apply only to values still wrapped in an interface)
    if (ki === 'string') return Buffer.compare(Buffer.from(i as string), Buffer.from(j as string)) < 0;
    if (ki === 'int64' || ki === 'float64') return Number(i) < Number(j);
    if (ki === 'bool') return !i && Boolean(j);
  }
  throw new CliError(`Field ${field} in *unstructured.Unstructured is an unsortable type: interface, err: unsortable type: ${ki}`);
}

/** Sorts objects as `kubectl get --sort-by=FIELD` does; kubectl's errors for a field no object has. */
export function sortByField<T>(items: T[], objOf: (t: T) => unknown, fieldInput: string): T[] {
  if (!items.length) return items;
  const field = relaxedJsonPath(fieldInput);
  const compiled = parseJsonPathRaw(field);
  const keys = items.map((it) => findJsonPathResults(compiled, objOf(it), { allowMissingKeys: true }));
  if (!keys.some((v) => v.length > 0 && v[0].length > 0)) throw new CliError(`couldn't find any field with path ${JSON.stringify(field)} in the list of objects`);
  const out = items.map((it, n) => ({ it, v: keys[n] }));
  goSort(
    out.length,
    (a, b) => {
      const x = out[a].v;
      const y = out[b].v;
      if (!x.length || !x[0].length) return true;
      if (!y.length || !y[0].length) return false;
      return isLess(x[0][0], y[0][0], field);
    },
    (a, b) => {
      [out[a], out[b]] = [out[b], out[a]];
    },
  );
  return out.map((o) => o.it);
}
