import { describe, expect, it } from 'vitest';
import { parseRfc3339 } from './rfc3339.js';

const err = (v: string) => {
  try {
    return parseRfc3339(v);
  } catch (e) {
    return (e as Error).message;
  }
};

describe('RFC 3339 times as Go parses them', () => {
  it.each([
    ['bogus', 'parsing time "bogus" as "2006-01-02T15:04:05Z07:00": cannot parse "bogus" as "2006"'],
    ['2026-01-01', 'parsing time "2026-01-01" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"'],
    ['2026-13-01T00:00:00Z', 'parsing time "2026-13-01T00:00:00Z": month out of range'],
    ['2026-01-01T00:00:00', 'parsing time "2026-01-01T00:00:00" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "Z07:00"'],
    ['2026-01-01T00:00:00Zx', 'parsing time "2026-01-01T00:00:00Zx": extra text: "x"'],
    ['2026-01-01T25:00:00Z', 'parsing time "2026-01-01T25:00:00Z": hour out of range'],
    ['2026-01-01T00:00:00.5+01:00x', 'parsing time "2026-01-01T00:00:00.5+01:00x": extra text: "x"'],
    ['26-01-01T00:00:00Z', 'parsing time "26-01-01T00:00:00Z" as "2006-01-02T15:04:05Z07:00": cannot parse "26-01-01T00:00:00Z" as "2006"'],
  ])('%s', (v, msg) => expect(err(v)).toBe(msg));

  it('reads good times', () => {
    expect(err('2026-11-22T21:00:00Z')).toBe(Date.parse('2026-11-22T21:00:00Z'));
    expect(err('2026-11-22T22:00:00.250+01:00')).toBe(Date.parse('2026-11-22T21:00:00.250Z'));
  });
});
