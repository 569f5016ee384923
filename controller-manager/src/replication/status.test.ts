import type { Pod } from '@mk8s/shared';
import { newPod, newReplicaSet } from '@mk8s/shared/testing';
import { describe, expect, it } from 'vitest';
import { calculateStatus, statusEqual, type ReplicaFailure } from './status.js';

const NOW = Date.parse('2024-01-01T00:01:00Z'); // ready pods became ready at 00:00:00
const rs = (minReadySeconds = 0, conditions?: { type: string; status: 'True'; reason: string; message: string }[]) => {
  const o = newReplicaSet('web', { replicas: 3, generation: 4 });
  o.spec.minReadySeconds = minReadySeconds;
  if (conditions) o.status = { replicas: 0, conditions };
  return o;
};
const ready = (name: string, labels = { app: 'web' }): Pod => newPod(name, { labels, phase: 'Running', ready: true });
const notReady = (name: string): Pod => newPod(name, { labels: { app: 'web' }, phase: 'Running', ready: false });

describe('calculateStatus', () => {
  it.each<[string, ReturnType<typeof rs>, Pod[], ReplicaFailure | undefined, object]>([
    ['no pods', rs(), [], undefined, { replicas: 0, fullyLabeledReplicas: 0, readyReplicas: 0, availableReplicas: 0, observedGeneration: 4 }],
    ['ready and not ready', rs(), [ready('a'), notReady('b')], undefined, { replicas: 2, readyReplicas: 1, availableReplicas: 1 }],
    ['ready but not long enough for minReadySeconds', rs(120), [ready('a')], undefined, { replicas: 1, readyReplicas: 1, availableReplicas: 0 }],
    ['ready long enough for minReadySeconds', rs(60), [ready('a')], undefined, { readyReplicas: 1, availableReplicas: 1 }],
    ['extra labels are still fully labeled', rs(), [ready('a', { app: 'web', x: 'y' } as { app: string })], undefined, { fullyLabeledReplicas: 1 }],
    ['missing template labels are not fully labeled', rs(), [ready('a', {} as { app: string })], undefined, { replicas: 1, fullyLabeledReplicas: 0 }],
    [
      'a failure adds ReplicaFailure',
      rs(),
      [],
      { reason: 'FailedCreate', message: 'quota' },
      { conditions: [expect.objectContaining({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota' })] },
    ],
  ])('%s', (_n, owner, pods, failure, want) => {
    expect(calculateStatus(owner, pods, failure, NOW)).toMatchObject(want);
  });

  it('success clears ReplicaFailure', () => {
    const owner = rs(0, [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota' }]);
    expect(calculateStatus(owner, [], undefined, NOW).conditions).toBeUndefined();
  });

  it('a repeated failure keeps the condition (and its transition time)', () => {
    const first = calculateStatus(rs(), [], { reason: 'FailedCreate', message: 'quota' }, NOW);
    const owner = rs();
    owner.status = first;
    const again = calculateStatus(owner, [], { reason: 'FailedCreate', message: 'quota' }, NOW + 60_000);
    expect(statusEqual(first, again)).toBe(true);
  });

  it.each([
    ['same', { replicas: 1, readyReplicas: 1 }, { replicas: 1, readyReplicas: 1, availableReplicas: 0 }, true],
    ['replicas differ', { replicas: 1 }, { replicas: 2 }, false],
    ['generation differs', { replicas: 1, observedGeneration: 1 }, { replicas: 1, observedGeneration: 2 }, false],
  ])('statusEqual: %s', (_n, a, b, want) => expect(statusEqual(a, b)).toBe(want));
});
