import { describe, it, expect } from 'vitest';
import type { ObjectMeta } from '@mk8s/shared';
import { pairs } from './testutil.js';
import { selectorMatches, validateLabelSelector, validateObjectMeta, validateObjectMetaUpdate, type ObjectMetaOptions } from './meta.js';

const ns: ObjectMetaOptions = { namespaced: true, nameValidator: 'subdomain' };
const cluster: ObjectMetaOptions = { namespaced: false, nameValidator: 'subdomain' };
const owner = (name: string, controller?: boolean) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid: `uid-${name}`, controller });

describe('validateObjectMeta', () => {
  it.each<[string, ObjectMeta, ObjectMetaOptions, Array<[string, string]>]>([
    ['valid namespaced', { name: 'web-1', namespace: 'default', labels: { app: 'web', 'example.com/tier': '' } }, ns, []],
    ['valid cluster scoped', { name: 'node-1' }, cluster, []],
    ['generateName only', { generateName: 'web-', namespace: 'default' }, ns, []],
    ['bad generateName', { generateName: 'Web-', namespace: 'default' }, ns, [['metadata.generateName', 'FieldValueInvalid']]],
    ['no name', { namespace: 'default' }, ns, [['metadata.name', 'FieldValueRequired']]],
    ['uppercase name', { name: 'Web', namespace: 'default' }, ns, [['metadata.name', 'FieldValueInvalid']]],
    ['dotted name is a subdomain', { name: 'a.b', namespace: 'default' }, ns, []],
    ['dotted name is not a label', { name: 'a.b' }, { namespaced: false, nameValidator: 'label' }, [['metadata.name', 'FieldValueInvalid']]],
    ['digit-first not dns1035', { name: '1svc', namespace: 'x' }, { namespaced: true, nameValidator: 'dns1035' }, [['metadata.name', 'FieldValueInvalid']]],
    ['path name with slash', { name: 'a/b' }, { namespaced: false, nameValidator: 'path' }, [['metadata.name', 'FieldValueInvalid']]],
    ['path name with uppercase ok', { name: 'Deployment' }, { namespaced: false, nameValidator: 'path' }, []],
    ['namespace missing', { name: 'web' }, ns, [['metadata.namespace', 'FieldValueRequired']]],
    ['namespace invalid', { name: 'web', namespace: 'Bad.NS' }, ns, [['metadata.namespace', 'FieldValueInvalid']]],
    ['namespace on cluster kind', { name: 'n', namespace: 'default' }, cluster, [['metadata.namespace', 'FieldValueForbidden']]],
    ['bad label key', { name: 'a', namespace: 'd', labels: { 'bad key': 'v' } }, ns, [['metadata.labels', 'FieldValueInvalid']]],
    ['bad label value', { name: 'a', namespace: 'd', labels: { k: 'bad value' } }, ns, [['metadata.labels', 'FieldValueInvalid']]],
    ['long label value', { name: 'a', namespace: 'd', labels: { k: 'v'.repeat(64) } }, ns, [['metadata.labels', 'FieldValueInvalid']]],
    ['bad annotation key', { name: 'a', namespace: 'd', annotations: { 'a/b/c': 'x' } }, ns, [['metadata.annotations', 'FieldValueInvalid']]],
    ['annotations too large', { name: 'a', namespace: 'd', annotations: { big: 'x'.repeat(256 * 1024) } }, ns, [['metadata.annotations', 'FieldValueTooLong']]],
    ['owner reference ok', { name: 'a', namespace: 'd', ownerReferences: [owner('rs', true), owner('other')] }, ns, []],
    [
      'owner reference missing uid',
      { name: 'a', namespace: 'd', ownerReferences: [{ ...owner('rs'), uid: '' }] },
      ns,
      [['metadata.ownerReferences.uid', 'FieldValueInvalid']],
    ],
    [
      'two controllers',
      { name: 'a', namespace: 'd', ownerReferences: [owner('a', true), owner('b', true)] },
      ns,
      [['metadata.ownerReferences', 'FieldValueInvalid']],
    ],
    ['standard finalizer', { name: 'a', namespace: 'd', finalizers: ['kubernetes', 'foregroundDeletion', 'example.com/x'] }, ns, []],
    ['unqualified finalizer', { name: 'a', namespace: 'd', finalizers: ['mine'] }, ns, [['metadata.finalizers', 'FieldValueInvalid']]],
    ['negative generation', { name: 'a', namespace: 'd', generation: -1 }, ns, [['metadata.generation', 'FieldValueInvalid']]],
  ])('%s', (_name, meta, opts, want) => {
    expect(pairs(validateObjectMeta(meta, opts))).toEqual(want);
  });

  it('words the missing name like Kubernetes', () => {
    expect(validateObjectMeta({ namespace: 'd' }, ns)[0]?.message).toBe('Required value: name or generateName is required');
  });

  it('words the second controller like Kubernetes', () => {
    const msg = validateObjectMeta({ name: 'a', namespace: 'd', ownerReferences: [owner('a', true), owner('b', true)] }, ns)[0]?.message;
    expect(msg).toContain('Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and ReplicaSet/b');
  });
});

describe('validateObjectMetaUpdate', () => {
  const old: ObjectMeta = { name: 'a', namespace: 'd', uid: 'u1', creationTimestamp: '2024-01-01T00:00:00Z', generation: 2 };
  it.each<[string, Partial<ObjectMeta>, Array<[string, string]>]>([
    ['unchanged', {}, []],
    ['labels change', { labels: { a: 'b' } }, []],
    ['name change', { name: 'b' }, [['metadata.name', 'FieldValueInvalid']]],
    ['namespace change', { namespace: 'e' }, [['metadata.namespace', 'FieldValueInvalid']]],
    ['uid change', { uid: 'u2' }, [['metadata.uid', 'FieldValueInvalid']]],
    ['creationTimestamp change', { creationTimestamp: '2025-01-01T00:00:00Z' }, [['metadata.creationTimestamp', 'FieldValueInvalid']]],
    ['generation decrement', { generation: 1 }, [['metadata.generation', 'FieldValueInvalid']]],
  ])('%s', (_name, change, want) => {
    expect(pairs(validateObjectMetaUpdate({ ...old, ...change }, old))).toEqual(want);
  });

  it('says the field is immutable', () => {
    expect(validateObjectMetaUpdate({ ...old, name: 'b' }, old)[0]?.message).toBe('Invalid value: "b": field is immutable');
  });
});

describe('label selectors', () => {
  it.each<[string, Parameters<typeof validateLabelSelector>[0], Array<[string, string]>]>([
    ['matchLabels', { matchLabels: { app: 'x' } }, []],
    ['In with values', { matchExpressions: [{ key: 'a', operator: 'In', values: ['x'] }] }, []],
    ['In without values', { matchExpressions: [{ key: 'a', operator: 'In' }] }, [['s.matchExpressions[0].values', 'FieldValueRequired']]],
    ['Exists with values', { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, [['s.matchExpressions[0].values', 'FieldValueForbidden']]],
    ['bad operator', { matchExpressions: [{ key: 'a', operator: 'Is' as never }] }, [['s.matchExpressions[0].operator', 'FieldValueNotSupported']]],
    ['bad key', { matchExpressions: [{ key: 'a b', operator: 'Exists' }] }, [['s.matchExpressions[0].key', 'FieldValueInvalid']]],
  ])('%s', (_name, sel, want) => {
    expect(pairs(validateLabelSelector(sel, 's'))).toEqual(want);
  });

  it.each<[string, Parameters<typeof selectorMatches>[0], Record<string, string>, boolean]>([
    ['matchLabels hit', { matchLabels: { app: 'x' } }, { app: 'x', b: 'c' }, true],
    ['matchLabels miss', { matchLabels: { app: 'x' } }, { app: 'y' }, false],
    ['In', { matchExpressions: [{ key: 'e', operator: 'In', values: ['a', 'b'] }] }, { e: 'b' }, true],
    ['NotIn', { matchExpressions: [{ key: 'e', operator: 'NotIn', values: ['a'] }] }, { e: 'a' }, false],
    ['Exists', { matchExpressions: [{ key: 'e', operator: 'Exists' }] }, {}, false],
    ['DoesNotExist', { matchExpressions: [{ key: 'e', operator: 'DoesNotExist' }] }, {}, true],
  ])('matches: %s', (_name, sel, labels, want) => {
    expect(selectorMatches(sel, labels)).toBe(want);
  });
});
