import type { Deployment } from '@mk8s/shared';
import { newDeployment } from '@mk8s/shared/testing';
import { describe, expect, it } from 'vitest';
import { maxSurge, maxUnavailable, newRSNewReplicas, proportion, resolveFenceposts, scaledValue } from './replica-math.js';

function dep(replicas: number, surge?: number | string, unavailable?: number | string, type: 'RollingUpdate' | 'Recreate' = 'RollingUpdate'): Deployment {
  return newDeployment('d', { replicas, strategy: type === 'Recreate' ? { type } : { type, rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } });
}

describe('scaledValue', () => {
  it.each([
    [5, 10, true, 5],
    ['25%', 10, true, 3],
    ['25%', 10, false, 2],
    ['50%', 3, true, 2],
    ['50%', 3, false, 1],
    ['0%', 10, true, 0],
    ['7', 10, true, 7],
  ] as const)('%j of %d (roundUp %s) = %d', (v, total, up, want) => expect(scaledValue(v, total, up, '25%')).toBe(want));
  it('rejects garbage', () => expect(() => scaledValue('abc', 10, true, '25%')).toThrow());
});

describe('resolveFenceposts / maxSurge / maxUnavailable', () => {
  it.each([
    ['defaults 25%/25% of 4', undefined, undefined, 4, [1, 1]],
    ['defaults of 10: surge rounds up, unavailable down', undefined, undefined, 10, [3, 2]],
    ['both zero becomes one unavailable', 0, 0, 5, [0, 1]],
    ['0% and 0%', '0%', '0%', 5, [0, 1]],
    ['ints', 2, 3, 5, [2, 3]],
    ['1 replica, 25%', '25%', '25%', 1, [1, 0]],
  ] as const)('%s', (_n, s, u, desired, want) => expect(resolveFenceposts(s, u, desired)).toEqual(want));

  it.each([
    ['rolling', dep(10, '25%', '25%'), 3, 2],
    ['maxUnavailable capped at replicas', dep(2, 0, 5), 0, 2],
    ['zero replicas: no unavailability', dep(0, 1, 1), 1, 0],
    ['recreate has neither', dep(5, undefined, undefined, 'Recreate'), 0, 0],
  ])('%s', (_n, d, surge, unavailable) => {
    expect(maxSurge(d)).toBe(surge);
    expect(maxUnavailable(d)).toBe(unavailable);
  });
});

describe('newRSNewReplicas', () => {
  it.each([
    ['first step of 10 with surge 3', dep(10, '25%', '25%'), 10, 0, 3],
    ['at max total: no growth', dep(10, '25%', '25%'), 13, 3, 3],
    ['room for 2 more', dep(10, '25%', '25%'), 11, 5, 7],
    ['never past desired', dep(4, 10, 0), 4, 3, 4],
    ['recreate: desired at once', dep(4, undefined, undefined, 'Recreate'), 4, 0, 4],
    ['fresh deployment of 3 with surge 1', dep(3, 1, 0), 0, 0, 3],
  ])('%s', (_n, d, total, cur, want) => expect(newRSNewReplicas(d, total, cur)).toBe(want));
});

describe('proportion', () => {
  it.each([
    // rsReplicas, annotated max, deployment (replicas, surge), toAdd, added, want
    ['scale 10->20 (surge 0), rs of 5 sized for 10', 5, 10, dep(20, 0, 1), 10, 0, 5],
    ['clamped by what is left to add', 5, 10, dep(20, 0, 1), 10, 8, 2],
    ['scale down 10->5, rs of 6 sized for 10', 6, 10, dep(5, 0, 1), -5, 0, -3],
    ['scale to zero takes everything', 4, 10, dep(0, 0, 1), -10, 0, -4],
    ['no annotation falls back to status.replicas', 5, undefined, { ...dep(20, 0, 1), status: { replicas: 10 } }, 10, 0, 5],
    ['empty rs gets nothing', 0, 10, dep(20, 0, 1), 10, 0, 0],
    ['nothing to add', 5, 10, dep(10, 0, 1), 0, 0, 0],
  ])('%s', (_n, rsReplicas, annotated, d, toAdd, added, want) => expect(proportion(rsReplicas, annotated, d, toAdd, added)).toBe(want));
});
