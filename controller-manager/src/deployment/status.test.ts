import type { ReplicaSet } from '@mk8s/shared';
import { newDeployment, newReplicaSet } from '@mk8s/shared/testing';
import { describe, expect, it } from 'vitest';
import { calculateStatus, progressStatus } from './status.js';

const NOW = Date.parse('2024-01-01T00:10:00Z');
const rs = (replicas: number, ready: number, available: number): ReplicaSet => {
  const r = newReplicaSet(`rs-${replicas}-${available}`, { replicas });
  r.status = { replicas, readyReplicas: ready, availableReplicas: available };
  return r;
};

describe('calculateStatus', () => {
  it.each([
    ['all new and available', 4, [rs(4, 4, 4)], 0, { replicas: 4, updatedReplicas: 4, readyReplicas: 4, availableReplicas: 4, unavailableReplicas: 0 }, 'True'],
    ['mid rollout', 4, [rs(3, 3, 3), rs(2, 1, 0)], 1, { replicas: 5, updatedReplicas: 2, readyReplicas: 4, availableReplicas: 3, unavailableReplicas: 2 }, 'True'],
    ['below minimum availability', 4, [rs(4, 1, 1)], 0, { availableReplicas: 1, unavailableReplicas: 3 }, 'False'],
    ['no ReplicaSets yet', 2, [], -1, { replicas: 0, updatedReplicas: 0, availableReplicas: 0 }, 'False'],
  ] as const)('%s', (_n, replicas, rss, newIdx, want, available) => {
    const d = newDeployment('d', { replicas, generation: 3 });
    const s = calculateStatus(d, [...rss], newIdx >= 0 ? (rss as readonly ReplicaSet[])[newIdx] : undefined, NOW);
    expect(s).toMatchObject({ observedGeneration: 3, ...want });
    expect(s.conditions?.find((c) => c.type === 'Available')?.status).toBe(available);
  });

  it.each([
    ['complete', [rs(2, 2, 2)], 'True', 'NewReplicaSetAvailable'],
    ['progressing', [rs(2, 1, 1)], 'True', 'ReplicaSetUpdated'],
  ] as const)('Progressing when %s', (_n, rss, status, reason) => {
    const d = newDeployment('d', { replicas: 2, generation: 1 });
    d.status = { replicas: 0, updatedReplicas: 0 };
    const s = progressStatus(d, [...rss], rss[0], NOW);
    expect(s.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status, reason });
  });

  it('times out when the last progress is older than the deadline', () => {
    const d = newDeployment('d', { replicas: 2, generation: 1 });
    d.spec.progressDeadlineSeconds = 60;
    const r = rs(2, 0, 0);
    d.status = { replicas: 2, updatedReplicas: 2, conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: '2024-01-01T00:00:00Z', lastTransitionTime: '2024-01-01T00:00:00Z' }] };
    expect(progressStatus(d, [r], r, NOW).conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
  });

  it('mirrors a ReplicaSet failure', () => {
    const d = newDeployment('d', { replicas: 2 });
    const r = rs(2, 0, 0);
    r.status!.conditions = [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota' }];
    expect(progressStatus(d, [r], r, NOW).conditions?.find((c) => c.type === 'ReplicaFailure')).toMatchObject({ reason: 'FailedCreate', message: 'quota' });
  });
});
