import { describe, expect, it } from 'vitest';
import type { Toleration } from '@mk8s/shared';
import { node, nodeInfo, pod } from '../testing/fixtures.js';
import { allowsUnschedulable, nodeUnschedulable, REASON } from './node-unschedulable.js';

const tolerateUnschedulable: Toleration = { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' };

describe('NodeUnschedulable', () => {
  it.each<{ name: string; unschedulable: boolean; tolerations?: Toleration[]; fits: boolean }>([
    { name: 'schedulable node', unschedulable: false, fits: true },
    { name: 'cordoned node', unschedulable: true, fits: false },
    { name: 'cordoned node, pod tolerates the unschedulable taint', unschedulable: true, tolerations: [tolerateUnschedulable], fits: true },
    { name: 'cordoned node, pod tolerates everything', unschedulable: true, tolerations: [{ operator: 'Exists' }], fits: true },
    { name: 'cordoned node, toleration for another key', unschedulable: true, tolerations: [{ key: 'other', operator: 'Exists' }], fits: false },
  ])('$name', ({ unschedulable, tolerations, fits }) => {
    const p = pod('p', { tolerations });
    const n = node('n1', { unschedulable });
    expect(allowsUnschedulable(p, n)).toBe(fits);
    expect(nodeUnschedulable().filter!(p, nodeInfo(n))).toEqual(
      fits ? { code: 'Success', reasons: [] } : { code: 'UnschedulableAndUnresolvable', reasons: [REASON] },
    );
  });
});
