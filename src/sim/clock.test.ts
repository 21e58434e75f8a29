import { describe, expect, it } from 'vitest';
import { advance, freeze, isoTime, parseDuration, resume, simNow } from './clock.js';

describe('clock', () => {
  it('follows wall time, freezes, advances and resumes', () => {
    const c = { mode: 'wall' as const, offsetMs: 0, frozenAt: 0 } as { mode: 'wall' | 'frozen'; offsetMs: number; frozenAt: number };
    expect(simNow(c, 1000)).toBe(1000);
    freeze(c, 5000);
    expect(simNow(c, 9000)).toBe(5000);
    advance(c, 30_000);
    expect(simNow(c, 9000)).toBe(35_000);
    resume(c, 10_000);
    expect(simNow(c, 10_000)).toBe(35_000);
    expect(simNow(c, 11_000)).toBe(36_000);
    advance(c, 1000);
    expect(simNow(c, 11_000)).toBe(37_000);
  });

  it('parses Go durations', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('5')).toBeUndefined();
    expect(parseDuration('abc')).toBeUndefined();
  });

  it('formats RFC 3339 seconds', () => {
    expect(isoTime(Date.parse('2026-11-22T21:07:43.999Z'))).toBe('2026-11-22T21:07:43Z');
  });
});
