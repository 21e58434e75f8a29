import { describe, expect, it } from 'vitest';
import { renderExplain, wordWrap, type ExplainRequest, type ExplainSchema } from './explain.js';

describe('wordWrap (go-wordwrap v1.0.1)', () => {
  it('breaks at the last space that fits and drops that space', () => {
    expect(wordWrap('aaa bbb ccc', 7)).toBe('aaa bbb\nccc');
    expect(wordWrap('aaa bbb ccc', 6)).toBe('aaa\nbbb\nccc');
  });
  it('never splits a word longer than the limit', () => {
    expect(wordWrap('a https://example.com/very/long/path b', 10)).toBe('a\nhttps://example.com/very/long/path\nb');
  });
  it('keeps newlines and blank lines, and runs of spaces inside a line', () => {
    expect(wordWrap('one.  two\n\nthree', 20)).toBe('one.  two\n\nthree');
    expect(wordWrap('x\n - `"A"`\n - `"B"`', 20)).toBe('x\n - `"A"`\n - `"B"`');
  });
  it('keeps trailing spaces that fit, drops those that do not', () => {
    expect(wordWrap('ab  ', 10)).toBe('ab  ');
    expect(wordWrap('abcd  ', 5)).toBe('abcd');
  });
  it('counts characters, not bytes', () => {
    expect(wordWrap('ééé ééé', 7)).toBe('ééé ééé');
  });
});

const named: Record<string, ExplainSchema> = {
  Spec: {
    name: 'Spec',
    type: 'object',
    description: 'Spec is the wanted state.',
    required: ['items'],
    properties: {
      items: { type: 'array', description: 'The items.', items: { ref: 'Item' } },
      mode: { type: 'string', description: 'Mode to run in.\n\nPossible enum values:\n - `"A"`\n - `"B"`', enum: ['A', 'B', ''] },
      level: { type: 'string', description: 'How loud.', enum: ['a', 'b', 'c', 'd', 'e'] },
      labels: { type: 'object', description: 'Labels.', additionalProperties: { type: 'string' } },
      limits: { type: 'object', description: 'Limits.', additionalProperties: { ref: 'Quantity' } },
      created: { ref: 'Time', description: 'When it was made.' },
      extra: {},
      next: { ref: 'Spec', description: 'A nested spec.' },
    },
  },
  Item: { name: 'Item', type: 'object', description: 'An item.', properties: { port: { ref: 'IntOrString', description: 'A port.' } }, required: ['port'] },
  Quantity: { name: 'Quantity', description: 'Quantity is a number.' },
  IntOrString: { name: 'IntOrString', description: 'IntOrString holds an int or a string.' },
  Time: { name: 'Time', type: 'string', description: 'Time is a time.' },
};

function req(fieldPath: string[], recursive = false, group = 'example.io'): ExplainRequest {
  const schema: ExplainSchema = {
    name: 'Widget',
    type: 'object',
    description: 'Widget is a thing. It is described in a sentence that is long enough to need wrapping at 76.',
    properties: {
      apiVersion: { type: 'string', description: 'APIVersion of the object.' },
      spec: { ref: 'Spec', description: 'Specification of the widget.' },
    },
  };
  return { group, version: 'v1', kind: 'Widget', schema, resolve: (r) => named[r], fieldPath, recursive };
}

describe('renderExplain', () => {
  it('prints a kind: header, wrapped description, fields with indented descriptions', () => {
    expect(renderExplain(req([])).text).toBe(
      [
        'GROUP:      example.io',
        'KIND:       Widget',
        'VERSION:    v1',
        '',
        'DESCRIPTION:',
        '    Widget is a thing. It is described in a sentence that is long enough to need',
        '    wrapping at 76.',
        '    ',
        'FIELDS:',
        '  apiVersion\t<string>',
        '    APIVersion of the object.',
        '',
        '  spec\t<Spec>',
        '    Specification of the widget.',
        '',
        '',
        '',
      ].join('\n'),
    );
  });

  it('omits GROUP for the core group', () => {
    expect(renderExplain(req([], false, '')).text.startsWith('KIND:       Widget\nVERSION:    v1\n\n')).toBe(true);
  });

  it('prints a field: its type, both descriptions, sorted fields with types, required and enums', () => {
    expect(renderExplain(req(['spec'])).text).toBe(
      [
        'GROUP:      example.io',
        'KIND:       Widget',
        'VERSION:    v1',
        '',
        'FIELD: spec <Spec>',
        '',
        '',
        'DESCRIPTION:',
        '    Specification of the widget.',
        '    Spec is the wanted state.',
        '    ',
        'FIELDS:',
        '  created\t<string>',
        '    When it was made.',
        '',
        '  extra\t<Object>',
        '    <no description>',
        '',
        '  items\t<[]Item> -required-',
        '    The items.',
        '',
        '  labels\t<map[string]string>',
        '    Labels.',
        '',
        '  level\t<string>',
        '  enum: a, b, c, d, ....',
        '    How loud.',
        '',
        '  limits\t<map[string]Quantity>',
        '    Limits.',
        '',
        '  mode\t<string>',
        '  enum: A, B, ""',
        '    Mode to run in.',
        '    ',
        '    Possible enum values:',
        '     - `"A"`',
        '     - `"B"`',
        '',
        '  next\t<Spec>',
        '    A nested spec.',
        '',
        '',
        '',
      ].join('\n'),
    );
  });

  it('lists every ENUM value of a field on its own line', () => {
    const text = renderExplain(req(['spec', 'mode'])).text;
    expect(text).toContain('FIELD: mode <string>\nENUM:\n    A\n    B\n    ""\n\nDESCRIPTION:\n    Mode to run in.\n');
  });

  it('walks into arrays and maps, and adds the referred type description', () => {
    const port = renderExplain(req(['spec', 'items', 'port'])).text;
    expect(port).toContain('FIELD: port <IntOrString>\n\n\nDESCRIPTION:\n    A port.\n    IntOrString holds an int or a string.\n    \n\n');
    const limits = renderExplain(req(['spec', 'limits'])).text;
    expect(limits).toContain('DESCRIPTION:\n    Limits.\n    Quantity is a number.\n    \n\n');
    expect(limits).not.toContain('FIELDS:');
    expect(renderExplain(req(['spec', 'items'])).text).toContain('    The items.\n    An item.\n    \nFIELDS:\n  port\t<IntOrString> -required-\n');
  });

  it('prints the field tree when recursive, and stops at a type already on the path', () => {
    const text = renderExplain(req(['spec'], true)).text;
    expect(text).toContain(
      [
        'FIELDS:',
        '  created\t<string>',
        '  extra\t<Object>',
        '  items\t<[]Item> -required-',
        '    port\t<IntOrString> -required-',
        '  labels\t<map[string]string>',
        '  level\t<string>',
        '  enum: a, b, c, d, ....',
        '  limits\t<map[string]Quantity>',
        '  mode\t<string>',
        '  enum: A, B, ""',
        '  next\t<Spec>',
        '',
        '',
      ].join('\n'),
    );
    expect(renderExplain(req([], true)).text).toContain('  spec\t<Spec>\n    created\t<string>\n');
  });

  it('reports the last path element when a field does not exist, after the header', () => {
    expect(renderExplain(req(['nope']))).toEqual({ text: 'GROUP:      example.io\nKIND:       Widget\nVERSION:    v1\n\n', error: 'error: field "nope" does not exist' });
    expect(renderExplain(req(['nope', 'deeper'])).error).toBe('error: field "deeper" does not exist');
    expect(renderExplain(req(['spec', 'labels', 'x'])).error).toBe('error: field "x" does not exist');
  });
});
