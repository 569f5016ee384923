import { describe, expect, it } from 'vitest';
import type { Toleration } from '@mk8s/shared';
import { node, nodeInfo, pod } from '../testing/fixtures.js';
import { isNodeReadyFor, nodeReady, REASON } from './node-ready.js';

describe('NodeReady', () => {
  it.each<{ name: string; ready: 'True' | 'False' | 'Unknown' | 'none'; tolerations?: Toleration[]; fits: boolean }>([
    { name: 'Ready=True', ready: 'True', fits: true },
    { name: 'Ready=False', ready: 'False', fits: false },
    { name: 'Ready=Unknown', ready: 'Unknown', fits: false },
    { name: 'no Ready condition yet', ready: 'none', fits: false },
    { name: 'Ready=False, pod tolerates not-ready', ready: 'False', tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }], fits: true },
    { name: 'Ready=Unknown, pod tolerates not-ready only', ready: 'Unknown', tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }], fits: false },
    { name: 'Ready=Unknown, pod tolerates unreachable', ready: 'Unknown', tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }], fits: true },
    { name: 'Ready=False, NoExecute-only toleration', ready: 'False', tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }], fits: false },
  ])('$name', ({ ready, tolerations, fits }) => {
    const p = pod('p', { tolerations });
    const n = node('n1', { ready });
    expect(isNodeReadyFor(p, n)).toBe(fits);
    expect(nodeReady().filter!(p, nodeInfo(n))).toEqual(fits ? { code: 'Success', reasons: [] } : { code: 'Unschedulable', reasons: [REASON] });
  });
});
