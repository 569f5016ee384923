import { describe, expect, it } from 'vitest';
import type { Taint, Toleration } from '@mk8s/shared';
import { newPod } from '@mk8s/shared/testing';
import { evictionTimeMs, shouldForceDelete, toleratesTaint } from './eviction.js';

const T0 = Date.UTC(2024, 0, 1);
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: at(0) };
const custom: Taint = { key: 'maintenance', value: 'yes', effect: 'NoExecute', timeAdded: at(10) };
const defaultTol = (s: number): Toleration => ({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: s });
const podWith = (tolerations: Toleration[]) => {
  const p = newPod('p');
  p.spec.tolerations = tolerations;
  return p;
};

describe('toleratesTaint', () => {
  it.each<[string, Toleration, Taint, boolean]>([
    ['exists on the key', { key: 'maintenance', operator: 'Exists' }, custom, true],
    ['equal with same value', { key: 'maintenance', operator: 'Equal', value: 'yes', effect: 'NoExecute' }, custom, true],
    ['equal is the default operator', { key: 'maintenance', value: 'yes' }, custom, true],
    ['equal with another value', { key: 'maintenance', value: 'no' }, custom, false],
    ['other effect', { key: 'maintenance', operator: 'Exists', effect: 'NoSchedule' }, custom, false],
    ['empty key with Exists tolerates everything', { operator: 'Exists' }, custom, true],
    ['empty key without Exists tolerates nothing', { value: 'yes' }, custom, false],
  ])('%s', (_n, t, taint, want) => {
    expect(toleratesTaint(t, taint)).toBe(want);
  });
});

describe('evictionTimeMs', () => {
  it.each<[string, Toleration[], Taint[], number | undefined]>([
    ['no NoExecute taints: never', [], [{ key: 'x', effect: 'NoSchedule' }], undefined],
    ['untolerated taint: now', [], [unreachable], T0 + 100_000],
    ['default toleration: timeAdded + seconds', [defaultTol(3)], [unreachable], T0 + 3_000],
    ['toleration forever: never', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }], [unreachable], undefined],
    ['shortest matching toleration wins', [defaultTol(300), { operator: 'Exists', tolerationSeconds: 5 }], [unreachable], T0 + 5_000],
    ['one of two taints untolerated: now', [defaultTol(3)], [unreachable, custom], T0 + 100_000],
    ['earliest deadline across taints', [defaultTol(30), { key: 'maintenance', operator: 'Exists', tolerationSeconds: 1 }], [unreachable, custom], T0 + 11_000],
    ['negative seconds count as zero', [defaultTol(-5)], [unreachable], T0],
  ])('%s', (_n, tolerations, taints, want) => {
    expect(evictionTimeMs(podWith(tolerations), taints, T0 + 100_000)).toBe(want);
  });
});

describe('shouldForceDelete', () => {
  const deleting = newPod('p', { deletionTimestamp: at(30) });
  it.each([
    ['not being deleted', newPod('p'), true, T0 + 60_000, false],
    ['node reachable: the kubelet finishes the job', deleting, false, T0 + 60_000, false],
    ['grace period not over yet', deleting, true, T0 + 29_000, false],
    ['grace period over on an unreachable node', deleting, true, T0 + 30_000, true],
  ])('%s', (_n, pod, unreachableNode, now, want) => {
    expect(shouldForceDelete(pod, unreachableNode, now)).toBe(want);
  });
});
