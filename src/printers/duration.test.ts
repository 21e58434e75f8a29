import { describe, expect, it } from 'vitest';
import { ageOf, humanDuration, parseTime, rfc1123z, shortHumanDuration } from './duration.js';

const s = (n: number) => n * 1000;
const m = (n: number) => s(n * 60);
const h = (n: number) => m(n * 60);
const d = (n: number) => h(n * 24);

describe('humanDuration', () => {
  it.each([
    [s(-3), '<invalid>'],
    [s(-2), '<invalid>'],
    [-1999, '0s'],
    [s(-1), '0s'],
    [-500, '0s'],
    [0, '0s'],
    [999, '0s'],
    [s(59), '59s'],
    [s(119), '119s'],
    [s(120), '2m'],
    [s(150), '2m30s'],
    [m(9) + s(59), '9m59s'],
    [m(10), '10m'],
    [m(10) + s(30), '10m'],
    [m(59), '59m'],
    [m(179), '179m'],
    [h(3), '3h'],
    [h(3) + m(5), '3h5m'],
    [h(7) + m(59), '7h59m'],
    [h(8), '8h'],
    [h(47) + m(59), '47h'],
    [d(2), '2d'],
    [d(2) + h(5), '2d5h'],
    [d(7) + h(23), '7d23h'],
    [d(8), '8d'],
    [d(729), '729d'],
    [d(730), '2y'],
    [d(735), '2y5d'],
    [d(365 * 8), '8y'],
    [d(365 * 8 + 100), '8y'],
  ])('%d ms → %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });
});

describe('shortHumanDuration', () => {
  it.each([
    [s(-2), '<invalid>'],
    [s(-1), '0s'],
    [s(59), '59s'],
    [s(60), '1m'],
    [m(59) + s(59), '59m'],
    [h(23), '23h'],
    [d(1), '1d'],
    [d(364), '364d'],
    [d(365), '1y'],
    [d(800), '2y'],
  ])('%d ms → %s', (ms, want) => {
    expect(shortHumanDuration(ms)).toBe(want);
  });
});

describe('timestamps', () => {
  const now = Date.UTC(2026, 10, 22, 21, 12, 43);
  it('ageOf', () => {
    expect(ageOf('2026-11-22T21:07:43Z', now)).toBe('5m');
    expect(ageOf('2026-11-22T21:10:13Z', now)).toBe('2m30s');
    expect(ageOf(undefined, now)).toBe('<unknown>');
    expect(ageOf('', now)).toBe('<unknown>');
    expect(ageOf('2026-11-22T21:12:50Z', now)).toBe('<invalid>');
  });
  it('parses fractional seconds and offsets', () => {
    expect(parseTime('2026-11-22T21:07:43.123456Z')).toBe(Date.UTC(2026, 10, 22, 21, 7, 43, 123));
    expect(parseTime('2026-11-22T23:07:43+02:00')).toBe(Date.UTC(2026, 10, 22, 21, 7, 43));
  });
  it('rfc1123z', () => {
    expect(rfc1123z('2026-11-22T21:07:43Z')).toBe('Sun, 22 Nov 2026 21:07:43 +0000');
    expect(rfc1123z('2026-01-02T03:04:05Z')).toBe('Fri, 02 Jan 2026 03:04:05 +0000');
  });
});
