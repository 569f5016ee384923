import { describe, it, expect } from 'vitest';
import { ApiError } from './api/errors.js';
import { fieldSelectorFromSet, parseFieldSelector, requiredFields, requiresExactMatch } from './field-selector.js';

const pod = { 'metadata.name': 'web-1', 'metadata.namespace': 'default', 'spec.nodeName': 'n1', 'status.phase': 'Running' };

describe('parseFieldSelector matching', () => {
  const cases: [string, string, Record<string, string>, boolean][] = [
    ['empty selects everything', '', pod, true],
    ['name equals', 'metadata.name=web-1', pod, true],
    ['name double equals', 'metadata.name==web-1', pod, true],
    ['name differs', 'metadata.name=web-2', pod, false],
    ['not equals', 'status.phase!=Succeeded', pod, true],
    ['not equals same', 'status.phase!=Running', pod, false],
    ['describe node query', 'spec.nodeName=n1,status.phase!=Succeeded,status.phase!=Failed', pod, true],
    ['missing field equals empty', 'spec.nodeName=', { 'metadata.name': 'x' }, true],
    ['missing field equals value', 'spec.nodeName=n1', { 'metadata.name': 'x' }, false],
    ['missing field not equals value', 'spec.nodeName!=n1', { 'metadata.name': 'x' }, true],
    ['missing field not equals empty', 'spec.nodeName!=', { 'metadata.name': 'x' }, false],
    ['unscheduled pods', 'spec.nodeName=', { 'spec.nodeName': '' }, true],
    ['escaped comma in value', 'metadata.name=a\\,b', { 'metadata.name': 'a,b' }, true],
    ['empty terms skipped', 'metadata.name=web-1,', pod, true],
  ];
  it.each(cases)('%s: %j', (_name, sel, fields, want) => {
    expect(parseFieldSelector(sel).matches(fields)).toBe(want);
  });
});

describe('parseFieldSelector errors', () => {
  it.each([
    ['no operator', 'metadata.name'],
    ['no field', '=x'],
    ['unescaped equals in value', 'a=b=c'],
    ['bad escape', 'a=b\\x'],
    ['space in field', 'meta data=x'],
  ])('%s: %j', (_name, sel) => {
    let err: unknown;
    try {
      parseFieldSelector(sel);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe(400);
    expect((err as ApiError).reason).toBe('BadRequest');
  });
});

describe('field selector helpers', () => {
  it('lists requirements and round-trips toString', () => {
    const sel = parseFieldSelector('spec.nodeName==n1,status.phase!=Failed,metadata.name=a\\,b');
    expect(sel.requirements).toEqual([
      { field: 'spec.nodeName', op: '=', value: 'n1' },
      { field: 'status.phase', op: '!=', value: 'Failed' },
      { field: 'metadata.name', op: '=', value: 'a,b' },
    ]);
    expect(sel.toString()).toBe('spec.nodeName=n1,status.phase!=Failed,metadata.name=a\\,b');
    expect(parseFieldSelector(sel.toString()).requirements).toEqual(sel.requirements);
    expect(requiredFields(sel)).toEqual({ 'spec.nodeName': 'n1', 'metadata.name': 'a,b' });
    expect(requiresExactMatch(sel, 'spec.nodeName')).toBe('n1');
    expect(requiresExactMatch(sel, 'status.phase')).toBeUndefined();
    expect(sel.empty()).toBe(false);
    expect(parseFieldSelector('').empty()).toBe(true);
  });
  it('builds from a set', () => {
    const sel = fieldSelectorFromSet({ 'metadata.name': 'x' });
    expect(sel.toString()).toBe('metadata.name=x');
    expect(sel.matches({ 'metadata.name': 'x' })).toBe(true);
  });
});
