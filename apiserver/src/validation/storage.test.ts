import { describe, it, expect } from 'vitest';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '@mk8s/shared';
import { messages, mutate, run, runUpdate, type Mutator } from './testutil.js';

const newPV = (m: Mutator<PersistentVolume> = () => {}) =>
  mutate<PersistentVolume>(
    {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pv1' },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/pv1' } },
    },
    m,
  );

const affinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1'] }] }] } };

describe('PersistentVolume validation', () => {
  it.each<[string, Mutator<PersistentVolume>, Array<[string, string]>]>([
    ['valid hostPath', () => {}, []],
    ['valid local', (pv) => (delete pv.spec.hostPath, (pv.spec.local = { path: '/mnt/disk' }), (pv.spec.nodeAffinity = affinity)), []],
    ['valid nfs', (pv) => (delete pv.spec.hostPath, (pv.spec.nfs = { server: 'nfs.local', path: '/export' })), []],
    ['capacity missing', (pv) => delete pv.spec.capacity, [['spec.capacity', 'FieldValueRequired']]],
    ['capacity without storage', (pv) => (pv.spec.capacity = { cpu: '1' }), [['spec.capacity', 'FieldValueNotSupported']]],
    ['bad storage quantity', (pv) => (pv.spec.capacity = { storage: 'big' }), [['spec.capacity[storage]', 'FieldValueInvalid']]],
    ['accessModes missing', (pv) => (pv.spec.accessModes = []), [['spec.accessModes', 'FieldValueRequired']]],
    ['bad access mode', (pv) => (pv.spec.accessModes = ['ReadWriteSometimes' as never]), [['spec.accessModes', 'FieldValueNotSupported']]],
    ['RWOP with others', (pv) => (pv.spec.accessModes = ['ReadWriteOncePod', 'ReadOnlyMany']), [['spec.accessModes', 'FieldValueForbidden']]],
    ['no source', (pv) => delete pv.spec.hostPath, [['spec', 'FieldValueRequired']]],
    ['two sources', (pv) => (pv.spec.nfs = { server: 's', path: '/e' }), [['spec.nfs', 'FieldValueForbidden']]],
    ['hostPath without path', (pv) => (pv.spec.hostPath = { path: '' }), [['spec.hostPath.path', 'FieldValueRequired']]],
    ['local without affinity', (pv) => (delete pv.spec.hostPath, (pv.spec.local = { path: '/mnt' })), [['spec.nodeAffinity', 'FieldValueRequired']]],
    ['nfs relative path', (pv) => (delete pv.spec.hostPath, (pv.spec.nfs = { server: 's', path: 'e' })), [['spec.nfs.path', 'FieldValueInvalid']]],
    ['bad reclaim policy', (pv) => (pv.spec.persistentVolumeReclaimPolicy = 'Keep' as never), [['spec.persistentVolumeReclaimPolicy', 'FieldValueNotSupported']]],
    ['bad storage class name', (pv) => (pv.spec.storageClassName = 'Fast_SSD'), [['spec.storageClassName', 'FieldValueInvalid']]],
  ])('%s', (_name, m, want) => {
    expect(run('PersistentVolume', newPV(m))).toEqual(want);
  });

  it.each<[string, Mutator<PersistentVolume>, Array<[string, string]>]>([
    ['capacity change', (pv) => (pv.spec.capacity = { storage: '2Gi' }), []],
    ['claimRef set', (pv) => (pv.spec.claimRef = { namespace: 'd', name: 'c' }), []],
    ['source change', (pv) => (pv.spec.hostPath = { path: '/other' }), [['spec.persistentvolumesource', 'FieldValueForbidden']]],
  ])('update: %s', (_name, m, want) => {
    expect(runUpdate('PersistentVolume', newPV(m), newPV())).toEqual(want);
  });
});

const newPVC = (m: Mutator<PersistentVolumeClaim> = () => {}) =>
  mutate<PersistentVolumeClaim>(
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'd' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    },
    m,
  );

describe('PersistentVolumeClaim validation', () => {
  it.each<[string, Mutator<PersistentVolumeClaim>, Array<[string, string]>]>([
    ['valid', () => {}, []],
    ['valid with class', (c) => (c.spec.storageClassName = 'standard'), []],
    ['accessModes missing', (c) => delete c.spec.accessModes, [['spec.accessModes', 'FieldValueRequired']]],
    ['storage request missing', (c) => (c.spec.resources = {}), [['spec.resources[storage]', 'FieldValueRequired']]],
    ['storage request zero', (c) => (c.spec.resources = { requests: { storage: '0' } }), [['spec.resources[storage]', 'FieldValueInvalid']]],
    ['storage request bad', (c) => (c.spec.resources = { requests: { storage: 'lots' } }), [['spec.resources[storage]', 'FieldValueInvalid']]],
    ['bad selector', (c) => (c.spec.selector = { matchExpressions: [{ key: 'a', operator: 'In' }] }), [['spec.selector.matchExpressions[0].values', 'FieldValueRequired']]],
  ])('%s', (_name, m, want) => {
    expect(run('PersistentVolumeClaim', newPVC(m))).toEqual(want);
  });

  it('words the missing access modes like Kubernetes', () => {
    expect(messages('PersistentVolumeClaim', newPVC((c) => delete c.spec.accessModes))).toEqual([
      'spec.accessModes: Required value: at least 1 access mode is required',
    ]);
  });

  const bound = newPVC((c) => (c.spec.volumeName = 'pv1'));
  it.each<[string, PersistentVolumeClaim, PersistentVolumeClaim, Array<[string, string]>]>([
    ['binding sets volumeName', newPVC(), bound, []],
    ['class set once', newPVC(), newPVC((c) => (c.spec.storageClassName = 'standard')), []],
    ['expand bound claim', bound, mutate(bound, (c) => (c.spec.resources = { requests: { storage: '2Gi' } })), []],
    ['shrink bound claim', bound, mutate(bound, (c) => (c.spec.resources = { requests: { storage: '500Mi' } })), [['spec.resources.requests[storage]', 'FieldValueForbidden']]],
    ['access modes change', newPVC(), newPVC((c) => (c.spec.accessModes = ['ReadWriteMany'])), [['spec', 'FieldValueForbidden']]],
    ['rebinding to another volume', bound, mutate(bound, (c) => (c.spec.volumeName = 'pv2')), [['spec', 'FieldValueForbidden']]],
  ])('update: %s', (_name, old, updated, want) => {
    expect(runUpdate('PersistentVolumeClaim', updated, old)).toEqual(want);
  });
});

const newSC = (m: Mutator<StorageClass> = () => {}) =>
  mutate<StorageClass>({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'standard' }, provisioner: 'mk8s.io/hostpath' }, m);

describe('StorageClass validation', () => {
  it.each<[string, Mutator<StorageClass>, Array<[string, string]>]>([
    ['valid', () => {}, []],
    ['valid no-provisioner', (s) => (s.provisioner = 'kubernetes.io/no-provisioner'), []],
    ['provisioner missing', (s) => (s.provisioner = ''), [['provisioner', 'FieldValueRequired']]],
    ['provisioner invalid', (s) => (s.provisioner = 'a b'), [['provisioner', 'FieldValueInvalid']]],
    ['bad reclaim policy', (s) => (s.reclaimPolicy = 'Recycle' as never), [['reclaimPolicy', 'FieldValueNotSupported']]],
    ['bad binding mode', (s) => (s.volumeBindingMode = 'Later' as never), [['volumeBindingMode', 'FieldValueNotSupported']]],
  ])('%s', (_name, m, want) => {
    expect(run('StorageClass', newSC(m))).toEqual(want);
  });

  it.each<[string, Mutator<StorageClass>, Array<[string, string]>]>([
    ['labels change', (s) => (s.metadata.labels = { a: 'b' }), []],
    ['provisioner change', (s) => (s.provisioner = 'other.io/x'), [['provisioner', 'FieldValueForbidden']]],
    ['parameters change', (s) => (s.parameters = { a: 'b' }), [['parameters', 'FieldValueForbidden']]],
    ['reclaim change', (s) => (s.reclaimPolicy = 'Retain'), [['reclaimPolicy', 'FieldValueForbidden']]],
    ['binding mode change', (s) => (s.volumeBindingMode = 'WaitForFirstConsumer'), [['volumeBindingMode', 'FieldValueInvalid']]],
  ])('update: %s', (_name, m, want) => {
    expect(runUpdate('StorageClass', newSC(m), newSC())).toEqual(want);
  });
});
