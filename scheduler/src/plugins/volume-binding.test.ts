import { describe, expect, it } from 'vitest';
import type { PersistentVolume, PersistentVolumeClaim } from '@mk8s/shared';
import { node, nodeInfo, pod } from '../testing/fixtures.js';
import { REASON_CONFLICT, REASON_UNBOUND, volumeBinding, type VolumeLister } from './volume-binding.js';

const claim = (name: string, volumeName?: string, phase: 'Pending' | 'Bound' = volumeName ? 'Bound' : 'Pending'): PersistentVolumeClaim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default' },
  spec: volumeName ? { volumeName } : {},
  status: { phase },
});
const volume = (name: string, pinnedTo?: string): PersistentVolume => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name },
  spec: pinnedTo
    ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [pinnedTo] }] }] } } }
    : {},
});
const lister = (claims: PersistentVolumeClaim[], volumes: PersistentVolume[]): VolumeLister => ({
  claim: (_ns, name) => claims.find((c) => c.metadata.name === name),
  volume: (name) => volumes.find((v) => v.metadata.name === name),
});
const withClaim = (claimName?: string) => {
  const p = pod('p');
  if (claimName) p.spec.volumes = [{ name: 'data', persistentVolumeClaim: { claimName } }];
  return p;
};

describe('VolumeBinding', () => {
  it.each([
    { name: 'pod without claims fits', claimName: undefined, claims: [], volumes: [], node: 'n1', want: { code: 'Success', reasons: [] } },
    { name: 'missing claim', claimName: 'data', claims: [], volumes: [], node: 'n1', want: { code: 'Unschedulable', reasons: [REASON_UNBOUND] } },
    { name: 'unbound claim', claimName: 'data', claims: [claim('data')], volumes: [], node: 'n1', want: { code: 'Unschedulable', reasons: [REASON_UNBOUND] } },
    { name: 'bound, volume not seen yet', claimName: 'data', claims: [claim('data', 'pv1')], volumes: [], node: 'n1', want: { code: 'Unschedulable', reasons: [REASON_UNBOUND] } },
    { name: 'bound to an unpinned volume', claimName: 'data', claims: [claim('data', 'pv1')], volumes: [volume('pv1')], node: 'n1', want: { code: 'Success', reasons: [] } },
    { name: 'volume pinned to this node', claimName: 'data', claims: [claim('data', 'pv1')], volumes: [volume('pv1', 'n1')], node: 'n1', want: { code: 'Success', reasons: [] } },
    { name: 'volume pinned elsewhere', claimName: 'data', claims: [claim('data', 'pv1')], volumes: [volume('pv1', 'n2')], node: 'n1', want: { code: 'UnschedulableAndUnresolvable', reasons: [REASON_CONFLICT] } },
  ])('$name', ({ claimName, claims, volumes, node: n, want }) => {
    expect(volumeBinding({ volumes: lister(claims, volumes) }).filter!(withClaim(claimName), nodeInfo(node(n)))).toEqual(want);
  });
  it('passes every pod without a lister', () => {
    expect(volumeBinding().filter!(withClaim('data'), nodeInfo(node('n1'))).code).toBe('Success');
  });
});
