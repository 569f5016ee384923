/**
 * Annotations the deployment controller keeps on ReplicaSets (k8s deployment_util.go):
 * - the deployment's own annotations are copied to its new ReplicaSet (so
 *   `kubernetes.io/change-cause` shows in `kubectl rollout history`), except the ones the
 *   controller manages and kubectl's last-applied-configuration;
 * - `deployment.kubernetes.io/revision` on the new ReplicaSet is raised to the next revision
 *   (max over old ReplicaSets + 1) when lower; the revision it had moves to `revision-history`
 *   (this is how a rollback to an old template gets the next number);
 * - `desired-replicas` and `max-replicas` record the sizes a ReplicaSet was last scaled for.
 * All functions return a new annotation map, or undefined when nothing changes.
 */
import type { Deployment, ReplicaSet } from '@mk8s/shared';
import { desiredReplicas, maxSurge } from './replica-math.js';
import { DESIRED_REPLICAS, MAX_REPLICAS, REVISION, REVISION_HISTORY } from './rs-util.js';

const SKIP = new Set([REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, 'kubectl.kubernetes.io/last-applied-configuration', 'deprecated.deployment.rollback.to']);

export function replicasAnnotationsFor(d: Deployment): Record<string, string> {
  const want = desiredReplicas(d);
  return { [DESIRED_REPLICAS]: String(want), [MAX_REPLICAS]: String(want + maxSurge(d)) };
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, d: Deployment): boolean {
  const want = replicasAnnotationsFor(d);
  const a = rs.metadata.annotations ?? {};
  return a[DESIRED_REPLICAS] !== want[DESIRED_REPLICAS] || a[MAX_REPLICAS] !== want[MAX_REPLICAS];
}

/**
 * The annotations the new ReplicaSet should carry for `newRevision`; `exists` is false for a
 * ReplicaSet about to be created (which also gets the replicas annotations).
 */
export function newReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean): Record<string, string> | undefined {
  const cur = rs.metadata.annotations ?? {};
  const next: Record<string, string> = { ...cur };
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (!SKIP.has(k)) next[k] = v;
  const oldRevision = cur[REVISION];
  const oldNum = Number(oldRevision ?? '0');
  if (!oldRevision || !Number.isInteger(oldNum) || oldNum < newRevision) {
    next[REVISION] = String(newRevision);
    if (oldRevision) next[REVISION_HISTORY] = cur[REVISION_HISTORY] ? `${cur[REVISION_HISTORY]},${oldRevision}` : oldRevision;
  }
  if (!exists) Object.assign(next, replicasAnnotationsFor(d));
  const changed = Object.keys(next).length !== Object.keys(cur).length || Object.entries(next).some(([k, v]) => cur[k] !== v);
  return changed ? next : undefined;
}
