import { describe, it, expect } from 'vitest';
import { parseKeyChanges, planKeyChanges, splitLabelArgs } from './label-args.js';

describe('splitLabelArgs', () => {
  it.each([
    { args: ['pod', 'x', 'a=b'], want: { resourceArgs: ['pod', 'x'], changes: ['a=b'] } },
    { args: ['pod/x', 'a-', 'b=c'], want: { resourceArgs: ['pod/x'], changes: ['a-', 'b=c'] } },
    { args: ['pods', 'a=', 'example.com/k-'], want: { resourceArgs: ['pods'], changes: ['a=', 'example.com/k-'] } },
    { args: ['pod', 'my-pod-', 'a=b'], want: { resourceArgs: ['pod'], changes: ['my-pod-', 'a=b'] } },
  ])('$args', ({ args, want }) => expect(splitLabelArgs(args)).toEqual(want));
});

describe('parseKeyChanges', () => {
  it.each([
    { name: 'set and remove', changes: ['a=b', 'c-'], want: { set: { a: 'b' }, remove: ['c'] } },
    { name: 'empty value', changes: ['a='], want: { set: { a: '' }, remove: [] } },
    { name: 'prefixed key', changes: ['app.kubernetes.io/name=web'], want: { set: { 'app.kubernetes.io/name': 'web' }, remove: [] } },
  ])('$name', ({ changes, want }) => expect(parseKeyChanges(changes, 'label')).toEqual(want));

  it.each([
    { name: 'nothing', changes: [], kind: 'label' as const, err: /at least one label update is required/ },
    { name: 'bad key', changes: ['-a=b'], kind: 'label' as const, err: /invalid label spec/ },
    { name: 'bad label value', changes: ['a=b c'], kind: 'label' as const, err: /invalid label value/ },
    { name: 'modify and remove', changes: ['a=b', 'a-'], kind: 'label' as const, err: /can not both modify and remove/ },
    { name: 'not a change', changes: ['a'], kind: 'annotation' as const, err: /should be key=value or key-/ },
  ])('rejects $name', ({ changes, kind, err }) => expect(() => parseKeyChanges(changes, kind)).toThrow(err));

  it('allows any annotation value', () => expect(parseKeyChanges(['note=hello world!'], 'annotation').set.note).toBe('hello world!'));
});

describe('planKeyChanges', () => {
  it.each([
    { name: 'add new', cur: { a: '1' }, changes: { set: { b: '2' }, remove: [] }, overwrite: false, want: { patch: { b: '2' }, changed: true, onlyRemovals: false } },
    { name: 'same value is no change', cur: { a: '1' }, changes: { set: { a: '1' }, remove: [] }, overwrite: false, want: { patch: {}, changed: false, onlyRemovals: false } },
    { name: 'overwrite', cur: { a: '1' }, changes: { set: { a: '2' }, remove: [] }, overwrite: true, want: { patch: { a: '2' }, changed: true, onlyRemovals: false } },
    { name: 'remove present', cur: { a: '1' }, changes: { set: {}, remove: ['a'] }, overwrite: false, want: { patch: { a: null }, changed: true, onlyRemovals: true } },
    { name: 'remove absent', cur: undefined, changes: { set: {}, remove: ['a'] }, overwrite: false, want: { patch: {}, changed: false, onlyRemovals: true } },
  ])('$name', ({ cur, changes, overwrite, want }) => expect(planKeyChanges(cur, changes, overwrite)).toEqual(want));

  it('refuses to change a value without --overwrite', () => {
    expect(() => planKeyChanges({ a: '1' }, { set: { a: '2' }, remove: [] }, false)).toThrow("'a' already has a value (1), and --overwrite is false");
  });
});
