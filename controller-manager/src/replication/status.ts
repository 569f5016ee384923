/**
 * calculateStatus: the status a ReplicaSet/ReplicationController should report, as a pure
 * function of the owner, the pods it owns (active ones), the outcome of the last create/delete
 * round and the time. `statusEqual` tells whether a write is needed at all.
 */
import { selectorFromSet, type Condition, type Pod } from '@mk8s/shared';
import { isPodAvailable, isPodReady } from '../util/pods.js';
import type { ReplicaOwner, ReplicaStatus } from './adapter.js';

export interface ReplicaFailure {
  reason: 'FailedCreate' | 'FailedDelete';
  message: string;
}

const timestamp = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function calculateStatus(owner: ReplicaOwner, pods: Pod[], failure: ReplicaFailure | undefined, nowMs: number): ReplicaStatus {
  const templateLabels = owner.spec.template?.metadata?.labels ?? {};
  const fullyLabeled = selectorFromSet(templateLabels);
  const minReady = owner.spec.minReadySeconds ?? 0;
  let fullyLabeledReplicas = 0;
  let readyReplicas = 0;
  let availableReplicas = 0;
  for (const p of pods) {
    if (fullyLabeled.matches(p.metadata.labels)) fullyLabeledReplicas++;
    if (isPodReady(p)) {
      readyReplicas++;
      if (isPodAvailable(p, minReady, nowMs)) availableReplicas++;
    }
  }
  const others = (owner.status?.conditions ?? []).filter((c) => c.type !== 'ReplicaFailure');
  const existing = owner.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
  let conditions: Condition[] = others;
  if (failure) {
    const same = existing && existing.reason === failure.reason && existing.message === failure.message;
    conditions = [...others, same ? existing : { type: 'ReplicaFailure', status: 'True', reason: failure.reason, message: failure.message, lastTransitionTime: timestamp(nowMs) }];
  }
  const status: ReplicaStatus = {
    replicas: pods.length,
    fullyLabeledReplicas,
    readyReplicas,
    availableReplicas,
    observedGeneration: owner.metadata.generation ?? 0,
  };
  if (conditions.length > 0) status.conditions = conditions;
  return status;
}

export function statusEqual(a: ReplicaStatus | undefined, b: ReplicaStatus): boolean {
  if (!a) return false;
  return (
    a.replicas === b.replicas &&
    (a.fullyLabeledReplicas ?? 0) === (b.fullyLabeledReplicas ?? 0) &&
    (a.readyReplicas ?? 0) === (b.readyReplicas ?? 0) &&
    (a.availableReplicas ?? 0) === (b.availableReplicas ?? 0) &&
    (a.observedGeneration ?? 0) === (b.observedGeneration ?? 0) &&
    JSON.stringify(a.conditions ?? []) === JSON.stringify(b.conditions ?? [])
  );
}
