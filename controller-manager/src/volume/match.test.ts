import { describe, expect, it } from 'vitest';
import type { Node, PersistentVolume, PersistentVolumeClaim, StorageClass } from '@mk8s/shared';
import { claimClass, findBestMatch, mismatch } from './match.js';
import { defaultStorageClass, pickNode, provisionedVolume, volumeNode } from './local-path.js';

const pv = (name: string, size: string, extra: Partial<PersistentVolume['spec']> = {}, labels: Record<string, string> = {}): PersistentVolume => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name, labels },
  spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], storageClassName: 'slow', ...extra },
  status: { phase: 'Available' },
});
const claim = (size: string, extra: Partial<PersistentVolumeClaim['spec']> = {}): PersistentVolumeClaim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'data', namespace: 'ns', uid: 'u1' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, storageClassName: 'slow', ...extra },
});
const node = (name: string, ready = true, unschedulable = false): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name } },
  spec: { unschedulable },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

describe('mismatch', () => {
  it.each([
    ['fits', pv('a', '2Gi'), claim('1Gi'), undefined],
    ['too small', pv('a', '500Mi'), claim('1Gi'), 'too small'],
    ['other class', pv('a', '2Gi', { storageClassName: 'fast' }), claim('1Gi'), 'storage class differs'],
    ['access mode', pv('a', '2Gi'), claim('1Gi', { accessModes: ['ReadWriteMany'] }), 'access modes not offered'],
    ['selector', pv('a', '2Gi', {}, { tier: 'b' }), claim('1Gi', { selector: { matchLabels: { tier: 'a' } } }), 'labels do not match the selector'],
    ['selector ok', pv('a', '2Gi', {}, { tier: 'a' }), claim('1Gi', { selector: { matchLabels: { tier: 'a' } } }), undefined],
    ['bound elsewhere', pv('a', '2Gi', { claimRef: { namespace: 'ns', name: 'other', uid: 'x' } }), claim('1Gi'), 'bound to another claim'],
    ['released', { ...pv('a', '2Gi'), status: { phase: 'Released' as const } }, claim('1Gi'), 'phase Released'],
  ])('%s', (_n, v, c, want) => expect(mismatch(v, c, c.spec.storageClassName ?? '')).toBe(want));
});

describe('findBestMatch', () => {
  it.each([
    ['smallest fitting', [pv('big', '10Gi'), pv('small', '2Gi'), pv('tiny', '1Mi')], 'small'],
    ['pre-bound wins', [pv('small', '2Gi'), pv('mine', '10Gi', { claimRef: { namespace: 'ns', name: 'data' } })], 'mine'],
    ['none', [pv('tiny', '1Mi')], undefined],
  ])('%s', (_n, vols, want) => expect(findBestMatch(claim('1Gi'), vols, 'slow')?.metadata.name).toBe(want));
});

describe('claimClass', () => {
  const def = defaultStorageClass();
  const other: StorageClass = { ...def, metadata: { name: 'other' } };
  it.each([
    ['unset uses the default class', undefined, [def, other], 'local-path'],
    ['unset without a default', undefined, [other], ''],
    ['explicit empty means no class', '', [def], ''],
    ['explicit', 'other', [def], 'other'],
  ] as const)('%s', (_n, cls, classes, want) => {
    const c = claim('1Gi');
    if (cls === undefined) delete c.spec.storageClassName;
    else c.spec.storageClassName = cls;
    expect(claimClass(c, [...classes])).toBe(want);
  });
});

describe('local-path', () => {
  it.each([
    ['fewest volumes', [node('a'), node('b')], ['a'], 'b'],
    ['skips not ready', [node('a', false), node('b')], ['b'], 'b'],
    ['skips unschedulable', [node('a', true, true), node('b')], ['b', 'b'], 'b'],
    ['none ready', [node('a', false)], [], undefined],
  ])('pickNode: %s', (_n, nodes, used, want) => {
    const vols = used.map((n, i) => provisionedVolume({ ...claim('1Gi'), metadata: { name: `c${i}`, uid: `u${i}` } }, defaultStorageClass(), node(n), '/base'));
    expect(pickNode(nodes, vols)?.metadata.name).toBe(want);
  });
  it('provisions a hostPath volume pinned to its node, pre-bound to the claim', () => {
    const v = provisionedVolume(claim('3Gi'), defaultStorageClass(), node('n1'), '/base/');
    expect(v.metadata.name).toBe('pvc-u1');
    expect(v.spec.hostPath).toEqual({ path: '/base/pvc-u1', type: 'DirectoryOrCreate' });
    expect(volumeNode(v)).toBe('n1');
    expect(v.spec.claimRef).toMatchObject({ namespace: 'ns', name: 'data', uid: 'u1' });
    expect(v.spec.persistentVolumeReclaimPolicy).toBe('Delete');
    expect(v.spec.capacity).toEqual({ storage: '3Gi' });
  });
});
