import { describe, expect, it } from 'vitest';
import { groupByNode } from './plan.js';
import { calculateStatus, statusEqual } from './status.js';
import { daemonPod, newDaemonSet, newNode } from './testing.js';

describe('calculateStatus', () => {
  const ds = newDaemonSet('ds', { minReadySeconds: 10, template: { metadata: { labels: { app: 'ds' } }, spec: { containers: [{ name: 'c', image: 'i' }], nodeSelector: { role: 'w' } } } });
  const now = Date.UTC(2024, 0, 1);
  const w = (n: string) => newNode(n, { labels: { role: 'w' } });
  const nodes = [w('a'), w('b'), w('c'), w('d'), newNode('x')];

  it.each([
    { name: 'no pods', pods: [], want: { desiredNumberScheduled: 4, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, updatedNumberScheduled: 0, numberAvailable: 0, numberUnavailable: 4 } },
    {
      name: 'mixed',
      pods: [
        daemonPod(ds, 'a', 'h'),
        daemonPod(ds, 'b', 'old'),
        daemonPod(ds, 'c', 'h', { readySinceMs: now - 5000 }),
        daemonPod(ds, 'x', 'h'),
      ],
      want: { desiredNumberScheduled: 4, currentNumberScheduled: 3, numberMisscheduled: 1, numberReady: 3, updatedNumberScheduled: 2, numberAvailable: 2, numberUnavailable: 2 },
    },
    {
      name: 'the oldest pod on a node decides',
      pods: [daemonPod(ds, 'a', 'old', { createdMs: 1, ready: false }), daemonPod(ds, 'a', 'h', { createdMs: 2 })],
      want: { desiredNumberScheduled: 4, currentNumberScheduled: 1, numberMisscheduled: 0, numberReady: 0, updatedNumberScheduled: 0, numberAvailable: 0, numberUnavailable: 4 },
    },
  ])('$name', ({ pods, want }) => {
    expect(calculateStatus(ds, nodes, groupByNode(pods), 'h', now, true)).toEqual({ ...want, observedGeneration: 1 });
  });

  it('leaves observedGeneration alone while expectations are pending', () => {
    const s = calculateStatus({ ...ds, status: { ...calculateStatus(ds, nodes, new Map(), 'h', now, true), observedGeneration: 0 } }, nodes, new Map(), 'h', now, false);
    expect(s.observedGeneration).toBe(0);
    expect(statusEqual({ ...s }, s)).toBe(true);
    expect(statusEqual(undefined, s)).toBe(false);
  });
});
