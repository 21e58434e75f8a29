import { expect, it } from 'vitest';
import { renderDate } from './steady-loop.js';

it("renders times as the container's date prints them", () => {
  const t = Date.parse('2026-12-01T09:05:07.900Z');
  expect(renderDate('%a %b %e %H:%M:%S %Z %Y', t)).toBe('Tue Dec  1 09:05:07 UTC 2026');
  // `echo $(date)`: the shell's word splitting leaves one space
  expect(renderDate('%a %b %~ %H:%M:%S %Z %Y', t)).toBe('Tue Dec 1 09:05:07 UTC 2026');
  expect(renderDate('%s', t)).toBe('1796115907');
  expect(renderDate('%a, %d %b %Y %H:%M:%S %z', t)).toBe('Tue, 01 Dec 2026 09:05:07 +0000');
  expect(renderDate('%Y-%m-%dT%H:%M:%S%z', t)).toBe('2026-12-01T09:05:07+0000');
});
