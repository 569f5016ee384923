import type { Deployment, ReplicaSet } from '@mk8s/shared';
import { newDeployment, newReplicaSet } from '@mk8s/shared/testing';
import { describe, expect, it } from 'vitest';
import { newReplicaSetAnnotations } from './annotations.js';
import { isScalingEvent, newRSTarget, oldRSsScaleDown, scalePlan } from './plans.js';
import { DESIRED_REPLICAS, MAX_REPLICAS, REVISION, REVISION_HISTORY } from './rs-util.js';

const dep = (replicas: number, surge: number | string, unavailable: number | string): Deployment =>
  newDeployment('d', { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } });

let seq = 0;
function rs(replicas: number, available: number, o: { created?: string; desired?: number; max?: number } = {}): ReplicaSet {
  const r = newReplicaSet(`rs-${++seq}`, { replicas, creationTimestamp: o.created ?? `2024-01-01T00:00:${String(seq % 60).padStart(2, '0')}Z` });
  r.status = { replicas, availableReplicas: available, readyReplicas: available };
  const ann: Record<string, string> = {};
  if (o.desired !== undefined) ann[DESIRED_REPLICAS] = String(o.desired);
  if (o.max !== undefined) ann[MAX_REPLICAS] = String(o.max);
  r.metadata.annotations = ann;
  return r;
}

describe('newRSTarget', () => {
  it.each([
    ['already desired', dep(4, 1, 1), [rs(4, 4)], 0, undefined],
    ['bigger than desired shrinks', dep(4, 1, 1), [rs(6, 6)], 0, 4],
    ['grows within surge', dep(4, 1, 1), [rs(4, 4, { created: '2024-01-01T00:00:00Z' }), rs(0, 0)], 1, 1],
    ['no room at max total', dep(4, 1, 1), [rs(4, 4), rs(1, 0)], 1, undefined],
  ] as const)('%s', (_n, d, all, newIdx, want) => expect(newRSTarget(d, [...all], all[newIdx]!)).toBe(want));
});

describe('oldRSsScaleDown', () => {
  it.each([
    // old (replicas, available) list, new (replicas, available), deployment, expected old sizes after
    ['4 old all available, new 1 not yet: down by maxUnavailable', [[4, 4]], [1, 0], dep(4, 1, 1), [3]],
    ['new 2 available: available above minAvailable (5 - 3) goes', [[3, 3]], [2, 2], dep(4, 1, 1), [1]],
    ['unavailable old replicas go first, even below minAvailable', [[4, 2]], [1, 0], dep(4, 1, 1), [3]],
    ['no budget when new is all unavailable at max', [[3, 3]], [2, 0], dep(4, 1, 1), null],
    ['oldest first across two old ReplicaSets', [[2, 2], [2, 2]], [2, 2], dep(4, 1, 1), [0, 1]],
    ['a just-scaled-down old ReplicaSet whose status still counts 4 is trusted only up to its spec of 3', [[3, 4]], [1, 1], dep(4, 1, 1), [2]],
    ['both old ReplicaSets emptied when the budget allows', [[2, 2], [2, 2]], [2, 2], dep(4, 2, 2), [0, 0]],
  ] as const)('%s', (_n, olds, [nr, na], d, want) => {
    const oldRSs = olds.map(([r, a]) => rs(r, a));
    const newRS = rs(nr, na);
    const plan = oldRSsScaleDown(d, [...oldRSs, newRS], oldRSs, newRS);
    if (want === null) expect(plan).toEqual([]);
    else expect(oldRSs.map((o) => plan.find((p) => p.rs === o)?.replicas ?? o.spec.replicas)).toEqual(want);
  });
});

describe('scalePlan', () => {
  it('one active ReplicaSet takes the new size', () => {
    const a = rs(3, 3, { desired: 3, max: 4 });
    expect(scalePlan(dep(5, 1, 1), a, [rs(0, 0)]).map((p) => [p.rs.metadata.name, p.replicas])).toEqual([[a.metadata.name, 5]]);
  });
  it('a saturated new ReplicaSet zeroes the old ones', () => {
    const n = rs(4, 4, { desired: 4 });
    const o = rs(1, 1);
    expect(scalePlan(dep(4, 1, 1), n, [o]).map((p) => [p.rs.metadata.name, p.replicas])).toEqual([[o.metadata.name, 0]]);
  });
  it('proportional: 10 -> 20 with a 6/5 split sized for 11', () => {
    const old = rs(6, 6, { desired: 10, max: 11 });
    const neu = rs(5, 0, { desired: 10, max: 11 });
    const plan = scalePlan(dep(20, 1, 1), neu, [old]);
    const sizes = Object.fromEntries(plan.map((p) => [p.rs === old ? 'old' : 'new', p.replicas]));
    expect(sizes.old! + sizes.new!).toBe(21);
    expect(sizes).toEqual({ old: 11, new: 10 });
  });
  it('is a scaling event only when an active ReplicaSet was sized for another count', () => {
    expect(isScalingEvent(dep(5, 1, 1), rs(3, 3, { desired: 3 }), [])).toBe(true);
    expect(isScalingEvent(dep(3, 1, 1), rs(3, 3, { desired: 3 }), [rs(0, 0, { desired: 1 })])).toBe(false);
  });
});

describe('newReplicaSetAnnotations', () => {
  const d = newDeployment('d', { replicas: 3, annotations: { 'kubernetes.io/change-cause': 'why', 'kubectl.kubernetes.io/last-applied-configuration': '{}', [REVISION]: '7' } });
  it.each([
    ['a new ReplicaSet gets revision, replicas annotations and the change-cause', {}, 4, false, { [REVISION]: '4', [DESIRED_REPLICAS]: '3', [MAX_REPLICAS]: '4', 'kubernetes.io/change-cause': 'why' }],
    ['an old template becoming new again moves its revision to history', { [REVISION]: '1', 'kubernetes.io/change-cause': 'why' }, 3, true, { [REVISION]: '3', [REVISION_HISTORY]: '1' }],
    ['history accumulates', { [REVISION]: '3', [REVISION_HISTORY]: '1', 'kubernetes.io/change-cause': 'why' }, 5, true, { [REVISION]: '5', [REVISION_HISTORY]: '1,3' }],
  ])('%s', (_n, cur, rev, exists, want) => {
    const r = newReplicaSet('x');
    r.metadata.annotations = cur;
    const got = newReplicaSetAnnotations(d, r, rev, exists);
    expect(got).toMatchObject(want);
    expect(got?.['kubectl.kubernetes.io/last-applied-configuration']).toBeUndefined();
  });
  it('nothing changes when the revision is current', () => {
    const r = newReplicaSet('x');
    r.metadata.annotations = { [REVISION]: '4', 'kubernetes.io/change-cause': 'why' };
    expect(newReplicaSetAnnotations(d, r, 4, true)).toBeUndefined();
  });
});
