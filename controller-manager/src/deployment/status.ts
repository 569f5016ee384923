/**
 * calculateStatus: a deployment's status as a pure function of its ReplicaSets (their specs and
 * statuses), the new one, and the time: replica counts summed over ReplicaSets, updatedReplicas
 * from the new one, and the Available condition (available >= desired - maxUnavailable).
 * `progressStatus` adds the Progressing condition for syncRolloutStatus.
 */
import type { Deployment, ReplicaSet } from '@mk8s/shared';
import {
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getCondition,
  hasProgressDeadline,
  MIN_AVAILABLE,
  MIN_UNAVAILABLE,
  newCondition,
  NEW_RS_AVAILABLE,
  removeCondition,
  RS_UPDATED,
  setCondition,
  TIMED_OUT,
  type DeploymentStatus,
} from './conditions.js';
import { desiredReplicas, maxUnavailable } from './replica-math.js';
import { sumSpecReplicas, sumStatus } from './rs-util.js';

export function calculateStatus(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet | undefined, nowMs: number): DeploymentStatus {
  const available = sumStatus(allRSs, 'availableReplicas');
  const total = sumSpecReplicas(allRSs);
  let s: DeploymentStatus = {
    observedGeneration: d.metadata.generation ?? 0,
    replicas: sumStatus(allRSs, 'replicas'),
    updatedReplicas: newRS ? (newRS.status?.replicas ?? 0) : 0,
    readyReplicas: sumStatus(allRSs, 'readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
  };
  if (d.status?.collisionCount !== undefined) s.collisionCount = d.status.collisionCount;
  if (d.status?.conditions?.length) s.conditions = d.status.conditions.map((c) => ({ ...c }));
  s =
    available >= desiredReplicas(d) - maxUnavailable(d)
      ? setCondition(s, newCondition('Available', 'True', MIN_AVAILABLE, 'Deployment has minimum availability.', nowMs))
      : setCondition(s, newCondition('Available', 'False', MIN_UNAVAILABLE, 'Deployment does not have minimum availability.', nowMs));
  return s;
}

/** calculateStatus plus the Progressing condition (k8s syncRolloutStatus) and a mirrored ReplicaFailure. */
export function progressStatus(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet | undefined, nowMs: number): DeploymentStatus {
  let s = calculateStatus(d, allRSs, newRS, nowMs);
  if (!hasProgressDeadline(d)) s = removeCondition(s, 'Progressing');
  const cur = getCondition(s, 'Progressing');
  const complete = s.replicas === s.updatedReplicas && cur?.reason === NEW_RS_AVAILABLE;
  if (hasProgressDeadline(d) && !complete) {
    const rsName = newRS?.metadata.name ?? '';
    if (deploymentComplete(d, s)) {
      s = setCondition(s, newCondition('Progressing', 'True', NEW_RS_AVAILABLE, `ReplicaSet "${rsName}" has successfully progressed.`, nowMs));
    } else if (deploymentProgressing(d, s)) {
      const msg = newRS ? `ReplicaSet "${rsName}" is progressing.` : 'Deployment is progressing.';
      const c = newCondition('Progressing', 'True', RS_UPDATED, msg, nowMs);
      if (cur?.status === 'True' && cur.lastTransitionTime) c.lastTransitionTime = cur.lastTransitionTime;
      s = removeCondition(s, 'Progressing');
      s = setCondition(s, c);
    } else if (deploymentTimedOut(d, s, nowMs)) {
      const msg = newRS ? `ReplicaSet "${rsName}" has timed out progressing.` : 'Deployment has timed out progressing.';
      s = setCondition(s, newCondition('Progressing', 'False', TIMED_OUT, msg, nowMs));
    }
  }
  const failure = [newRS, ...allRSs].find((rs) => rs?.status?.conditions?.some((c) => c.type === 'ReplicaFailure' && c.status === 'True'));
  const rc = failure?.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
  s = rc ? setCondition(s, newCondition('ReplicaFailure', rc.status, rc.reason ?? '', rc.message ?? '', nowMs)) : removeCondition(s, 'ReplicaFailure');
  return s;
}

/** Equal for the purpose of "does the status need a write". */
export function deploymentStatusEqual(a: DeploymentStatus | undefined, b: DeploymentStatus): boolean {
  if (!a) return false;
  const norm = (s: DeploymentStatus) =>
    JSON.stringify([
      s.observedGeneration ?? 0,
      s.replicas ?? 0,
      s.updatedReplicas ?? 0,
      s.readyReplicas ?? 0,
      s.availableReplicas ?? 0,
      s.unavailableReplicas ?? 0,
      s.collisionCount ?? null,
      [...(s.conditions ?? [])].sort((x, y) => x.type.localeCompare(y.type)).map((c) => [c.type, c.status, c.reason, c.message, c.lastUpdateTime, c.lastTransitionTime]),
    ]);
  return norm(a) === norm(b);
}
