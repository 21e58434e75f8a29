import { describe, expect, it } from 'vitest';
import { goTabwriter, layoutTable, sanitizeCell, TabWriter } from './tabwriter.js';

describe('layoutTable', () => {
  it('pads every cell but the last, minwidth 6, padding 3', () => {
    expect(
      layoutTable([
        ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
        ['nginx', '1/1', 'Running', '0', '5m'],
        ['web-multi', '2/2', 'Running', '3 (45s ago)', '5m'],
      ]),
    ).toBe(
      'NAME        READY   STATUS    RESTARTS      AGE\n' +
        'nginx       1/1     Running   0             5m\n' +
        'web-multi   2/2     Running   3 (45s ago)   5m\n',
    );
  });
  it('applies minwidth 6 without headers', () => {
    expect(layoutTable([['nginx', '1/1', 'Running', '0', '5m']])).toBe('nginx   1/1   Running   0     5m\n');
    expect(layoutTable([['nginx', '1/1', 'Running', '0', '5m'], ['web-multi', '2/2', 'Running', '3 (45s ago)', '5m']])).toBe(
      'nginx       1/1   Running   0             5m\nweb-multi   2/2   Running   3 (45s ago)   5m\n',
    );
  });
  it('keeps padding before an empty last cell', () => {
    expect(layoutTable([['NAME', 'X'], ['a', '']])).toBe('NAME   X\na      \n');
  });
  it('returns empty for no rows', () => {
    expect(layoutTable([])).toBe('');
  });
  it('counts runes, not UTF-16 units', () => {
    expect(layoutTable([['NAME', 'A'], ['日本😀', 'x']])).toBe('NAME   A\n日本😀    x\n');
  });
});

describe('sanitizeCell', () => {
  it('cuts at line breaks and escapes ESC and CR', () => {
    expect(sanitizeCell('line1\nline2')).toBe('line1...');
    expect(sanitizeCell('a\rb')).toBe('a...');
    expect(sanitizeCell('a\x1b[31mred')).toBe('a^[[31mred');
    expect(sanitizeCell('plain')).toBe('plain');
  });
});

describe('goTabwriter', () => {
  it('aligns consecutive tabbed lines; tabless lines end the block', () => {
    const input = 'Name:\tnginx\nNamespace:\tdefault\nContainers:\n  nginx:\n    Image:\tnginx\n    Container ID:\tx\n';
    expect(goTabwriter(input)).toBe(
      'Name:       nginx\nNamespace:  default\nContainers:\n  nginx:\n    Image:         nginx\n    Container ID:  x\n',
    );
  });
  it('pads empty last cells (trailing spaces stay) and handles nested columns', () => {
    const input = 'IP:\t\nConditions:\n  Type\tStatus\n  Ready \tTrue \n  PodScheduled \tTrue \n';
    expect(goTabwriter(input)).toBe(
      'IP:  \nConditions:\n  Type           Status\n  Ready          True \n  PodScheduled   True \n',
    );
  });
  it('sub-blocks of deeper columns', () => {
    const input = 'a\tb\tc\nlonger\tb\nx\tyy\tz\n';
    // column 0 spans all three lines; column 1 splits into blocks {line1} and {line3}
    expect(goTabwriter(input)).toBe('a       b  c\nlonger  b\nx       yy  z\n');
  });
  it('flushes a partial last line without newline', () => {
    expect(goTabwriter('a:\tb\nccc:\td')).toBe('a:    b\nccc:  d');
  });
});

describe('TabWriter remember widths', () => {
  it('keeps wider widths across flushes', () => {
    const w = new TabWriter({ minwidth: 6, padding: 3, rememberWidths: true });
    const a = w.write('LONGNAME\tX\n').flush();
    const b = w.write('a\tb\n').flush();
    expect(a + b).toBe('LONGNAME   X\na          b\n');
  });
});
