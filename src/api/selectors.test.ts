import { describe, expect, it } from 'vitest';
import { fieldSelectorMatcher, formatLabelSelector, parseFieldSelector, parseLabelSelector } from './selectors.js';

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'fe' };
  it.each([
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app!=db', true],
    ['tier in (fe,be)', true],
    ['tier notin (fe)', false],
    ['app', true],
    ['!app', false],
    ['!missing', true],
    ['app=web,tier=be', false],
    ['app=web, tier in (fe)', true],
    ['missing!=x', true],
  ])('%s → %s', (sel, want) => {
    expect(parseLabelSelector(sel).matches(labels)).toBe(want);
  });

  it('formats workload selectors as kubectl prints them', () => {
    expect(formatLabelSelector({ matchLabels: { app: 'web' } })).toBe('app=web');
    expect(formatLabelSelector({ matchExpressions: [{ key: 'k', operator: 'In', values: ['b', 'a'] }, { key: 'x', operator: 'DoesNotExist' }] })).toBe(
      'k in (a,b),!x',
    );
    expect(formatLabelSelector({})).toBe('<none>');
  });

  it('rejects bad syntax', () => {
    expect(() => parseLabelSelector('a in (b')).toThrow(/unable to parse requirement/);
  });
});

describe('field selectors', () => {
  const pod = { metadata: { name: 'x', namespace: 'default' }, spec: { nodeName: 'minikube' }, status: { phase: 'Running' } };
  it('matches supported fields and rejects others', () => {
    expect(fieldSelectorMatcher('Pod', parseFieldSelector('status.phase=Running,spec.nodeName==minikube')).matches(pod)).toBe(true);
    expect(fieldSelectorMatcher('Pod', parseFieldSelector('status.phase!=Running')).matches(pod)).toBe(false);
    expect(() => fieldSelectorMatcher('Pod', parseFieldSelector('spec.foo=bar'), 'pods')).toThrow('field label not supported: spec.foo');
  });
});
