/**
 * The decisions of a rollout step as pure functions from ReplicaSets to target sizes
 * (k8s rolling.go and sync.go), so the arithmetic is tested by tables and the controller only
 * applies the sizes. A plan is a list of { rs, replicas } for the ReplicaSets to resize.
 */
import type { Deployment, ReplicaSet } from '@mk8s/shared';
import { replicasAnnotationsNeedUpdate } from './annotations.js';
import { desiredReplicas, isRollingUpdate, maxSurge, maxUnavailable, newRSNewReplicas, proportion } from './replica-math.js';
import { activeReplicaSets, availableOf, sumAvailable, byCreation, bySizeNewer, bySizeOlder, findActiveOrLatest, intAnnotation, MAX_REPLICAS, DESIRED_REPLICAS, specReplicas, sumSpecReplicas } from './rs-util.js';

export interface Resize {
  rs: ReplicaSet;
  replicas: number;
}

/** The new ReplicaSet's next size, or undefined when it is already right (reconcileNewReplicaSet). */
export function newRSTarget(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet): number | undefined {
  const want = desiredReplicas(d);
  const cur = specReplicas(newRS);
  if (cur === want) return undefined;
  if (cur > want) return want;
  const next = newRSNewReplicas(d, sumSpecReplicas(allRSs), cur);
  return next === cur ? undefined : next;
}

/**
 * How far old ReplicaSets may shrink in a rolling update (reconcileOldReplicaSets): first the
 * unhealthy (unavailable) old replicas, oldest ReplicaSet first, within the budget
 * all - minAvailable - newRS unavailable; then available ones while available > minAvailable.
 */
export function oldRSsScaleDown(d: Deployment, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet | undefined): Resize[] {
  const active = activeReplicaSets(oldRSs);
  if (sumSpecReplicas(active) === 0) return [];
  const minAvailable = desiredReplicas(d) - maxUnavailable(d);
  const newUnavailable = newRS ? specReplicas(newRS) - availableOf(newRS) : 0;
  const maxScaledDown = sumSpecReplicas(allRSs) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return [];
  const sizes = new Map<ReplicaSet, number>(active.map((rs) => [rs, specReplicas(rs)]));
  // 1. unhealthy replicas of old ReplicaSets
  let cleaned = 0;
  for (const rs of [...active].sort(byCreation)) {
    if (cleaned >= maxScaledDown) break;
    const size = sizes.get(rs)!;
    const avail = availableOf(rs);
    if (size === 0 || size <= avail) continue;
    const n = Math.min(maxScaledDown - cleaned, size - avail);
    sizes.set(rs, size - n);
    cleaned += n;
  }
  // 2. available replicas above minAvailable
  const available = sumAvailable(newRS ? [...oldRSs, newRS] : oldRSs);
  if (available > minAvailable) {
    const budget = available - minAvailable;
    let scaled = 0;
    for (const rs of [...active].sort(byCreation)) {
      if (scaled >= budget) break;
      const size = sizes.get(rs)!;
      if (size === 0) continue;
      const n = Math.min(size, budget - scaled);
      sizes.set(rs, size - n);
      scaled += n;
    }
  }
  return active.filter((rs) => sizes.get(rs)! !== specReplicas(rs)).map((rs) => ({ rs, replicas: sizes.get(rs)! }));
}

/** The new ReplicaSet is at the desired size and all of it available (IsSaturated). */
export function isSaturated(d: Deployment, newRS: ReplicaSet | undefined): boolean {
  if (!newRS) return false;
  const want = desiredReplicas(d);
  return specReplicas(newRS) === want && intAnnotation(newRS, DESIRED_REPLICAS) === want && (newRS.status?.availableReplicas ?? 0) === want;
}

/**
 * Scaling a deployment (sync.go `scale`): with one active ReplicaSet, resize it; when the new one
 * is saturated, zero the old ones; during a rolling update, spread the change over the active
 * ReplicaSets in proportion to the sizes they were last scaled for, leftovers to the largest.
 */
export function scalePlan(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Resize[] {
  const want = desiredReplicas(d);
  const one = findActiveOrLatest(newRS, oldRSs);
  if (one) return specReplicas(one) === want && !replicasAnnotationsNeedUpdate(one, d) ? [] : [{ rs: one, replicas: want }];
  if (isSaturated(d, newRS)) return activeReplicaSets(oldRSs).map((rs) => ({ rs, replicas: 0 }));
  if (!isRollingUpdate(d)) return [];
  const all = activeReplicaSets(newRS ? [newRS, ...oldRSs] : oldRSs);
  const allowed = want > 0 ? want + maxSurge(d) : 0;
  const toAdd = allowed - sumSpecReplicas(all);
  if (toAdd === 0) return [];
  all.sort(toAdd > 0 ? bySizeNewer : bySizeOlder);
  const sizes = new Map<ReplicaSet, number>();
  let added = 0;
  for (const rs of all) {
    const p = proportion(specReplicas(rs), intAnnotation(rs, MAX_REPLICAS), d, toAdd, added);
    sizes.set(rs, specReplicas(rs) + p);
    added += p;
  }
  if (added !== toAdd && all[0]) sizes.set(all[0], Math.max(0, sizes.get(all[0])! + toAdd - added));
  return all.map((rs) => ({ rs, replicas: sizes.get(rs)! }));
}

/** A scaling event: an active ReplicaSet was last sized for a different desired count. */
export function isScalingEvent(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): boolean {
  const want = desiredReplicas(d);
  return activeReplicaSets(newRS ? [newRS, ...oldRSs] : oldRSs).some((rs) => {
    const desired = intAnnotation(rs, DESIRED_REPLICAS);
    return desired !== undefined && desired !== want;
  });
}
