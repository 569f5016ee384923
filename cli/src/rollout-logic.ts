/**
 * The decisions behind `mkctl rollout`: whether a Deployment has finished rolling out (and
 * the kubectl message for each waiting state), which ReplicaSets belong to it and their
 * revisions, and the pod template a rollback restores. Pure.
 */
import type { Deployment, LabelSelector, ReplicaSet, PodTemplateSpec } from '@mk8s/shared';

export const REVISION = 'deployment.kubernetes.io/revision';
export const CHANGE_CAUSE = 'kubernetes.io/change-cause';
export const POD_TEMPLATE_HASH = 'pod-template-hash';

export interface RolloutState {
  done: boolean;
  message: string;
  /** set when the rollout has failed for good */
  error?: string;
}

export function rolloutStatus(d: Deployment): RolloutState {
  const name = d.metadata.name ?? '';
  const s = d.status ?? {};
  if ((d.metadata.generation ?? 0) > (s.observedGeneration ?? 0)) return { done: false, message: 'Waiting for deployment spec update to be observed...' };
  const progressing = s.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') return { done: false, message: '', error: `deployment "${name}" exceeded its progress deadline` };
  const want = d.spec.replicas ?? 1;
  const updated = s.updatedReplicas ?? 0;
  const total = s.replicas ?? 0;
  const available = s.availableReplicas ?? 0;
  const prefix = `Waiting for deployment "${name}" rollout to finish:`;
  if (updated < want) return { done: false, message: `${prefix} ${updated} out of ${want} new replicas have been updated...` };
  if (total > updated) return { done: false, message: `${prefix} ${total - updated} old replicas are pending termination...` };
  if (available < updated) return { done: false, message: `${prefix} ${available} of ${updated} updated replicas are available...` };
  return { done: true, message: `deployment "${name}" successfully rolled out` };
}

/** A LabelSelector as the selector string the server parses. */
export function selectorToString(sel: LabelSelector | undefined): string {
  const parts = Object.entries(sel?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel?.matchExpressions ?? []) {
    if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

export function revisionOf(rs: ReplicaSet): number {
  const n = Number(rs.metadata.annotations?.[REVISION]);
  return Number.isFinite(n) ? n : 0;
}

/** The deployment's ReplicaSets (controller owner uid), oldest revision first. */
export function ownedReplicaSets(d: Deployment, all: ReplicaSet[]): ReplicaSet[] {
  return all
    .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.controller && o.uid === d.metadata.uid))
    .sort((a, b) => revisionOf(a) - revisionOf(b));
}

/** The ReplicaSet to roll back to: `toRevision`, or the one before the newest. */
export function rollbackTarget(owned: ReplicaSet[], toRevision: number): ReplicaSet | string {
  if (owned.length === 0) return 'no rollout history found';
  if (toRevision > 0) return owned.find((rs) => revisionOf(rs) === toRevision) ?? `unable to find specified revision ${toRevision} in history`;
  if (owned.length < 2) return 'no rollout history found';
  return owned[owned.length - 2]!;
}

/** A ReplicaSet's pod template without the pod-template-hash label. */
export function templateForRollback(rs: ReplicaSet): PodTemplateSpec | undefined {
  const t = rs.spec.template;
  if (!t) return undefined;
  const copy = structuredClone(t);
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[POD_TEMPLATE_HASH];
  }
  return copy;
}
