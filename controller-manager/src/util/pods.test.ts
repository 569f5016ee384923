import { newPod } from '@mk8s/shared/testing';
import type { Pod, PodPhase } from '@mk8s/shared';
import { describe, expect, it } from 'vitest';
import { compareForDeletion, isPodActive, isPodAvailable, podsToDelete } from './pods.js';

const T0 = Date.parse('2024-01-01T00:00:00Z');

function pod(name: string, o: { node?: string; phase?: PodPhase; ready?: boolean; readyAt?: string; created?: string; restarts?: number; cost?: string } = {}): Pod {
  const p = newPod(name, { nodeName: o.node, phase: o.phase ?? 'Pending', ready: o.ready, creationTimestamp: o.created });
  if (o.readyAt && p.status?.conditions?.[0]) p.status.conditions[0].lastTransitionTime = o.readyAt;
  if (o.restarts !== undefined && p.status?.containerStatuses?.[0]) p.status.containerStatuses[0].restartCount = o.restarts;
  if (o.cost) p.metadata.annotations = { 'controller.kubernetes.io/pod-deletion-cost': o.cost };
  return p;
}

describe('compareForDeletion: the first pod is deleted first', () => {
  it.each([
    ['unscheduled before scheduled', pod('a'), pod('b', { node: 'n1' })],
    ['pending before running', pod('a', { node: 'n1', phase: 'Pending' }), pod('b', { node: 'n1', phase: 'Running' })],
    ['unknown before running', pod('a', { node: 'n1', phase: 'Unknown' }), pod('b', { node: 'n1', phase: 'Running' })],
    ['not ready before ready', pod('a', { node: 'n1', phase: 'Running', ready: false }), pod('b', { node: 'n1', phase: 'Running', ready: true })],
    ['lower deletion cost first', pod('a', { node: 'n1', phase: 'Running', ready: true, cost: '-5' }), pod('b', { node: 'n1', phase: 'Running', ready: true })],
    [
      'ready more recently before ready longer',
      pod('a', { node: 'n1', phase: 'Running', ready: true, readyAt: '2024-01-02T00:00:00Z' }),
      pod('b', { node: 'n1', phase: 'Running', ready: true, readyAt: '2024-01-01T00:00:00Z' }),
    ],
    ['more restarts first', pod('a', { node: 'n1', phase: 'Running', ready: true, restarts: 3 }), pod('b', { node: 'n1', phase: 'Running', ready: true, restarts: 0 })],
    ['newer before older', pod('a', { created: '2024-01-02T00:00:00Z' }), pod('b', { created: '2024-01-01T00:00:00Z' })],
  ])('%s', (_name, first, second) => {
    expect(compareForDeletion(first, second)).toBeLessThan(0);
    expect(compareForDeletion(second, first)).toBeGreaterThan(0);
  });

  it('podsToDelete picks the n least valuable in order', () => {
    const ready = pod('ready', { node: 'n1', phase: 'Running', ready: true });
    const notReady = pod('not-ready', { node: 'n1', phase: 'Running', ready: false });
    const pending = pod('pending', { node: 'n1' });
    const unscheduled = pod('unscheduled');
    expect(podsToDelete([ready, notReady, pending, unscheduled], 3).map((p) => p.metadata.name)).toEqual(['unscheduled', 'pending', 'not-ready']);
  });
});

describe('isPodActive / isPodAvailable', () => {
  it.each([
    ['pending', pod('a'), true],
    ['running', pod('a', { phase: 'Running' }), true],
    ['succeeded', pod('a', { phase: 'Succeeded' }), false],
    ['failed', pod('a', { phase: 'Failed' }), false],
    ['being deleted', { ...pod('a'), metadata: { ...pod('a').metadata, deletionTimestamp: '2024-01-01T00:00:00Z' } }, false],
  ])('active: %s -> %s', (_n, p, want) => expect(isPodActive(p)).toBe(want));

  it.each([
    ['not ready', pod('a', { ready: false }), 0, T0, false],
    ['ready, minReadySeconds 0', pod('a', { ready: true }), 0, T0, true],
    ['ready 5s of 10s', pod('a', { ready: true }), 10, T0 + 5000, false],
    ['ready 10s of 10s', pod('a', { ready: true }), 10, T0 + 10_000, true],
  ])('available: %s -> %s', (_n, p, minReady, now, want) => expect(isPodAvailable(p, minReady, now)).toBe(want));
});
