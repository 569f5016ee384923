import { describe, expect, it } from 'vitest';
import type { Lease, Node, Taint } from '@mk8s/shared';
import { newNode } from '@mk8s/shared/testing';
import { desiredNoExecuteTaint, desiredTaints, isHeartbeatStale, lastHeartbeatMs, reconcileTaints, TAINT_NOT_READY, TAINT_UNREACHABLE, unknownConditions } from './health.js';

const T0 = Date.UTC(2024, 0, 1);
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const nodeWithHeartbeat = (s: number | undefined, status: 'True' | 'False' | 'Unknown' = 'True'): Node => {
  const n = newNode('n1');
  n.status!.conditions = [{ type: 'Ready', status, reason: 'KubeletReady', ...(s !== undefined ? { lastHeartbeatTime: at(s) } : {}) }];
  return n;
};
const lease = (s: number): Lease => ({ metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: { renewTime: at(s).replace('Z', '000Z') } });

describe('heartbeats', () => {
  it.each([
    ['condition only', nodeWithHeartbeat(10), undefined, T0 + 10_000],
    ['lease only', nodeWithHeartbeat(undefined), lease(20), T0 + 20_000],
    ['later of both (lease)', nodeWithHeartbeat(10), lease(20), T0 + 20_000],
    ['later of both (condition)', nodeWithHeartbeat(30), lease(20), T0 + 30_000],
    ['neither', nodeWithHeartbeat(undefined), undefined, undefined],
  ])('lastHeartbeatMs: %s', (_n, node, l, want) => {
    expect(lastHeartbeatMs(node, l)).toBe(want);
  });

  it.each([
    ['fresh heartbeat', T0 + 10_000, T0, T0 + 12_000, false],
    ['heartbeat older than grace', T0, T0, T0 + 3_001, true],
    ['exactly at grace is not stale', T0, T0, T0 + 3_000, false],
    ['old heartbeat but node first seen recently (controller restart)', T0 - 60_000, T0, T0 + 2_000, false],
    ['never any heartbeat, seen long ago', undefined, T0, T0 + 5_000, true],
  ])('isHeartbeatStale: %s', (_n, hb, first, now, want) => {
    expect(isHeartbeatStale(hb, first, now, 3_000)).toBe(want);
  });
});

describe('unknownConditions', () => {
  it('sets Ready and pressure conditions to Unknown, keeping heartbeats', () => {
    const n = nodeWithHeartbeat(0);
    n.status!.conditions!.push({ type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory' });
    const got = unknownConditions(n, at(50))!;
    expect(got.find((c) => c.type === 'Ready')).toEqual({
      type: 'Ready',
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
      lastHeartbeatTime: at(0),
      lastTransitionTime: at(50),
    });
    expect(got.find((c) => c.type === 'MemoryPressure')?.status).toBe('Unknown');
    expect(got.find((c) => c.type === 'DiskPressure')?.reason).toBe('NodeStatusNeverUpdated');
    expect(got.map((c) => c.type)).toEqual(['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']);
  });

  it('returns undefined once everything is Unknown', () => {
    const n = nodeWithHeartbeat(0);
    n.status!.conditions = unknownConditions(n, at(50));
    expect(unknownConditions(n, at(60))).toBeUndefined();
  });
});

describe('lifecycle taints', () => {
  const unreachable: Taint = { key: TAINT_UNREACHABLE, effect: 'NoExecute', timeAdded: at(1) };
  const notReady: Taint = { key: TAINT_NOT_READY, effect: 'NoExecute', timeAdded: at(1) };
  const user: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  it.each([
    ['True', undefined],
    ['False', TAINT_NOT_READY],
    ['Unknown', TAINT_UNREACHABLE],
    [undefined, undefined],
  ] as const)('Ready=%s wants %s', (status, want) => {
    expect(desiredNoExecuteTaint(status)).toBe(want);
  });

  const ne = (key: string): Taint => ({ key, effect: 'NoExecute' });
  const ns = (key: string): Taint => ({ key, effect: 'NoSchedule' });
  it.each<[string, Taint[] | undefined, Taint[], Taint[] | undefined]>([
    ['adds unreachable with timeAdded', [user], [ne(TAINT_UNREACHABLE)], [user, { key: TAINT_UNREACHABLE, effect: 'NoExecute', timeAdded: at(9) }]],
    ['keeps an existing taint (and its timeAdded)', [unreachable, user], [ne(TAINT_UNREACHABLE)], undefined],
    ['swaps not-ready for unreachable', [notReady], [ne(TAINT_UNREACHABLE)], [{ key: TAINT_UNREACHABLE, effect: 'NoExecute', timeAdded: at(9) }]],
    ['removes managed taints when ready', [unreachable, user, notReady, ns(TAINT_UNREACHABLE)], [], [user]],
    ['NoSchedule taints have no timeAdded', [], [ns(TAINT_NOT_READY)], [ns(TAINT_NOT_READY)]],
    ['a managed key with another effect is not ours', [{ key: 'node.kubernetes.io/unreachable', effect: 'PreferNoSchedule' }], [], undefined],
    ['nothing to do', undefined, [], undefined],
  ])('reconcileTaints: %s', (_n, taints, desired, want) => {
    expect(reconcileTaints(taints, desired, at(9))).toEqual(want);
  });

  it.each<[string, Node, string[]]>([
    ['ready node', nodeWithHeartbeat(0, 'True'), []],
    ['never posted status', { ...newNode('n'), status: {} }, []],
    ['not ready', nodeWithHeartbeat(0, 'False'), [`${TAINT_NOT_READY}:NoExecute`, `${TAINT_NOT_READY}:NoSchedule`]],
    ['unknown', nodeWithHeartbeat(0, 'Unknown'), [`${TAINT_UNREACHABLE}:NoExecute`, `${TAINT_UNREACHABLE}:NoSchedule`]],
    [
      'memory pressure, cordoned',
      (() => {
        const n = nodeWithHeartbeat(0, 'True');
        n.status!.conditions!.push({ type: 'MemoryPressure', status: 'True' });
        n.spec = { unschedulable: true };
        return n;
      })(),
      ['node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule'],
    ],
  ])('desiredTaints: %s', (_n, node, want) => {
    expect(desiredTaints(node).map((t) => `${t.key}:${t.effect}`)).toEqual(want);
  });
});
