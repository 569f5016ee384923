import { describe, it, expect } from 'vitest';
import { ApiError } from './api/errors.js';
import {
  formatLabelSelector,
  labelKeyError,
  labelValueError,
  matchesSet,
  parseSelector,
  selectorFromLabelSelector,
  selectorFromSet,
} from './label-selector.js';
import type { LabelSelector } from './api/meta.js';

describe('parseSelector matching', () => {
  const cases: [string, string, Record<string, string> | undefined, boolean][] = [
    ['empty selects everything', '', { a: 'b' }, true],
    ['empty selects unlabelled', '', undefined, true],
    ['equals matches', 'a=b', { a: 'b' }, true],
    ['equals other value', 'a=b', { a: 'c' }, false],
    ['equals missing key', 'a=b', {}, false],
    ['double equals', 'a==b', { a: 'b' }, true],
    ['not equals other value', 'a!=b', { a: 'c' }, true],
    ['not equals missing key matches', 'a!=b', {}, true],
    ['not equals same value', 'a!=b', { a: 'b' }, false],
    ['empty value equals', 'a=', { a: '' }, true],
    ['empty value not present', 'a=', {}, false],
    ['in matches', 'env in (prod, dev)', { env: 'dev' }, true],
    ['in no match', 'env in (prod,dev)', { env: 'qa' }, false],
    ['in missing key', 'env in (prod)', {}, false],
    ['notin missing key', 'env notin (prod)', {}, true],
    ['notin value in set', 'env notin (prod)', { env: 'prod' }, false],
    ['exists', 'a', { a: '' }, true],
    ['exists missing', 'a', { b: 'x' }, false],
    ['does not exist', '!a', { b: 'x' }, true],
    ['does not exist present', '!a', { a: 'x' }, false],
    ['and of terms', 'a=b,c!=d,e', { a: 'b', e: '1' }, true],
    ['and of terms fails one', 'a=b,c!=d,e', { a: 'b', c: 'd', e: '1' }, false],
    ['whitespace tolerated', '  a = b ,  !c ', { a: 'b' }, true],
    ['prefixed key', 'app.kubernetes.io/name=web', { 'app.kubernetes.io/name': 'web' }, true],
    ['greater than', 'n>3', { n: '4' }, true],
    ['greater than not', 'n>3', { n: '3' }, false],
    ['less than non-integer label', 'n<3', { n: 'x' }, false],
    ['in with empty value', 'a in (,x)', { a: '' }, true],
    ['key named in', 'in=x', { in: 'x' }, true],
    ['undefined labels vs notin', 'a notin (x)', undefined, true],
  ];
  it.each(cases)('%s: %j', (_name, sel, labels, want) => {
    expect(parseSelector(sel).matches(labels)).toBe(want);
  });
});

describe('parseSelector errors', () => {
  const cases: [string, string][] = [
    ['trailing comma', 'a=b,'],
    ['leading comma', ',a=b'],
    ['missing key', '=b'],
    ['bad operator word', 'a foo (b)'],
    ['empty in set', 'a in ()'],
    ['unclosed set', 'a in (b'],
    ['in without parens', 'a in b'],
    ['two values', 'a=b c'],
    ['double operator', 'a=b=c'],
    ['bad key chars', 'a$=b'],
    ['bad value chars', 'a=b$'],
    ['value too long', `a=${'x'.repeat(64)}`],
    ['key too long', `${'k'.repeat(64)}=v`],
    ['uppercase prefix', 'Example.com/a=b'],
    ['empty prefix', '/a=b'],
    ['non-integer gt', 'a>b'],
    ['bang without key', '!'],
    ['bang with op', '!a=b'],
    ['only whitespace then comma', ' , '],
  ];
  it.each(cases)('%s: %j', (_name, sel) => {
    let err: unknown;
    try {
      parseSelector(sel);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe(400);
    expect((err as ApiError).reason).toBe('BadRequest');
    expect((err as ApiError).message.length).toBeGreaterThan(10);
  });
});

describe('toString is canonical', () => {
  const cases: [string, string][] = [
    ['', ''],
    ['b=1,a=2', 'a=2,b=1'],
    ['a==b', 'a==b'],
    ['x in (c,b,a,b)', 'x in (a,b,c)'],
    ['x notin (z)', 'x notin (z)'],
    ['!x, y', '!x,y'],
    ['a != b', 'a!=b'],
    ['n>3', 'n>3'],
  ];
  it.each(cases)('%j -> %j', (sel, want) => {
    const s = parseSelector(sel);
    expect(s.toString()).toBe(want);
    expect(parseSelector(s.toString()).toString()).toBe(want);
  });
});

describe('selectorFromLabelSelector', () => {
  const cases: [string, LabelSelector | undefined, Record<string, string>, boolean][] = [
    ['undefined selects nothing', undefined, {}, false],
    ['undefined selects nothing even labelled', undefined, { a: 'b' }, false],
    ['{} selects everything', {}, { a: 'b' }, true],
    ['matchLabels', { matchLabels: { app: 'web' } }, { app: 'web', x: 'y' }, true],
    ['matchLabels mismatch', { matchLabels: { app: 'web' } }, { app: 'db' }, false],
    ['In', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }] }, { tier: 'be' }, true],
    ['NotIn', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['fe'] }] }, { tier: 'fe' }, false],
    ['Exists', { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, { tier: '' }, true],
    ['DoesNotExist', { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, { tier: '' }, false],
    [
      'labels and expressions ANDed',
      { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe'] }] },
      { app: 'web', tier: 'be' },
      false,
    ],
  ];
  it.each(cases)('%s', (_name, ls, labels, want) => {
    expect(selectorFromLabelSelector(ls).matches(labels)).toBe(want);
  });

  it.each([
    ['In without values', { matchExpressions: [{ key: 'a', operator: 'In' as const, values: [] }] }],
    ['Exists with values', { matchExpressions: [{ key: 'a', operator: 'Exists' as const, values: ['x'] }] }],
    ['bad operator', { matchExpressions: [{ key: 'a', operator: 'Gt' as unknown as 'In', values: ['1'] }] }],
    ['bad key', { matchLabels: { 'a b': 'x' } }],
  ])('rejects %s', (_name, ls) => {
    expect(() => selectorFromLabelSelector(ls)).toThrow(ApiError);
  });

  it.each([
    [{}, ''],
    [{ matchLabels: { b: '1', a: '2' } }, 'a=2,b=1'],
    [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'NotIn' as const, values: ['qa', 'dev'] }] }, 'app=web,env notin (dev,qa)'],
    [{ matchExpressions: [{ key: 'x', operator: 'DoesNotExist' as const }] }, '!x'],
  ])('formatLabelSelector(%j) = %j', (ls, want) => {
    expect(formatLabelSelector(ls)).toBe(want);
  });

  it('empty() tells everything from nothing', () => {
    expect(selectorFromLabelSelector({}).empty()).toBe(true);
    expect(selectorFromLabelSelector(undefined).empty()).toBe(false);
    expect(parseSelector('a').empty()).toBe(false);
  });
});

describe('selectorFromSet and matchesSet', () => {
  it.each([
    ['all keys equal', { app: 'web', tier: 'fe' }, { app: 'web', tier: 'fe', x: '1' }, true],
    ['one key differs', { app: 'web', tier: 'fe' }, { app: 'web', tier: 'be' }, false],
    ['empty set selects everything', {}, { a: 'b' }, true],
  ])('%s', (_name, set, labels, want) => {
    expect(selectorFromSet(set).matches(labels)).toBe(want);
    expect(matchesSet(set, labels)).toBe(want);
  });
  it('renders sorted', () => {
    expect(selectorFromSet({ z: '1', a: '2' }).toString()).toBe('a=2,z=1');
  });
});

describe('label key and value validity', () => {
  it.each([
    ['a', true],
    ['A.b_c-d', true],
    ['example.com/name', true],
    ['kubernetes.io/cluster-service', true],
    ['-a', false],
    ['a-', false],
    ['a/b/c', false],
    ['Example.com/a', false],
    ['x/', false],
    ['', false],
    [`${'a'.repeat(63)}`, true],
    [`${'a'.repeat(64)}`, false],
  ])('key %j valid=%s', (key, ok) => {
    expect(labelKeyError(key) === undefined).toBe(ok);
  });
  it.each([
    ['', true],
    ['v1.2_3-x', true],
    ['.a', false],
    ['a b', false],
    ['x'.repeat(63), true],
    ['x'.repeat(64), false],
  ])('value %j valid=%s', (v, ok) => {
    expect(labelValueError(v) === undefined).toBe(ok);
  });
});
