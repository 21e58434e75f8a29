import { describe, expect, it } from 'vitest';
import { goFormatFloat, goQuote, goSharpV, goSprint } from './gofmt.js';
import { groupKindPrefix, nameLine, printNames } from './name.js';
import { addQuantity, canonicalQuantity, parseQuantity } from './quantity.js';

describe('quantity', () => {
  it.each([
    ['500m', '500m'],
    ['0.5', '500m'],
    ['1.5', '1500m'],
    ['1000', '1k'],
    ['1Gi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['1024Ki', '1Mi'],
    ['512', '512'],
    ['1e3', '1e3'],
    ['0.1', '100m'],
    ['16365112Ki', '16365112Ki'],
    ['0', '0'],
    ['128974848', '128974848'],
  ])('%s → %s', (i, o) => expect(canonicalQuantity(i)).toBe(o));
  it('adds keeping the first format', () => {
    const s = addQuantity(parseQuantity('64Mi')!, parseQuantity('128Mi')!);
    expect(canonicalQuantity(`${s.nano / 1_000_000_000n}`)).toBe('201326592');
    expect(addQuantity(parseQuantity('250m')!, parseQuantity('1')!).nano).toBe(1_250_000_000n);
  });
});

describe('go formatting', () => {
  it('formats floats like strconv %g shortest', () => {
    expect(goFormatFloat(1.5)).toBe('1.5');
    expect(goFormatFloat(1234567.5)).toBe('1.2345675e+06');
    expect(goFormatFloat(123456.5)).toBe('123456.5');
    expect(goFormatFloat(0.00001)).toBe('1e-05');
    expect(goFormatFloat(0.0001)).toBe('0.0001');
  });
  it('prints %v, %q and %#v of JSON values', () => {
    expect(goSprint({ b: [1, 'x'], a: null, c: { d: true } })).toBe('map[a:<nil> b:[1 x] c:map[d:true]]');
    expect(goQuote('a"b\n\x01é')).toBe('"a\\"b\\n\\x01é"');
    expect(goSharpV({ a: [1, 'x'], n: null })).toBe('map[string]interface {}{"a":[]interface {}{1, "x"}, "n":interface {}(nil)}');
  });
});

describe('-o name', () => {
  it('prints kind[.group]/name', () => {
    expect(nameLine({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } })).toBe('deployment.apps/web\n');
    expect(nameLine({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }, { operation: 'created' })).toBe('pod/p created\n');
    expect(groupKindPrefix({ apiVersion: 'batch/v1', kind: 'Job' })).toBe('job.batch');
    expect(printNames([{ kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } }, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'b' } }] }])).toBe('pod/a\nservice/b\n');
  });
});
