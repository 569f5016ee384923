/**
 * One step of a deployment rollout (k8s rolling.go, recreate.go, sync.go), applied through a
 * SyncContext: RollingUpdate grows the new ReplicaSet within maxSurge, else shrinks old ones
 * within maxUnavailable; Recreate zeroes old ReplicaSets, waits for their pods to be gone, then
 * sizes the new one; `syncScale` handles scaling events and paused deployments (no rollout
 * progress). Each ends by writing the status (with the Progressing condition for rollouts).
 */
import type { Deployment, ReplicaSet } from '@mk8s/shared';
import { deploymentComplete, getCondition, hasProgressDeadline, TIMED_OUT } from './conditions.js';
import { getNewReplicaSet } from './new-rs.js';
import { newRSTarget, oldRSsScaleDown, scalePlan, type Resize } from './plans.js';
import { desiredReplicas } from './replica-math.js';
import { activeReplicaSets, byRevision, findNewReplicaSet, findOldReplicaSets, specReplicas } from './rs-util.js';
import { calculateStatus, deploymentStatusEqual, progressStatus } from './status.js';
import type { SyncContext } from './sync-context.js';

export interface ReplicaSets {
  newRS: ReplicaSet | undefined;
  oldRSs: ReplicaSet[];
}

const all = (r: ReplicaSets): ReplicaSet[] => (r.newRS ? [...r.oldRSs, r.newRS] : r.oldRSs);

export async function getAllReplicaSets(s: SyncContext, rsList: ReplicaSet[], create: boolean): Promise<ReplicaSets> {
  const existing = findNewReplicaSet(s.d, rsList);
  const oldRSs = findOldReplicaSets(existing, rsList);
  const newRS = await getNewReplicaSet(s, existing, oldRSs, create);
  return { newRS, oldRSs };
}

/** Applies resizes; returns the ReplicaSets with the stored versions swapped in. */
async function apply(s: SyncContext, r: ReplicaSets, plan: Resize[]): Promise<ReplicaSets> {
  const updated = new Map<string, ReplicaSet>();
  for (const { rs, replicas } of plan) updated.set(rs.metadata.uid ?? '', await s.scaleReplicaSet(rs, replicas));
  const swap = (rs: ReplicaSet): ReplicaSet => updated.get(rs.metadata.uid ?? '') ?? rs;
  return { newRS: r.newRS && swap(r.newRS), oldRSs: r.oldRSs.map(swap) };
}

export async function rolloutRolling(s: SyncContext, rsList: ReplicaSet[]): Promise<void> {
  let r = await getAllReplicaSets(s, rsList, true);
  const newRS = r.newRS!;
  const target = newRSTarget(s.d, all(r), newRS);
  if (target !== undefined) {
    r = await apply(s, r, [{ rs: newRS, replicas: target }]);
    return syncRolloutStatus(s, r);
  }
  const down = oldRSsScaleDown(s.d, all(r), r.oldRSs, newRS);
  if (down.length > 0) {
    r = await apply(s, r, down);
    return syncRolloutStatus(s, r);
  }
  if (s.d.status && deploymentComplete(s.d, s.d.status)) await cleanupOldReplicaSets(s, r.oldRSs);
  return syncRolloutStatus(s, r);
}

/** Old pods still around (Recreate waits for them): any old ReplicaSet replicas, or owned pods not finished. */
export function oldPodsRunning(s: SyncContext, r: ReplicaSets): boolean {
  if (r.oldRSs.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
  const oldUids = new Set(r.oldRSs.map((rs) => rs.metadata.uid));
  return s.pods.list(s.d.metadata.namespace).some((p) => {
    const ref = p.metadata.ownerReferences?.find((o) => o.controller);
    if (!ref || !oldUids.has(ref.uid)) return false;
    return p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded';
  });
}

export async function rolloutRecreate(s: SyncContext, rsList: ReplicaSet[]): Promise<void> {
  let r = await getAllReplicaSets(s, rsList, false);
  const activeOld = activeReplicaSets(r.oldRSs);
  if (activeOld.length > 0) {
    r = await apply(s, r, activeOld.map((rs) => ({ rs, replicas: 0 })));
    return syncRolloutStatus(s, r);
  }
  if (oldPodsRunning(s, r)) return syncRolloutStatus(s, r);
  if (!r.newRS) r = await getAllReplicaSets(s, rsList, true);
  const want = desiredReplicas(s.d);
  if (r.newRS && specReplicas(r.newRS) !== want) r = await apply(s, r, [{ rs: r.newRS, replicas: want }]);
  if (s.d.status && deploymentComplete(s.d, s.d.status)) await cleanupOldReplicaSets(s, r.oldRSs);
  return syncRolloutStatus(s, r);
}

/** Scaling events and paused deployments: resize without progressing the rollout. */
export async function syncScale(s: SyncContext, rsList: ReplicaSet[]): Promise<void> {
  let r = await getAllReplicaSets(s, rsList, false);
  r = await apply(s, r, scalePlan(s.d, r.newRS, r.oldRSs));
  if (s.d.spec.paused) await cleanupOldReplicaSets(s, r.oldRSs);
  await s.writeStatus(calculateStatus(s.d, all(r), r.newRS, s.now()));
}

/** Deletes the oldest fully scaled-down old ReplicaSets beyond revisionHistoryLimit. */
export async function cleanupOldReplicaSets(s: SyncContext, oldRSs: ReplicaSet[]): Promise<void> {
  const limit = s.d.spec.revisionHistoryLimit;
  if (limit === undefined || limit === null) return;
  const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp).sort(byRevision);
  const diff = cleanable.length - limit;
  for (const rs of cleanable.slice(0, Math.max(0, diff))) {
    if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0) continue;
    if ((rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    s.logger.debug({ rs: rs.metadata.name }, 'deleting old ReplicaSet beyond revisionHistoryLimit');
    await s.deleteReplicaSet(rs);
  }
}

async function syncRolloutStatus(s: SyncContext, r: ReplicaSets): Promise<void> {
  const status = progressStatus(s.d, all(r), r.newRS, s.now());
  if (deploymentStatusEqual(s.d.status, status)) return requeueStuck(s, s.d, status);
  await s.writeStatus(status);
}

/** Sync again when the progress deadline would pass, so ProgressDeadlineExceeded gets reported. */
function requeueStuck(s: SyncContext, d: Deployment, status: NonNullable<Deployment['status']>): void {
  const c = getCondition(status, 'Progressing');
  if (!hasProgressDeadline(d) || !c) return;
  if (deploymentComplete(d, status) || c.reason === TIMED_OUT) return;
  const from = Date.parse(c.lastUpdateTime ?? c.lastTransitionTime ?? '');
  if (Number.isNaN(from)) return;
  const after = from + (d.spec.progressDeadlineSeconds ?? 600) * 1000 - s.now();
  s.enqueueAfter(Math.max(0, after) + 1000);
}
