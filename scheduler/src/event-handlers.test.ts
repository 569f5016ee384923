import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '@mk8s/shared';
import { needsScheduling, nodeSchedulingPropertiesChanged, occupiesNode } from './event-handlers.js';
import { node, pod } from './testing/fixtures.js';

const deleting = (p: Pod): Pod => ({ ...p, metadata: { ...p.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } });

describe('needsScheduling / occupiesNode', () => {
  it.each<{ name: string; pod: Pod; needs: boolean; occupies: boolean }>([
    { name: 'pending pod, no schedulerName', pod: pod('p'), needs: true, occupies: false },
    { name: 'pending pod for default-scheduler', pod: pod('p', { schedulerName: 'default-scheduler' }), needs: true, occupies: false },
    { name: 'pending pod for another scheduler', pod: pod('p', { schedulerName: 'other' }), needs: false, occupies: false },
    { name: 'bound pod', pod: pod('p', { nodeName: 'n', phase: 'Running' }), needs: false, occupies: true },
    { name: 'bound pod being deleted still holds its room', pod: deleting(pod('p', { nodeName: 'n' })), needs: false, occupies: true },
    { name: 'pending pod being deleted', pod: deleting(pod('p')), needs: false, occupies: false },
    { name: 'succeeded pod', pod: pod('p', { nodeName: 'n', phase: 'Succeeded' }), needs: false, occupies: false },
    { name: 'failed unbound pod', pod: pod('p', { phase: 'Failed' }), needs: false, occupies: false },
  ])('$name', ({ pod: p, needs, occupies }) => {
    expect(needsScheduling(p)).toBe(needs);
    expect(occupiesNode(p)).toBe(occupies);
  });
});

describe('nodeSchedulingPropertiesChanged', () => {
  const base = node('n');
  const withStatus = (f: (s: NonNullable<Node['status']>) => NonNullable<Node['status']>): Node => ({ ...base, status: f(base.status!) });
  it.each<{ name: string; next: Node; changed: boolean }>([
    { name: 'heartbeat only', next: withStatus((s) => ({ ...s, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: 'later' }] })), changed: false },
    { name: 'became not ready', next: withStatus((s) => ({ ...s, conditions: [{ type: 'Ready', status: 'False' }] })), changed: true },
    { name: 'allocatable grew', next: withStatus((s) => ({ ...s, allocatable: { ...s.allocatable, cpu: '8' } })), changed: true },
    { name: 'cordoned', next: { ...base, spec: { unschedulable: true } }, changed: true },
    { name: 'tainted', next: { ...base, spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] } }, changed: true },
    { name: 'relabelled', next: { ...base, metadata: { ...base.metadata, labels: { disk: 'ssd' } } }, changed: true },
  ])('$name', ({ next, changed }) => {
    expect(nodeSchedulingPropertiesChanged(base, next)).toBe(changed);
  });
});
