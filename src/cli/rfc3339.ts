// Go's time.Parse with the RFC 3339 layout (`kubectl logs --since-time`), with its error texts:
// `parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"`.
import { CliError } from '../api/errors.js';

const LAYOUT = '2006-01-02T15:04:05Z07:00';
const ELEMENTS = ['2006', '-', '01', '-', '02', 'T', '15', ':', '04', ':', '05', 'Z07:00'];
const RANGES: Record<string, [number, number, string]> = {
  '01': [1, 12, 'month'],
  '02': [1, 31, 'day'],
  '15': [0, 23, 'hour'],
  '04': [0, 59, 'minute'],
  '05': [0, 59, 'second'],
};

/** Epoch milliseconds of an RFC 3339 time, or kubectl's error. */
export function parseRfc3339(value: string): number {
  let rest = value;
  const fail = (elem: string) => new CliError(`parsing time ${JSON.stringify(value)} as "${LAYOUT}": cannot parse ${JSON.stringify(rest)} as ${JSON.stringify(elem)}`);
  for (const elem of ELEMENTS) {
    if (elem === '2006' || RANGES[elem]) {
      const n = elem === '2006' ? 4 : 2;
      if (!new RegExp(`^\\d{${n}}`).test(rest)) throw fail(elem);
      const v = Number(rest.slice(0, n));
      const range = RANGES[elem];
      if (range && (v < range[0] || v > range[1])) throw new CliError(`parsing time ${JSON.stringify(value)}: ${range[2]} out of range`);
      rest = rest.slice(n);
      if (elem === '05') rest = rest.replace(/^[.,]\d+/, '');
    } else if (elem === 'Z07:00') {
      if (rest.startsWith('Z')) rest = rest.slice(1);
      else if (/^[+-]\d\d:\d\d/.test(rest)) rest = rest.slice(6);
      else throw fail(elem);
    } else if (rest.startsWith(elem)) rest = rest.slice(elem.length);
    else throw fail(elem);
  }
  if (rest) throw new CliError(`parsing time ${JSON.stringify(value)}: extra text: ${JSON.stringify(rest)}`);
  const ms = Date.parse(value.replace(',', '.'));
  if (Number.isNaN(ms)) throw new CliError(`parsing time ${JSON.stringify(value)}: day out of range`);
  return ms;
}
